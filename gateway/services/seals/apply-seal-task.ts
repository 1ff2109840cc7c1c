import { applySeal, type ApplySealOptions, type DigestAlgorithm, type KeyAlgorithm } from '../../../signer/index.ts';
import { cpuPool } from '../../workers/index.ts';

type WithoutKeys<T> = T extends unknown ? Omit<T, 'identity' | 'tsa'> : never;

/** What crosses to the worker to stamp a seal on an uploaded PDF: the PDF, where and how, and the signer's certificates; never its key. */
export interface ApplySealInput {
  readonly pdf: Uint8Array;
  readonly options: WithoutKeys<ApplySealOptions>;
  readonly signer: { readonly algorithm: KeyAlgorithm; readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[] };
}

/** The main thread's side: the seal's key signs, the TSA time-stamps. */
export interface ApplySealHost {
  sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
  timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
}

/** The worker's half: `applySeal` with a key and a TSA that call the host. */
export function applySealTask(input: ApplySealInput, host: ApplySealHost): Promise<Uint8Array> {
  const { algorithm, certificate, chain } = input.signer;
  return applySeal(input.pdf, {
    ...input.options,
    identity: { key: { algorithm, sign: (data, digest) => host.sign(data, digest) }, certificate, chain },
    tsa: { timestamp: (imprint, digest) => host.timestamp(imprint, digest) },
  } as ApplySealOptions);
}

/**
 * `applySeal` on a worker thread of the CPU pool: parsing an uploaded PDF (up to the
 * upload limit) and writing its new revision never stall the event loop. The key and the
 * TSA stay on this thread. Errors keep their class and `code`.
 */
export function applySealOnPool(pdf: Uint8Array, options: ApplySealOptions): Promise<Uint8Array> {
  const { identity, tsa, ...placement } = options;
  return cpuPool().run(
    'applySeal',
    { pdf, options: placement as WithoutKeys<ApplySealOptions>, signer: { algorithm: identity.key.algorithm, certificate: identity.certificate, chain: identity.chain } },
    { sign: (data, digest) => identity.key.sign(data, digest), timestamp: (imprint, digest) => tsa.timestamp(imprint, digest) },
  );
}
