/** One-line summaries and the human-readable text of a {@link VerificationReport}. */
import type { CertificateInfo, FailedSubIndication, SignatureReport, VerificationReport } from './types.ts';

/**
 * Machine-parsable one-liner for a signature (after pyHanko's `summary()`):
 * `INVALID`, or `INTACT:` + TRUSTED|REVOKED|UNTRUSTED + `,` + UNTOUCHED | EXTENDED_WITH_<level> |
 * ILLEGAL_MODIFICATIONS, e.g. `INTACT:TRUSTED,UNTOUCHED`, `INTACT:REVOKED,UNTOUCHED`. A
 * TOTAL_FAILED outcome other than a certificate's status (revoked, expired, not yet valid)
 * is INVALID: the bytes or the signature itself are wrong.
 */
export function summary(s: SignatureReport): string {
  // Unknown integrity (an unsupported digest) is not INTACT either.
  if (!s.intact || !s.valid) return 'INVALID';
  if (s.indication === 'TOTAL_FAILED' && !CERTIFICATE_STATUS.has(s.subIndication)) return 'INVALID';
  const trust = s.trusted ? 'TRUSTED' : s.revoked ? 'REVOKED' : 'UNTRUSTED';
  const change = !s.modificationAllowed ? 'ILLEGAL_MODIFICATIONS' : s.modification === 'NONE' ? 'UNTOUCHED' : `EXTENDED_WITH_${s.modification}`;
  return `INTACT:${trust},${change}`;
}

const CERTIFICATE_STATUS = new Set<FailedSubIndication>(['REVOKED', 'EXPIRED', 'NOT_YET_VALID']);

/** `VALID`, `UNSIGNED`, … followed by each signature's {@link summary}, e.g. `VALID Sig1=INTACT:TRUSTED,UNTOUCHED`. */
export function documentSummary(r: VerificationReport): string {
  return [r.document.verdict, ...r.signatures.map((s) => `${s.fieldName ?? '(no field)'}=${summary(s)}`)].join(' ');
}

/** A report as text for a clerk: the verdict first, then each signature. */
export function renderText(r: VerificationReport, fileName?: string): string {
  const d = r.document;
  const lines: string[] = [];
  lines.push(`${fileName ? `${fileName}: ` : ''}${d.verdict}${d.subIndication ? ` (${d.indication}/${d.subIndication})` : ''}`);
  lines.push(`  ${d.signatureCount} signature(s), ${d.documentTimestampCount} document time-stamp(s), ${d.revisions} revision(s), ${d.size} bytes, sha256 ${d.sha256}`);
  lines.push(`  validation time ${r.validationTime}`);
  for (const p of d.problems) lines.push(`  ! ${p}`);
  r.signatures.forEach((s, i) => {
    lines.push('');
    const what = s.kind === 'DOCUMENT_TIMESTAMP' ? 'Document time-stamp' : 'Signature';
    lines.push(`${what} ${i + 1} of ${r.signatures.length}: ${s.fieldName ? `field "${s.fieldName}"` : 'no field'}, ${s.subFilter ?? 'no SubFilter'}${s.legacy ? ' (legacy)' : ''}`);
    lines.push(`  result        ${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}  [${summary(s)}]`);
    lines.push(`  coverage      ${s.coverage}${s.revision ? `, revision ${s.revision} of ${d.revisions}` : ''}`);
    lines.push(`  intact/valid  ${yes(s.intact)}/${yes(s.valid)}${s.digestAlgorithm ? `  (${s.digestAlgorithm}, ${s.signatureAlgorithm})` : ''}`);
    if (s.signer) lines.push(`  signer        ${s.signer.subject}`, `  issuer        ${s.signer.issuer}`);
    if (s.claimedSigningTime) lines.push(`  claimed time  ${s.claimedSigningTime} (not proven)`);
    lines.push(`  proven time   ${s.provenSigningTime ?? 'none'}`);
    if (s.timestamp) {
      const t = s.timestamp;
      lines.push(`  time-stamp    ${t.genTime ?? '?'} by ${t.tsa?.subject ?? 'unknown TSA'}: ${t.indication}${t.subIndication ? `/${t.subIndication}` : ''}`);
    }
    if (s.certificatePath.length > 0) lines.push(`  path          ${s.certificatePath.map(certLabel).join(' <- ')}`);
    for (const c of s.revocation) {
      lines.push(`  revocation    ${c.subject}: ${c.status}${c.revocationTime ? ` since ${c.revocationTime}` : ''} (${c.type} from ${c.source}, ${c.thisUpdate})`);
    }
    if (s.seal) {
      const e = s.seal;
      lines.push(`  seal          ${e.name ?? '(no name)'}${e.esId ? ` [${e.esId}]` : ''}, ${e.format}, valid ${e.validStart ?? '?'} to ${e.validEnd ?? '?'}`);
      lines.push(`  seal maker    ${e.maker?.subject ?? 'unreadable'}: signature ${e.makerSignatureValid ? 'verifies' : 'DOES NOT verify'}${e.makerIndication ? `, path ${e.makerIndication}${e.makerSubIndication ? `/${e.makerSubIndication}` : ''}` : ''}`);
      lines.push(`  signer bound  ${yes(e.signerBound)}${e.timeStamped ? ', time-stamped' : ''}`);
    }
    if (s.padesLevel) lines.push(`  PAdES level   ${s.padesLevel}`);
    if (s.certificationLevel) lines.push(`  certification DocMDP P=${s.certificationLevel}`);
    lines.push(`  changed after ${s.modification} (${s.modificationAllowed ? 'allowed' : 'NOT allowed'})`);
    for (const c of s.changes) lines.push(`    - ${c}`);
    if (s.reason) lines.push(`  reason        ${s.reason}`);
    if (s.location) lines.push(`  location      ${s.location}`);
    for (const p of s.problems) lines.push(`  ! ${p}`);
  });
  return lines.join('\n') + '\n';
}

const yes = (b: boolean | null): string => (b === null ? 'unknown' : b ? 'yes' : 'no');

function certLabel(c: CertificateInfo): string {
  return `${c.commonName ?? c.subject}${c.trustAnchor ? ' (trust anchor)' : ''}`;
}
