import { ExitCode, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';
import { printJson } from './ledger-output.ts';

export const ledgerVerify: Command = {
  name: 'ledger verify',
  summary: 'which records on the chain contain a document hash, and (embedded) whether their inclusion proofs verify',
  usage: 'SHA256 [--json]',
  options: { json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const hash = ctx.positionals[0]!;
    return withApp(ctx, async (app) => {
      const found = await app.services.ledger.verifyDocument(hash);
      const proven = found.every((f) => f.proof === undefined || f.proof.valid);
      if (ctx.values.json) printJson(ctx, found);
      else if (found.length === 0) ctx.stdout.write(`not anchored: no record on the chain contains ${hash.toLowerCase()}\n`);
      else {
        ctx.stdout.write(`${found.length} record(s) contain ${hash.toLowerCase()}\n`);
        for (const f of found) {
          const proof = f.proof === undefined ? 'no proof (Fabric: trust the peer)' : f.proof.valid ? 'inclusion proof VALID (signed by the node key)' : `inclusion proof INVALID: ${f.proof.problem} ${f.proof.detail ?? ''}`;
          ctx.stdout.write(`  ${f.record.type}  evidence ${f.record.evidenceId}  block ${f.blockNumber ?? '?'}  tx ${f.record.txId}\n    ${proof}\n`);
        }
      }
      return found.length > 0 && proven ? ExitCode.ok : ExitCode.failure;
    });
  },
};
