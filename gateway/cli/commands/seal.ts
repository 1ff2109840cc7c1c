import { documentFormatOf, InvalidInputError } from '../../../common/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { readInputFile } from '../input.ts';
import { writeOutputFile } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';

export const sealApply: Command = {
  name: 'seal apply',
  summary: 'stamp a seal on any PDF (a visible PAdES B-T signature) or OFD (a GB/T 38540 seal, with an SM2 seal); earlier signatures stay valid',
  usage:
    '--seal ID --in A.pdf|A.ofd --out B.pdf|B.ofd ([--page N] [--x X --y Y] [--width W] [--allow-new-field] | --field NAME)   (the format is told by the bytes; page from 1; default: lower right of the last page. PDF: x, y, width in points from the lower-left corner of the page as it shows, turned pages included; --field: into the form\'s own unsigned signature field of that name; a certified document takes a seal only into such a field, unless --allow-new-field, which Acrobat accepts and pyHanko rejects. OFD: an SM2 seal; x, y, width in millimetres from the top-left corner of the page, by default past the stamps already there)',
  options: {
    seal: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    page: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    width: { type: 'string' },
    field: { type: 'string' },
    'allow-new-field': { type: 'boolean' },
    ...actorOption,
  },
  async run(ctx) {
    const v = ctx.values as Record<string, string | undefined>;
    for (const flag of ['seal', 'in', 'out']) if (!v[flag]) throw new UsageError(`--${flag} is required`);
    const input = readInputFile(v.in!, { field: 'in' });
    const numbers = Object.fromEntries(
      (['page', 'x', 'y', 'width'] as const).filter((k) => v[k] !== undefined).map((k) => [k, parseNumber(k, v[k]!)]),
    ) as Partial<Record<'page' | 'x' | 'y' | 'width', number>>;
    if ((numbers.x === undefined) !== (numbers.y === undefined)) throw new UsageError('give both --x and --y, or neither');
    const allowNewField = ctx.values['allow-new-field'] === true;
    if (v.field !== undefined && (Object.keys(numbers).length > 0 || allowNewField)) throw new UsageError('--field gives the place itself: no --page, --x, --y, --width or --allow-new-field with it');
    if (documentFormatOf(input) === 'ofd') {
      if (v.field !== undefined || allowNewField) throw new UsageError('an OFD has no signature fields: no --field or --allow-new-field; place the seal with --page, --x, --y (mm)');
      const { page, ...mm } = numbers;
      if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new InvalidInputError({ field: 'page', message: '--page: pages are numbered from 1' });
      const sealed = await withApp(ctx, (app) => app.services.seals.applyOfd(OPERATOR, v.seal!, input, { ...mm, ...(page !== undefined ? { page: page - 1 } : {}) }), {
        action: 'seal.apply',
        targets: [v.seal!],
      });
      writeOutputFile(v.out!, sealed);
      ctx.stdout.write(`sealed with ${v.seal}: ${v.out} (OFD, ${sealed.length} bytes)\n`);
      return ExitCode.ok;
    }
    const out = await withApp(ctx, async (app) => {
      const seal = await app.services.seals.get(v.seal!);
      // Loaded here: help must load nothing of the service.
      const { placeSeal } = await import('../../services/seals/placement.ts');
      const placement = v.field !== undefined ? { field: v.field } : { ...(await placeSeal(input, seal, numbers)), allowNewField };
      return app.services.seals.apply(OPERATOR, seal.id, input, placement, app.services.pki.timestampAuthority());
    }, { action: 'seal.apply', targets: [v.seal!] });
    writeOutputFile(v.out!, out);
    ctx.stdout.write(`sealed with ${v.seal}: ${v.out} (${out.length} bytes)\n`);
    return ExitCode.ok;
  },
};

export const sealList: Command = {
  name: 'seal list',
  summary: 'list seals with their state and validity',
  usage: '[--department D]',
  options: { department: { type: 'string' } },
  async run(ctx) {
    const seals = await withApp(ctx, (app) => app.services.seals.list(ctx.values.department as string | undefined));
    for (const s of seals) {
      ctx.stdout.write(`${s.id}  ${s.state.padEnd(9)}  ${s.validFrom.toISOString().slice(0, 10)}..${s.validTo.toISOString().slice(0, 10)}  ${s.departmentId}  ${s.name}\n`);
    }
    if (seals.length === 0) ctx.stdout.write('no seals\n');
    return ExitCode.ok;
  },
};

/** `--algorithm` values: the key of the seal's new certificate. */
const SEAL_ALGORITHMS: Readonly<Record<string, 'EC-P256' | 'SM2'>> = { 'ec-p256': 'EC-P256', sm2: 'SM2' };

export const sealCreate: Command = {
  name: 'seal create',
  summary: 'make a seal for a department (picture, signing certificate, maker-signed GB/T 38540 SES_Seal)',
  usage: '--department D [--title 行政审批专用章] [--days N] [--certificate CERT_ID | --algorithm ec-p256|sm2]   (sm2: the certificate under the department\'s SM2 CA and SM2 root, the SES_Seal signed SM2-with-SM3; such a seal signs OFD, not PDF)',
  options: { department: { type: 'string' }, title: { type: 'string' }, days: { type: 'string' }, certificate: { type: 'string' }, algorithm: { type: 'string' }, ...actorOption },
  async run(ctx) {
    const v = ctx.values as Record<string, string | undefined>;
    if (!v.department) throw new UsageError('--department is required');
    const algorithm = v.algorithm === undefined ? undefined : SEAL_ALGORITHMS[v.algorithm.toLowerCase()];
    if (v.algorithm !== undefined && !algorithm) throw new UsageError(`--algorithm: one of ${Object.keys(SEAL_ALGORITHMS).join(', ')}`);
    if (algorithm && v.certificate) throw new UsageError('--certificate binds an existing certificate: no --algorithm with it');
    const seal = await withApp(ctx, (app) =>
      app.services.seals.create(OPERATOR, {
        departmentId: v.department!,
        ...(v.title ? { title: v.title } : {}),
        ...(v.days ? { validDays: parseNumber('days', v.days) } : {}),
        ...(v.certificate ? { certificateId: v.certificate } : {}),
        ...(algorithm ? { algorithm } : {}),
      }),
      { action: 'seal.create', targets: [v.department], targetsOf: (s) => [s.id] },
    );
    ctx.stdout.write(`${seal.id}  ${seal.name}  valid until ${seal.validTo.toISOString()}${seal.algorithm === 'SM2' ? '  (SM2)' : ''}\n`);
    return ExitCode.ok;
  },
};

function stateCommand(name: 'revoke' | 'suspend' | 'resume'): Command {
  return {
    name: `seal ${name}`,
    summary: name === 'revoke' ? 'revoke a seal for good (and its certificate)' : name === 'suspend' ? 'suspend a seal until resumed' : 'resume a suspended seal',
    usage: name === 'resume' ? 'SEAL_ID' : 'SEAL_ID --reason TEXT',
    options: name === 'resume' ? { ...actorOption } : { reason: { type: 'string' }, ...actorOption },
    positionals: { min: 1, max: 1 },
    async run(ctx) {
      const id = ctx.positionals[0]!;
      const reason = ctx.values.reason as string | undefined;
      if (name !== 'resume' && !reason) throw new UsageError('--reason is required');
      const seal = await withApp(ctx, (app) =>
        name === 'resume' ? app.services.seals.resume(OPERATOR, id) : app.services.seals[name](OPERATOR, id, reason!),
      { action: `seal.${name}`, targets: [id] },
      );
      ctx.stdout.write(`${seal.id} is ${seal.state}\n`);
      return ExitCode.ok;
    },
  };
}

export const sealRevoke = stateCommand('revoke');
export const sealSuspend = stateCommand('suspend');
export const sealResume = stateCommand('resume');

function parseNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidInputError({ field: flag, message: `--${flag}: not a non-negative number: "${text}"` });
  return n;
}

export const commands: readonly Command[] = [sealApply, sealList, sealCreate, sealSuspend, sealResume, sealRevoke];
