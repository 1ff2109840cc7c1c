import { X509Certificate } from 'node:crypto';

/**
 * Orders `candidates` into the issuer chain of `leaf`, nearest first: each next certificate
 * is one whose key verifies the previous one's signature (never matched by name alone, so
 * a forged certificate that copies an issuer's name does not link). Stops at a self-signed
 * certificate or when no candidate verifies; unrelated candidates are left out.
 */
export function orderChain(leaf: Uint8Array, candidates: readonly Uint8Array[]): Uint8Array[] {
  const pool = candidates.map((der) => ({ der, x509: new X509Certificate(Buffer.from(der)) }));
  const chain: Uint8Array[] = [];
  let current = new X509Certificate(Buffer.from(leaf));
  for (;;) {
    if (current.issuer === current.subject && current.verify(current.publicKey)) break;
    const index = pool.findIndex((c) => c.x509.ca && verifies(current, c.x509));
    if (index < 0) break;
    const [next] = pool.splice(index, 1);
    chain.push(next!.der);
    current = next!.x509;
  }
  return chain;
}

/** Whether `issuer`'s key verifies `certificate`'s signature (node:crypto). */
export function verifies(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
