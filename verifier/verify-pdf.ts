/**
 * `verifyPdf`: every signature and document time-stamp of a PDF, judged as EN 319 102-1
 * and PAdES (EN 319 142-1) describe, plus what changed after each was signed.
 */
import { hash } from 'node:crypto';
import { fieldLocksOf, lockedFieldChanges } from './diff/field-locks.ts';
import { newVisibleFieldNotice, newVisibleSignatureFields } from './diff/new-visible-fields.ts';
import { analyseModifications, permittedLevel } from './diff/policy.ts';
import { LimitExceededError, PdfSyntaxError } from './errors.ts';
import { PdfDocument, type Revision } from './pdf/document.ts';
import { textOf } from './pdf/text.ts';
import type { PathContext } from './pki/path-validation.ts';
import { RevocationStore } from './pki/revocation-store.ts';
import { freeze } from './report/freeze.ts';
import { failed, outcomeOf, withDerivedStatus } from './report/outcome.ts';
import { padesLevel } from './report/pades-level.ts';
import {
  MODIFICATION_LEVELS,
  type DocumentSummary,
  type DocumentVerdict,
  type SignatureReport,
  type VerificationReport,
} from './report/types.ts';
import { checkByteRange, type CoverageResult } from './signatures/byte-range.ts';
import { readDss, type DssMaterial } from './signatures/dss.ts';
import { damagedTail, unreadableSignatures, type DamagedSignature } from './signatures/damage.ts';
import { findSignatures, type FoundSignature } from './signatures/find-signatures.ts';
import { unreadableReport } from './report/unreadable.ts';
import { LEGACY_SUBFILTERS, validateSignature, type SignatureContext, type SignatureCore } from './validate-signature.ts';
import { verificationContext, type VerifyOptions } from './verify-options.ts';

export type { VerifyOptions };

/**
 * Verifies every signature and document time-stamp in `bytes`. Resolves to a report for
 * any input: garbage yields document verdict UNREADABLE (FORMAT_FAILURE).
 *
 * @throws {@link InvalidVerifyOptionError} `bytes` is not a Uint8Array, `at` is not a
 * valid date, or a trust anchor / certificate option is not a certificate.
 * @example
 * const report = await verifyPdf(pdf, { trust: [rootPem], crls: [crlDer], at: new Date('2026-01-01T00:00:00Z') });
 * if (report.document.verdict !== 'VALID') console.log(renderText(report));
 */
export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const ctx = verificationContext(bytes, options);
  const sha256 = hash('sha256', bytes, 'hex');
  try {
    return await verifyDocument(bytes, sha256, ctx);
  } catch (e) {
    if (e instanceof PdfSyntaxError || e instanceof LimitExceededError) {
      // A file no revision of which can be read may still be a cut-off signing: say so first.
      const damage = e instanceof PdfSyntaxError ? damagedTail(bytes, 0).map((d) => d.problem) : [];
      return unreadableReport(bytes, sha256, ctx.at, [...damage, e instanceof LimitExceededError ? `limit exceeded (${e.limit}): ${e.message}` : e.message]);
    }
    throw e;
  }
}

interface Processed {
  readonly found: FoundSignature;
  readonly coverage: CoverageResult;
  core: SignatureCore | undefined;
}

async function verifyDocument(bytes: Uint8Array, sha256: string, ctx: PathContext): Promise<VerificationReport> {
  const doc = PdfDocument.open(bytes, ctx.budget);
  const problems: string[] = [];
  if (doc.trailingGarbage > 0) problems.push(`${doc.trailingGarbage} non-blank byte(s) after the last %%EOF belong to no revision`);
  const damagedFields: DamagedSignature[] = [];
  const found = findSignatures(doc, damagedFields);
  const damage = [...unreadableSignatures(found, damagedFields), ...damagedTail(bytes, doc.final.end)];
  const dss = readDss(doc.final);
  // A store of the /DSS alone tells whether the file carries its own validation data (B-LT).
  const dssStore = new RevocationStore(ctx.budget);
  if (dss) {
    for (const der of dss.certificates) ctx.pool.add(der, 'DSS');
    for (const der of dss.crls) {
      ctx.revocation.addCrl(der, 'DSS');
      dssStore.addCrl(der, 'DSS');
    }
    for (const der of dss.ocspResponses) {
      ctx.revocation.addOcsp(der, 'DSS');
      dssStore.addOcsp(der, 'DSS');
    }
  }
  const items: Processed[] = found.map((f) => ({ found: f, coverage: checkByteRange(doc, f), core: undefined }));
  const revisionOf = (p: Processed): number => p.coverage.revision?.index ?? -1;
  // Document time-stamps newest first: each may take its proof of existence from a newer one.
  const timestamps = items.filter((p) => p.found.kind === 'DOCUMENT_TIMESTAMP').sort((a, b) => revisionOf(b) - revisionOf(a));
  const poeAfter = (revision: number): Date | null => {
    const times = timestamps
      .filter((t) => revisionOf(t) > revision && t.core?.indication === 'TOTAL_PASSED' && t.core.provenTime)
      .map((t) => t.core!.provenTime!.getTime());
    return times.length > 0 ? new Date(Math.min(...times)) : null;
  };
  for (const t of timestamps) {
    t.core = await validateSignature(t.found, t.coverage, bytes, withPoe(ctx, poeAfter(revisionOf(t))));
  }
  for (const s of items.filter((p) => p.found.kind === 'SIGNATURE')) {
    s.core = await validateSignature(s.found, s.coverage, bytes, withPoe(ctx, poeAfter(revisionOf(s))));
  }
  const certification = items
    .filter((p) => p.found.kind === 'SIGNATURE' && p.core?.certificationLevel && p.coverage.revision)
    .sort((a, b) => revisionOf(a) - revisionOf(b))[0];
  const dssRevision = dss ? lastRevisionTouching(doc.revisions, dss) : -1;
  const signatures = items.map((p) => {
    const docMdp = certification && revisionOf(certification) <= revisionOf(p) ? certification.core!.certificationLevel : null;
    return toReport(p, doc.revisions, docMdp, ctx, dssStore, dssRevision, timestamps);
  });
  const document = damage.length > 0
    ? damaged(bytes, sha256, doc.revisions.length, signatures, [...damage.map((d) => d.problem), ...problems])
    : summarize(bytes, sha256, doc.revisions.length, signatures, problems);
  return freeze({ document, signatures, validationTime: ctx.at.toISOString() });
}

function toReport(
  p: Processed,
  revisions: readonly Revision[],
  docMdp: 1 | 2 | 3 | null,
  ctx: PathContext,
  dssStore: RevocationStore,
  dssRevision: number,
  timestamps: readonly Processed[],
): SignatureReport {
  const core = p.core!;
  const dict = p.found.dict;
  const rev = p.found.revision;
  const text = (key: string): string | null => textOf(rev.deref(dict.get(key)));
  const subFilter = text('SubFilter');
  const signed = p.coverage.revision;
  const mods = signed ? analyseModifications(revisions, signed) : { level: 'OTHER' as const, changes: ['the signed revision is unknown'] };
  const allowed = permittedLevel(docMdp);
  const trailing = revisions[revisions.length - 1]!.doc.trailingGarbage > 0;
  const level = trailing ? 'OTHER' : mods.level;
  const lockBroken = signed ? lockedFieldChanges(revisions, signed, fieldLocksOf(signed, dict, p.found.holder)) : [];
  const path = core.path;
  // Under P=1 the new field is a disallowed change already; under P=2 and P=3 it is accepted, and named.
  const certifiedNotices = signed && p.found.kind === 'SIGNATURE' && core.certificationLevel !== null && core.certificationLevel > 1
    ? newVisibleSignatureFields(revisions, signed).map((f) => newVisibleFieldNotice(f, core.certificationLevel!))
    : [];
  return withDerivedStatus(Object.assign(outcomeOf(core), {
    kind: p.found.kind,
    fieldName: p.found.fieldName,
    filter: text('Filter'),
    subFilter,
    legacy: subFilter !== null && LEGACY_SUBFILTERS.has(subFilter),
    revision: signed ? signed.index + 1 : null,
    byteRange: p.coverage.byteRange,
    coverage: p.coverage.coverage,
    intact: core.intact,
    valid: core.valid,
    signer: core.signer?.info() ?? null,
    digestAlgorithm: core.signerCheck?.digestAlgorithm ?? null,
    signatureAlgorithm: core.signerCheck?.signatureAlgorithm ?? null,
    claimedSigningTime: core.claimedTime?.toISOString() ?? null,
    provenSigningTime: core.provenTime?.toISOString() ?? null,
    timestamp: core.timestamp?.report ?? null,
    certificatePath: path ? path.path.map((c, i) => c.info(path.anchored && i === path.path.length - 1)) : core.timestamp?.report.certificatePath ?? [],
    revocation: path?.revocation ?? [],
    padesLevel: padesLevel({
      kind: p.found.kind,
      subFilter,
      core,
      signedRevision: signed?.index ?? -1,
      dssStore,
      dssRevision,
      at: ctx.at,
      documentTimestamps: timestamps.map((t) => ({ revision: t.coverage.revision?.index ?? -1, passed: t.core?.indication === 'TOTAL_PASSED' })),
    }),
    certificationLevel: core.certificationLevel,
    modification: level,
    modificationAllowed: MODIFICATION_LEVELS.indexOf(level) <= MODIFICATION_LEVELS.indexOf(allowed) && lockBroken.length === 0,
    changes: [...mods.changes, ...lockBroken, ...(trailing ? ['data after the last %%EOF that no revision accounts for'] : [])],
    reason: text('Reason'),
    location: text('Location'),
    signerName: text('Name'),
    seal: null,
    problems: [...(p.found.orphan ? ['no form field of the final revision points to this signature dictionary'] : []), ...core.problems, ...certifiedNotices],
  }));
}

// Object.assign, not `{ ...ctx, key }`: on Node 20 a spread followed by keys takes microseconds.
const withPoe = (ctx: PathContext, poe: Date | null): SignatureContext => Object.assign({}, ctx, { poeFromLaterTimestamps: poe });

function lastRevisionTouching(revisions: readonly Revision[], dss: DssMaterial): number {
  for (let i = revisions.length - 1; i >= 0; i--) {
    const own = revisions[i]!.ownObjectNumbers();
    for (const n of dss.objects) if (own.has(n)) return i;
  }
  return -1;
}

function summarize(bytes: Uint8Array, sha256: string, revisions: number, signatures: readonly SignatureReport[], problems: string[]): DocumentSummary {
  const base = counts(bytes, sha256, revisions, signatures, problems);
  const verdict: DocumentVerdict = signatures.length === 0 ? 'UNSIGNED'
    : signatures.some((s) => s.indication === 'TOTAL_FAILED' || !s.modificationAllowed) ? 'INVALID'
    : signatures.some((s) => s.indication === 'INDETERMINATE') ? 'INDETERMINATE'
    : 'VALID';
  return Object.assign(base, { verdict, indication: null, subIndication: null });
}

/** A signature the file cannot be read for (cut short, /Contents unreadable): the document is UNREADABLE, whatever else it holds. */
function damaged(bytes: Uint8Array, sha256: string, revisions: number, signatures: readonly SignatureReport[], problems: string[]): DocumentSummary {
  return Object.assign(counts(bytes, sha256, revisions, signatures, problems), { verdict: 'UNREADABLE' as const }, failed('FORMAT_FAILURE'));
}

function counts(bytes: Uint8Array, sha256: string, revisions: number, signatures: readonly SignatureReport[], problems: string[]) {
  return {
    indication: null,
    subIndication: null,
    size: bytes.length,
    sha256,
    revisions,
    signatureCount: signatures.filter((s) => s.kind === 'SIGNATURE').length,
    documentTimestampCount: signatures.filter((s) => s.kind === 'DOCUMENT_TIMESTAMP').length,
    problems,
  };
}
