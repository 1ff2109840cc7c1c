/**
 * Incremental edits a later writer might make to a signed document, each as one new
 * revision written with the test writer: the allowed kinds (form filling, annotations,
 * metadata) and the attacks (content replaced, pages added or removed, catalog changed).
 */
import {
  acroFormBody,
  appendUpdate,
  catalogBody,
  contentStream,
  dict,
  lit,
  pageBody,
  pagesBody,
  ref,
  refs,
  type Body,
  type TestDoc,
  type UpdateOptions,
} from './pdf-writer.ts';

/** Adds a text field (with widget on page 1) named `name`: done before signing. */
export function addTextField(doc: TestDoc, name: string, value: string): TestDoc {
  const [field, ap] = [doc.size, doc.size + 1];
  const formNum = doc.acroForm?.num ?? doc.size + 2;
  const acroForm = { num: formNum, fields: [...(doc.acroForm?.fields ?? []), field], extra: { DA: lit('/F1 12 Tf 0 g'), DR: '<< /Font << /F1 4 0 R >> >>' } };
  const page = { ...doc.pages[0]!, annots: [...doc.pages[0]!.annots, field] };
  const objects = new Map<number, Body>([
    [field, dict({ FT: '/Tx', T: lit(name), V: lit(value), Type: '/Annot', Subtype: '/Widget', Rect: '[72 600 300 620]', P: ref(page.num), AP: `<< /N ${ref(ap)} >>` })],
    [ap, appearance(value)],
    [formNum, acroFormBody(acroForm)],
    [doc.catalog.num, catalogBody({ ...doc, acroForm })],
    [page.num, pageBody(doc, page)],
  ]);
  return appendUpdate(doc, objects, { acroForm, pages: [page, ...doc.pages.slice(1)] });
}

function appearance(text: string): Body {
  return { dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /F1 4 0 R >> >> >>', data: Buffer.from(`/Tx BMC BT /F1 12 Tf 2 5 Td (${text}) Tj ET EMC`, 'latin1') };
}

/** Fills the text field `fieldNum` with `value` and a new appearance (form filling). */
export function fillTextField(doc: TestDoc, fieldNum: number, name: string, value: string, opts?: UpdateOptions): TestDoc {
  const ap = doc.size;
  const page = doc.pages[0]!;
  return appendUpdate(doc, new Map<number, Body>([
    [fieldNum, dict({ FT: '/Tx', T: lit(name), V: lit(value), Type: '/Annot', Subtype: '/Widget', Rect: '[72 600 300 620]', P: ref(page.num), AP: `<< /N ${ref(ap)} >>` })],
    [ap, appearance(value)],
  ]), {}, opts);
}

/** Adds a markup annotation (e.g. FreeText, Square) on page 1, with an appearance. */
export function addAnnotation(doc: TestDoc, subtype: string, rect = '[60 740 560 790]', opts?: UpdateOptions): TestDoc {
  const [annot, ap] = [doc.size, doc.size + 1];
  const page = { ...doc.pages[0]!, annots: [...doc.pages[0]!.annots, annot] };
  return appendUpdate(doc, new Map<number, Body>([
    [annot, dict({ Type: '/Annot', Subtype: `/${subtype}`, Rect: rect, Contents: lit('comment'), P: ref(page.num), AP: `<< /N ${ref(ap)} >>`, DA: lit('/F1 12 Tf 0 g') })],
    [ap, { dict: '<< /Type /XObject /Subtype /Form /BBox [0 0 500 50] >>', data: Buffer.from('1 1 1 rg 0 0 500 50 re f') }],
    [page.num, pageBody(doc, page)],
  ]), { pages: [page, ...doc.pages.slice(1)] }, opts);
}

/** Rewrites the content stream of page `index` (an incremental saving attack). */
export function replacePageContent(doc: TestDoc, text: string, index = 0): TestDoc {
  return appendUpdate(doc, new Map([[doc.pages[index]!.contents, contentStream(text)]]));
}

/** Appends a page to the page tree. */
export function addPage(doc: TestDoc, text: string): TestDoc {
  const [page, contents] = [doc.size, doc.size + 1];
  const model = { num: page, contents, annots: [], extra: {} };
  const pages = [...doc.pages, model];
  return appendUpdate(doc, new Map<number, Body>([
    [contents, contentStream(text)],
    [page, pageBody(doc, model)],
    [doc.pagesNum, pagesBody({ pages })],
  ]), { pages });
}

/** Removes the last page from the page tree (the page object stays, unreachable). */
export function removeLastPage(doc: TestDoc): TestDoc {
  const pages = doc.pages.slice(0, -1);
  return appendUpdate(doc, new Map([[doc.pagesNum, pagesBody({ pages })]]), { pages });
}

/** Sets a catalog key (e.g. /OpenAction, /Names) in a new revision. */
export function setCatalogEntry(doc: TestDoc, key: string, value: string, extraObjects: ReadonlyMap<number, Body> = new Map()): TestDoc {
  const catalog = { ...doc.catalog, extra: { ...doc.catalog.extra, [key]: value } };
  return appendUpdate(doc, new Map([...extraObjects, [doc.catalog.num, catalogBody({ ...doc, catalog })]]), { catalog });
}

/** New XMP metadata and an edited /Info: what a viewer writes on save. */
export function touchMetadata(doc: TestDoc): TestDoc {
  const xmp = doc.size;
  const catalog = { ...doc.catalog, extra: { ...doc.catalog.extra, Metadata: ref(xmp) } };
  const packet = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta><?xpacket end="w"?>';
  return appendUpdate(doc, new Map<number, Body>([
    [xmp, { dict: '<< /Type /Metadata /Subtype /XML >>', data: Buffer.from(packet) }],
    [doc.catalog.num, catalogBody({ ...doc, catalog })],
    [doc.info!, dict({ Producer: lit('another writer'), ModDate: lit('D:20260101000000Z') })],
  ]), { catalog });
}

export { refs };
