import fs from 'node:fs';
import { InvalidInputError } from '../../../common/index.ts';
import type { WriterPolicy } from '../../../ledger/index.ts';
import { ExitCode, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';
import { printJson } from './ledger-output.ts';

export const ledgerPolicy: Command = {
  name: 'ledger policy',
  summary: 'show the writer policy on the chain, or replace it (--set F.json; the first one initialises a Fabric channel)',
  usage: '[--set F.json]',
  options: { set: { type: 'string' } },
  async run(ctx) {
    const file = ctx.values.set as string | undefined;
    let policy: WriterPolicy | undefined;
    if (file) {
      try {
        policy = JSON.parse(fs.readFileSync(file, 'utf8')) as WriterPolicy;
      } catch (cause) {
        throw new InvalidInputError({ field: 'set', message: `${file}: ${(cause as Error).message}`, cause });
      }
    }
    return withApp(ctx, async (app) => {
      const { ledger } = app.services.ledger;
      if (policy) {
        const { transactionId, blockNumber } = await ledger.setPolicy(policy);
        ctx.stdout.write(`writer policy replaced in transaction ${transactionId} (block ${blockNumber})\n`);
      }
      const current = await ledger.getPolicy();
      if (!current) {
        ctx.stdout.write('no writer policy on the chain: nobody can write evidence until one is set (ledger policy --set F.json)\n');
        return ExitCode.failure;
      }
      printJson(ctx, current);
      return ExitCode.ok;
    });
  },
};
