/** Certificates, CRLs and OCSP responses as callers pass them: DER bytes or PEM text. */
import { ContentCache, LruCache } from './cache.ts';

// Callers pass the same trust anchors, intermediates and CRLs on every call: PEM is
// decoded once per content (the text, or the bytes). Not a shared cache that
// clearVerifierCaches empties: decoding is pure and its result holds no parsed state.
const PEM_TEXT = new LruCache<readonly Uint8Array[]>(256);
const PEM_BYTES = new ContentCache<readonly Uint8Array[]>(256);

/** Every DER object in `input`: PEM blocks (one or more) or the bytes themselves. */
export function derObjects(input: Uint8Array | string): Uint8Array[] {
  if (typeof input === 'string') {
    if (input.length >= 65536) return decode(input);
    let cached = PEM_TEXT.get(input);
    if (!cached) PEM_TEXT.set(input, (cached = decode(input)));
    return [...cached];
  }
  // Looked for in place: DER (the usual case) is returned as it is, without a copy.
  const head = Buffer.from(input.buffer, input.byteOffset, Math.min(input.length, 4096));
  if (head.indexOf('-----BEGIN', 0, 'latin1') < 0) return [input];
  if (input.length >= 1 << 20) return decode(input);
  let cached = PEM_BYTES.get(input);
  if (!cached) PEM_BYTES.set(new Uint8Array(input), (cached = decode(input)));
  return [...cached];
}

function decode(input: Uint8Array | string): Uint8Array[] {
  const text = typeof input === 'string' ? input : Buffer.from(input.subarray(0, 4096)).toString('latin1');
  if (!text.includes('-----BEGIN')) {
    return typeof input === 'string' ? [new Uint8Array(Buffer.from(input, 'latin1'))] : [input];
  }
  const all = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const out: Uint8Array[] = [];
  for (const m of all.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    out.push(new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')));
  }
  return out;
}
