import { isEvidenceDomain, type EvidenceDomain } from '../../../ledger/index.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';
import { printJson } from './ledger-output.ts';

/** Which domain a bare key belongs to, from its form. */
export function domainOfKey(key: string): EvidenceDomain {
  if (key.startsWith('1.2.156.3005.2.')) return 'licence';
  if (/^\d{12}[GJZ][A-Z]\d{5}[FLQW]\d{8}$/.test(key)) return 'realestate';
  if (/^[0-9a-f]{64}$/.test(key)) return 'fund';
  return 'accesslog';
}

export const ledgerHistory: Command = {
  name: 'ledger history',
  summary: 'every version of a subject on the chain: licence identifier, 不动产单元号, account hash or log id',
  usage: 'KEY [--domain realestate|fund|licence|accesslog] [--json]',
  options: { domain: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const key = ctx.positionals[0]!;
    const { domain: given, json } = ctx.values as { domain?: string; json?: boolean };
    if (given !== undefined && !isEvidenceDomain(given)) throw new UsageError('--domain is one of realestate, fund, licence, accesslog');
    const domain = given ?? domainOfKey(key);
    return withApp(ctx, async (app) => {
      const versions = [];
      for await (const v of app.services.ledger.ledger.history({ domain, key })) versions.push(v);
      if (json) printJson(ctx, { domain, key, versions });
      else if (versions.length === 0) ctx.stdout.write(`no ${domain} records for ${key}\n`);
      else {
        ctx.stdout.write(`${domain} ${key}: ${versions.length} version(s)\n`);
        for (const [i, v] of versions.entries()) {
          const r = v.record;
          ctx.stdout.write(`  #${i + 1}  ${v.timestamp.toISOString()}  ${r ? `${r.type}  evidence ${r.evidenceId}` : 'deleted'}  tx ${v.transactionId}\n`);
        }
      }
      return versions.length > 0 ? ExitCode.ok : ExitCode.failure;
    });
  },
};
