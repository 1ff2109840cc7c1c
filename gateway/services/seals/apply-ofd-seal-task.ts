import { placeOfdSeal, signOfd, type OfdSealPlaceRequest } from '../../../signer/index.ts';
import { cpuPool } from '../../workers/index.ts';

/** What crosses to the worker to seal an uploaded OFD: the package, the seal and its signer's certificate, where; never the key. */
export interface ApplyOfdSealInput {
  readonly ofd: Uint8Array;
  /** The SES_Seal (GB/T 38540 V4), DER. */
  readonly seal: Uint8Array;
  readonly signerCertificate: Uint8Array;
  readonly signedAt: Date;
  /** Page (0-based, undefined: the last), and x, y in mm from the top-left corner (both or neither), and the seal's size in mm. */
  readonly place: Omit<OfdSealPlaceRequest, 'limits' | 'document'>;
}

/** The main thread's side: the seal's key signs DER(TBS_Sign), SM2 over SM3. */
export interface ApplyOfdSealHost {
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/**
 * The worker's half: place the seal (default: past earlier stamps on the last page), then
 * `signOfd` with a key that calls the host. Async, so that a refusal rejects the task's
 * promise (and keeps its class) instead of throwing out of the worker's message handler.
 */
export async function applyOfdSealTask(input: ApplyOfdSealInput, host: ApplyOfdSealHost): Promise<Uint8Array> {
  const { page, position } = placeOfdSeal(input.ofd, input.place);
  return signOfd(input.ofd, { seal: input.seal, signerCertificate: input.signerCertificate, signedAt: input.signedAt, page, position, sign: (tbs) => host.sign(tbs) });
}

/**
 * `signOfd` on a worker thread of the CPU pool: unzipping and parsing an uploaded package
 * (up to the upload limit) never stalls the event loop. Errors keep their class and `code`.
 */
export function applyOfdSealOnPool(input: ApplyOfdSealInput, sign: (tbs: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
  return cpuPool().run('applyOfdSeal', input, { sign });
}
