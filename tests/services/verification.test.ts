/**
 * The verification service (issue 11, item 5): any PDF's report, and what the registries
 * add when it is one of ours — the public view whoever asks.
 */
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../gateway/runtime/logger.ts';
import { asDepartment, issueDemoLicence, NotAPdfError, OPERATOR, PdfTooLargeError, PUBLIC, VerificationService } from '../../gateway/services/index.ts';
import { PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';

describe('VerificationService', () => {
  const t = useTestApp();
  let pdf: Uint8Array;
  let identifier: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    ({ pdf, licence: { identifier } } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code));
  });

  it('gives a department the same public view as anyone: holder masked, no face data', async () => {
    const anyone = await t.app.services.verification.verify(PUBLIC, pdf);
    const issuer = await t.app.services.verification.verify(asDepartment('bdcdj'), pdf);

    // The outbox may anchor the licence between the two calls: the anchor is compared elsewhere.
    const withoutAnchor = (l: typeof anyone.licence) => ({ ...l, anchor: undefined });
    expect(withoutAnchor(issuer.licence)).toEqual(withoutAnchor(anyone.licence));
    expect(anyone.licence).toMatchObject({ identifier, holderMasked: '林**', match: 'document' });
    expect(Object.keys(anyone.licence!)).not.toContain('holder');
    expect(JSON.stringify(anyone)).not.toContain('350203198507151235');
  });

  it('finds the ledger record of the issued file once the outbox anchored it', async () => {
    let result = await t.app.services.verification.verify(PUBLIC, pdf);
    for (let i = 0; i < 100 && result.ledger?.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await t.app.services.verification.verify(PUBLIC, pdf);
    }

    expect(result.ledger).toEqual([expect.objectContaining({ evidenceId: `licence:${identifier}:issued`, type: 'licence.issued', proofValid: true })]);
    expect(result.licence?.anchor?.transactionId).toBe(result.ledger![0]!.transactionId);
  });

  it('adds nothing to a PDF that is none of ours', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const unsigned = await doc.save();

    const result = await t.app.services.verification.verify(PUBLIC, unsigned);

    expect(result).toMatchObject({ licence: null, signatures: [], ledger: [] });
    expect(result.report.document.verdict).toBe('UNSIGNED');
  });

  it.each([
    ['not a PDF', new TextEncoder().encode('{"licence":{}}'), NotAPdfError.name, 'INVALID_NOT_PDF'],
    ['over the limit', new Uint8Array(2048).fill(0x25), PdfTooLargeError.name, 'INVALID_INPUT_TOO_LARGE'],
  ])('refuses input %s with a typed error', async (_name, bytes, name, code) => {
    const small = new VerificationService({ ...t.app.services, prisma: t.db.prisma, maxBytes: 1024, log: createLogger({ level: 'warn' }) });

    await expect(small.verify(PUBLIC, bytes)).rejects.toMatchObject({ name, code, field: 'pdf' });
  });

  it('shows the state of the seal now: a seal revoked after signing, and its certificate', async () => {
    const { pdf: fund } = await issueDemoLicence(t.app.services, PROVIDENT_FUND_CERTIFICATE.code);
    const seal = (await t.app.services.seals.activeSealOf('gjj'))!;
    await t.app.services.seals.revoke(OPERATOR, seal.id, '印章遗失');

    const result = await t.app.services.verification.verify(PUBLIC, fund);

    expect(result.signatures[0]).toMatchObject({ fieldName: 'Seal1', knownCertificate: true, seal: { id: seal.id, state: 'revoked' } });
    expect(result.signatures[0]!.certificateRevokedAt).toBeInstanceOf(Date);
  });
});
