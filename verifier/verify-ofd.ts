/**
 * `verifyOfd`: every signature of an OFD package (GB/T 33190) judged as GB/T 38540 and
 * GM/T 0031 describe, with outcomes in EN 319 102-1 terms and the report shape of
 * `verifyPdf`, plus what was changed or added after each signature.
 */
import { hash } from 'node:crypto';
import { LimitExceededError, OfdFormatError } from './errors.ts';
import { ofdModifications } from './ofd/modifications.ts';
import { OfdPackage } from './ofd/package.ts';
import { validateOfdSignature, type OfdSignatureCore } from './ofd/validate-ofd-signature.ts';
import type { PathContext } from './pki/path-validation.ts';
import { freeze } from './report/freeze.ts';
import { withDerivedStatus } from './report/outcome.ts';
import type { DocumentSummary, DocumentVerdict, SignatureReport, VerificationReport } from './report/types.ts';
import { unreadableReport } from './report/unreadable.ts';
import { verificationContext, type VerifyOptions } from './verify-options.ts';

/**
 * Verifies every signature in the OFD package `bytes`. Resolves to a report for any input:
 * a file that is not an OFD package, or a hostile one (zip bomb, entry names that climb
 * out), yields document verdict UNREADABLE (FORMAT_FAILURE).
 *
 * @throws {@link InvalidVerifyOptionError} as {@link verifyPdf} does.
 * @example
 * const report = await verifyOfd(ofd, { trust: [sm2RootPem], revocation: 'soft-fail' });
 */
export async function verifyOfd(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const ctx = verificationContext(bytes, options);
  const sha256 = hash('sha256', bytes, 'hex');
  try {
    return await verifyPackage(bytes, sha256, ctx);
  } catch (e) {
    if (e instanceof OfdFormatError || e instanceof LimitExceededError) {
      return unreadableReport(bytes, sha256, ctx.at, [e instanceof LimitExceededError ? `limit exceeded (${e.limit}): ${e.message}` : e.message]);
    }
    throw e;
  }
}

async function verifyPackage(bytes: Uint8Array, sha256: string, ctx: PathContext): Promise<VerificationReport> {
  const pkg = OfdPackage.open(bytes, ctx.budget);
  const cores: OfdSignatureCore[] = [];
  for (const found of pkg.signatures) cores.push(await validateOfdSignature(pkg, found, ctx));
  const entries = pkg.zip.names.filter((n) => !n.endsWith('/'));
  const signatures = cores.map((core, i): SignatureReport => {
    const found = pkg.signatures[i]!;
    const mods = ofdModifications(entries, pkg.signatureLists, cores, i);
    const path = core.path;
    return withDerivedStatus(Object.assign({}, core.outcome, {
      kind: 'SIGNATURE' as const,
      fieldName: found.entry ?? found.baseLoc,
      filter: `OFD Signature${found.id ? ` ID=${found.id}` : ''} Type=${found.type}`,
      subFilter: core.format,
      legacy: false,
      revision: i + 1,
      byteRange: null,
      coverage: 'REFERENCED_FILES' as const,
      intact: core.intact,
      valid: core.valid,
      signer: core.signer?.info() ?? null,
      digestAlgorithm: core.digestAlgorithm,
      signatureAlgorithm: core.signatureAlgorithm,
      claimedSigningTime: core.claimedTime?.toISOString() ?? null,
      provenSigningTime: core.provenTime?.toISOString() ?? null,
      timestamp: core.timestamp?.report ?? null,
      certificatePath: path ? path.path.map((c, k) => c.info(path.anchored && k === path.path.length - 1)) : [],
      revocation: path?.revocation ?? [],
      padesLevel: null,
      certificationLevel: null,
      modification: mods.level,
      modificationAllowed: mods.allowed,
      changes: mods.changes,
      reason: null,
      location: null,
      signerName: core.seal?.name ?? null,
      seal: core.seal,
      problems: [...core.problems, ...mods.notices],
    }));
  });
  return freeze({ document: summarize(bytes, sha256, signatures, [...pkg.problems]), signatures, validationTime: ctx.at.toISOString() });
}

function summarize(bytes: Uint8Array, sha256: string, signatures: readonly SignatureReport[], problems: string[]): DocumentSummary {
  const verdict: DocumentVerdict = signatures.length === 0 ? 'UNSIGNED'
    : signatures.some((s) => s.indication === 'TOTAL_FAILED' || !s.modificationAllowed) ? 'INVALID'
    : signatures.some((s) => s.indication === 'INDETERMINATE') ? 'INDETERMINATE'
    : 'VALID';
  return {
    verdict,
    indication: null,
    subIndication: null,
    size: bytes.length,
    sha256,
    // One state of the package per signature, as a PDF has one revision per signature.
    revisions: Math.max(1, signatures.length),
    signatureCount: signatures.length,
    documentTimestampCount: 0,
    problems,
  };
}
