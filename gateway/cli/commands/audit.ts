import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, UsageError, type Command } from '../command.ts';
import { printJson } from '../output.ts';
import { withApp } from '../with-app.ts';

export const auditList: Command = {
  name: 'audit list',
  summary: 'show the audit trail: who changed state with which command, on what, and the outcome',
  usage: '[--action ACTION] [--limit N] [--json]',
  options: { action: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const limit = stringOption(ctx, 'limit');
    if (limit !== undefined && !/^[1-9]\d{0,3}$/.test(limit)) throw new UsageError('--limit: a whole number from 1 to 1000');
    const action = stringOption(ctx, 'action');
    const entries = await withApp(ctx, (app) => app.services.audit.list(OPERATOR, { ...(action ? { action } : {}), ...(limit ? { limit: Number(limit) } : {}) }));
    if (ctx.values.json) {
      printJson(ctx, entries);
      return ExitCode.ok;
    }
    if (entries.length === 0) ctx.stdout.write('the audit trail is empty\n');
    for (const e of entries) {
      ctx.stdout.write(`${e.at.toISOString()}  ${e.actorKind}:${e.actorName}  ${e.action}  ${e.targets.join(',') || '-'}  ${e.outcome}\n`);
    }
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [auditList];
