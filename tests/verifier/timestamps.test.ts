/**
 * Time-stamps (issue #3, Deliver 2): the signature time-stamp (RFC 3161 over the signature
 * value; PAdES B-T) and document time-stamps (ETSI.RFC3161; B-LTA) — a proven time only
 * when the imprint matches and the TSA chains, at a time inside the TSA's validity.
 */
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../../verifier/index.ts';
import { flipByte, offsetOf } from './support/bytes.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import type { TstShape } from './support/cms.ts';
import { addDss, signDocument, timestampDocument } from './support/sign.ts';
import { issueCrl } from './support/x509.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };
const hour = 3_600_000;

describe('signature time-stamp (B-T)', () => {
  it('proves the signing time: genTime becomes provenSigningTime', async () => {
    const at = new Date(T0.getTime() - 5 * hour);
    const doc = signDocument(newDocument(), pki.p384Signer, { hash: 'sha384', timestamp: { tsa: pki.tsa, at }, signingTimeClaim: new Date(at.getTime() - 60_000) });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.provenSigningTime).toBe(at.toISOString());
    expect(s!.claimedSigningTime).toBe(new Date(at.getTime() - 60_000).toISOString());
    expect(s!.timestamp).toMatchObject({ indication: 'TOTAL_PASSED', genTime: at.toISOString(), intact: true });
    expect(s!.timestamp!.tsa?.commonName).toBe('Test TSA');
    expect(s!.padesLevel).toBe('B-T');
  });

  it('a token over other data proves nothing (imprint mismatch), the signature itself still stands', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() - hour), imprintOf: () => new Uint8Array([1, 2, 3]) } });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.timestamp).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', intact: false });
    expect(s!.provenSigningTime).toBeNull();
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBe('B-B');
    expect(s!.problems.join()).toMatch(/time-stamp does not prove a time/);
  });

  it('a genTime after the validation time is refused', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() + hour) } });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.timestamp?.indication).toBe('TOTAL_FAILED');
    expect(s!.provenSigningTime).toBeNull();
  });

  it('a genTime before the TSA certificate was valid is NOT_YET_VALID', async () => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date('2018-06-01Z') } });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.timestamp?.subIndication).toBe('NOT_YET_VALID');
  });
});

describe('document time-stamp (ETSI.RFC3161, B-LTA)', () => {
  it('is validated like a signature and covers the revisions before it', async () => {
    const doc = timestampDocument(newDocument(), pki.tsa, new Date(T0.getTime() - hour));
    const [t] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(t).toMatchObject({ kind: 'DOCUMENT_TIMESTAMP', subFilter: 'ETSI.RFC3161', indication: 'TOTAL_PASSED', intact: true, coverage: 'ENTIRE_FILE' });
    expect(t!.provenSigningTime).toBe(new Date(T0.getTime() - hour).toISOString());
  });

  it('detects a changed byte under a document time-stamp', async () => {
    const doc = timestampDocument(newDocument(), pki.tsa, new Date(T0.getTime() - hour));
    const [t] = (await verifyPdf(flipByte(doc.bytes, offsetOf(doc.bytes, 'Electronic licence')), opts)).signatures;
    expect(t).toMatchObject({ intact: false, indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('signature + time-stamp + DSS + document time-stamp reaches B-LTA', async () => {
    let doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at: new Date(T0.getTime() - 3 * hour) } });
    doc = addDss(doc, { certs: [pki.intermediate.certificate], crls: pki.crls });
    doc = timestampDocument(doc, pki.tsa, new Date(T0.getTime() - hour));
    const report = await verifyPdf(doc.bytes, { trust: pki.trust, at: T0 });
    expect(report.signatures[0]).toMatchObject({ padesLevel: 'B-LTA', modification: 'LTA_UPDATES', indication: 'TOTAL_PASSED' });
    expect(report.document.verdict).toBe('VALID');
  });

  it('gives proof of existence to an earlier signature that has no time-stamp of its own', async () => {
    let doc = signDocument(newDocument(), pki.expiredSigner, { signingTimeClaim: new Date('2020-06-01Z') });
    doc = timestampDocument(doc, pki.tsa, new Date('2020-06-02Z'));
    const oldCrl = issueCrl(pki.issuers.intermediate, { thisUpdate: new Date('2020-06-01Z'), nextUpdate: new Date('2020-07-01Z') });
    const report = await verifyPdf(doc.bytes, { trust: pki.trust, crls: [...pki.crls, oldCrl], at: T0 });
    const s = report.signatures[0]!;
    expect(s.provenSigningTime).toBe('2020-06-02T00:00:00.000Z');
    expect(s.indication).toBe('TOTAL_PASSED');
  });
});

describe('TSTInfo shapes (RFC 3161 §2.4.2): the plain TLV reading and pkijs agree', () => {
  const at = new Date(T0.getTime() - 2 * hour);
  const stamp = at.toISOString().slice(0, 19).replace(/[-:T]/g, '');
  const plus = (ms: number): string => new Date(at.getTime() + ms).toISOString();

  it.each<[string, TstShape, string]>([
    ['accuracy, ordering and nonce', { accuracy: true, ordering: true, nonce: true }, plus(0)],
    ['a tsa directoryName', { tsaName: true, nonce: true }, plus(0)],
    ['a fractional genTime', { genTime: `${stamp}.25Z` }, plus(250)],
    ['a fraction finer than milliseconds, floored', { genTime: `${stamp}.9999Z` }, plus(999)],
    ['extensions (read by pkijs)', { accuracy: true, extensions: true }, plus(0)],
  ])('%s: the token proves its genTime', async (_name, shape, genTime) => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at, shape } });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.timestamp).toMatchObject({ indication: 'TOTAL_PASSED', genTime, intact: true });
    expect(s!.provenSigningTime).toBe(genTime);
    expect(s!.padesLevel).toBe('B-T');
  });

  it.each<[string, TstShape]>([
    ['no policy', { noPolicy: true }],
    ['a comma before the fraction of genTime', { genTime: `${stamp},5Z` }],
  ])('a malformed TSTInfo (%s) proves nothing; the signature stands', async (_name, shape) => {
    const doc = signDocument(newDocument(), pki.rsaSigner, { timestamp: { tsa: pki.tsa, at, shape } });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.timestamp).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', genTime: null });
    expect(s!.provenSigningTime).toBeNull();
    expect(s!.indication).toBe('TOTAL_PASSED');
    expect(s!.padesLevel).toBe('B-B');
  });
});
