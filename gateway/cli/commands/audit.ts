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

export const auditVerify: Command = {
  name: 'audit verify',
  summary: 'recompute the access log’s hash chain and check it against the heads anchored on the ledger; exit 1 naming the first broken entry',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const verdict = await withApp(ctx, (app) => app.services.accessLog.verify(OPERATOR));
    if (ctx.values.json) printJson(ctx, verdict);
    else if (verdict.firstBreak) {
      const { sequence, kind, detail } = verdict.firstBreak;
      ctx.stdout.write(`access log BROKEN at entry ${sequence} [${kind}]: ${detail}\n`);
      ctx.stdout.write(`entries before it verified: ${Math.max(0, sequence - 1)}; anchors matched: ${verdict.anchorsChecked}\n`);
    } else {
      const { sequence, entryHash } = verdict.head;
      ctx.stdout.write(`access log intact: ${verdict.entries} entries, head ${sequence} ${entryHash}\n`);
      ctx.stdout.write(`anchors on the ledger matched: ${verdict.anchorsChecked}, the last at entry ${verdict.lastAnchoredSequence}`);
      ctx.stdout.write(sequence > verdict.lastAnchoredSequence ? ` (entries ${verdict.lastAnchoredSequence + 1}-${sequence} not anchored yet)\n` : '\n');
    }
    return verdict.ok ? ExitCode.ok : ExitCode.failure;
  },
};

export const commands: readonly Command[] = [auditList, auditVerify];
