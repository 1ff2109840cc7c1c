import fs from 'node:fs';
import { InvalidInputError } from '../../../common/index.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';
import { OPERATOR } from '../../services/actor.ts';
import { printFields, printJson } from './ledger-output.ts';

export const ledgerRecord: Command = {
  name: 'ledger record',
  summary: 'record evidence through the outbox and wait for its anchor (personal identifiers are salted-hashed first)',
  usage: '--type TYPE --data F.json [--id EVIDENCE_ID] [--wait SECONDS] [--json]',
  options: {
    type: { type: 'string' },
    data: { type: 'string' },
    id: { type: 'string' },
    wait: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const { type, data: file, id, wait = '30', json } = ctx.values as { type?: string; data?: string; id?: string; wait?: string; json?: boolean };
    if (!type || !file) throw new UsageError('--type and --data are required');
    const waitMs = Number(wait) * 1000;
    if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError('--wait is a number of seconds');
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new InvalidInputError({ field: 'data', message: `${file}: ${(cause as Error).message}`, cause });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new InvalidInputError({ field: 'data', message: `${file} must hold one JSON object: the record's fields` });
    }
    return withApp(ctx, async (app) => {
      const entry = await app.services.ledger.record(OPERATOR, { type, data: data as Record<string, unknown>, ...(id ? { evidenceId: id } : {}) }, waitMs);
      if (json) printJson(ctx, entry);
      else if (entry.anchor) {
        ctx.stdout.write(`anchored ${entry.kind} ${entry.evidenceId}\n`);
        printFields(ctx, [
          ['transaction', entry.anchor.transactionId],
          ['block', entry.anchor.blockNumber],
          ['anchored at', entry.anchor.anchoredAt.toISOString()],
        ]);
      } else {
        ctx.stdout.write(`pending ${entry.kind} ${entry.evidenceId}: not anchored within ${wait} s; the outbox keeps it and retries\n`);
        printFields(ctx, [
          ['attempts', entry.attempts],
          ['last error', entry.lastError],
        ]);
      }
      return entry.anchor ? ExitCode.ok : ExitCode.unavailable;
    });
  },
};
