/**
 * One OCSP response (RFC 6960) as revocation evidence: the answer must be signed by the
 * certificate's issuer or by a responder the issuer authorised (§4.2.2.2), and name the
 * certificate by issuer name hash, issuer key hash and serial (§4.1.1).
 */
import * as asn1js from 'asn1js';
import { BasicOCSPResponse, OCSPResponse, RelativeDistinguishedNames, type SingleResponse } from 'pkijs';
import { hashName, verifySignature } from '../cms/algorithms.ts';
import { Cert } from './certificate.ts';
import { keyUsageProblem } from './key-usage-policy.ts';
import type { RevocationAnswer } from './crl.ts';
import { REASONS } from './crl.ts';
import { rdnDer, sameName } from './names.ts';

const BASIC = '1.3.6.1.5.5.7.48.1.1';

export class Ocsp {
  readonly basic: BasicOCSPResponse;
  readonly #embedded: Cert[];
  readonly #verified = new Map<string, boolean>();

  private constructor(basic: BasicOCSPResponse) {
    this.basic = basic;
    this.#embedded = (basic.certs ?? []).flatMap((c) => {
      try {
        return [Cert.fromDer(new Uint8Array(c.toSchema().toBER()))];
      } catch {
        return [];
      }
    });
  }

  /** Reads an OCSPResponse (successful, basic) or a bare BasicOCSPResponse. */
  static fromDer(der: Uint8Array): Ocsp | undefined {
    try {
      const asn1 = asn1js.fromBER(der);
      if (asn1.offset === -1) return undefined;
      try {
        const resp = new OCSPResponse({ schema: asn1.result });
        if (resp.responseStatus.valueBlock.valueDec !== 0 || resp.responseBytes?.responseType !== BASIC) return undefined;
        const inner = asn1js.fromBER(resp.responseBytes.response.valueBlock.valueHexView);
        return new Ocsp(new BasicOCSPResponse({ schema: inner.result }));
      } catch {
        return new Ocsp(new BasicOCSPResponse({ schema: asn1.result }));
      }
    } catch {
      return undefined;
    }
  }

  answer(cert: Cert, issuer: Cert, at: Date, pool: readonly Cert[]): RevocationAnswer | undefined {
    const data = this.basic.tbsResponseData;
    if (data.producedAt.getTime() > at.getTime()) return undefined;
    const single = data.responses.find((r) => this.#names(r, cert, issuer));
    if (!single || single.thisUpdate.getTime() > at.getTime()) return undefined;
    if (!this.#signedFor(issuer, pool)) return undefined;
    const thisUpdate = single.thisUpdate;
    const nextUpdate = single.nextUpdate ?? null;
    const status = single.certStatus as asn1js.BaseBlock;
    if (status.idBlock.tagNumber === 0) return { type: 'OCSP', status: 'GOOD', thisUpdate, nextUpdate, revocationTime: null, reason: null, coversExpiredSince: null };
    if (status.idBlock.tagNumber === 1) {
      const parts = (status as asn1js.Constructed).valueBlock.value;
      const time = parts[0] instanceof asn1js.GeneralizedTime ? parts[0].toDate() : null;
      if (!time) return undefined;
      const reasonBlock = parts[1] as asn1js.Constructed | undefined;
      const reasonValue = (reasonBlock?.valueBlock.value?.[0] as asn1js.Enumerated | undefined)?.valueBlock.valueDec;
      const reason = reasonValue === undefined ? null : REASONS[reasonValue] ?? null;
      return { type: 'OCSP', status: 'REVOKED', thisUpdate, nextUpdate, revocationTime: time, reason, coversExpiredSince: null };
    }
    return undefined; // unknown
  }

  #names(r: SingleResponse, cert: Cert, issuer: Cert): boolean {
    try {
      const id = r.certID;
      const h = hashName(id.hashAlgorithm.algorithmId);
      return (
        Buffer.from(id.serialNumber.valueBlock.valueHexView).equals(Buffer.from(cert.serial)) &&
        Buffer.from(id.issuerNameHash.valueBlock.valueHexView).equals(issuer.nameHash(h)) &&
        Buffer.from(id.issuerKeyHash.valueBlock.valueHexView).equals(issuer.keyHash(h))
      );
    } catch {
      return false;
    }
  }

  /** Signed by the issuer itself, or by a delegated responder the issuer certified. */
  #signedFor(issuer: Cert, pool: readonly Cert[]): boolean {
    const cached = this.#verified.get(issuer.sha256);
    if (cached !== undefined) return cached;
    const rid = this.basic.tbsResponseData.responderID as unknown;
    const named = (c: Cert): boolean =>
      rid instanceof RelativeDistinguishedNames
        ? sameName(rdnDer(rid), c.subjectDer)
        : rid instanceof asn1js.OctetString && Buffer.from(rid.valueBlock.valueHexView).equals(c.keyHash('sha1'));
    const producedAt = this.basic.tbsResponseData.producedAt;
    const candidates = [issuer, ...this.#embedded, ...pool].filter(named);
    let ok = false;
    for (const c of candidates) {
      const delegated = !c.sameKey(issuer);
      if (delegated) {
        if (!c.issuedBy(issuer) || keyUsageProblem(c, 'ocsp')) continue;
        if (producedAt < c.notBefore || producedAt > c.notAfter) continue;
      }
      try {
        if (verifySignature(this.basic.signatureAlgorithm, undefined, this.basic.tbsResponseData.tbsView, this.basic.signature.valueBlock.valueHexView, c.publicKey)) {
          ok = true;
          break;
        }
      } catch {
        // unsupported algorithm: this response cannot be used
      }
    }
    this.#verified.set(issuer.sha256, ok);
    return ok;
  }
}
