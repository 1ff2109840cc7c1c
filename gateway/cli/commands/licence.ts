import { InvalidInputError } from '../../../common/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { writeOutputFile } from '../output.ts';
import { withApp } from '../with-app.ts';

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
  usage: 'IDENTIFIER --reason TEXT',
  options: { reason: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const reason = ctx.values.reason as string | undefined;
    if (!reason) throw new UsageError('--reason is required');
    if (reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: at most 200 characters' });
    const licence = await withApp(ctx, (app) => app.services.licences.revoke(OPERATOR, ctx.positionals[0]!, reason));
    ctx.stdout.write(`${licence.identifier} is ${licence.status}\n`);
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [licenceShow, licenceRevoke];
