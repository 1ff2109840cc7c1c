/**
 * Test OFD packages made here: a one-page document (GB/T 33190) and seals applied to it as
 * GB/T 38540 SES_Signature V4 over an SES_Seal V4, signed with sm-crypto-v2, the way seal
 * systems do it: each seal protects every file present when it is applied except the
 * Signatures.xml, and lists itself in Signatures.xml.
 */
import { hash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { zipSync } from 'fflate';
import { sm2Sign, SM2_WITH_SM3, type Sm2Identity } from './sm2-pki.ts';

/** Package entries by name, in the order they are zipped. */
export type OfdFiles = Map<string, Uint8Array>;

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';

export function pageContent(text: string): Uint8Array {
  return utf8(`<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page ${NS}><ofd:Content><ofd:Layer ID="3"><ofd:TextObject ID="4" Boundary="10 10 100 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">${text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`);
}

export function documentXml(pages: number): Uint8Array {
  const list = Array.from({ length: pages }, (_, i) => `<ofd:Page ID="${10 + i}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('');
  return utf8(`<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>${list}</ofd:Pages></ofd:Document>`);
}

function ofdXml(signatures: string | null): Uint8Array {
  return utf8(`<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>zy-test</ofd:DocID><ofd:Title>营业执照</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>${signatures ? `<ofd:Signatures>${signatures}</ofd:Signatures>` : ''}</ofd:DocBody></ofd:OFD>`);
}

/** A one-page unsigned OFD. */
export function newOfd(text = '电子证照 Electronic licence'): OfdFiles {
  return new Map([
    ['OFD.xml', ofdXml(null)],
    ['Doc_0/Document.xml', documentXml(1)],
    ['Doc_0/Pages/Page_0/Content.xml', pageContent(text)],
  ]);
}

export interface SealSpec {
  readonly signer: Sm2Identity;
  readonly maker: Sm2Identity;
  /** Certificates the seal lets use it. @default [signer] */
  readonly allowed?: readonly Uint8Array[];
  readonly name?: string;
  readonly validStart?: Date;
  readonly validEnd?: Date;
  /** TBS_Sign timeInfo. @default 2025-12-01 */
  readonly signedAt?: Date;
  /** Corrupt the maker's signature over the seal. */
  readonly breakMaker?: boolean;
  /** How the signer's SM2 signature is written, as seal systems in the wild do. @default 'der' */
  readonly signatureEncoding?: 'der' | 'raw' | 'unsigned-der';
  /** V4 only: makes the RFC 3161 token over the signature value (timeStamp [0]). */
  readonly timeStamp?: (signatureValue: Uint8Array) => Uint8Array;
  /** GB/T 38540 (V4) or GM/T 0031 (V1) structures. @default 'V4' */
  readonly version?: 'V4' | 'V1';
  /** Folder the Signatures.xml sits in. @default 'Doc_0/Signs' */
  readonly signsFolder?: string;
}

/** Applies a seal: returns new files (the input is not changed). */
export function applySeal(input: OfdFiles, spec: SealSpec): OfdFiles {
  const files = new Map(input);
  const folder = spec.signsFolder ?? 'Doc_0/Signs';
  const listName = `${folder}/Signatures.xml`;
  const existing = files.get(listName);
  const previous = existing ? [...Buffer.from(existing).toString('utf8').matchAll(/<ofd:Signature [^>]*\/>/g)].map((m) => m[0]) : [];
  const n = previous.length;
  if (!existing) files.set('OFD.xml', ofdXml(`/${listName}`));
  const signDir = `${folder}/Sign_${n}`;
  const references = [...files.keys()].filter((k) => k !== listName)
    .map((k) => `<ofd:Reference FileRef="/${k}"><ofd:CheckValue>${hash('sm3', files.get(k)!, 'base64')}</ofd:CheckValue></ofd:Reference>`).join('');
  const signedAt = spec.signedAt ?? new Date('2025-12-01T00:00:00Z');
  const signatureXml = utf8(`<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signature ${NS}><ofd:SignedInfo><ofd:Provider ProviderName="zhengyin-test" Version="1.0" Company="zhengyin"/><ofd:SignatureMethod>${SM2_WITH_SM3}</ofd:SignatureMethod><ofd:SignatureDateTime>${stamp(signedAt)}</ofd:SignatureDateTime><ofd:References CheckMethod="1.2.156.10197.1.401">${references}</ofd:References><ofd:StampAnnot ID="${n + 1}" PageRef="10" Boundary="100 100 40 40"/></ofd:SignedInfo><ofd:SignedValue>/${signDir}/SignedValue.dat</ofd:SignedValue></ofd:Signature>`);
  files.set(`${signDir}/Signature.xml`, signatureXml);
  const sign = spec.version === 'V1' ? sesSignatureV1 : sesSignatureV4;
  files.set(`${signDir}/SignedValue.dat`, sign(spec, hash('sm3', signatureXml, 'buffer'), signedAt));
  const entry = `<ofd:Signature ID="${n + 1}" Type="Seal" BaseLoc="Sign_${n}/Signature.xml"/>`;
  files.set(listName, utf8(`<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signatures ${NS}><ofd:MaxSignId>${n + 1}</ofd:MaxSignId>${[...previous, entry].join('')}</ofd:Signatures>`));
  return files;
}

/** GB/T 38540 SES_Signature V4 over an SES_Seal V4. */
/** SES_SealInfo: V4 with GeneralizedTime and certListType, V1 with UTCTime and a bare list. */
function sealInfoDer(spec: SealSpec, version: 4 | 1): Uint8Array {
  const time = version === 4 ? generalized : (d: Date) => new asn1js.UTCTime({ valueDate: d });
  const certs = new asn1js.Sequence({ value: (spec.allowed ?? [spec.signer.certificate]).map((c) => new asn1js.OctetString({ valueHex: c })) });
  return new Uint8Array(new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.IA5String({ value: 'ES' }), new asn1js.Integer({ value: version }), new asn1js.IA5String({ value: 'zhengyin-test' })] }),
      new asn1js.IA5String({ value: '11010000000001' }),
      new asn1js.Sequence({
        value: [
          new asn1js.Integer({ value: 1 }),
          new asn1js.Utf8String({ value: spec.name ?? '测试政务服务中心专用章' }),
          ...(version === 4 ? [new asn1js.Integer({ value: 1 })] : []),
          certs,
          time(new Date('2024-06-01T00:00:00Z')),
          time(spec.validStart ?? new Date('2024-06-01T00:00:00Z')),
          time(spec.validEnd ?? new Date('2029-06-01T00:00:00Z')),
        ],
      }),
      new asn1js.Sequence({
        value: [new asn1js.IA5String({ value: 'PNG' }), new asn1js.OctetString({ valueHex: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }), new asn1js.Integer({ value: 40 }), new asn1js.Integer({ value: 40 })],
      }),
    ],
  }).toBER(false));
}

/** GB/T 38540 SES_Signature V4 over an SES_Seal V4. */
export function sesSignatureV4(spec: SealSpec, dataHash: Buffer, signedAt: Date): Uint8Array {
  const sealInfo = sealInfoDer(spec, 4);
  const makerSig = sm2Sign(sealInfo, spec.maker.privateKey);
  if (spec.breakMaker) makerSig[makerSig.length - 3]! ^= 0x01;
  const seal = new asn1js.Sequence({
    value: [
      asn1js.fromBER(sealInfo).result,
      new asn1js.OctetString({ valueHex: spec.maker.certificate }),
      new asn1js.ObjectIdentifier({ value: SM2_WITH_SM3 }),
      new asn1js.BitString({ valueHex: makerSig }),
    ],
  });
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 4 }),
      seal,
      generalized(signedAt),
      new asn1js.BitString({ valueHex: dataHash }),
      new asn1js.IA5String({ value: '/Doc_0/Signs/Signatures.xml' }),
    ],
  });
  const tbsDer = new Uint8Array(tbs.toBER(false));
  const signature = encodeSignature(sm2Sign(tbsDer, spec.signer.privateKey, true), spec.signatureEncoding ?? 'der');
  return new Uint8Array(new asn1js.Sequence({
    value: [
      asn1js.fromBER(tbsDer).result,
      new asn1js.OctetString({ valueHex: spec.signer.certificate }),
      new asn1js.ObjectIdentifier({ value: SM2_WITH_SM3 }),
      new asn1js.BitString({ valueHex: signature }),
      ...(spec.timeStamp
        ? [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.BitString({ valueHex: spec.timeStamp(signature) })] })]
        : []),
    ],
  }).toBER(false));
}

/** r‖s as DER, as raw, or as DER whose INTEGERs drop the 0x00 pad a high bit needs. */
function encodeSignature(raw: Uint8Array, encoding: 'der' | 'raw' | 'unsigned-der'): Uint8Array {
  if (encoding === 'raw') return raw;
  const int = (v: Uint8Array): Buffer => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    const body = encoding === 'der' && v[i]! & 0x80 ? Buffer.concat([Buffer.from([0]), v.subarray(i)]) : Buffer.from(v.subarray(i));
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

/** GM/T 0031 SES_Signature V1: the maker signs SEQUENCE{sealInfo, cert, alg}; TBS_Sign holds the signer's certificate. */
export function sesSignatureV1(spec: SealSpec, dataHash: Buffer, signedAt: Date): Uint8Array {
  const sealInfo = asn1js.fromBER(sealInfoDer(spec, 1)).result;
  const makerCert = new asn1js.OctetString({ valueHex: spec.maker.certificate });
  const sm2 = (): asn1js.ObjectIdentifier => new asn1js.ObjectIdentifier({ value: SM2_WITH_SM3 });
  const makerSigned = new Uint8Array(new asn1js.Sequence({ value: [sealInfo, makerCert, sm2()] }).toBER(false));
  const makerSig = sm2Sign(makerSigned, spec.maker.privateKey);
  if (spec.breakMaker) makerSig[makerSig.length - 3]! ^= 0x01;
  const seal = new asn1js.Sequence({
    value: [asn1js.fromBER(sealInfoDer(spec, 1)).result, new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: spec.maker.certificate }), sm2(), new asn1js.BitString({ valueHex: makerSig })] })],
  });
  const tbsDer = new Uint8Array(new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      seal,
      new asn1js.BitString({ valueHex: Buffer.from(stamp(signedAt).replace(/[-:T]/g, ''), 'latin1') }),
      new asn1js.BitString({ valueHex: dataHash }),
      new asn1js.IA5String({ value: '/Doc_0/Signs/Signatures.xml' }),
      new asn1js.OctetString({ valueHex: spec.signer.certificate }),
      sm2(),
    ],
  }).toBER(false));
  const signature = encodeSignature(sm2Sign(tbsDer, spec.signer.privateKey, true), spec.signatureEncoding ?? 'der');
  return new Uint8Array(new asn1js.Sequence({ value: [asn1js.fromBER(tbsDer).result, new asn1js.BitString({ valueHex: signature })] }).toBER(false));
}

const generalized = (d: Date): asn1js.GeneralizedTime => new asn1js.GeneralizedTime({ valueDate: d });
const stamp = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** The zip of `files` (deflate, as seal systems write it). */
export function zipOfd(files: OfdFiles): Uint8Array {
  return zipSync(Object.fromEntries([...files].map(([k, v]) => [k, [v, { level: 6 }]])) as never);
}
