import { ExitCode, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';
import { formatAge, printFields, printJson } from './ledger-output.ts';

export const ledgerStatus: Command = {
  name: 'ledger status',
  summary: 'ledger mode and height, and the outbox: pending records and the age of the oldest',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    return withApp(ctx, async (app) => {
      const status = await app.services.ledger.status();
      if (ctx.values.json) {
        printJson(ctx, status);
        return ExitCode.ok;
      }
      printFields(ctx, [
        ['mode', status.mode],
        ['where', app.services.ledger.describe()],
        ['height', `${status.height} block(s)`],
        ['pending', `${status.pending} record(s)${status.failing ? `, ${status.failing} failing` : ''}`],
        ['oldest pending', status.pending ? formatAge(status.oldestPendingAgeMs) : undefined],
        ['last error', status.lastError],
        ['anchored', `${status.anchored} record(s)`],
      ]);
      return ExitCode.ok;
    });
  },
};
