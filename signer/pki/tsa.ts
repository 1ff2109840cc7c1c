import * as asn1js from 'asn1js';
import { Accuracy, AlgorithmIdentifier, PKIStatus, PKIStatusInfo, TimeStampReq, TimeStampResp } from 'pkijs';
import { defaultDigest, digestAlgorithmIdentifier, digestFromOid, DIGESTS, hash } from '../cms/algorithms.ts';
import { signingCertificateV2 } from '../cms/attributes.ts';
import { encode, generalizedTime, integer, octetString, oid as oidDer, sequence, toArrayBuffer } from '../cms/der.ts';
import { oid } from '../cms/oids.ts';
import { encodeSignedDataContent, signerInfo } from '../cms/signed-data.ts';
import type { DigestAlgorithm, SigningKey, TimestampAuthority } from '../types.ts';
import { parseCertificate, type CertificateInfo } from './certificate-info.ts';
import { randomSerial, wholeSeconds } from './encoding.ts';
import { TimestampRejectedError } from './errors.ts';

/**
 * The TSA policy under which zhengyin issues time-stamps (RFC 3161 §2.4.2 `policy`): a
 * UUID-based OID (ITU-T X.667, arc 2.25), needing no registration.
 */
export const ZHENGYIN_TSA_POLICY = '2.25.222510890950770474013960706078571116030.1';

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export const tsaFailureBits = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const;
export type TsaFailure = keyof typeof tsaFailureBits;

export interface TimestampResponderOptions {
  /** The TSA certificate: extKeyUsage timeStamping, critical (RFC 3161 §2.3). */
  readonly certificate: Uint8Array | CertificateInfo;
  readonly key: SigningKey;
  /** @default ZHENGYIN_TSA_POLICY */
  readonly policy?: string;
  /** Stated accuracy of genTime. @default 1 second */
  readonly accuracySeconds?: number;
  /** The clock; a parameter so tests need no fake timers. @default () => new Date() */
  readonly clock?: () => Date;
}

export interface TokenRequest {
  /** The hash of the time-stamped data (messageImprint.hashedMessage). */
  readonly imprint: Uint8Array;
  readonly digest: DigestAlgorithm;
  readonly nonce?: asn1js.Integer;
  /** Put the TSA certificate into the token (RFC 3161 §2.4.1 certReq). */
  readonly certReq: boolean;
}

/** PKIStatusInfo { status granted } */
const GRANTED = sequence(integer(PKIStatus.granted));

class TsaRejection extends Error {
  constructor(
    readonly failure: TsaFailure,
    readonly text: string,
  ) {
    super(text);
  }
}

/**
 * An RFC 3161 time-stamp authority over one TSA key. `respond` answers DER TimeStampReqs
 * (the HTTP route); `token` serves in-process callers without encoding a request.
 * Tokens are CMS SignedData over TSTInfo with signed attributes contentType,
 * messageDigest and ESS signing-certificate-v2; genTime in whole seconds, a random
 * serial, the stated accuracy, the request's nonce echoed.
 */
export class TimestampResponder {
  readonly #tsa: CertificateInfo;
  readonly #key: SigningKey;
  readonly #policy: string;
  /** The policy as asn1js reads it back: arcs past 2^53 come out as '{hex}', so compare in that form. */
  readonly #policyAsParsed: string;
  readonly #accuracySeconds: number;
  readonly #clock: () => Date;
  readonly #essAttribute: Uint8Array;
  readonly #policyDer: Uint8Array;
  readonly #accuracyDer: Uint8Array;

  constructor(options: TimestampResponderOptions) {
    this.#tsa = options.certificate instanceof Uint8Array ? parseCertificate(options.certificate) : options.certificate;
    this.#key = options.key;
    this.#policy = options.policy ?? ZHENGYIN_TSA_POLICY;
    this.#policyAsParsed = (asn1js.fromBER(new asn1js.ObjectIdentifier({ value: this.#policy }).toBER()).result as asn1js.ObjectIdentifier).getValue();
    this.#accuracySeconds = options.accuracySeconds ?? 1;
    this.#clock = options.clock ?? (() => new Date());
    this.#essAttribute = signingCertificateV2(this.#tsa.der, 'SHA-256', this.#tsa.certificate);
    this.#policyDer = oidDer(this.#policy);
    this.#accuracyDer = encode(new Accuracy({ seconds: this.#accuracySeconds }).toSchema());
  }

  /** The TSA certificate, DER. */
  get certificate(): Uint8Array {
    return this.#tsa.der;
  }

  get policy(): string {
    return this.#policy;
  }

  /**
   * Answers a DER TimeStampReq with a DER TimeStampResp; bad requests get status
   * rejection with a failInfo (badDataFormat, badRequest, badAlg, unacceptedPolicy,
   * unacceptedExtension), never an exception.
   */
  async respond(requestDer: Uint8Array): Promise<Uint8Array> {
    try {
      const token = await this.#issue(this.#parse(requestDer));
      // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
      return sequence(GRANTED, token);
    } catch (e) {
      if (e instanceof TsaRejection) return rejection(e.failure, e.text);
      throw e;
    }
  }

  /**
   * A TimeStampToken (ContentInfo, DER).
   * @throws {@link TimestampRejectedError} The request is unacceptable, or the TSA certificate is outside its validity.
   */
  async token(request: TokenRequest): Promise<Uint8Array> {
    try {
      return await this.#issue(request);
    } catch (e) {
      if (e instanceof TsaRejection) throw new TimestampRejectedError({ status: PKIStatus.rejection, failInfo: [e.failure], message: `time-stamp refused: ${e.text}` });
      throw e;
    }
  }

  #parse(der: Uint8Array): TokenRequest {
    const asn1 = asn1js.fromBER(toArrayBuffer(der));
    if (asn1.offset === -1 || asn1.offset !== der.byteLength) throw new TsaRejection('badDataFormat', 'not a DER TimeStampReq');
    let request: TimeStampReq;
    try {
      request = new TimeStampReq({ schema: asn1.result });
    } catch {
      throw new TsaRejection('badDataFormat', 'not a TimeStampReq (RFC 3161 §2.4.1)');
    }
    if (request.version !== 1) throw new TsaRejection('badRequest', `unsupported version ${request.version}`);
    if (request.reqPolicy !== undefined && request.reqPolicy !== this.#policyAsParsed) {
      throw new TsaRejection('unacceptedPolicy', `policy ${request.reqPolicy} is not ${this.#policy}`);
    }
    if (request.extensions && request.extensions.length > 0) {
      throw new TsaRejection('unacceptedExtension', `extensions not supported: ${request.extensions.map((e) => e.extnID).join(', ')}`);
    }
    if (request.nonce && request.nonce.valueBlock.valueHexView.byteLength > 64) throw new TsaRejection('badRequest', 'nonce longer than 64 octets');
    return {
      imprint: request.messageImprint.hashedMessage.valueBlock.valueHexView,
      digest: this.#digestOf(request.messageImprint.hashAlgorithm),
      ...(request.nonce ? { nonce: request.nonce } : {}),
      certReq: request.certReq === true,
    };
  }

  #digestOf(algorithm: AlgorithmIdentifier): DigestAlgorithm {
    const digest = digestFromOid(algorithm.algorithmId);
    if (!digest) throw new TsaRejection('badAlg', `hash algorithm ${algorithm.algorithmId} not accepted (SHA-256, SHA-384, SHA-512)`);
    return digest;
  }

  async #issue(request: TokenRequest): Promise<Uint8Array> {
    if (request.imprint.byteLength !== DIGESTS[request.digest].length) {
      throw new TsaRejection('badDataFormat', `a ${request.digest} imprint has ${DIGESTS[request.digest].length} octets, not ${request.imprint.byteLength}`);
    }
    const now = this.#clock();
    if (now < this.#tsa.notBefore || now > this.#tsa.notAfter) throw new TsaRejection('timeNotAvailable', 'the TSA certificate is outside its validity period');
    // TSTInfo (RFC 3161 §2.4.2); ordering (DEFAULT FALSE) and tsa are absent.
    const tstInfo = sequence(
      integer(1),
      this.#policyDer,
      sequence(digestAlgorithmIdentifier(request.digest), octetString(request.imprint)),
      integer(randomSerial()),
      generalizedTime(wholeSeconds(now)),
      this.#accuracyDer,
      ...(request.nonce ? [encode(request.nonce)] : []),
    );
    const digest = defaultDigest(this.#key.algorithm);
    const signer = await signerInfo({
      signer: this.#tsa,
      key: this.#key,
      digest,
      contentType: oid.tstInfo,
      messageDigest: hash(digest, tstInfo),
      attributes: [this.#essAttribute],
    });
    return encodeSignedDataContent({
      eContentType: oid.tstInfo,
      eContent: tstInfo,
      digest,
      certificates: request.certReq ? [this.#tsa.der] : [],
      signerInfo: signer,
    });
  }
}

/** The service's own `TimestampAuthority`: tokens from a local `TimestampResponder`, always with the TSA certificate. */
export class LocalTimestampAuthority implements TimestampAuthority {
  readonly #responder: TimestampResponder;

  constructor(responder: TimestampResponder) {
    this.#responder = responder;
  }

  timestamp(imprint: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    return this.#responder.token({ imprint, digest, certReq: true });
  }
}

function rejection(failure: TsaFailure, text: string): Uint8Array {
  const bit = tsaFailureBits[failure];
  const bytes = new Uint8Array((bit >> 3) + 1);
  bytes[bit >> 3] = 0x80 >> (bit & 7);
  const status = new PKIStatusInfo({
    status: PKIStatus.rejection,
    statusStrings: [new asn1js.Utf8String({ value: text })],
    failInfo: new asn1js.BitString({ valueHex: toArrayBuffer(bytes), unusedBits: 7 - (bit & 7) }),
  });
  return encode(new TimeStampResp({ status }).toSchema());
}
