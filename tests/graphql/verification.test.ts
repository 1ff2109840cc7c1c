/**
 * GraphQL verifyPdf takes the same path as POST /verify (issue 11, item 5): the
 * verification service, so the answer carries the licence's registry status, the
 * registered seal behind each signature and the ledger records of the file. It takes an
 * OFD as well (issue 13): judged by the same verifier, reported in the same shape.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicence, PUBLIC } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { flipByte, offsetOf } from '../verifier/support/bytes.ts';
import { applySeal, newOfd, pageContent, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { sm2Pki } from '../verifier/ofd/support/sm2-pki.ts';
import { gqlUpload } from './support.ts';

const VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) {
  verdict sha256 statusUrl
  licence { identifier status holderMasked }
  signatures { fieldName indication }
  registrations { fieldName knownCertificate certificateRevokedAt seal { id state departmentId } }
  ledger { evidenceId type transactionId proofValid }
} }`;

describe('GraphQL: verifyPdf', () => {
  const t = useTestApp({ ZHENGYIN_GRAPHQL_ANON_RATE: '1000' });
  let pdf: Uint8Array;
  let identifier: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    ({ pdf, licence: { identifier } } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code));
    // The outbox anchors the issued file; wait until the ledger holds it.
    for (let i = 0; i < 100 && (await t.app.services.verification.verify(PUBLIC, pdf)).ledger?.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  });

  it('answers what POST /verify answers: verdict, registry status, seal registrations and ledger records', async () => {
    const r = await gqlUpload(t.url, VERIFY, pdf);
    const page = (await (await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })).json()) as {
      report: { document: { verdict: string } };
      licence: { identifier: string; status: string; statusUrl: string };
      signatures: { fieldName: string; seal: { id: string } | null }[];
      ledger: { evidenceId: string; transactionId: string }[];
    };

    expect(r.body.errors).toBeUndefined();
    const v = r.body.data!.verifyPdf;
    const seal = await t.app.services.seals.activeSealOf('bdcdj');
    expect(v.verdict).toBe('VALID');
    expect(v.verdict).toBe(page.report.document.verdict);
    expect(v.licence).toEqual({ identifier, status: 'VALID', holderMasked: '林**' });
    expect(v.statusUrl).toBe(page.licence.statusUrl);
    expect(v.registrations[0]).toEqual({ fieldName: 'Seal1', knownCertificate: true, certificateRevokedAt: null, seal: { id: seal!.id, state: 'ACTIVE', departmentId: 'bdcdj' } });
    expect(v.registrations.map((s: { seal: { id: string } | null }) => s.seal?.id ?? null)).toEqual(page.signatures.map((s) => s.seal?.id ?? null));
    expect(v.ledger).toEqual([{ evidenceId: `licence:${identifier}:issued`, type: 'licence.issued', transactionId: page.ledger[0]!.transactionId, proofValid: true }]);
  });

  it('says a tampered copy is invalid and names no licence for it', async () => {
    const r = await gqlUpload(t.url, VERIFY, flipByte(pdf, offsetOf(pdf, '/MediaBox') + 1));

    const v = r.body.data!.verifyPdf;
    expect(v.verdict).toBe('INVALID');
    expect(v.licence).toBeNull();
    expect(v.statusUrl).toBeNull();
    expect(v.ledger).toEqual([]);
  });

  it('refuses what is not a PDF with the service\'s typed error', async () => {
    const r = await gqlUpload(t.url, VERIFY, new TextEncoder().encode('not a pdf at all'));

    expect(r.body.data?.verifyPdf ?? null).toBeNull();
    expect(r.body.errors?.[0]?.extensions?.code).toBe('INVALID_NOT_PDF');
  });
});

describe('GraphQL: verifyPdf with an OFD', () => {
  const t = useTestApp({ ZHENGYIN_GRAPHQL_ANON_RATE: '1000' });
  const pki = sm2Pki();
  const sealed = applySeal(newOfd('营业执照 No. 7'), { signer: pki.signer, maker: pki.maker });
  const OFD_VERIFY = `mutation($file: Upload!) { verifyPdf(file: $file) {
    verdict sha256 size licence { identifier } statusUrl
    signatures { indication subIndication intact valid trusted signer { commonName } seal { format name makerSignatureValid signerBound maker { commonName } } }
    registrations { knownCertificate seal { id } }
    ledger { evidenceId }
    report
  } }`;

  it('judges a sealed OFD like POST /verify does: intact, both SM2 signatures valid, not under this service\'s root', async () => {
    const bytes = zipOfd(sealed);
    const r = await gqlUpload(t.url, OFD_VERIFY, bytes, { name: 'licence.ofd', type: 'application/ofd' });
    const page = (await (await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/ofd' }, body: bytes })).json()) as {
      report: { document: { verdict: string; sha256: string }; signatures: { subIndication: string }[] };
    };

    expect(r.body.errors).toBeUndefined();
    const v = r.body.data!.verifyPdf;
    expect(v).toMatchObject({ verdict: 'INDETERMINATE', size: bytes.length, licence: null, statusUrl: null, ledger: [] });
    expect(v.signatures).toEqual([{
      indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', intact: true, valid: true, trusted: false,
      signer: { commonName: '测试政务服务中心' },
      seal: { format: 'GB/T 38540 SES_Seal V4', name: '测试政务服务中心专用章', makerSignatureValid: true, signerBound: true, maker: { commonName: '测试印章制作单位' } },
    }]);
    expect(v.registrations).toEqual([{ knownCertificate: false, seal: null }]);
    expect(v.report.document.sha256).toBe(v.sha256);
    expect(page.report.document).toMatchObject({ verdict: v.verdict, sha256: v.sha256 });
    expect(page.report.signatures.map((s) => s.subIndication)).toEqual(['NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('says an OFD whose page changed after sealing is invalid (HASH_FAILURE)', async () => {
    const tampered = new Map(sealed).set('Doc_0/Pages/Page_0/Content.xml', pageContent('营业执照 No. 8'));
    const r = await gqlUpload(t.url, OFD_VERIFY, zipOfd(tampered), { name: 'tampered.ofd', type: 'application/ofd' });

    const v = r.body.data!.verifyPdf;
    expect(v.verdict).toBe('INVALID');
    expect(v.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', intact: false });
  });

  it('reports a zip that is no OFD as UNREADABLE rather than refusing it', async () => {
    const r = await gqlUpload(t.url, OFD_VERIFY, zipOfd(new Map([['hello.txt', new TextEncoder().encode('hello')]])), { name: 'other.zip', type: 'application/zip' });

    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.verifyPdf).toMatchObject({ verdict: 'UNREADABLE', signatures: [] });
  });
});
