import type { SigningIdentity, TimestampAuthority } from '../types.ts';
import { newSession, type SessionOptions } from './session.ts';

/** {@link SessionOptions} with the key: everything a one-call signature needs. */
export interface SignPdfOptions extends Omit<SessionOptions, 'identity'> {
  readonly identity: SigningIdentity;
}

/**
 * Signs `pdf` in one call: PAdES B-T with a TSA, B-B without (ETSI EN 319 142-1 §6).
 *
 * Equivalent to `newSession(pdf, opts)` → `prepare()` → `sign(opts.identity.key)` →
 * `finish()`; use those phases for a remote signer.
 * @returns `pdf` followed by exactly one incremental revision; `pdf` itself is never modified.
 * @example
 * const signed = await signPdf(licence, { identity, tsa, certify: true });
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const session = await newSession(pdf, options);
  const prepared = await session.prepare();
  const signed = await prepared.sign(options.identity.key);
  return signed.finish();
}

/** Options of {@link applySeal}. */
export interface ApplySealOptions {
  readonly identity: SigningIdentity;
  /** The seal picture, PNG (transparency kept). */
  readonly image: Uint8Array;
  /** 0-based page index; negative counts from the end. */
  readonly page: number;
  /** Lower-left corner of the stamp, in points (default user space). */
  readonly x: number;
  readonly y: number;
  /** Size in points; give one and the other keeps the picture's aspect. @default width 42 mm */
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly tsa: TimestampAuthority;
  readonly reason?: string | undefined;
  readonly location?: string | undefined;
  /** @default the first free 'SealN' */
  readonly field?: string | undefined;
  /** Certify (DocMDP, ISO 32000-1 §12.8.2.2) — only for the first signature of a document. */
  readonly certify?: SessionOptions['certify'];
  readonly signingTime?: Date | undefined;
}

/**
 * Stamps a visible seal on any PDF and signs it (PAdES B-T), as one incremental
 * revision: earlier signatures stay valid. Equivalent to
 * `signPdf(pdf, { identity, tsa, appearance: { image, page, x, y, width, height }, … })`.
 * @example
 * const sealed = await applySeal(pdf, { identity, image: sealPng, page: 0, x: 380, y: 90, tsa });
 */
export async function applySeal(pdf: Uint8Array, o: ApplySealOptions): Promise<Uint8Array> {
  return signPdf(pdf, {
    identity: o.identity,
    tsa: o.tsa,
    appearance: { image: o.image, page: o.page, x: o.x, y: o.y, width: o.width, height: o.height },
    reason: o.reason,
    location: o.location,
    field: o.field,
    certify: o.certify,
    signingTime: o.signingTime,
  });
}
