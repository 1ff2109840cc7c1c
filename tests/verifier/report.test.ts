/** The report as data (issue #3, Deliver 4): frozen, JSON round-trip, one-liners, text. */
import { describe, expect, it } from 'vitest';
import { documentSummary, failed, indeterminate, isRevoked, isTrusted, PASSED, renderText, summary, verifyPdf, type Outcome } from '../../verifier/index.ts';
import { addAnnotation } from './support/edits.ts';
import { newDocument } from './support/pdf-writer.ts';
import { REVOKED_AT, T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };

describe('the verification report', () => {
  it('is frozen data that survives JSON', async () => {
    const report = await verifyPdf(signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() - 1000) } }).bytes, opts);
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.signatures[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.validationTime).toBe(T0.toISOString());
    expect(report.signatures[0]).toMatchObject({
      fieldName: 'Sig1', subFilter: 'ETSI.CAdES.detached', filter: 'Adobe.PPKLite', legacy: false, revision: 2,
      digestAlgorithm: 'SHA-256', trusted: true, certificationLevel: null, reason: 'zhengyin verifier test',
    });
    expect(report.signatures[0]!.signer).toMatchObject({ commonName: 'Test Seal RSA (电子印章)', organization: '示例电子证照签发机构', trustAnchor: false });
  });

  it.each([
    ['untouched and trusted', (d: Uint8Array) => d, { trust: pki.trust }, 'INTACT:TRUSTED,UNTOUCHED'],
    ['untrusted', (d: Uint8Array) => d, { trust: [] }, 'INTACT:UNTRUSTED,UNTOUCHED'],
    ['illegal modification', null, { trust: pki.trust }, 'INTACT:TRUSTED,ILLEGAL_MODIFICATIONS'],
  ] as const)('summary(): %s', async (_name, edit, trust, expected) => {
    const signed = signDocument(newDocument(), pki.rsaSigner);
    const bytes = edit ? edit(signed.bytes) : addAnnotation(signed, 'Square').bytes;
    const report = await verifyPdf(bytes, { ...opts, ...trust });
    expect(summary(report.signatures[0]!)).toBe(expected);
  });

  it.each([
    ['revoked, no proof of existence', undefined, 'INDETERMINATE', 'REVOKED_NO_POE'],
    ['revoked before the time-stamp', new Date(REVOKED_AT.getTime() + 30 * 86_400_000), 'TOTAL_FAILED', 'REVOKED'],
  ] as const)('summary() names revocation: %s', async (_name, stampedAt, indication, subIndication) => {
    const doc = signDocument(newDocument(), pki.revokedSigner, stampedAt ? { timestamp: { tsa: pki.tsa, at: stampedAt } } : {});
    const s = (await verifyPdf(doc.bytes, opts)).signatures[0]!;
    expect(s).toMatchObject({ indication, subIndication, trusted: false, revoked: true });
    expect(summary(s)).toBe('INTACT:REVOKED,UNTOUCHED');
  });

  it('trusted and revoked are read from the outcome, and JSON carries them', async () => {
    const s = (await verifyPdf(signDocument(newDocument(), pki.p256Signer).bytes, opts)).signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_PASSED', subIndication: null, trusted: true, revoked: false });
    expect(JSON.parse(JSON.stringify(s))).toMatchObject({ trusted: true, revoked: false });
    // A TOTAL_FAILED outcome cannot be trusted: the status is not a second, independent field.
    const failedCopy = { ...s, ...failed('HASH_FAILURE') };
    expect(isTrusted(failedCopy)).toBe(false);
    expect(isRevoked(indeterminate('REVOKED_CA_NO_POE'))).toBe(true);
  });

  it('the outcome types pair each indication with its own sub-indications (EN 319 102-1 Table 5)', () => {
    const ok: Outcome[] = [PASSED, failed('HASH_FAILURE'), indeterminate('NO_CERTIFICATE_CHAIN_FOUND')];
    // @ts-expect-error TOTAL_PASSED carries no sub-indication
    const passedWithFailure: Outcome = { indication: 'TOTAL_PASSED', subIndication: 'HASH_FAILURE' };
    // @ts-expect-error HASH_FAILURE is a failure, not an indeterminate sub-indication
    const indeterminateHash: Outcome = { indication: 'INDETERMINATE', subIndication: 'HASH_FAILURE' };
    // @ts-expect-error NO_CERTIFICATE_CHAIN_FOUND is indeterminate, never TOTAL_FAILED
    const failedChain: Outcome = { indication: 'TOTAL_FAILED', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' };
    expect([...ok, passedWithFailure, indeterminateHash, failedChain].map((o) => o.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'TOTAL_PASSED', 'INDETERMINATE', 'TOTAL_FAILED']);
  });

  it('documentSummary() and renderText() lead with the verdict', async () => {
    const report = await verifyPdf(signDocument(newDocument(), pki.p256Signer).bytes, opts);
    expect(documentSummary(report)).toBe('VALID Sig1=INTACT:TRUSTED,UNTOUCHED');
    const text = renderText(report, 'licence.pdf');
    expect(text.split('\n')[0]).toBe('licence.pdf: VALID');
    expect(text).toMatch(/result +TOTAL_PASSED/);
    expect(text).toMatch(/changed after NONE \(allowed\)/);
  });

  it('an unreadable file is reported, not thrown', async () => {
    const report = await verifyPdf(new TextEncoder().encode('%PDF-1.7 and nothing else'), opts);
    expect(report.document).toMatchObject({ verdict: 'UNREADABLE', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', signatureCount: 0 });
    expect(renderText(report)).toMatch(/^UNREADABLE \(TOTAL_FAILED\/FORMAT_FAILURE\)/);
  });
});
