// The front door of signer/: other folders import only from here.
export type {
  DigestAlgorithm,
  KeyAlgorithm,
  SigningKey,
  SigningIdentity,
  TimestampAuthority,
  ValidationMaterial,
  RevocationSource,
} from './types.ts';
export { SignerError } from './errors.ts';
export * from './pki/index.ts';
export * from './keystore/index.ts';
