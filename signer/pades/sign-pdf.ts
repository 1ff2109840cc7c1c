import type { SigningIdentity, TimestampAuthority } from '../types.ts';
import { newSession, type FieldAppearance, type SessionOptions, type SignatureAppearance } from './session.ts';

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

/**
 * Options of {@link applySeal}: who signs, the TSA (required: a seal is B-T), and where the
 * stamp goes: at page, x, y in a new field, or into an unsigned signature field the form
 * already has (`field` and the picture only).
 */
export type ApplySealOptions = Pick<SessionOptions, 'reason' | 'location' | 'contactInfo' | 'certify' | 'allowNewField' | 'signingTime' | 'digest'> & {
  readonly identity: SigningIdentity;
  readonly tsa: TimestampAuthority;
} & ((SignatureAppearance & { readonly field?: string | undefined }) | (FieldAppearance & { readonly field: string }));

/**
 * Stamps a visible seal on any PDF and signs it (PAdES B-T), as one incremental
 * revision: earlier signatures stay valid. Equivalent to
 * `signPdf(pdf, { identity, tsa, appearance: { image, page, x, y, width, height }, … })`.
 * @example
 * const sealed = await applySeal(pdf, { identity, image: sealPng, page: 0, x: 380, y: 90, tsa });
 * const intoForm = await applySeal(form, { identity, image: sealPng, field: '审批意见.盖章', tsa });
 */
export async function applySeal(pdf: Uint8Array, options: ApplySealOptions): Promise<Uint8Array> {
  if ('page' in options) {
    const { image, page, x, y, width, height, ...rest } = options;
    return signPdf(pdf, { ...rest, appearance: { image, page, x, y, width, height } });
  }
  const { image, ...rest } = options;
  return signPdf(pdf, { ...rest, appearance: { image } });
}
