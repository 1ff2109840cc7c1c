/**
 * A licence as an OFD package (GB/T 33190; the file of GB/T 36905 电子证照): the same face
 * as the PDF (signer/render/face-layout.ts lays out both), the subset CJK fonts embedded as
 * document resources, the QR code as vector paths, the GB/T 36903 metadata in DocInfo's
 * CustomDatas and as the attachment `licence.json`, and the GB/T 36904 identifier printed,
 * in the metadata and as DocInfo's Subject and Keyword.
 */
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { InvalidInputError } from '../../common/index.ts';
import { LONG_TERM } from '../licence/dates.ts';
import type { BoxPlacement, LicenceType } from '../licence/licence-type.ts';
import type { LicenceMetadata } from '../licence/metadata.ts';
import type { CjkSubset, CjkWeight } from '../render/cjk-font.ts';
import { checkStatusUrl, faceItems, faceSubsets, jointSealPlaces, layoutFace, MM } from '../render/face-layout.ts';
import { qrSymbol } from '../render/qr.ts';
import { LICENCE_ATTACHMENT_NAME, type LicenceAttachment } from '../render/render-licence.ts';
import { writeOfdZip, type OfdEntries } from './ofd-zip.ts';
import { escapeXml, mm, OFD_NS, XML_DECLARATION } from './ofd-xml.ts';
import { IdCounter, pageContentXml } from './page-content.ts';

export interface RenderOfdOptions {
  /** The licence's public status URL (absolute http or https), encoded in the QR code. */
  readonly statusUrl: string;
  /** Creation time for DocInfo and the zip entries. Default: the issue date, 00:00 China Standard Time. */
  readonly createdAt?: Date;
  /** How many joint seals (联办件) follow the issuer's: their places are returned in `jointSealBoxes`. @default 0 */
  readonly jointSeals?: number;
}

/** A rectangle on a page in OFD terms: millimetres from the page's top-left corner, y down. */
export interface OfdBox {
  /** Page index, 0 for the first page. */
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface RenderedOfd {
  /** The unsigned OFD package. */
  readonly ofd: Uint8Array;
  /** Where the issuer's seal goes: pass it to `signOfd` as `position`. */
  readonly sealBox: OfdBox;
  /** Where each joint seal goes, in signing order. */
  readonly jointSealBoxes: readonly OfdBox[];
  /** Page size, millimetres. */
  readonly pageSize: { readonly width: number; readonly height: number };
}

const PRODUCER = 'zhengyin';
const DOC = 'Doc_0';
const FAMILY = 'Noto Sans CJK SC';

/** GB/T 36903-2018 metadata element names, as CustomData/@Name, and how each is written. */
const CUSTOM_DATAS: readonly (readonly [string, (m: LicenceMetadata) => string])[] = [
  ['证照名称', (m) => m.name],
  ['证照类型代码', (m) => m.typeCode],
  ['证照标识', (m) => m.identifier],
  ['证照编号', (m) => m.number],
  ['持证主体', (m) => m.holder],
  ['持证主体代码', (m) => m.holderCode],
  ['持证主体代码类型', (m) => m.holderCodeType],
  ['颁发机构', (m) => m.issuer],
  ['颁发机构代码', (m) => m.issuerCode],
  ['颁证日期', (m) => m.issueDate],
  ['有效期起始日期', (m) => m.validFrom],
  ['有效期截止日期', (m) => m.validUntil ?? LONG_TERM],
  ['证照状态', (m) => m.status],
  ['照面信息', (m) => JSON.stringify(m.face)],
];

/**
 * Renders a licence as an unsigned one-page OFD after its type's layout, with the same
 * face as {@link renderLicence} draws in the PDF: the same lines at the same places (OFD
 * lengths are millimetres), the same subset of Noto Sans CJK SC embedded as the font files
 * of the document's public resources, and the QR code of `options.statusUrl`. The seal's
 * place is left empty and returned as `sealBox`.
 *
 * Deterministic: the same type, licence and options give the same bytes.
 *
 * @throws as {@link renderLicence}: `InvalidInputError` (statusUrl, typeCode, jointSeals),
 * `GlyphMissingError`, `LayoutOverflowError`, `RenderSetupError`.
 * @example
 * const { ofd, sealBox } = await renderLicenceOfd(BUSINESS_LICENCE, meta, { statusUrl });
 * const sealed = await signOfd(ofd, { seal, signerCertificate, sign, signedAt: new Date(), page: 0, position: sealBox });
 */
export async function renderLicenceOfd(type: LicenceType, licence: LicenceMetadata, options: RenderOfdOptions): Promise<RenderedOfd> {
  const url = checkStatusUrl(options.statusUrl);
  if (licence.typeCode !== type.code)
    throw new InvalidInputError({ field: 'typeCode', message: `typeCode: licence is of type ${licence.typeCode}, not ${type.code}` });
  const subsets = await faceSubsets(faceItems(type, licence, false));
  const advance = advances(subsets);
  const face = layoutFace(type, licence, {
    paperForm: false,
    measure: (weight, text, size) => {
      let w = 0;
      for (const c of text) w += advance(weight, c, size);
      return w;
    },
  });
  const createdAt = options.createdAt ?? new Date(`${licence.issueDate}T00:00:00+08:00`);

  const ids = new IdCounter();
  const fontIds = new Map<CjkWeight, number>();
  const entries: OfdEntries = new Map();
  const fontFiles: [string, CjkSubset][] = [];
  for (const [weight, subset] of subsets) {
    const id = ids.next();
    fontIds.set(weight, id);
    fontFiles.push([`font_${id}.otf`, subset]);
  }
  const pageId = ids.next();
  const content = pageContentXml({ face, qr: qrSymbol(url), fontIds, advance, ids });
  const attachmentId = ids.next();
  const attachment: LicenceAttachment = { version: 1, standard: 'GB/T 36903-2018', licence };
  const json = new TextEncoder().encode(JSON.stringify(attachment, null, 2));
  const width = face.page.width / MM;
  const height = face.page.height / MM;

  const utf8 = (s: string) => new TextEncoder().encode(s);
  entries.set('OFD.xml', utf8(ofdXml(licence, createdAt, createHash('sha256').update(json).digest('hex').slice(0, 32))));
  entries.set(`${DOC}/Document.xml`, utf8(
    `${XML_DECLARATION}<ofd:Document xmlns:ofd="${OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>${ids.max}</ofd:MaxUnitID>` +
      `<ofd:PageArea><ofd:PhysicalBox>0 0 ${mm(width)} ${mm(height)}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>` +
      `<ofd:Pages><ofd:Page ID="${pageId}" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages><ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>`,
  ));
  const fonts = fontFiles.map(([file, s]) =>
    `<ofd:Font ID="${fontIds.get(s.weight)}" FontName="${escapeXml(s.postscriptName)}" FamilyName="${FAMILY}"${s.weight === 'Bold' ? ' Bold="true"' : ''}><ofd:FontFile>${escapeXml(file)}</ofd:FontFile></ofd:Font>`);
  entries.set(`${DOC}/PublicRes.xml`, utf8(`${XML_DECLARATION}<ofd:Res xmlns:ofd="${OFD_NS}" BaseLoc="Res"><ofd:Fonts>${fonts.join('')}</ofd:Fonts></ofd:Res>`));
  for (const [file, s] of fontFiles) entries.set(`${DOC}/Res/${file}`, s.otf);
  entries.set(`${DOC}/Pages/Page_0/Content.xml`, utf8(content));
  entries.set(`${DOC}/Attachs/Attachments.xml`, utf8(
    `${XML_DECLARATION}<ofd:Attachments xmlns:ofd="${OFD_NS}"><ofd:Attachment ID="${attachmentId}" Name="${LICENCE_ATTACHMENT_NAME}" Format="json" ` +
      `CreationDate="${createdAt.toISOString().slice(0, 19)}" Size="${mm(json.length / 1024)}" Visible="false" Usage="GB/T 36903 metadata"><ofd:FileLoc>${LICENCE_ATTACHMENT_NAME}</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`,
  ));
  entries.set(`${DOC}/Attachs/${LICENCE_ATTACHMENT_NAME}`, json);

  const box = (b: BoxPlacement): OfdBox => ({ page: 0, x: b.x, y: b.y, width: b.size, height: b.size });
  return {
    ofd: writeOfdZip(entries, createdAt),
    sealBox: box(type.layout.seal),
    jointSealBoxes: jointSealPlaces(type.layout, options.jointSeals ?? 0).map(box),
    pageSize: { width, height },
  };
}

/** Per-character advances from each subset's own metrics (fontkit), cached: what the layout measures with and DeltaX writes. */
function advances(subsets: ReadonlyMap<CjkWeight, CjkSubset>) {
  const fonts = new Map([...subsets].map(([w, s]) => [w, fontkit.create(s.otf as unknown as Buffer)] as const));
  const cache = new Map<string, number>();
  return (weight: CjkWeight, char: string, size: number): number => {
    const key = `${weight}:${char}`;
    let a = cache.get(key);
    if (a === undefined) {
      const font = fonts.get(weight) ?? fonts.get('Regular')!;
      a = font.glyphForCodePoint(char.codePointAt(0)!).advanceWidth / font.unitsPerEm;
      cache.set(key, a);
    }
    return a * size;
  };
}

/** The entry point (GB/T 33190 §7.4): DocInfo with the licence's metadata, the document root. */
function ofdXml(licence: LicenceMetadata, createdAt: Date, docId: string): string {
  const date = new Date(createdAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10); // China Standard Time
  const custom = CUSTOM_DATAS.map(([name, value]) => `<ofd:CustomData Name="${name}">${escapeXml(value(licence))}</ofd:CustomData>`).join('');
  return `${XML_DECLARATION}<ofd:OFD xmlns:ofd="${OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>` +
    `<ofd:DocID>${docId}</ofd:DocID><ofd:Title>${escapeXml(`${licence.name} ${licence.number}`)}</ofd:Title><ofd:Author>${escapeXml(licence.issuer)}</ofd:Author>` +
    `<ofd:Subject>${escapeXml(licence.identifier)}</ofd:Subject><ofd:CreationDate>${date}</ofd:CreationDate><ofd:ModDate>${date}</ofd:ModDate>` +
    `<ofd:Keywords><ofd:Keyword>${escapeXml(licence.identifier)}</ofd:Keyword></ofd:Keywords><ofd:Creator>${PRODUCER}</ofd:Creator>` +
    `<ofd:CustomDatas>${custom}</ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>${DOC}/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
}
