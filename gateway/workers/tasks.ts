import type { VerificationReport } from '../../verifier/index.ts';
import type { SignLicenceHost, SignLicenceInput } from '../services/licences/render-and-sign.ts';
import type { ApplyOfdSealHost, ApplyOfdSealInput } from '../services/seals/apply-ofd-seal-task.ts';
import type { ApplySealHost, ApplySealInput } from '../services/seals/apply-seal-task.ts';
import type { SealLicenceOfdHost, SealLicenceOfdInput } from '../services/licences/seal-licence-ofd.ts';

/** What a verification sends to a worker: the document (PDF or OFD, told apart by its bytes) and the trust anchors, DER. */
export interface VerifyInput {
  readonly document: Uint8Array;
  readonly trust: readonly Uint8Array[];
  /** Intermediate certificates and CRLs besides those the document carries (an OFD carries neither: our SM2 CAs' own). */
  readonly certificates?: readonly Uint8Array[];
  readonly crls?: readonly Uint8Array[];
  readonly at?: Date;
}

/**
 * The CPU-bound work the pool runs, by name: what goes in, what comes out, and what the
 * worker may ask back of the main thread while it runs (`host`). Types only: the main
 * thread loads no implementation; gateway/workers/worker-main.ts holds them.
 */
export interface TaskTable {
  signLicence: { input: SignLicenceInput; output: Uint8Array; host: SignLicenceHost };
  verify: { input: VerifyInput; output: VerificationReport; host: NoHost };
  applySeal: { input: ApplySealInput; output: Uint8Array; host: ApplySealHost };
  sealLicenceOfd: { input: SealLicenceOfdInput; output: Uint8Array; host: SealLicenceOfdHost };
  applyOfdSeal: { input: ApplyOfdSealInput; output: Uint8Array; host: ApplyOfdSealHost };
}

export type TaskKind = keyof TaskTable;
export type NoHost = Record<never, never>;

/** Main thread → worker. */
export type ToWorker =
  | { readonly t: 'run'; readonly id: number; readonly kind: TaskKind; readonly input: unknown }
  | { readonly t: 'reply'; readonly call: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'reply'; readonly call: number; readonly ok: false; readonly error: import('./error-codec.ts').WireError };

/** Worker → main thread. */
export type FromWorker =
  | { readonly t: 'call'; readonly id: number; readonly call: number; readonly method: string; readonly args: unknown[] }
  | { readonly t: 'done'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'done'; readonly id: number; readonly ok: false; readonly error: import('./error-codec.ts').WireError };
