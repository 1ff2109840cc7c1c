export { KeyEncryptionKey } from './kek.ts';
export { KeyStore, MemoryKeyStorage, type KeyStorage, type StoredKey, type KeyHandle } from './key-store.ts';
export { KekMismatchError, KeyUnsealError, KeyNotFoundError, InvalidKekError } from './errors.ts';
