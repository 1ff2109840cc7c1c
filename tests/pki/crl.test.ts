import { beforeAll, describe, expect, it } from 'vitest';
import { issueCrl, PkiInputError, toPem, type RevokedEntry } from '../../signer/index.ts';
import { createLibraryPki, type LibraryPki } from '../support/library-pki.ts';
import { openssl, opensslSerial, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';

const noOpenssl = skipWithout('tests/pki/crl', 'openssl');

const DAY = 86_400_000;

describe('CRLs (RFC 5280 §5)', () => {
  let pki: LibraryPki;
  const scratch = useScratchDir();
  beforeAll(async () => {
    pki = await createLibraryPki();
  });

  const crlText = (der: Uint8Array, ca: Uint8Array) =>
    openssl(['crl', '-inform', 'DER', '-noout', '-text', '-verify', '-CAfile', scratch.file('ca.pem', toPem(ca, 'CERTIFICATE'))], der);

  it.skipIf(noOpenssl)('issues a v2 CRL with number, AKI, dates and reason codes that verifies under its CA', async () => {
    const revokedAt = new Date('2026-03-04T05:06:07.890Z');
    const revoked: RevokedEntry[] = [
      { serial: pki.seal.info.serial, revokedAt, reason: 'keyCompromise' },
      { serial: 'ff01', revokedAt, reason: 'unspecified' },
      { serial: '0a', revokedAt, reason: 'cessationOfOperation' },
    ];
    const thisUpdate = new Date();
    const der = await issueCrl({ issuer: { certificate: pki.departmentCa.der, key: pki.departmentCa.key }, number: 42, thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + 7 * DAY), revoked });
    const r = crlText(der, pki.departmentCa.der);
    expect(r.stderr).toContain('verify OK');
    expect(r.stdout).toContain('Version 2 (0x1)');
    expect(r.stdout).toMatch(/X509v3 CRL Number: \n\s+42\n/);
    expect(r.stdout).toContain(`X509v3 Authority Key Identifier: \n                ${Buffer.from(pki.departmentCa.info.subjectKeyIdentifier!).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')}`);
    expect(r.stdout).toMatch(new RegExp(`Serial Number: ${opensslSerial(pki.seal.info.serial)}\\n\\s+Revocation Date: Mar  4 05:06:07 2026 GMT\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+Key Compromise`));
    expect(r.stdout).toMatch(/Serial Number: 0A\n\s+Revocation Date: .*\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+Cessation Of Operation/);
    // unspecified: the reasonCode extension is absent (RFC 5280 §5.3.1).
    expect(r.stdout).toMatch(/Serial Number: FF01\n\s+Revocation Date: [^\n]+\n\s+Serial Number/);
    expect(r.stdout).toMatch(/Next Update: /);
  });

  it.skipIf(noOpenssl)('omits revokedCertificates when nothing is revoked, and fails verification under another CA', async () => {
    const now = new Date();
    const der = await issueCrl({ issuer: { certificate: pki.root.der, key: pki.root.key }, number: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + DAY), revoked: [] });
    const r = crlText(der, pki.root.der);
    expect(r.stderr).toContain('verify OK');
    expect(r.stdout).toContain('No Revoked Certificates.');
    expect(crlText(der, pki.departmentCa.der).stderr).not.toContain('verify OK');
  });

  it.each([
    ['non-CRL signer', () => ({ certificate: pki.seal.der, key: pki.seal.key }), 1, DAY, 'issuer.certificate'],
    ['nextUpdate before thisUpdate', () => ({ certificate: pki.root.der, key: pki.root.key }), 1, -DAY, 'nextUpdate'],
    ['negative number', () => ({ certificate: pki.root.der, key: pki.root.key }), -1, DAY, 'number'],
  ] as const)('refuses a %s', async (_case, issuer, number, span, field) => {
    const now = new Date();
    await expect(issueCrl({ issuer: issuer(), number, thisUpdate: now, nextUpdate: new Date(now.getTime() + span), revoked: [] })).rejects.toMatchObject({ name: PkiInputError.name, field });
  });
});
