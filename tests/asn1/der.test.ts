import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { bitString, childrenOf, context, enumerated, generalizedTime, header, implicitNull, integer, oid, readTlv, setOf, TAG, tlv } from '../../signer/cms/der.ts';
import { oid as pkiOids } from '../../signer/cms/oids.ts';

const asn1 = (block: { toBER(sizeOnly?: boolean): ArrayBuffer }): Buffer => Buffer.from(block.toBER(false));

// The hot-path DER helpers must encode exactly what asn1js (pkijs's encoder) encodes.
describe('DER helpers against asn1js', () => {
  it.each(['1.2.840.113549.1.9.16.2.47', '2.16.840.1.101.3.4.2.1', '1.2.840.10045.4.3.2', '2.999.1', '2.25.222510890950770474013960706078571116030.1'])('encodes OID %s', (dotted) => {
    expect(Buffer.from(oid(dotted))).toEqual(asn1(new asn1js.ObjectIdentifier({ value: dotted })));
  });

  it.each(Object.entries(pkiOids))('encodes the PKI\'s OID %s', (_name, dotted) => {
    expect(Buffer.from(oid(dotted))).toEqual(asn1(new asn1js.ObjectIdentifier({ value: dotted })));
  });

  it.each([0, 1, 127, 128, 255, 256, 65535, 2 ** 31])('encodes INTEGER %d', (n) => {
    expect(Buffer.from(integer(n))).toEqual(asn1(new asn1js.Integer({ value: n })));
  });

  it.each([0, 1, 6, 127, 128, 300])('encodes ENUMERATED %d', (n) => {
    expect(Buffer.from(enumerated(n))).toEqual(asn1(new asn1js.Enumerated({ value: n })));
  });

  it('encodes a BIT STRING with no unused bits, an [n] constructed tag and an [n] IMPLICIT NULL', () => {
    const bits = Uint8Array.of(0x80, 0x01, 0xff);
    expect(Buffer.from(bitString(bits))).toEqual(asn1(new asn1js.BitString({ valueHex: bits, unusedBits: 0 })));
    const inner = new asn1js.Integer({ value: 7 });
    expect(Buffer.from(context(3, asn1(inner)))).toEqual(asn1(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 3 }, value: [inner] })));
    expect(Buffer.from(implicitNull(2))).toEqual(asn1(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } })));
  });

  it('sorts SET OF elements by their encodings (X.690 §11.6)', () => {
    const a = tlv(TAG.OCTET_STRING, Uint8Array.of(1, 2));
    const b = tlv(TAG.OCTET_STRING, Uint8Array.of(1, 2, 0));
    const c = integer(5);
    expect(Buffer.from(setOf(a, b, c))).toEqual(Buffer.from(tlv(TAG.SET, c, a, b)));
  });

  it('encodes a big INTEGER magnitude with a leading zero only when the high bit is set', () => {
    expect(Buffer.from(integer(Uint8Array.of(0x00, 0x00, 0x7f)))).toEqual(Buffer.from([0x02, 0x01, 0x7f]));
    expect(Buffer.from(integer(Uint8Array.of(0xff, 0x01)))).toEqual(Buffer.from([0x02, 0x03, 0x00, 0xff, 0x01]));
  });

  it.each([0, 127, 128, 255, 256, 70000])('encodes a length of %d in short or long form', (length) => {
    const content = new Uint8Array(length);
    expect(Buffer.from(tlv(TAG.OCTET_STRING, content))).toEqual(asn1(new asn1js.OctetString({ valueHex: content })));
    expect(header(TAG.SEQUENCE, length).length).toBe(length < 128 ? 2 : length < 256 ? 3 : length < 65536 ? 4 : 5);
  });

  it.each([
    ['whole seconds', '2026-03-01T08:30:00.000Z', '20260301083000Z'],
    ['milliseconds, trailing zeros dropped', '2026-03-01T08:30:00.120Z', '20260301083000.12Z'],
  ])('writes GeneralizedTime with %s', (_name, iso, expected) => {
    const der = generalizedTime(new Date(iso));
    expect(Buffer.from(der.subarray(2)).toString('latin1')).toBe(expected);
    expect(der[0]).toBe(TAG.GENERALIZED_TIME);
  });

  it('walks what asn1js encoded, and refuses elements that run past their container', () => {
    const seq = asn1(new asn1js.Sequence({ value: [new asn1js.Integer({ value: 5 }), new asn1js.OctetString({ valueHex: new Uint8Array(300) })] }));
    const kids = childrenOf(seq, readTlv(seq, 0));
    expect(kids.map((k) => [k.tag, k.end - k.contentStart])).toEqual([[TAG.INTEGER, 1], [TAG.OCTET_STRING, 300]]);
    expect(() => readTlv(seq.subarray(0, 100), 0)).toThrow(RangeError);
  });
});
