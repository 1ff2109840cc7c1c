/**
 * Sealed PDFs wait for their download in PostgreSQL, not in one process's memory: any
 * gateway process serves the link; they are encrypted at rest, expire, and all together
 * stay under a byte bound.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedDocuments } from '../../gateway/auth/sealed-documents.ts';
import { useTestDatabase } from '../support/database.ts';

describe('SealedDocuments', () => {
  const t = useTestDatabase();
  const key = randomBytes(32);
  const pdf = (n: number, fill = 0x41) => new Uint8Array(n).fill(fill);

  it('serves a document one process kept from another process over the same database', async () => {
    const one = new SealedDocuments({ prisma: t.db.prisma, key });
    const other = new SealedDocuments({ prisma: t.db.prisma, key });
    const bytes = new TextEncoder().encode('%PDF-1.7 sealed by one gateway');

    const id = await one.put(bytes);

    expect(await other.get(id)).toEqual(bytes);
    expect(await other.get(crypto.randomUUID())).toBeUndefined();
  });

  it('keeps the document encrypted: the row shows no plaintext, and another key cannot read it', async () => {
    const store = new SealedDocuments({ prisma: t.db.prisma, key });
    const bytes = new TextEncoder().encode('%PDF-1.7 林美华 350203198507151235');
    const id = await store.put(bytes);

    const row = await t.db.prisma.sealedDocument.findUniqueOrThrow({ where: { id } });
    expect(Buffer.from(row.ciphertext).includes(Buffer.from('350203198507151235'))).toBe(false);
    await expect(new SealedDocuments({ prisma: t.db.prisma, key: randomBytes(32) }).get(id)).rejects.toThrow();
  });

  it('forgets a document when its time is up, and the next put sweeps it from the table', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    const store = new SealedDocuments({ prisma: t.db.prisma, key, ttlSeconds: 60, now: () => now });
    const id = await store.put(pdf(100));
    now += 59_000;
    expect(await store.get(id)).toEqual(pdf(100));

    now += 1_000;
    expect(await store.get(id)).toBeUndefined();
    await store.put(pdf(10));
    expect(await t.db.prisma.sealedDocument.findUnique({ where: { id } })).toBeNull();
  });

  it('keeps all documents together under maxBytes, pushing out the oldest first', async () => {
    await t.db.prisma.sealedDocument.deleteMany();
    let now = Date.parse('2026-12-06T11:00:00Z');
    const store = new SealedDocuments({ prisma: t.db.prisma, key, maxBytes: 1000, now: () => (now += 1000) });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await store.put(pdf(400, 0x30 + i)));

    const kept = await t.db.prisma.sealedDocument.findMany({ select: { id: true, size: true } });
    expect(kept.reduce((n, r) => n + r.size, 0)).toBeLessThanOrEqual(1000);
    expect(await store.get(ids[0]!)).toBeUndefined();
    expect(await store.get(ids[1]!)).toBeUndefined();
    expect(await store.get(ids[2]!)).toEqual(pdf(400, 0x32));
    expect(await store.get(ids[3]!)).toEqual(pdf(400, 0x33));
    await expect(store.put(pdf(1001))).rejects.toThrow(RangeError);
  });
});
