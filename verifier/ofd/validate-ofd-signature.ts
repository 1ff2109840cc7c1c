/**
 * Judges one OFD signature (GB/T 38540-2020 §8 verification; GM/T 0031-2014 §8): the
 * digests of the files it protects, dataHash over the raw Signature.xml, the signer's
 * signature over TBS_Sign, the seal maker's signature, the seal's validity dates, the
 * signer's certificate bound in the seal, and both certificate paths (EN 319 102-1
 * §5.2.6). What changed after signing is judged for the whole package (modifications.ts).
 */
import { hash } from 'node:crypto';
import { AlgorithmIdentifier } from 'pkijs';
import { signatureAlgorithmName, signatureHash, UnsupportedAlgorithmError, verifySignature } from '../cms/algorithms.ts';
import { SM2_OID } from '../cms/sm2.ts';
import { validateTimestamp, type TimestampCheck } from '../cms/timestamp.ts';
import { LimitExceededError, OfdFormatError } from '../errors.ts';
import { Cert } from '../pki/certificate.ts';
import { validatePath, type PathContext, type PathResult } from '../pki/path-validation.ts';
import { failed, indeterminate, outcomeOf, PASSED } from '../report/outcome.ts';
import type { Outcome, SealReport } from '../report/types.ts';
import { checkDigitalSign } from './digital-sign.ts';
import type { FoundOfdSignature, OfdPackage } from './package.ts';
import { parseSesSignature, type SesSeal, type SesSignature } from './ses.ts';
import { readSignatureXml, type OfdSignatureXml } from './signature-xml.ts';

export interface OfdSignatureCore {
  readonly outcome: Outcome;
  readonly intact: boolean | null;
  readonly valid: boolean;
  readonly signer: Cert | null;
  readonly path: PathResult | null;
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string | null;
  readonly format: string | null;
  readonly claimedTime: Date | null;
  readonly provenTime: Date | null;
  readonly timestamp: TimestampCheck | null;
  readonly seal: SealReport | null;
  /** Entries the References protect (those that exist). */
  readonly protectedEntries: ReadonlySet<string>;
  /** Entries that make up this signature: Signature.xml, its signed value and seal file. */
  readonly ownEntries: ReadonlySet<string>;
  /** Protected files whose bytes differ from their digest, or that are gone. */
  readonly changed: readonly string[];
  readonly problems: readonly string[];
}

/** CheckMethod values seen in the wild, by OID and by name. */
const CHECK_METHODS: Record<string, 'sm3' | 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5'> = {
  [SM2_OID.sm3]: 'sm3', sm3: 'sm3',
  '2.16.840.1.101.3.4.2.1': 'sha256', sha256: 'sha256', 'sha-256': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384', sha384: 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512', sha512: 'sha512',
  '1.3.14.3.2.26': 'sha1', sha1: 'sha1', 'sha-1': 'sha1',
  '1.2.840.113549.2.5': 'md5', md5: 'md5',
};
const WEAK = new Set(['sha1', 'md5']);

/** OIDs some seal systems write for SM2 with SM3. */
const SM2_ALIASES = new Set([SM2_OID.sm2WithSm3, '1.2.156.10197.1.301.1', '1.2.156.10197.1.301']);

export async function validateOfdSignature(pkg: OfdPackage, found: FoundOfdSignature, ctx: PathContext): Promise<OfdSignatureCore> {
  const problems: string[] = [];
  const own = new Set<string>(found.entry ? [found.entry] : []);
  const protectedEntries = new Set<string>();
  const changed: string[] = [];
  const base = {
    intact: false as boolean | null, valid: false, signer: null as Cert | null, path: null as PathResult | null, digestAlgorithm: null as string | null,
    signatureAlgorithm: null as string | null, format: null as string | null, claimedTime: null as Date | null, provenTime: null as Date | null,
    timestamp: null as TimestampCheck | null, seal: null as SealReport | null, protectedEntries, ownEntries: own, changed, problems,
  };
  const done = (outcome: Outcome, problem?: string): OfdSignatureCore => {
    if (problem) problems.unshift(problem);
    return Object.assign(base, { outcome: outcomeOf(outcome) });
  };
  if (!found.entry) return done(failed('FORMAT_FAILURE'), `Signatures.xml lists BaseLoc ${found.baseLoc || '(none)'}, which is not in the package`);

  let xml: OfdSignatureXml;
  let xmlBytes: Uint8Array;
  try {
    xmlBytes = pkg.zip.read(found.entry);
    xml = readSignatureXml(xmlBytes, found.entry);
  } catch (e) {
    if (e instanceof OfdFormatError) return done(failed('FORMAT_FAILURE'), e.message);
    throw e;
  }
  base.claimedTime = xml.signatureDateTime;
  const signedValueEntry = pkg.resolve(xml.signedValue, found.entry);
  if (signedValueEntry) own.add(signedValueEntry);
  const sealEntry = xml.sealBaseLoc ? pkg.resolve(xml.sealBaseLoc, found.entry) : undefined;
  if (sealEntry) own.add(sealEntry);

  // 1. The protected files (GB/T 38540 §8.3 b).
  const method = CHECK_METHODS[xml.checkMethod.toLowerCase()];
  if (!method) return done(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), `References CheckMethod ${xml.checkMethod} is not supported`);
  base.digestAlgorithm = method.toUpperCase().replace(/^SHA/, 'SHA-');
  if (xml.references.length === 0) return done(failed('FORMAT_FAILURE'), 'the signature protects no file (no Reference)');
  for (const ref of xml.references) {
    ctx.budget.checkTime();
    const entry = pkg.resolve(ref.fileRef, found.entry);
    if (!entry) {
      changed.push(`${ref.fileRef}: protected by the signature, no longer in the package`);
      continue;
    }
    protectedEntries.add(entry);
    const actual = hash(method, pkg.zip.read(entry), 'buffer');
    if (ref.checkValue && actual.equals(ref.checkValue)) continue;
    changed.push(pkg.signatureLists.includes(entry)
      ? `${entry}: the signature list this signature protects (no seal may follow it) changed after signing`
      : `${entry}: changed after signing (its ${base.digestAlgorithm} differs from the signed CheckValue)`);
  }
  base.intact = changed.length === 0;

  if (!signedValueEntry) return done(failed('FORMAT_FAILURE'), `SignedValue ${xml.signedValue} is not in the package`);
  if (found.type.toLowerCase() === 'sign') {
    const check = checkDigitalSign(pkg.zip.read(signedValueEntry), xmlBytes, xml.signatureMethod, ctx.pool);
    base.format = `${check.format} (Type=Sign)`;
    base.signer = check.signer;
    base.valid = check.valid;
    base.signatureAlgorithm = check.signatureAlgorithm;
    if (changed.length > 0) return done(failed('HASH_FAILURE'), `${changed.length} protected file(s) changed or gone: ${changed[0]}`);
    if (check.failure) return done(check.failure, check.failure.message);
    if (WEAK.has(method)) return done(indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE'), `the References use ${method.toUpperCase()}, which is not accepted`);
    const path = await validatePath(check.signer!, 'signer', null, ctx);
    base.path = path;
    problems.push(...path.problems);
    return done(path);
  }
  let ses: SesSignature;
  try {
    ses = parseSesSignature(pkg.zip.read(signedValueEntry), signedValueEntry);
  } catch (e) {
    if (e instanceof OfdFormatError) return done(failed('FORMAT_FAILURE'), e.message);
    throw e;
  }
  base.format = ses.version === 'V4' ? 'GB/T 38540 SES_Signature V4' : 'GM/T 0031 SES_Signature V1';
  base.claimedTime = ses.timeInfo ?? xml.signatureDateTime;

  // 2. dataHash: the hash of the raw Signature.xml bytes, no canonicalisation.
  const algorithm = SM2_ALIASES.has(ses.algorithm) ? SM2_OID.sm2WithSm3 : ses.algorithm;
  const alg = new AlgorithmIdentifier({ algorithmId: algorithm });
  base.signatureAlgorithm = signatureAlgorithmName(alg);
  let dataHashName: string;
  try {
    dataHashName = signatureHash(alg);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) return done(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), `signer: ${e.message}`);
    throw e;
  }
  const dataHashOk = hash(dataHashName, xmlBytes, 'buffer').equals(ses.dataHash);
  if (!dataHashOk) base.intact = false;

  // 3. The signer's signature over TBS_Sign.
  let signer: Cert;
  try {
    signer = Cert.fromDer(ses.signerCertificate);
  } catch {
    return done(failed('FORMAT_FAILURE'), 'the signer certificate in the SES_Signature is not an X.509 certificate with a readable key');
  }
  base.signer = ctx.pool.addCert(signer, 'SIGNATURE');
  let signatureOk: boolean;
  try {
    signatureOk = verifySignature(alg, undefined, ses.tbs, ses.signature, signer.publicKey);
  } catch (e) {
    if (e instanceof UnsupportedAlgorithmError) return done(indeterminate('CRYPTO_CONSTRAINTS_FAILURE'), `signer: ${e.message}`);
    throw e;
  }
  base.valid = signatureOk;

  // 4. The seal: its maker's signature, the signer bound in it, its dates.
  const seal = await judgeSeal(ses, signer, ctx);
  base.seal = seal.report;

  // 5. A time-stamp over the signature value (GB/T 38540 §7.2 timeStamp).
  if (ses.timeStamp) {
    try {
      base.timestamp = await validateTimestamp(ses.timeStamp, [ses.signature], null, ctx);
      if (base.timestamp.provenTime) base.provenTime = base.timestamp.provenTime;
      else problems.push(`the time-stamp does not prove a time: ${base.timestamp.report.problems[0] ?? base.timestamp.report.subIndication}`);
    } catch (e) {
      if (e instanceof LimitExceededError) throw e;
      problems.push(`the time-stamp could not be read: ${(e as Error).message}`);
    }
  }

  if (changed.length > 0) return done(failed('HASH_FAILURE'), `${changed.length} protected file(s) changed or gone: ${changed[0]}`);
  if (!dataHashOk) return done(failed('HASH_FAILURE'), `dataHash is not the ${dataHashName.toUpperCase()} of ${found.entry} as stored: the Signature.xml was changed or swapped`);
  if (!signatureOk) return done(failed('SIG_CRYPTO_FAILURE'), 'the signer\'s signature over TBS_Sign does not verify with the signer certificate');
  if (!seal.report.makerSignatureValid) return done(failed('SIG_CRYPTO_FAILURE'), seal.makerProblem ?? 'the seal maker\'s signature over the seal does not verify');
  if (WEAK.has(method)) return done(indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE'), `the References use ${method.toUpperCase()}, which is not accepted`);
  const dates = sealDates(ses.seal, base.claimedTime, base.provenTime, ctx.at);
  if (dates) return done(dates.outcome, dates.problem);
  if (!seal.report.signerBound) return done(indeterminate('SIG_CONSTRAINTS_FAILURE'), 'the signer certificate is not among the certificates the seal allows to use it');

  const path = await validatePath(signer, 'signer', base.provenTime, ctx);
  base.path = path;
  problems.push(...path.problems);
  if (path.indication !== 'TOTAL_PASSED') return done(path);
  if (seal.makerPath && seal.makerPath.indication !== 'TOTAL_PASSED') {
    return done(seal.makerPath, `seal maker: ${seal.makerPath.problems[0] ?? seal.makerPath.subIndication}`);
  }
  return done(PASSED);
}

interface SealJudgement {
  readonly report: SealReport;
  readonly makerPath: PathResult | null;
  readonly makerProblem: string | undefined;
}

async function judgeSeal(ses: SesSignature, signer: Cert, ctx: PathContext): Promise<SealJudgement> {
  const s = ses.seal;
  let maker: Cert | null = null;
  let makerProblem: string | undefined;
  let makerValid = false;
  let makerPath: PathResult | null = null;
  try {
    maker = ctx.pool.addCert(Cert.fromDer(s.makerCertificate), 'SIGNATURE');
  } catch {
    makerProblem = 'the seal maker certificate is not an X.509 certificate with a readable key';
  }
  if (maker) {
    const algorithm = SM2_ALIASES.has(s.makerAlgorithm) ? SM2_OID.sm2WithSm3 : s.makerAlgorithm;
    try {
      makerValid = verifySignature(new AlgorithmIdentifier({ algorithmId: algorithm }), undefined, s.makerSigned, s.makerSignature, maker.publicKey);
      if (!makerValid) makerProblem = 'the seal maker\'s signature over the seal information does not verify: the seal was altered or forged';
    } catch (e) {
      if (!(e instanceof UnsupportedAlgorithmError)) throw e;
      makerProblem = `seal maker: ${e.message}`;
    }
    if (makerValid) makerPath = await validatePath(maker, 'signer', null, ctx);
  }
  const report: SealReport = {
    format: s.version === 'V4' ? 'GB/T 38540 SES_Seal V4' : 'GM/T 0031 SES_Seal V1',
    esId: s.esId,
    name: s.name,
    type: s.type,
    vendorId: s.vendorId,
    createDate: s.createDate?.toISOString() ?? null,
    validStart: s.validStart?.toISOString() ?? null,
    validEnd: s.validEnd?.toISOString() ?? null,
    maker: maker?.info() ?? null,
    makerSignatureValid: makerValid,
    makerIndication: makerPath?.indication ?? null,
    makerSubIndication: makerPath?.subIndication ?? null,
    makerPath: makerPath ? makerPath.path.map((c, i) => c.info(makerPath!.anchored && i === makerPath!.path.length - 1)) : [],
    signerBound: signerBound(s, signer),
    timeStamped: ses.timeStamp !== null,
  };
  return { report, makerPath, makerProblem };
}

const DIGEST_NAMES: Record<string, string> = { sm3: 'sm3', [SM2_OID.sm3]: 'sm3', sha1: 'sha1', 'sha-1': 'sha1', sha256: 'sha256', 'sha-256': 'sha256', '2.16.840.1.101.3.4.2.1': 'sha256' };

function signerBound(seal: SesSeal, signer: Cert): boolean {
  if (seal.signerCertificates.some((der) => Buffer.from(der).equals(Buffer.from(signer.der)))) return true;
  return seal.signerCertificateDigests.some((d) => {
    const name = DIGEST_NAMES[d.type.trim().toLowerCase()];
    return name !== undefined && signer.digest(name).equals(Buffer.from(d.value));
  });
}

/** The seal's validity against the signing time: claimed outside is a failure; unproven and outside now is indeterminate. */
function sealDates(seal: SesSeal, claimed: Date | null, proven: Date | null, at: Date): { outcome: Outcome; problem: string } | undefined {
  const { validStart: start, validEnd: end } = seal;
  const window = `valid ${start?.toISOString() ?? '?'} to ${end?.toISOString() ?? '?'}`;
  if (!start || !end) return { outcome: failed('FORMAT_FAILURE'), problem: 'the seal has no readable validity dates' };
  const signed = proven ?? claimed;
  if (signed && signed > end) return { outcome: failed('EXPIRED'), problem: `the seal (${window}) had expired at the signing time ${signed.toISOString()}${proven ? '' : ' the signature claims'}` };
  if (signed && signed < start) return { outcome: failed('NOT_YET_VALID'), problem: `the seal (${window}) was not yet valid at the signing time ${signed.toISOString()}` };
  if (!proven && (at > end || at < start)) {
    return { outcome: indeterminate('OUT_OF_BOUNDS_NO_POE'), problem: `the seal (${window}) is not valid at ${at.toISOString()} and no time-stamp proves the signature existed within its validity` };
  }
  return undefined;
}
