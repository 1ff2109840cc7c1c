/**
 * Validates one signature dictionary up to its indication (ETSI EN 319 102-1 §5.3 basic
 * signature validation, with the proof of existence of §5.5/§5.6 taken from signature and
 * document time-stamps). What changed after signing is judged separately (diff/).
 */
import { digest } from './cms/algorithms.ts';
import { checkSignerInfo, type SignerCheck } from './cms/signer-info.ts';
import { attributes, CMS_OID, parseSignedData, type ParsedSignedData } from './cms/signed-data.ts';
import { validateTimestamp, type TimestampCheck } from './cms/timestamp.ts';
import { SignatureValidationError } from './errors.ts';
import { PdfArray, PdfDict } from './pdf/objects.ts';
import { parsePdfDate, textOf } from './pdf/text.ts';
import type { Cert } from './pki/certificate.ts';
import { validatePath, type PathContext, type PathResult } from './pki/path-validation.ts';
import { failed, indeterminate, outcomeOf } from './report/outcome.ts';
import type { Outcome, TimestampReport } from './report/types.ts';
import { coveredBytes, type CoverageResult } from './signatures/byte-range.ts';
import type { FoundSignature } from './signatures/find-signatures.ts';

/** SHA-1 is not accepted for signatures without proof of existence before this date (ETSI TS 119 312). */
export const SHA1_SUNSET = new Date('2009-12-31T23:59:59Z');

const SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.sha1', 'ETSI.RFC3161']);
export const LEGACY_SUBFILTERS = new Set(['adbe.pkcs7.detached', 'adbe.pkcs7.sha1']);

export type SignatureCore = Outcome & SignatureCoreDetails;

interface SignatureCoreDetails {
  readonly intact: boolean | null;
  readonly valid: boolean;
  readonly problems: readonly string[];
  readonly signer: Cert | null;
  readonly signerCheck: SignerCheck | null;
  readonly path: PathResult | null;
  /** Signature time-stamp (or, for a document time-stamp, the token itself). */
  readonly timestamp: TimestampCheck | null;
  /** Earliest proven existence: own time-stamp, or a later document time-stamp. */
  readonly provenTime: Date | null;
  readonly claimedTime: Date | null;
  readonly certificationLevel: 1 | 2 | 3 | null;
}

export interface SignatureContext extends PathContext {
  /** Earliest genTime of valid document time-stamps over revisions after this signature's. */
  readonly poeFromLaterTimestamps: Date | null;
}

export async function validateSignature(found: FoundSignature, coverage: CoverageResult, bytes: Uint8Array, ctx: SignatureContext): Promise<SignatureCore> {
  const dict = found.dict;
  const subFilter = found.revision.deref(dict.get('SubFilter'));
  const subFilterName = textOf(subFilter);
  const claimedTime = parsePdfDate(textOf(found.revision.deref(dict.get('M'))));
  const certificationLevel = docMdpLevel(found);
  const problems: string[] = [];
  // Object.assign, not `{ ...p, key }`: on Node 20 a spread followed by keys takes microseconds.
  const result = (outcome: Outcome, p: Partial<SignatureCoreDetails> = {}): SignatureCore =>
    Object.assign(
      { intact: false, valid: false, signer: null, signerCheck: null, path: null, timestamp: null, provenTime: null, claimedTime, certificationLevel },
      p,
      outcome,
      { problems: [...(p.problems ?? []), ...problems] },
    );
  if (!subFilterName || !SUBFILTERS.has(subFilterName)) {
    return result(failed('FORMAT_FAILURE'), { problems: [`SubFilter ${subFilterName ?? '(none)'} is not supported`] });
  }
  const br = coverage.byteRange;
  // Even a rejected /ByteRange is hashed when it stays inside the file, to report intact/valid.
  const usable = br !== null && br.length === 4 && br[0]! + br[1]! <= br[2]! && br[2]! + br[3]! <= bytes.length;
  const parts = usable ? coveredBytes(bytes, br) : [];
  if (coverage.problem) problems.push(coverage.problem);
  if (!found.contents) return result(failed('FORMAT_FAILURE'), { problems: ['the signature dictionary has no /Contents string'] });

  if (found.kind === 'DOCUMENT_TIMESTAMP') {
    const ts = await validateTimestamp(found.contents.bytes, parts, ctx.poeFromLaterTimestamps, ctx);
    const r = ts.report;
    const signer = r.tsa ? ctx.pool.all().find((c) => c.sha256 === r.tsa!.sha256) ?? null : null;
    const base = { intact: r.intact, valid: r.subIndication !== 'SIG_CRYPTO_FAILURE' && r.tsa !== null, signer, timestamp: ts, problems: [...r.problems] };
    if (coverage.problem) return result(failed('FORMAT_FAILURE'), base);
    return result(outcomeOf(r), Object.assign(base, { provenTime: ts.provenTime }));
  }

  let cms: ParsedSignedData;
  try {
    cms = parseSignedData(found.contents.bytes);
  } catch (e) {
    if (e instanceof SignatureValidationError) return result(e.outcome, { problems: [e.message] });
    throw e;
  }
  for (const der of cms.certificates) ctx.pool.add(der, 'SIGNATURE');
  for (const der of cms.crls) ctx.revocation.addCrl(der, 'SIGNATURE');
  for (const der of cms.ocspResponses) ctx.revocation.addOcsp(der, 'SIGNATURE');

  let content: Uint8Array[] = parts;
  if (subFilterName === 'adbe.pkcs7.sha1') {
    // The signed content is the SHA-1 digest of the /ByteRange bytes (ISO 32000-1 §12.8.3.3.1).
    const expected = digest('sha1', parts);
    if (!cms.eContent || !expected.equals(Buffer.from(cms.eContent))) {
      return result(failed('HASH_FAILURE'), { problems: ['the encapsulated SHA-1 digest differs from the /ByteRange bytes'] });
    }
    content = [cms.eContent];
  } else if (cms.eContent !== undefined) {
    return result(failed('FORMAT_FAILURE'), { problems: [`${subFilterName} requires a detached signature; the CMS encapsulates content`] });
  } else if (cms.eContentType !== CMS_OID.data) {
    return result(failed('FORMAT_FAILURE'), { problems: [`eContentType ${cms.eContentType} is not id-data`] });
  }

  const check = checkSignerInfo(cms, content, ctx.pool.all());
  const signer = check.signer;
  const fields = { intact: check.intact, valid: check.valid, signer, signerCheck: check };
  // A /ByteRange that leaves shown bytes unsigned outranks what the CMS says about the rest.
  if (coverage.problem) return result(failed('FORMAT_FAILURE'), Object.assign({}, fields, { problems: check.failure ? [check.failure.message] : [] }));
  if (check.failure) return result(outcomeOf(check.failure), Object.assign({}, fields, { problems: [check.failure.message] }));
  if (subFilterName === 'ETSI.CAdES.detached' && check.ess.status === 'absent') {
    problems.push('no ESS signing-certificate(-v2) attribute: not PAdES baseline');
  }
  if (subFilterName === 'ETSI.CAdES.detached' && check.signingTime) {
    problems.push('a CMS signingTime attribute is present, which PAdES forbids (the claim is /M)');
  }

  const timestamp = await signatureTimestamp(cms, ctx);
  if (timestamp && timestamp.report.indication !== 'TOTAL_PASSED') {
    problems.push(`the signature time-stamp does not prove a time: ${timestamp.report.problems[0] ?? timestamp.report.subIndication}`);
  }
  const proofs = [timestamp?.provenTime ?? null, ctx.poeFromLaterTimestamps].filter((d): d is Date => d !== null);
  const provenTime = proofs.length > 0 ? new Date(Math.min(...proofs.map((d) => d.getTime()))) : null;
  const withTime = Object.assign({}, fields, { timestamp, provenTime, claimedTime: check.signingTime && !claimedTime ? check.signingTime : claimedTime });

  if (check.weakHashes.length > 0 && (!provenTime || provenTime > SHA1_SUNSET)) {
    return result(indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE'), {
      ...withTime,
      problems: [`${check.weakHashes.join(', ').toUpperCase()} is not accepted after ${SHA1_SUNSET.toISOString().slice(0, 10)} and nothing proves the signature existed before`],
    });
  }

  const path = await validatePath(signer!, 'signer', provenTime, ctx);
  return result(outcomeOf(path), Object.assign({}, withTime, { path, problems: [...path.problems] }));
}

/** The earliest valid RFC 3161 token among the signature-time-stamp attributes, else the first one. */
async function signatureTimestamp(cms: ParsedSignedData, ctx: SignatureContext): Promise<TimestampCheck | null> {
  const tokens = attributes(cms.unsignedAttributes, CMS_OID.timeStampToken).flatMap((a) => a.values);
  let first: TimestampCheck | null = null;
  let best: TimestampCheck | null = null;
  for (const token of tokens.slice(0, 8)) {
    const check = await validateTimestamp(token, [cms.signature], ctx.poeFromLaterTimestamps, ctx);
    first ??= check;
    if (check.provenTime && (!best || check.provenTime < best.provenTime!)) best = check;
  }
  return best ?? first;
}

/** /P of a DocMDP transform in the signature's /Reference (ISO 32000-1 §12.8.2.2), default 2. */
function docMdpLevel(found: FoundSignature): 1 | 2 | 3 | null {
  const rev = found.revision;
  const refs = rev.deref(found.dict.get('Reference'));
  if (!(refs instanceof PdfArray)) return null;
  for (const item of refs.items) {
    const ref = rev.deref(item);
    if (!(ref instanceof PdfDict) || rev.deref(ref.get('TransformMethod')) === undefined) continue;
    if (textOf(rev.deref(ref.get('TransformMethod'))) !== 'DocMDP') continue;
    const params = rev.deref(ref.get('TransformParams'));
    const p = params instanceof PdfDict ? rev.deref(params.get('P')) : undefined;
    return p === 1 || p === 3 ? p : 2;
  }
  return null;
}

export type { TimestampReport };
