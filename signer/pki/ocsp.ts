import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, CertID, Extension, OCSPRequest } from 'pkijs';
import type { SigningKey } from '../types.ts';
import { defaultDigest, digestFromOid, signatureAlgorithm, signatureAlgorithmIdentifier } from '../cms/algorithms.ts';
import { parseCertificate, type CertificateInfo } from './certificate-info.ts';
import { serialInteger } from './crl.ts';
import { bitString, context, encode, enumerated, generalizedTime, implicitNull, octetString, oid as oidDer, sequence, toArrayBuffer } from '../cms/der.ts';
import { serialHex, wholeSeconds } from './encoding.ts';
import { oid } from '../cms/oids.ts';
import { countOcspRequests } from './ocsp-request-count.ts';
import { crlReasonCode, type CrlReason } from './revocation-reason.ts';

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
export const ocspResponseStatus = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;
export type OcspResponseStatus = keyof typeof ocspResponseStatus;

export type OcspCertStatus = { readonly status: 'good' } | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: CrlReason } | { readonly status: 'unknown' };

/** A CertID as the client sent it (RFC 6960 §4.1.1). */
export interface OcspCertId {
  /** 'SHA-1', 'SHA-256', … ; undefined for a hash the responder does not compute. */
  readonly hashAlgorithm: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** Serial number, hex as `serialHex` writes it. */
  readonly serial: string;
}

/** The key and certificate that sign responses for one CA: a delegated responder (RFC 6960 §4.2.2.2) or the CA itself. */
export interface OcspSigner {
  readonly certificate: Uint8Array | CertificateInfo;
  readonly key: SigningKey;
  /** Certificates sent along so a client can check a delegated responder (e.g. its issuing CA). */
  readonly chain?: readonly CertificateInfo[];
}

/** What the responder knows about one CA it answers for. */
export interface OcspIssuer {
  readonly signer: OcspSigner;
  status(serial: string): Promise<OcspCertStatus>;
  /** Optional: the statuses of several serials in one lookup (one query instead of one per CertID); `status` is used without it. */
  statuses?(serials: readonly string[]): Promise<ReadonlyMap<string, OcspCertStatus>>;
}

export interface OcspResponderOptions {
  /** The CA a CertID names, if the responder answers for it (see {@link certIdMatches}). */
  findIssuer(certId: OcspCertId): Promise<OcspIssuer | undefined>;
  /** producedAt and thisUpdate. */
  readonly now?: Date;
  /** nextUpdate − thisUpdate, ms; default one day. */
  readonly validityMs?: number;
  /** More CertIDs than this in one request answer malformedRequest; default 32. */
  readonly maxRequests?: number;
}

const nodeHash = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
/** CertIDs name their issuer by SHA-1 (RFC 5019) or a SHA-2; other digests are not computed here. */
const nodeHashOf = (digest: string | undefined): OcspCertId['hashAlgorithm'] => (digest && digest in nodeHash ? (digest as keyof typeof nodeHash) : undefined);
const DAY = 24 * 60 * 60 * 1000;

/**
 * Answers a DER OCSPRequest (RFC 6960 §4.1) with a DER OCSPResponse, never throwing for bad
 * input: unparsable requests, an empty request list, too many CertIDs or a nonce outside
 * 1-32 octets (RFC 8954 §2.1) get `malformedRequest`; a request whose first CertID names
 * a CA this responder does not serve gets `unauthorized` (RFC 5019 §2.2.3). Each CertID is
 * answered good, revoked or unknown; CertIDs of another CA than the first are unknown
 * (one response has one signer). The nonce extension is echoed. Signed with the issuer's
 * responder key through node:crypto; the responder certificate is included.
 */
export async function respondOcsp(requestDer: Uint8Array, options: OcspResponderOptions): Promise<Uint8Array> {
  const maxRequests = options.maxRequests ?? 32;
  // Count before parsing: the full parse of an over-long list costs what thirty answers do.
  const count = countOcspRequests(requestDer, maxRequests);
  if (count === undefined || count === 0 || count > maxRequests) return ocspErrorResponse('malformedRequest');
  const request = parseOcspRequest(requestDer);
  if (request === undefined || request.certIds.length === 0 || request.certIds.length > maxRequests) {
    return ocspErrorResponse('malformedRequest');
  }
  if (request.nonce && !validNonce(request.nonce)) return ocspErrorResponse('malformedRequest');
  const first = request.certIds[0]!;
  const issuer = await options.findIssuer(first.id);
  if (!issuer) return ocspErrorResponse('unauthorized');
  const signer = issuer.signer.certificate instanceof Uint8Array ? parseCertificate(issuer.signer.certificate) : issuer.signer.certificate;
  const ours: boolean[] = [];
  for (const { id } of request.certIds) ours.push(sameIssuerHashes(id, first.id) || (await sameSigner(await options.findIssuer(id), signer)));
  // One lookup per distinct serial, or one for all when the issuer can: a request repeating a serial costs no more.
  const serials = [...new Set(request.certIds.filter((_, i) => ours[i]).map(({ id }) => id.serial))];
  const statuses = issuer.statuses
    ? await issuer.statuses(serials)
    : new Map(await Promise.all(serials.map(async (serial) => [serial, await issuer.status(serial)] as const)));
  const answers = request.certIds.map(({ id, raw }, i) => ({
    certId: raw,
    status: (ours[i] && statuses.get(id.serial)) || ({ status: 'unknown' } as const),
  }));
  return buildOcspResponse({ signer: { certificate: signer, key: issuer.signer.key, chain: issuer.signer.chain ?? [] }, answers, nonce: request.nonce, now: options.now, validityMs: options.validityMs });
}

/**
 * A successful OCSPResponse for the given CertIDs and statuses: what `respondOcsp` sends,
 * and what a revocation source embeds for PAdES B-LT without a request.
 */
export async function buildOcspResponse(p: {
  readonly signer: { readonly certificate: CertificateInfo; readonly key: SigningKey; readonly chain?: readonly CertificateInfo[] };
  readonly answers: readonly { readonly certId: CertID; readonly status: OcspCertStatus }[];
  /** The request's nonce extension, echoed as is. */
  readonly nonce?: Extension | undefined;
  readonly now?: Date | undefined;
  readonly validityMs?: number | undefined;
}): Promise<Uint8Array> {
  const now = p.now ?? new Date();
  const nextUpdate = new Date(now.getTime() + (p.validityMs ?? DAY));
  const responses = p.answers.map((a) => sequence(encode(a.certId.toSchema()), certStatus(a.status), generalizedTime(wholeSeconds(now)), context(0, generalizedTime(wholeSeconds(nextUpdate)))));
  // ResponseData (RFC 6960 §4.2.1): version v1 (DEFAULT, absent), responderID byKey [2].
  const tbs = sequence(
    context(2, octetString(createHash('sha1').update(p.signer.certificate.publicKeyBits).digest())),
    generalizedTime(wholeSeconds(now)),
    sequence(...responses),
    ...(p.nonce ? [context(1, sequence(encode(p.nonce.toSchema())))] : []),
  );
  const digest = defaultDigest(p.signer.key.algorithm);
  const basic = sequence(
    tbs,
    signatureAlgorithmIdentifier(signatureAlgorithm(p.signer.key.algorithm, digest)),
    bitString(await p.signer.key.sign(tbs, digest)),
    context(0, sequence(p.signer.certificate.der, ...(p.signer.chain ?? []).map((c) => c.der))),
  );
  return sequence(enumerated(ocspResponseStatus.successful), context(0, sequence(oidDer(oid.ocspBasic), octetString(basic))));
}

/** An OCSPResponse carrying only an error status (RFC 6960 §4.2.1: no responseBytes). */
export function ocspErrorResponse(status: Exclude<OcspResponseStatus, 'successful'>): Uint8Array {
  return sequence(enumerated(ocspResponseStatus[status]));
}

/** The CertID (SHA-1 hashes, as RFC 5019 §2.1.1 asks for interoperability) of `certificate` issued by `issuer`. */
export function certIdFor(certificate: CertificateInfo, issuer: CertificateInfo): CertID {
  const sha1 = (bytes: Uint8Array) => toArrayBuffer(createHash('sha1').update(bytes).digest());
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithmId: oid.sha1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: sha1(issuer.subjectDer) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: sha1(issuer.publicKeyBits) }),
    serialNumber: serialInteger(certificate.serial),
  });
}

/** Whether a CertID names `ca` as the issuer: its name and key hash to the CertID's values. */
export function certIdMatches(certId: OcspCertId, ca: CertificateInfo): boolean {
  if (!certId.hashAlgorithm) return false;
  const h = nodeHash[certId.hashAlgorithm];
  return (
    Buffer.from(certId.issuerNameHash).equals(createHash(h).update(ca.subjectDer).digest()) &&
    Buffer.from(certId.issuerKeyHash).equals(createHash(h).update(ca.publicKeyBits).digest())
  );
}

/**
 * The DER request of an OCSP GET (RFC 6960 Appendix A.1): the path segment after the
 * responder URL, URL-decoded, is base64 of the DER. base64url is tolerated.
 */
export function decodeOcspGetRequest(segment: string): Uint8Array | undefined {
  const text = segment.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length === 0) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const sameIssuerHashes = (a: OcspCertId, b: OcspCertId): boolean =>
  a.hashAlgorithm === b.hashAlgorithm && Buffer.from(a.issuerNameHash).equals(b.issuerNameHash) && Buffer.from(a.issuerKeyHash).equals(b.issuerKeyHash);

async function sameSigner(other: OcspIssuer | undefined, signer: CertificateInfo): Promise<boolean> {
  if (!other) return false;
  const der = other.signer.certificate instanceof Uint8Array ? other.signer.certificate : other.signer.certificate.der;
  return Buffer.from(der).equals(signer.der);
}

interface ParsedRequest {
  readonly certIds: readonly { readonly id: OcspCertId; readonly raw: CertID }[];
  readonly nonce: Extension | undefined;
}

function parseOcspRequest(der: Uint8Array): ParsedRequest | undefined {
  const asn1 = asn1js.fromBER(toArrayBuffer(der));
  if (asn1.offset === -1 || asn1.offset !== der.byteLength) return undefined;
  try {
    const request = new OCSPRequest({ schema: asn1.result });
    return {
      certIds: request.tbsRequest.requestList.map((r) => ({ raw: r.reqCert, id: describeCertId(r.reqCert) })),
      nonce: request.tbsRequest.requestExtensions?.find((e) => e.extnID === oid.ocspNonce),
    };
  } catch {
    return undefined;
  }
}

function describeCertId(certId: CertID): OcspCertId {
  const algorithm = certId.hashAlgorithm.algorithmId;
  return {
    hashAlgorithm: algorithm === oid.sha1 ? 'SHA-1' : nodeHashOf(digestFromOid(algorithm)),
    issuerNameHash: certId.issuerNameHash.valueBlock.valueHexView,
    issuerKeyHash: certId.issuerKeyHash.valueBlock.valueHexView,
    serial: serialHex(certId.serialNumber),
  };
}

/** RFC 8954 §2.1: the nonce is an OCTET STRING of 1 to 32 octets. */
function validNonce(extension: Extension): boolean {
  const raw = extension.extnValue.valueBlock.valueHexView;
  const inner = asn1js.fromBER(toArrayBuffer(raw));
  const length = inner.offset === raw.byteLength && inner.result instanceof asn1js.OctetString ? inner.result.valueBlock.valueHexView.byteLength : raw.byteLength;
  return length >= 1 && length <= 32;
}

function certStatus(status: OcspCertStatus): Uint8Array {
  if (status.status === 'good') return implicitNull(0);
  if (status.status === 'unknown') return implicitNull(2);
  // revoked [1] IMPLICIT RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
  return context(
    1,
    generalizedTime(wholeSeconds(status.revokedAt)),
    ...(status.reason === 'unspecified' ? [] : [context(0, enumerated(crlReasonCode[status.reason]))]),
  );
}
