/** Certificates, CRLs and OCSP responses as callers pass them: DER bytes or PEM text. */

/** Every DER object in `input`: PEM blocks (one or more) or the bytes themselves. */
const PEM_CACHE = new Map<string, Uint8Array[]>();

export function derObjects(input: Uint8Array | string): Uint8Array[] {
  // Callers pass the same trust-anchor PEM text on every call; decode it once.
  if (typeof input === 'string' && input.length < 65536) {
    let cached = PEM_CACHE.get(input);
    if (!cached) {
      if (PEM_CACHE.size > 256) PEM_CACHE.clear();
      PEM_CACHE.set(input, (cached = decode(input)));
    }
    return cached;
  }
  return decode(input);
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
