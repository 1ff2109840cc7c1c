import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { degrees, PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../gateway/runtime/process-util.ts';
import { SEED_EXAMPLES } from '../../signer/index.ts';
import { startServer, zhengyin } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';
import { freePort } from '../support/net.ts';
import { preparedForm } from '../pades/support/pdfs.ts';
import { rasterise } from '../support/pdf-tools.ts';
import { readDss } from '../support/inspect.ts';
import { nssDatabase, pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { describePyhanko, hasPyhanko, pyhankoValidate } from '../support/pyhanko.ts';
import { hasTools } from '../support/tools.ts';

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('zhengyin issue and seal … (separate processes, external database)', () => {
  const t = useTestDatabase();
  const dir = tempDir('zhengyin-cli-');
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data'), ZHENGYIN_LOG_FORMAT: 'json' });
  const file = (name: string) => path.join(dir, name);

  it('issues the demo 营业执照 with a joint seal; sealing it again needs --allow-new-field (refused without, nothing written); both outputs extend their input', async () => {
    const issued = await zhengyin(['issue', '--demo', '--out', file('demo.pdf')], env());
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toMatch(/identifier {2}1\.2\.156\.3005\.2\.\S+/);
    const pdf = fs.readFileSync(file('demo.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const seal = (await t.db.prisma.seal.findFirstOrThrow({ where: { departmentId: 'gjj', state: 'active' } })).id;
    const refused = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('demo.pdf'), '--out', file('refused.pdf')], env());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/NEW_FIELD_AFTER_CERTIFICATION.*pyHanko.*--field.*--allow-new-field/s);
    expect(fs.existsSync(file('refused.pdf'))).toBe(false);

    const sealed = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('demo.pdf'), '--out', file('sealed.pdf'), '--allow-new-field'], env());
    expect(sealed.code, sealed.stderr).toBe(0);
    const out = fs.readFileSync(file('sealed.pdf'));
    expect(out.subarray(0, pdf.length).equals(pdf)).toBe(true);
    expect(out.length).toBeGreaterThan(pdf.length);
  });

  it.skipIf(!hasTools('pdftoppm'))('puts the default seal at the lower right of a turned page as it shows', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595.28, 841.89]).setRotation(degrees(90)); // A4 turned: shows 841.89 wide, 595.28 high
    fs.writeFileSync(file('turned.pdf'), await doc.save());
    const seal = (await t.db.prisma.seal.findFirstOrThrow({ where: { departmentId: 'gjj', state: 'active' } })).id;

    const sealed = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('turned.pdf'), '--out', file('turned-sealed.pdf')], env());

    expect(sealed.code, sealed.stderr).toBe(0);
    const { width, height, pixels } = rasterise(file('turned-sealed.pdf'), 18, { colour: true });
    expect(width).toBeGreaterThan(height);
    const red: [number, number][] = [];
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixels[(y * width + x) * 3]! > 150 && pixels[(y * width + x) * 3 + 2]! < 100) red.push([x, y]);
    expect(red.length).toBeGreaterThan(20);
    expect(red.every(([x, y]) => x > width / 2 && y > height / 2), 'every red pixel in the lower right quarter as shown').toBe(true);
  });

  it('seals into the form’s own signature field with --field, and refuses a text field with exit 65', async () => {
    fs.writeFileSync(file('form.pdf'), await preparedForm());
    const seal = (await t.db.prisma.seal.findFirstOrThrow({ where: { departmentId: 'gjj', state: 'active' } })).id;

    const into = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('form.pdf'), '--out', file('form-sealed.pdf'), '--field', '审批.盖章'], env());
    const text = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('form.pdf'), '--out', file('form-text.pdf'), '--field', '备注'], env());
    const both = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('form.pdf'), '--out', file('form-both.pdf'), '--field', '受理', '--x', '1', '--y', '1'], env());

    expect(into.code, into.stderr).toBe(0);
    const fields = (await PDFDocument.load(fs.readFileSync(file('form-sealed.pdf')))).getForm().getFields().map((f) => f.getName());
    expect(fields.sort()).toEqual(['受理', '审批.盖章', '备注'].sort());
    expect(text.code).toBe(65);
    expect(text.stderr).toContain('备注');
    expect(both.code).toBe(64);
    expect([file('form-text.pdf'), file('form-both.pdf')].filter((f) => fs.existsSync(f))).toEqual([]);
  });

  it.skipIf(!hasTools(...PDFSIG))('keeps a field for a later seal (issue --reserve-seals), which seal apply --field fills: every signature valid in pdfsig (and pyHanko)', async () => {
    fs.writeFileSync(file('kept-face.json'), JSON.stringify(SEED_EXAMPLES[0]!.face));
    const issued = await zhengyin(['issue', '--type', '营业执照', '--data', file('kept-face.json'), '--department', 'scjg', '--reserve-seals', '1', '--out', file('kept.pdf')], env());
    expect(issued.code, issued.stderr).toBe(0);
    const seal = (await t.db.prisma.seal.findFirstOrThrow({ where: { departmentId: 'gjj', state: 'active' } })).id;

    const sealed = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('kept.pdf'), '--out', file('kept-sealed.pdf'), '--field', 'Seal2'], env());

    expect(sealed.code, sealed.stderr).toBe(0);
    const pdf = fs.readFileSync(file('kept-sealed.pdf'));
    const root = (await t.db.prisma.certificate.findFirstOrThrow({ where: { role: 'root' } })).der;
    const nss = nssDatabase(new X509Certificate(root).toString());
    try {
      // The service is not running: pdfsig cannot ask it about revocation, so integrity and coverage only.
      const { output, signatures } = await pdfsig(pdf, nss.dir);
      expect(signatures.map((s) => s.signatureValid), output).toEqual([true, true, false]); // DocTimeStamp1: pdfsig cannot check one
      expect(signatures.find((s) => s.totalDocument)?.block, output).toContain('Signature Field Name: Seal2');
    } finally {
      nss.dispose();
    }
    if (hasPyhanko()) {
      // What the licence's DSS holds, and no more: the later seal's revocation is soft-failed.
      const dss = (await readDss(pdf))!;
      const judged = await pyhankoValidate(pdf, { roots: [root], crls: dss.crls, ocsps: dss.ocsps, revocationMode: 'soft-fail' });
      expect(judged.map((s) => [s.field, s.intact, s.valid, s.trusted, s.docmdpOk ?? true]), describePyhanko(judged)).toEqual([
        ['Seal1', true, true, true, true],
        ['DocTimeStamp1', true, true, true, true],
        ['Seal2', true, true, true, true],
      ]);
    }
  });

  it('issues from a face-data file, and refuses a bad one with exit 65 and the field named', async () => {
    const example = SEED_EXAMPLES[0]!;
    fs.writeFileSync(file('face.json'), JSON.stringify(example.face));
    fs.writeFileSync(file('bad.json'), JSON.stringify({ ...example.face, uscc: '91350100M000100Y44' }));
    fs.writeFileSync(file('broken.json'), '{ "name": ');

    const ok = await zhengyin(['issue', '--type', '营业执照', '--data', file('face.json'), '--department', 'scjg', '--out', file('issued.pdf')], env());
    const bad = await zhengyin(['issue', '--type', '营业执照', '--data', file('bad.json'), '--department', 'scjg', '--out', file('bad.pdf')], env());
    const broken = await zhengyin(['issue', '--type', '营业执照', '--data', file('broken.json'), '--department', 'scjg', '--out', file('broken.pdf')], env());

    expect(ok.code, ok.stderr).toBe(0);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain('uscc');
    expect(fs.existsSync(file('bad.pdf'))).toBe(false);
    expect(broken.code).toBe(65);
    expect(broken.stderr).toContain('not JSON');
  });

  it.each([
    ['no --out', ['issue', '--demo'], 64],
    ['an unknown flag', ['issue', '--demo', '--out', 'x.pdf', '--colour', 'red'], 64],
    ['an unknown command', ['stamp'], 64],
    ['seal apply without --seal', ['seal', 'apply', '--in', 'a.pdf', '--out', 'b.pdf'], 64],
  ])('answers %s with a usage error', async (_name, args, code) => {
    const r = await zhengyin(args, env());
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(/usage|zhengyin/);
  });

  it('refuses to seal garbage, a missing file, or with a revoked seal, writing nothing', async () => {
    fs.writeFileSync(file('garbage.pdf'), 'this is not a PDF');
    const seal = (await t.db.prisma.seal.findFirstOrThrow({ where: { departmentId: 'bdcdj', state: 'active' } })).id;

    const garbage = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('garbage.pdf'), '--out', file('g.pdf')], env());
    const missing = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('nope.pdf'), '--out', file('n.pdf')], env());
    const revoke = await zhengyin(['seal', 'revoke', seal, '--reason', '测试注销'], env());
    const revoked = await zhengyin(['seal', 'apply', '--seal', seal, '--in', file('demo.pdf'), '--out', file('r.pdf')], env());

    expect(garbage.code).toBe(65);
    expect(missing.code).toBe(65);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoked.code).not.toBe(0);
    expect(revoked.stderr).toContain('SEAL_REVOKED');
    for (const f of ['g.pdf', 'n.pdf', 'r.pdf']) expect(fs.existsSync(file(f))).toBe(false);
  });
});

describe('the embedded stack: npm start and the CLI share one PostgreSQL', () => {
  const dir = tempDir('zhengyin-stack-');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  afterAll(() => void server?.child.kill('SIGKILL'));

  it('serves, lets a CLI command use its database, and stops PostgreSQL on SIGTERM (even sent twice); the CLI alone starts and stops its own', async () => {
    const env = { ZHENGYIN_DATA_DIR: path.join(dir, 'data'), ZHENGYIN_PORT: String(await freePort()), ZHENGYIN_PG_PORT: String(await freePort()) };
    server = await startServer(env);
    const base = /service {6}(\S+)/.exec(server.output())![1]!;
    expect((await fetch(new URL('healthz', base))).status).toBe(200);
    const pgPid = () => Number(fs.readFileSync(path.join(dir, 'data', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const postmaster = pgPid();

    const issued = await zhengyin(['issue', '--demo', '--out', path.join(dir, 'a.pdf')], env);
    expect(issued.code, issued.stderr).toBe(0);
    const statusUrl = /status {6}(\S+)/.exec(issued.stdout)![1]!;
    // The server sees what the CLI issued: they share one database.
    expect((await fetch(`${statusUrl}?format=json`)).status).toBe(200);
    expect(pgPid()).toBe(postmaster);

    // Twice, as an impatient operator would: the second signal must not cut the shutdown short.
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    server.child.kill('SIGTERM');
    const code = await new Promise((r) => server!.child.once('exit', r));
    expect(code).toBe(0);
    expect(isAlive(postmaster)).toBe(false);

    const alone = await zhengyin(['issue', '--demo', '--out', path.join(dir, 'b.pdf')], env);
    expect(alone.code, alone.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'data', 'pg', 'postmaster.pid'))).toBe(false);
  });
});

describe('setting up a real (non-demo) installation from the CLI', () => {
  const t = useTestDatabase();
  const dir = tempDir('zhengyin-setup-');
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data') });
  const file = (name: string) => path.join(dir, name);

  it('adds a department, defines a type, makes a seal, issues, shows and revokes a licence', async () => {
    const { BUSINESS_LICENCE } = await import('../../signer/index.ts');
    fs.writeFileSync(file('type.json'), JSON.stringify(BUSINESS_LICENCE));
    fs.writeFileSync(file('face.json'), JSON.stringify(SEED_EXAMPLES[0]!.face));

    expect((await zhengyin(['type', 'list'], env())).stdout).toContain('no licence types');
    const badCode = await zhengyin(['department', 'add', '--id', 'amr', '--name', '示例市市场监督管理局', '--uscc', '11350200MB00000192'], env());
    expect(badCode.code).toBe(65);
    expect(badCode.stderr).toContain('GB 32100-2015');

    const steps = [
      ['department', 'add', '--id', 'amr', '--name', '示例市市场监督管理局', '--uscc', '11350200MB00000191'],
      ['type', 'define', '--file', file('type.json'), '--issuer', 'amr'],
      ['seal', 'create', '--department', 'amr', '--title', '电子证照专用章'],
      ['issue', '--type', BUSINESS_LICENCE.code, '--data', file('face.json'), '--department', 'amr', '--out', file('licence.pdf')],
    ];
    const outputs: string[] = [];
    for (const step of steps) {
      const r = await zhengyin(step, env());
      expect(r.code, `${step.join(' ')}: ${r.stderr}`).toBe(0);
      outputs.push(r.stdout);
    }
    const identifier = /identifier {2}(\S+)/.exec(outputs[3]!)![1]!;

    const shown = await zhengyin(['licence', 'show', identifier, '--out', file('copy.pdf')], env());
    expect(JSON.parse(shown.stdout)).toMatchObject({ identifier, status: 'valid', departmentId: 'amr' });
    expect(fs.readFileSync(file('copy.pdf')).equals(fs.readFileSync(file('licence.pdf')))).toBe(true);

    const revoked = await zhengyin(['licence', 'revoke', identifier, '--reason', '依申请注销'], env());
    expect(revoked.stdout).toContain('revoked');
    const again = await zhengyin(['licence', 'revoke', identifier, '--reason', '再次'], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('LICENCE_STATE');
  }, 180_000); // eight CLI processes, each opening the service on its own: minutes on a loaded 2-core machine
});
