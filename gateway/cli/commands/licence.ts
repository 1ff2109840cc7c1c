import { InvalidInputError } from '../../../common/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, UsageError, type Command } from '../command.ts';
import { printJson, writeOutputFile } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';
import { lifecycleCommands, pdfCommand } from './licence-lifecycle.ts';

export const licenceShow: Command = {
  name: 'licence show',
  summary: 'show a licence and its registry status',
  usage: 'IDENTIFIER [--out F.pdf]',
  options: { out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const identifier = ctx.positionals[0]!;
    const out = ctx.values.out as string | undefined;
    const { licence, pdf } = await withApp(ctx, async (app) => ({
      licence: await app.services.licences.get(OPERATOR, identifier),
      pdf: out ? await app.services.licences.document(OPERATOR, identifier) : undefined,
    }));
    if (out && pdf) writeOutputFile(out, pdf);
    ctx.stdout.write(JSON.stringify(licence, null, 2) + '\n');
    return ExitCode.ok;
  },
};

export const licenceRevoke: Command = {
  name: 'licence revoke',
  summary: 'revoke a licence (注销/吊销); its status page says so at once and the ledger records it',
  usage: 'IDENTIFIER --reason TEXT [--actor NAME]',
  options: { reason: { type: 'string' }, ...actorOption },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const reason = ctx.values.reason as string | undefined;
    if (!reason) throw new UsageError('--reason is required');
    if (reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: at most 200 characters' });
    const identifier = ctx.positionals[0]!;
    const licence = await withApp(ctx, (app) => app.services.licences.revoke(OPERATOR, identifier, reason), {
      action: 'licence.revoke',
      targets: [identifier],
    });
    ctx.stdout.write(`${licence.identifier} is ${licence.status}\n`);
    return ExitCode.ok;
  },
};

export const licencePdf = pdfCommand(
  'licence pdf',
  'write the signed PDF of an issued licence again (e.g. when writing it after issuing failed)',
  (app, identifier) => app.services.licences.document(OPERATOR, identifier),
);

export const licenceOfd: Command = {
  ...pdfCommand(
    'licence ofd',
    'write the SM2-sealed OFD of a licence issued as OFD (issue --format ofd|both) again',
    (app, identifier) => app.services.licences.ofdDocument(OPERATOR, identifier),
  ),
  usage: 'IDENTIFIER --out F.ofd',
};

export const licenceVoids: Command = {
  name: 'licence voids',
  summary: 'list serials consumed without a licence (作废), with the reason, newest first',
  usage: '[--type CODE] [--department D] [--limit N] [--json]',
  options: { type: { type: 'string' }, department: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const limit = stringOption(ctx, 'limit');
    if (limit !== undefined && !/^[1-9]\d{0,3}$/.test(limit)) throw new UsageError('--limit: a whole number from 1 to 1000');
    const typeCode = stringOption(ctx, 'type');
    const departmentId = stringOption(ctx, 'department');
    const voids = await withApp(ctx, (app) =>
      app.services.licences.voids(OPERATOR, {
        ...(typeCode ? { typeCode } : {}),
        ...(departmentId ? { departmentId } : {}),
        ...(limit ? { limit: Number(limit) } : {}),
      }),
    );
    if (ctx.values.json) {
      printJson(ctx, voids);
      return ExitCode.ok;
    }
    if (voids.length === 0) ctx.stdout.write('no void serials: every serial allocated is a licence\n');
    for (const v of voids) ctx.stdout.write(`${v.voidedAt.toISOString()}  ${v.identifier}  ${v.code}  ${v.reason}\n`);
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [licenceShow, licencePdf, licenceOfd, licenceRevoke, ...lifecycleCommands, licenceVoids];
