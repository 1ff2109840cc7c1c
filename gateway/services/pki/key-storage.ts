import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { isKeyAlgorithm, PkiInputError, type KeyStorage, type StoredKey } from '../../../signer/index.ts';
import { bytes } from '../../util.ts';

/** Sealed keys in the key_record table. */
export class PrismaKeyStorage implements KeyStorage {
  readonly #prisma: PrismaClient;

  constructor(options: Readonly<{ prisma: PrismaClient }>) {
    this.#prisma = options.prisma;
  }

  async insert(key: StoredKey): Promise<void> {
    await this.#prisma.keyRecord.create({
      data: { id: key.id, algorithm: key.algorithm, publicKey: bytes(key.publicKey), sealed: bytes(key.sealed), kekId: key.kekId },
    });
  }

  async get(id: string): Promise<StoredKey | undefined> {
    const row = await this.#prisma.keyRecord.findUnique({ where: { id } });
    if (!row) return undefined;
    if (!isKeyAlgorithm(row.algorithm)) {
      throw new PkiInputError({ field: 'key_record.algorithm', message: `key ${id} has an unknown algorithm "${row.algorithm}"` });
    }
    return { id: row.id, algorithm: row.algorithm, publicKey: new Uint8Array(row.publicKey), sealed: new Uint8Array(row.sealed), kekId: row.kekId };
  }
}
