/**
 * RFC 3161 time-stamp tokens: the signature time-stamp over a SignerInfo's signature value
 * (RFC 3161 Appendix A; PAdES B-T) and document time-stamps over /ByteRange bytes
 * (ETSI EN 319 142-1 §5.4, SubFilter ETSI.RFC3161). A token proves a time only when its
 * imprint matches, its signature verifies and its TSA chains to a trust anchor.
 */
import { SignatureValidationError } from '../errors.ts';
import type { CertPool } from '../pki/cert-pool.ts';
import { validatePath, type PathContext } from '../pki/path-validation.ts';
import { failed, indeterminate, outcomeOf } from '../report/outcome.ts';
import type { FailedOrIndeterminate, TimestampDetails, TimestampReport } from '../report/types.ts';
import { digest, hashName, UnsupportedAlgorithmError } from './algorithms.ts';
import { checkSignerInfo } from './signer-info.ts';
import { CMS_OID, parseSignedData } from './signed-data.ts';
import { readTstInfo, type TstInfo } from './tst-info.ts';

export interface TimestampCheck {
  readonly report: TimestampReport;
  /** genTime, when the token passed. */
  readonly provenTime: Date | null;
}

/**
 * @param token - TimeStampToken DER (a ContentInfo).
 * @param imprinted - The bytes whose hash the token must carry.
 * @param poe - A time at which the token itself is proven to exist (a later document time-stamp), else null.
 */
export async function validateTimestamp(token: Uint8Array, imprinted: readonly Uint8Array[], poe: Date | null, ctx: PathContext & { pool: CertPool }): Promise<TimestampCheck> {
  const problems: string[] = [];
  // Object.assign, not `{ ...p, key }`: on Node 20 a spread followed by keys takes microseconds.
  const fail = (outcome: FailedOrIndeterminate, problem: string, p: Partial<TimestampDetails> = {}): TimestampCheck => ({
    report: Object.assign({ genTime: null, intact: false, tsa: null, certificatePath: [] }, p, outcome, { problems: [problem, ...problems] }),
    provenTime: null,
  });
  let cms;
  let info: TstInfo;
  try {
    cms = parseSignedData(token);
    if (cms.eContentType !== CMS_OID.tstInfo || !cms.eContent) throw new Error('the token does not encapsulate a TSTInfo');
    info = readTstInfo(cms.eContent);
  } catch (e) {
    return fail(failed('FORMAT_FAILURE'), `time-stamp token: ${e instanceof SignatureValidationError ? e.message : (e as Error).message}`);
  }
  const genTime = info.genTime;
  const genIso = Number.isNaN(genTime.getTime()) ? null : genTime.toISOString();
  let intact: boolean;
  try {
    const h = hashName(info.imprintAlgorithm);
    intact = digest(h, imprinted).equals(info.imprint);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) return fail(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), `time-stamp imprint: ${e.message}`, { genTime: genIso, intact: null });
    throw e;
  }
  for (const der of cms.certificates) ctx.pool.add(der, 'TIMESTAMP');
  for (const der of cms.crls) ctx.revocation.addCrl(der, 'SIGNATURE');
  for (const der of cms.ocspResponses) ctx.revocation.addOcsp(der, 'SIGNATURE');
  const signer = checkSignerInfo(cms, [cms.eContent!], ctx.pool.all());
  const tsa = signer.signer?.info() ?? null;
  if (!intact) return fail(failed('HASH_FAILURE'), 'the time-stamp imprint does not match the time-stamped data', { genTime: genIso, tsa });
  if (signer.failure) return fail(outcomeOf(signer.failure), `time-stamp token: ${signer.failure.message}`, { genTime: genIso, intact, tsa });
  if (signer.ess.status === 'absent') problems.push('the time-stamp token has no ESS signing-certificate attribute (RFC 3161 §2.4.1)');
  if (genIso === null || genTime.getTime() > ctx.at.getTime()) {
    return fail(failed('FORMAT_FAILURE'), 'the time-stamp genTime is missing or after the validation time', { genTime: genIso, intact, tsa });
  }
  const tsaCert = signer.signer!;
  if (genTime < tsaCert.notBefore) {
    return fail(failed('NOT_YET_VALID'), 'the time-stamp genTime is before the TSA certificate\'s validity', { genTime: genIso, intact, tsa });
  }
  if (genTime > tsaCert.notAfter) {
    return fail(indeterminate('OUT_OF_BOUNDS_NO_POE'), 'the time-stamp genTime is after the TSA certificate expired', { genTime: genIso, intact, tsa });
  }
  const path = await validatePath(tsaCert, 'tsa', poe, ctx);
  const certificatePath = path.path.map((c, i) => c.info(path.anchored && i === path.path.length - 1));
  problems.push(...path.problems);
  const passed = path.indication === 'TOTAL_PASSED';
  return {
    report: { ...outcomeOf(path), genTime: genIso, intact, tsa, certificatePath, problems },
    provenTime: passed ? genTime : null,
  };
}
