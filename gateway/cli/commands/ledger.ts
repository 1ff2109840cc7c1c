import type { EvidenceDomain, WriterPolicy } from '../../../ledger/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { readJson, readJsonObject } from '../input.ts';
import { formatAge, printFields, printJson } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';

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
    ...actorOption,
  },
  async run(ctx) {
    const { type, data: file, id, wait = '30', json } = ctx.values as { type?: string; data?: string; id?: string; wait?: string; json?: boolean };
    if (!type || !file) throw new UsageError('--type and --data are required');
    const waitMs = Number(wait) * 1000;
    if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError('--wait is a number of seconds');
    const data = readJsonObject(file, 'data', "the record's fields");
    return withApp(ctx, async (app) => {
      const entry = await app.services.ledger.record(OPERATOR, { type, data, ...(id ? { evidenceId: id } : {}) }, waitMs);
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
    }, { action: 'ledger.record', targets: [type, ...(id ? [id] : [])] });
  },
};

/** Which domain a bare key belongs to, from its form. */
export function domainOfKey(key: string): EvidenceDomain {
  if (key.startsWith('1.2.156.3005.2.')) return 'licence';
  if (/^\d{12}[GJZ][A-Z]\d{5}[FLQW]\d{8}$/.test(key)) return 'realestate';
  if (/^[0-9a-f]{64}$/.test(key)) return 'fund';
  if (/^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/.test(key)) return 'project';
  return 'accesslog';
}

export const ledgerHistory: Command = {
  name: 'ledger history',
  summary: 'every version of a subject on the chain: licence identifier, 不动产单元号, account hash or log id',
  usage: 'KEY [--domain realestate|fund|licence|accesslog|project] [--json]',
  options: { domain: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const key = ctx.positionals[0]!;
    const { domain: given, json } = ctx.values as { domain?: string; json?: boolean };
    const { isEvidenceDomain } = await import('../../../ledger/index.ts');
    if (given !== undefined && !isEvidenceDomain(given)) throw new UsageError('--domain is one of realestate, fund, licence, accesslog, project');
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

export const ledgerPolicy: Command = {
  name: 'ledger policy',
  summary: 'show the writer policy on the chain, or replace it (--set F.json; the first one initialises a Fabric channel)',
  usage: '[--set F.json]',
  options: { set: { type: 'string' } },
  async run(ctx) {
    const file = ctx.values.set as string | undefined;
    const policy = file ? (readJson(file, 'set') as WriterPolicy) : undefined;
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

export const commands: readonly Command[] = [ledgerRecord, ledgerHistory, ledgerVerify, ledgerStatus, ledgerPolicy];
