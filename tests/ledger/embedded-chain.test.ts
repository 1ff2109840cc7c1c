import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyInclusionProof, type InclusionProof, type ProvingLedger } from '../../ledger/index.ts';
import { encodeHeader, headerHash, keyId, type BlockHeader } from '../../ledger/embedded/format.ts';
import { useEmbeddedLedger } from './use-embedded-ledger.ts';
import { fundEvent, licenceIssued, registration } from './fixtures.ts';

describe('the embedded chain', () => {
  const t = useEmbeddedLedger({ maxTransactionsPerBlock: 4, batchTimeoutMs: 1000 });
  let ledger: ProvingLedger;
  let proof: InclusionProof;
  const licence = licenceIssued();

  beforeAll(async () => {
    ledger = t.ledger;
    // Several blocks, several transactions per block (cut by count).
    await Promise.all([registration(), fundEvent(), registration(), licence].map((r) => ledger.anchor(r)));
    await Promise.all([registration(), fundEvent(), fundEvent()].map((r) => ledger.anchor(r)));
    proof = await ledger.prove((await ledger.get(licence.evidenceId))!.txId);
  });

  const sql = (text: string, values: unknown[] = []) => t.db.pool.query(text, values);

  it('chains every block to the previous one by header hash, each signed by the node key', async () => {
    const { rows } = await sql('SELECT number, header, header_hash, previous_hash FROM ledger_block ORDER BY number');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    rows.forEach((r, i) => {
      const header = JSON.parse(r.header.toString()) as BlockHeader;
      expect(header.number).toBe(String(i));
      expect(headerHash(header)).toBe(r.header_hash);
      expect(r.previous_hash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1].header_hash);
      expect(header.signerKeyId).toBe(keyId(ledger.nodePublicKey));
    });
    const verdict = await ledger.verifyChain();
    expect(verdict).toMatchObject({ valid: true, problems: [], height: BigInt(rows.length) });
  });

  it('cuts a block when it holds maxTransactionsPerBlock transactions', async () => {
    const { rows } = await sql('SELECT block_number, count(*)::int AS n FROM ledger_transaction GROUP BY block_number ORDER BY block_number');
    expect(rows.some((r) => r.n === 4)).toBe(true);
    expect(rows.every((r) => r.n <= 4)).toBe(true);
  });

  describe('inclusion proofs', () => {
    it('verifies, names the records the transaction wrote, and survives a JSON round trip', () => {
      const copy = JSON.parse(JSON.stringify(proof)) as InclusionProof;
      const verdict = verifyInclusionProof(copy, { trustedSigners: [ledger.nodePublicKey] });
      expect(verdict).toMatchObject({ valid: true, validationCode: 'VALID', blockNumber: proof.blockNumber });
      expect(verdict.records.map((r) => r.evidenceId)).toEqual([licence.evidenceId]);
    });

    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherPem = otherKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const flip = (b64: string, at: (n: number) => number) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[at(bytes.length)]! ^= 0x01;
      return bytes.toString('base64');
    };
    const cases: [string, (p: InclusionProof) => InclusionProof, string, string[]?][] = [
      ['one byte of the entry changed', (p) => ({ ...p, entry: flip(p.entry, (n) => Math.floor(n / 2)) }), 'NOT_IN_BLOCK'],
      [
        'a sibling hash of the audit path changed',
        (p) => ({ ...p, auditPath: p.auditPath.map((h, i) => (i === 0 ? (h[0] === 'a' ? 'b' : 'a') + h.slice(1) : h)) }),
        'NOT_IN_BLOCK',
      ],
      ['another position claimed', (p) => ({ ...p, index: (p.index + 1) % p.treeSize }), 'NOT_IN_BLOCK'],
      ['the header’s data hash changed', (p) => ({ ...p, header: { ...p.header, dataHash: '0'.repeat(64) } }), 'NOT_IN_BLOCK'],
      ['the header’s time changed', (p) => ({ ...p, header: { ...p.header, time: new Date(0).toISOString() }, headerHash: headerHash({ ...p.header, time: new Date(0).toISOString() }) }), 'SIGNATURE_INVALID'],
      ['the signature changed', (p) => ({ ...p, signature: flip(p.signature, (n) => n - 1) }), 'SIGNATURE_INVALID'],
      ['another transaction id claimed', (p) => ({ ...p, transactionId: 'f'.repeat(64) }), 'TRANSACTION_MISMATCH'],
      [
        're-signed by another key',
        (p) => {
          const header = { ...p.header, signerKeyId: keyId(otherPem) };
          return { ...p, header, headerHash: headerHash(header), signerPublicKey: otherPem, signature: sign('sha256', encodeHeader(header), otherKey.privateKey).toString('base64') };
        },
        'UNTRUSTED_SIGNER',
      ],
      ['signed by a key the header does not name', (p) => ({ ...p, signerPublicKey: otherPem }), 'SIGNER_MISMATCH'],
      ['not JSON-shaped at all', (p) => ({ ...p, auditPath: ['zz'] }), 'MALFORMED'],
    ];
    it.each(cases)('fails when %s', (_name, tamper, problem) => {
      const verdict = verifyInclusionProof(tamper(structuredClone(proof)), { trustedSigners: [ledger.nodePublicKey] });
      expect(verdict.valid).toBe(false);
      expect(verdict.problem).toBe(problem);
    });

    it('without trusted signers shows integrity but accepts any consistent key', () => {
      const header = { ...proof.header, signerKeyId: keyId(otherPem) };
      const forged = { ...proof, header, headerHash: headerHash(header), signerPublicKey: otherPem, signature: sign('sha256', encodeHeader(header), otherKey.privateKey).toString('base64') };
      expect(verifyInclusionProof(forged).valid).toBe(true);
      expect(verifyInclusionProof(forged, { trustedSigners: [ledger.nodePublicKey] }).problem).toBe('UNTRUSTED_SIGNER');
    });
  });

  describe('tampering with what is stored', () => {
    // Each case changes the database, checks that verifyChain names the damage, and undoes it.
    interface Target {
      readonly key: Buffer;
      readonly txId: string;
      readonly block: bigint;
    }
    type Step = (t: Target) => Promise<unknown>;
    const update = (text: string, param: (t: Target) => unknown): Step => (t) => sql(text, [param(t)]);
    let removed: { key: Buffer; value: Buffer; block_number: string; tx_index: number } | undefined;
    const cases: [string, string, Step, Step][] = [
      [
        'a world-state record rewritten',
        'STATE_MISMATCH',
        update(`UPDATE ledger_state SET value = convert_to(replace(convert_from(value, 'UTF8'), '"version":1', '"version":2'), 'UTF8') WHERE key = $1`, (t) => t.key),
        update(`UPDATE ledger_state SET value = convert_to(replace(convert_from(value, 'UTF8'), '"version":2', '"version":1'), 'UTF8') WHERE key = $1`, (t) => t.key),
      ],
      [
        'a world-state record deleted',
        'STATE_MISMATCH',
        async (t) => {
          removed = (await sql('DELETE FROM ledger_state WHERE key = $1 RETURNING *', [t.key])).rows[0];
        },
        () => sql('INSERT INTO ledger_state VALUES ($1, $2, $3, $4, $5)', ['zhengyin', removed!.key, removed!.value, removed!.block_number, removed!.tx_index]),
      ],
      [
        'a history row changed',
        'HISTORY_MISMATCH',
        update("UPDATE ledger_history SET value = value || '\\x20'::bytea WHERE key = $1", (t) => t.key),
        update('UPDATE ledger_history SET value = substring(value FROM 1 FOR length(value) - 1) WHERE key = $1', (t) => t.key),
      ],
      [
        'a transaction entry changed',
        'DATA_HASH_MISMATCH',
        update("UPDATE ledger_transaction SET entry = entry || '\\x20'::bytea WHERE tx_id = $1", (t) => t.txId),
        update('UPDATE ledger_transaction SET entry = substring(entry FROM 1 FOR length(entry) - 1) WHERE tx_id = $1', (t) => t.txId),
      ],
      [
        'a validation code flipped',
        'TRANSACTION_MISMATCH',
        update("UPDATE ledger_transaction SET validation_code = 'MVCC_READ_CONFLICT' WHERE tx_id = $1", (t) => t.txId),
        update("UPDATE ledger_transaction SET validation_code = 'VALID' WHERE tx_id = $1", (t) => t.txId),
      ],
      [
        'a block’s data hash column changed',
        'HEADER_MISMATCH',
        update('UPDATE ledger_block SET data_hash = reverse(data_hash) WHERE number = $1', (t) => t.block),
        update('UPDATE ledger_block SET data_hash = reverse(data_hash) WHERE number = $1', (t) => t.block),
      ],
      [
        'a block’s signature changed',
        'SIGNATURE_INVALID',
        update('UPDATE ledger_block SET signature = set_byte(signature, 10, get_byte(signature, 10) # 1) WHERE number = $1', (t) => t.block),
        update('UPDATE ledger_block SET signature = set_byte(signature, 10, get_byte(signature, 10) # 1) WHERE number = $1', (t) => t.block),
      ],
      [
        'a chaincode event changed',
        'EVENT_MISMATCH',
        update("UPDATE ledger_event SET event_name = 'Forged' WHERE tx_id = $1", (t) => t.txId),
        update("UPDATE ledger_event SET event_name = 'EvidenceRecorded' WHERE tx_id = $1", (t) => t.txId),
      ],
    ];
    it.each(cases)('detects %s', async (_name, kind, tamper, restore) => {
      const stored = (await ledger.get(licence.evidenceId))!;
      const target: Target = { key: Buffer.from(`\u0000evidence\u0000${licence.evidenceId}\u0000`), txId: stored.txId, block: (await ledger.blockOf(stored.txId))! };
      await tamper(target);
      try {
        const verdict = await ledger.verifyChain();
        expect(verdict.valid).toBe(false);
        expect(verdict.problems.map((p) => p.kind)).toContain(kind);
      } finally {
        await restore(target);
      }
      expect((await ledger.verifyChain()).problems).toEqual([]);
    });

    it('detects a block removed from the middle of the chain', async () => {
      const client = await t.db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('CREATE TEMP TABLE b ON COMMIT DROP AS SELECT * FROM ledger_block WHERE number = 1');
        await client.query('DELETE FROM ledger_block WHERE number = 1');
        // verifyChain reads through the pool, outside this transaction: commit the damage, then repair it.
        await client.query('CREATE TABLE removed_block AS SELECT * FROM b');
        await client.query('COMMIT');
        const verdict = await ledger.verifyChain();
        expect(verdict.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['MISSING_BLOCK', 'PREVIOUS_HASH_MISMATCH']));
      } finally {
        await client.query('INSERT INTO ledger_block SELECT * FROM removed_block');
        await client.query('DROP TABLE removed_block');
        client.release();
      }
      expect((await ledger.verifyChain()).valid).toBe(true);
    });
  });
});
