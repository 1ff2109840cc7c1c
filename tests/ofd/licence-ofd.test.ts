/**
 * OFD licences (issue #13, Deliver 3): the same face as the PDF, embedded subset fonts
 * holding every glyph used, the QR code, GB/T 36903 metadata and the identifier.
 */
import fontkit from '@pdf-lib/fontkit';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import jsQRModule from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlyphMissingError, renderLicence, renderLicenceOfd, SEED_LICENCE_TYPES, type LicenceMetadata, type RenderedOfd } from '../../signer/index.ts';
import { faceItems } from '../../signer/render/face-layout.ts';
import { run, tempPdf } from '../support/pdf-tools.ts';
import { skipWithout } from '../support/tools.ts';
import { metadataFor } from './support.ts';

const jsQR = jsQRModule.default;
const MM = 72 / 25.4;
const STATUS_URL = 'https://zw.example.gov.cn/licences/LICENCE_ID/status';
const squash = (s: string) => s.replace(/\s+/g, '');
const text = (files: Record<string, Uint8Array>, name: string) => new TextDecoder().decode(files[name]);
type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, trimValues: false, parseTagValue: false, isArray: (_n, _p, _l, attr) => !attr });
const all = (node: unknown, name: string): Node[] =>
  (((node as Node)?.[name] as unknown[] | undefined) ?? []).map((n) => (typeof n === 'string' ? { '#text': n } : (n as Node)));
const numbers = (s: unknown) => String(s).split(' ').map(Number);

interface TextObject {
  readonly font: string;
  readonly boundary: number[];
  readonly text: string;
}

function textObjects(content: string): TextObject[] {
  const layer = all(all(all(parser.parse(content), 'Page')[0], 'Content')[0], 'Layer')[0];
  return all(layer, 'TextObject').map((o) => ({
    font: String(o['@Font']),
    boundary: numbers(o['@Boundary']),
    text: String(all(o, 'TextCode')[0]!['#text'] ?? ''),
  }));
}

/** Fills the QR path's rectangles into a bitmap (10 px per mm) and decodes it. */
function decodeQr(content: string): string | undefined {
  const layer = all(all(all(parser.parse(content), 'Page')[0], 'Content')[0], 'Layer')[0];
  const qr = all(layer, 'PathObject').find((p) => p['@Fill'] === 'true')!;
  const [, , side] = numbers(qr['@Boundary']);
  const px = Math.ceil(side! * 10);
  const image = new Uint8ClampedArray(px * px * 4).fill(255);
  const data = String(all(qr, 'AbbreviatedData')[0]!['#text']);
  for (const m of data.matchAll(/M ([\d.]+) ([\d.]+) L ([\d.]+) [\d.]+ L [\d.]+ ([\d.]+)/g)) {
    const [x0, y0, x1, y1] = [m[1], m[2], m[3], m[4]].map((v) => Number(v) * 10);
    for (let y = Math.round(y0!); y < Math.round(y1!); y++)
      for (let x = Math.round(x0!); x < Math.round(x1!); x++) image.fill(0, (y * px + x) * 4, (y * px + x) * 4 + 3);
  }
  return jsQR(image, px, px)?.data;
}

describe.each(SEED_LICENCE_TYPES.map((t) => [t.name, t] as const))('renderLicenceOfd: %s', (_name, type) => {
  let meta: LicenceMetadata;
  let rendered: RenderedOfd;
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    meta = metadataFor(type);
    rendered = await renderLicenceOfd(type, meta, { statusUrl: STATUS_URL, jointSeals: 1 });
    files = unzipSync(rendered.ofd);
  });

  it('is deterministic and small', async () => {
    const again = await renderLicenceOfd(type, meta, { statusUrl: STATUS_URL, jointSeals: 1 });
    expect(Buffer.from(again.ofd).equals(Buffer.from(rendered.ofd))).toBe(true);
    expect(rendered.ofd.length).toBeLessThan(300 * 1024);
  });

  it('shows the face data: the text of Content.xml is the face text, in order', () => {
    const objects = textObjects(text(files, 'Doc_0/Pages/Page_0/Content.xml'));
    const expected = faceItems(type, meta, false).map((i) => i.text).join('');
    expect(squash(objects.map((o) => o.text).join(''))).toBe(squash(expected));
    for (const value of [meta.identifier, meta.issuer, meta.holder, meta.number]) expect(squash(objects.map((o) => o.text).join(''))).toContain(squash(value));
  });

  it('places the text where the layout puts it: first field label at its placement, title centred on its x', () => {
    const objects = textObjects(text(files, 'Doc_0/Pages/Page_0/Content.xml'));
    const first = type.layout.fields.find((f) => meta.face[f.field] !== undefined)!;
    const label = type.schema.fields.find((f) => f.key === first.field)!.label;
    const at = objects.find((o) => squash(o.text) === squash(label))!;
    expect(at.boundary.slice(0, 2)).toEqual([first.x, first.y]);
    const title = objects[0]!;
    expect(title.text).toBe(type.layout.title.text ?? type.name);
    if (type.layout.title.align === 'center') expect(Math.abs(title.boundary[0]! + (title.boundary[2]! - 1) / 2 - type.layout.title.x)).toBeLessThan(0.01);
  });

  it.skipIf(skipWithout('tests/ofd/licence-ofd (same places as the PDF)', 'pdftotext'))('puts every line where the PDF of the same licence has it, as poppler reads the PDF', async () => {
    const pdf = await renderLicence(type, meta, { statusUrl: STATUS_URL });
    const words = [...run('pdftotext', ['-bbox', '-enc', 'UTF-8', tempPdf(pdf.pdf), '-']).stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
      .map((m) => ({ x: Number(m[1]) / MM, y: Number(m[2]) / MM, text: m[3]! }));
    const objects = textObjects(text(files, 'Doc_0/Pages/Page_0/Content.xml'));
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      const match = words.find((w) => Math.abs(w.x - o.boundary[0]!) < 0.05 && Math.abs(w.y - o.boundary[1]!) < 0.05 && squash(o.text).startsWith(squash(w.text)));
      expect(match, `${o.text} at ${o.boundary.slice(0, 2).join(' ')} mm`).toBeDefined();
    }
  });

  it('embeds each font as a resource file that parses and holds every glyph its text uses', () => {
    const res = all(parser.parse(text(files, 'Doc_0/PublicRes.xml')), 'Res')[0]!;
    expect(res['@BaseLoc']).toBe('Res');
    const fonts = all(all(res, 'Fonts')[0], 'Font');
    expect(fonts.length).toBeGreaterThanOrEqual(1);
    const objects = textObjects(text(files, 'Doc_0/Pages/Page_0/Content.xml'));
    for (const font of fonts) {
      const file = files[`Doc_0/Res/${all(font, 'FontFile')[0]!['#text']}`]!;
      const parsed = fontkit.create(Buffer.from(file));
      expect(parsed.postscriptName).toBe(font['@FontName']);
      const used = objects.filter((o) => o.font === font['@ID']).flatMap((o) => [...o.text]);
      expect(used.length).toBeGreaterThan(0);
      expect(used.filter((c) => !parsed.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([]);
    }
  });

  it('draws a QR code that decodes to the status URL', () => {
    expect(decodeQr(text(files, 'Doc_0/Pages/Page_0/Content.xml'))).toBe(STATUS_URL);
  });

  it('carries the GB/T 36903 metadata in DocInfo/CustomDatas and as the attachment licence.json', () => {
    const info = all(all(all(parser.parse(text(files, 'OFD.xml')), 'OFD')[0], 'DocBody')[0], 'DocInfo')[0]!;
    const custom = Object.fromEntries(all(all(info, 'CustomDatas')[0], 'CustomData').map((c) => [c['@Name'], c['#text']]));
    expect(custom).toMatchObject({ 证照名称: meta.name, 证照类型代码: meta.typeCode, 证照标识: meta.identifier, 证照编号: meta.number, 持证主体: meta.holder, 颁发机构代码: meta.issuerCode, 证照状态: 'VALID' });
    expect(JSON.parse(custom['照面信息'] as string)).toEqual(meta.face);
    expect(all(info, 'Subject')[0]!['#text']).toBe(meta.identifier);
    const attachments = all(parser.parse(text(files, 'Doc_0/Attachs/Attachments.xml')), 'Attachments')[0]!;
    expect(all(attachments, 'Attachment')[0]!['@Name']).toBe('licence.json');
    expect(JSON.parse(text(files, 'Doc_0/Attachs/licence.json'))).toEqual({ version: 1, standard: 'GB/T 36903-2018', licence: meta });
  });

  it('returns the seal places of the layout in millimetres', () => {
    expect(rendered.sealBox).toEqual({ page: 0, x: type.layout.seal.x, y: type.layout.seal.y, width: type.layout.seal.size, height: type.layout.seal.size });
    expect(rendered.jointSealBoxes).toHaveLength(1);
  });
});

describe('renderLicenceOfd errors', () => {
  const type = SEED_LICENCE_TYPES[0]!;

  it('refuses a status URL that is not http(s)', async () => {
    await expect(renderLicenceOfd(type, metadataFor(type), { statusUrl: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'statusUrl' });
  });

  it('names the field whose characters the font lacks', async () => {
    const meta = metadataFor(type);
    const key = type.holder.nameField;
    const bad = { ...meta, face: { ...meta.face, [key]: `${meta.face[key]}\u{1F600}` } };
    await expect(renderLicenceOfd(type, bad, { statusUrl: STATUS_URL })).rejects.toMatchObject({ name: GlyphMissingError.name, field: key });
  });
});
