/**
 * docs/api.md runs as written: every block fenced as `sh api-example` is run by bash with
 * real curl, in the order of the page, against a started service, with the variables the
 * page names set from fixtures made here (or, for DOWNLOAD_URL and SEALED_URL, from the
 * answer of the example the page says they come from). Every operation of the schema
 * must have an example.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../gateway/graphql/schema.ts';
import { projectRoot } from '../../gateway/runtime/config.ts';
import { DEMO_APPLICANTS, issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { DEPARTMENT_WRITER_ATTRIBUTE, OPERATOR } from '../../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { drained } from '../support/db-snapshot.ts';
import { startOidcProvider } from '../support/oidc-provider.ts';

/** One runnable example: what its first line names (`Query.licence`, `GET /readyz`) and its script. */
interface Example {
  readonly name: string;
  readonly script: string;
}

/** The blocks fenced as ```sh api-example, in page order. */
function examplesOf(markdown: string): Example[] {
  return [...markdown.matchAll(/^```sh api-example\n([\s\S]*?)^```$/gm)].map((m) => {
    const script = m[1]!;
    const name = /^# (.+)$/m.exec(script.split('\n')[0]!)?.[1]?.trim() ?? '(unnamed: the first line must be "# <operation or route>")';
    return { name, script };
  });
}

const EXAMPLES = examplesOf(fs.readFileSync(path.join(projectRoot, 'docs', 'api.md'), 'utf8'));
const OPERATIONS = [
  ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
  ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
];
const ROUTES = ['GET /downloads/licences/<identifier>.pdf', 'GET /downloads/licences/<identifier>.ofd', 'GET /downloads/sealed/<id>.pdf', 'GET /licences/<page token>', 'GET /verify', 'POST /verify', 'GET /readyz', 'GET /metrics'];
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;
if (!HAS_CURL) console.warn('SKIPPED: docs/api.md examples need curl on PATH, and there is none; only their coverage of the schema is checked');

/** Where the variable named comes from: the answer of the example that hands it on. */
const HANDED_ON: Record<string, (data: any) => Record<string, string>> = {
  'Query.licence': (d) => ({ DOWNLOAD_URL: d.licence.download.url }),
  'Mutation.applySeal': (d) => ({ SEALED_URL: d.applySeal.download.url }),
  'Mutation.issueLicence': (d) => ({ OFD_DOWNLOAD_URL: d.issueLicence.data.ofdDownload.url }),
  'Query.myLicences': (d) => ({ MY_LICENCE_ID: d.myLicences.edges[0].node.identifier }),
  // A change makes a new version: the examples after it work on that one.
  'Mutation.changeLicence': (d) => ({ LICENCE_ID: d.changeLicence.data.identifier }),
  'Mutation.mintUseCode': (d) => ({ USE_CODE: d.mintUseCode.code, USE_CODE_ID: d.mintUseCode.useCode.id }),
  'Mutation.openApplication': (d) => ({ APPLICATION_ID: d.openApplication.id }),
  'Query.application': (d) => ({ SHARED_ID: d.application.plan.find((l: any) => l.kind === 'real-estate-certificate').licence.identifier }),
};

const provider = await startOidcProvider();
afterAll(() => provider.close());
const AUDIENCE = 'zhengyin-docs';

describe('docs/api.md', () => {
  it('has an example of every Query and Mutation field, and of each plain HTTP route, each named once', () => {
    const names = EXAMPLES.map((e) => e.name);
    expect(OPERATIONS.filter((op) => !names.includes(op)), 'operations without an example in docs/api.md').toEqual([]);
    expect(ROUTES.filter((r) => !names.includes(r)), 'routes without an example').toEqual([]);
    expect(names.filter((n) => /^(Query|Mutation)\./.test(n) && !OPERATIONS.includes(n)), 'examples of operations the schema lacks').toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i), 'examples named twice').toEqual([]);
    // An example calls what it is named after.
    for (const e of EXAMPLES.filter((x) => /^(Query|Mutation)\./.test(x.name))) {
      expect(e.script, e.name).toMatch(new RegExp(`\\b${e.name.split('.')[1]}\\s*[({]`));
    }
  });

  describe.skipIf(!HAS_CURL)('run with curl against a started service, in page order', () => {
    const t = useTestApp({ ZHENGYIN_OIDC_ISSUER: provider.issuer, ZHENGYIN_OIDC_AUDIENCE: AUDIENCE });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-api-doc-'));
    const vars: Record<string, string> = {};
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    beforeAll(async () => {
      const { services, tokens } = t.app;
      await t.app.seedDemo();
      const org = { mspId: t.config.ledger.mspId };
      await services.ledger.ledger.setPolicy({
        admins: [org],
        writers: { realestate: [org, { ...org, attribute: { name: DEPARTMENT_WRITER_ATTRIBUTE, value: 'bdcdj' } }], fund: [org], licence: [org], accesslog: [org] },
      });
      const { licence, pdf } = await issueDemoLicence(services);
      // 林美华's own 缴存证明, for the renewal examples: her seeded licences have no end date.
      const fund = SEED_EXAMPLES.find((e) => e.typeCode === PROVIDENT_FUND_CERTIFICATE.code)!;
      const renewable = await services.licences.issue(OPERATOR, {
        type: fund.typeCode,
        departmentId: 'gjj',
        face: { ...fund.face, name: DEMO_APPLICANTS[0].name, idNumber: DEMO_APPLICANTS[0].code },
      });
      fs.writeFileSync(path.join(dir, 'licence.pdf'), pdf);
      await drained(t.db.pool);
      Object.assign(vars, {
        ZHENGYIN_URL: t.url.toString().replace(/\/$/, ''),
        DEPT_TOKEN: (await tokens.mint(OPERATOR, { departmentId: 'scjg', role: 'issuer' })).token,
        ADMIN_TOKEN: (await tokens.mint(OPERATOR, { departmentId: 'scjg', role: 'admin' })).token,
        REGISTRY_TOKEN: (await tokens.mint(OPERATOR, { departmentId: 'bdcdj', role: 'handler' })).token,
        APPLICANT_TOKEN: await provider.token(AUDIENCE, { claims: { id_number: DEMO_APPLICANTS[0].code } }),
        LICENCE_ID: licence.identifier,
        PAGE_TOKEN: new URL(licence.statusUrl).pathname.split('/').pop()!,
        SEAL_ID: (await services.seals.create(OPERATOR, { departmentId: 'scjg', title: '文档示例专用章' })).id,
        PDF: path.join(dir, 'licence.pdf'),
        FUND_TOKEN: (await tokens.mint(OPERATOR, { departmentId: 'gjj', role: 'issuer' })).token,
        RENEWABLE_ID: renewable.licence.identifier,
      });
    });

    it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s', async (name, example) => {
      const run = await bash(example.script, dir, vars);
      expect(run.stderr, `${name} wrote to stderr`).toBe('');
      expect(run.code, `${name} exited ${run.code}: ${run.stdout.slice(0, 500)}`).toBe(0);
      if (!/^(Query|Mutation)\./.test(name)) return;
      const body = JSON.parse(run.stdout) as { data?: Record<string, unknown> | null; errors?: unknown[] };
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      const field = name.split('.')[1]!;
      expect(body.data?.[field]).toBeTruthy();
      expect((body.data![field] as { __typename?: string }).__typename ?? '', 'a typed error as data').not.toMatch(/Error$/);
      Object.assign(vars, HANDED_ON[name]?.(body.data));
    });
  });
});

/** Runs `script` with bash (-eu, pipefail) in `cwd` with `vars` set, as a reader's shell would. */
function bash(script: string, cwd: string, vars: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      // --norc: bash reads bashrc when its stdin is a socket (as node's pipes are), taking it for rsh.
      ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script],
      { cwd, env: { PATH: process.env.PATH, HOME: os.homedir(), LANG: 'C.UTF-8', ...vars }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
