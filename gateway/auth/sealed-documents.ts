import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../prisma/generated/client.ts';

export interface SealedDocumentsOptions {
  readonly prisma: PrismaClient;
  /** AES-256 key for the documents at rest (32 bytes; the app derives it from the KEK). */
  readonly key: Uint8Array;
  /** How long a sealed PDF is kept; match the download links' lifetime. @default 300 s */
  readonly ttlSeconds?: number;
  /** Bytes kept at most, all documents together; the oldest go first. @default 256 MiB */
  readonly maxBytes?: number;
  /** @default () => Date.now() */
  readonly now?: () => number;
}

const NONCE = 12;
const TAG = 16;

/**
 * PDFs sealed on request (GraphQL `applySeal`), kept until their signed download link
 * expires, in PostgreSQL so that whichever gateway process the link reaches can serve it
 * (DESIGN.md: the gateway holds no state of its own). The caller's document is theirs, not a
 * record of ours: it is stored encrypted (AES-256-GCM under a key derived from the KEK, so
 * a database dump alone does not show it), read only through its unguessable id, and
 * deleted once expired: each `put` sweeps expired rows and then the oldest until all rows
 * together fit `maxBytes`.
 */
export class SealedDocuments {
  readonly #prisma: PrismaClient;
  readonly #key: Uint8Array;
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;

  constructor(options: Readonly<SealedDocumentsOptions>) {
    if (options.key.length !== 32) throw new RangeError('SealedDocuments: key must be 32 bytes');
    this.#prisma = options.prisma;
    this.#key = options.key;
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  /** Keeps a sealed PDF; resolves to the unguessable id its download link names. */
  async put(bytes: Uint8Array): Promise<string> {
    if (bytes.length > this.#maxBytes) throw new RangeError(`a sealed document of ${bytes.length} bytes is over the store's ${this.#maxBytes}`);
    const now = this.#now();
    await this.sweep();
    // Keep the newest rows that fit beside this one; delete the rest, oldest first.
    await this.#prisma.$executeRaw`
      DELETE FROM sealed_document WHERE id IN (
        SELECT id FROM (SELECT id, SUM(size) OVER (ORDER BY created_at DESC, id DESC) AS newer FROM sealed_document) kept
        WHERE newer > ${this.#maxBytes - bytes.length})`;
    const id = randomUUID();
    await this.#prisma.sealedDocument.create({
      data: { id, ciphertext: this.#seal(id, bytes), size: bytes.length, createdAt: new Date(now), expiresAt: new Date(now + this.#ttlMs) },
    });
    return id;
  }

  /** The sealed PDF, or undefined once expired or pushed out. */
  async get(id: string): Promise<Uint8Array | undefined> {
    const row = await this.#prisma.sealedDocument.findUnique({ where: { id }, select: { ciphertext: true, expiresAt: true } });
    if (!row || row.expiresAt.getTime() <= this.#now()) return undefined;
    return this.#open(id, row.ciphertext);
  }

  /** Deletes every expired document. */
  async sweep(): Promise<number> {
    const { count } = await this.#prisma.sealedDocument.deleteMany({ where: { expiresAt: { lte: new Date(this.#now()) } } });
    return count;
  }

  #seal(id: string, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce).setAAD(Buffer.from(id));
    const out = Buffer.concat([nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
    return new Uint8Array(out.buffer, out.byteOffset, out.length) as Uint8Array<ArrayBuffer>;
  }

  #open(id: string, sealed: Uint8Array): Uint8Array {
    const nonce = sealed.subarray(0, NONCE);
    const tag = sealed.subarray(sealed.length - TAG);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce).setAAD(Buffer.from(id)).setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]));
  }
}
