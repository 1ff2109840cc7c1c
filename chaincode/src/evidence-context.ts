import { Context } from 'fabric-contract-api';

/**
 * The transaction context with a read-your-writes cache. Fabric's GetState returns the
 * committed value, never this transaction's own PutState, so a batch that records two
 * events for one subject (or registers a unit and then a loan on it) must look here first.
 */
export class EvidenceContext extends Context {
  readonly #pending = new Map<string, Uint8Array>();

  async read(key: string): Promise<Uint8Array | undefined> {
    const own = this.#pending.get(key);
    if (own) return own;
    const committed = await this.stub.getState(key);
    return committed && committed.length > 0 ? committed : undefined;
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.read(key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
  }

  async write(key: string, value: Uint8Array): Promise<void> {
    this.#pending.set(key, value);
    await this.stub.putState(key, value);
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    await this.write(key, Buffer.from(JSON.stringify(value), 'utf8'));
  }
}
