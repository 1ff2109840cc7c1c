/** The report as data (issue #3, Deliver 4): frozen, JSON round-trip, one-liners, text. */
import { describe, expect, it } from 'vitest';
import { documentSummary, renderText, summary, verifyPdf } from '../../verifier/index.ts';
import { addAnnotation } from './support/edits.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
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
