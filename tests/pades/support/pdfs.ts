import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFRef, StandardFonts, rgb } from 'pdf-lib';

/** A small A4 PDF made with pdf-lib: `pages` pages of text. */
export async function pdfLibDocument(p: { pages?: number; useObjectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (p.pages ?? 1); i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`zhengyin PAdES test page ${i + 1}`, { x: 72, y: 760, size: 18, font, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 72, y: 100, width: 451, height: 600, borderColor: rgb(0.6, 0.1, 0.1), borderWidth: 2 });
  }
  return doc.save({ useObjectStreams: p.useObjectStreams ?? false });
}

export const ACCEPTANCE: [number, number, number, number] = [80, 120, 200, 240];
export const APPROVAL: [number, number, number, number] = [380, 120, 500, 240];

/**
 * A form as its author prepared it: two unsigned signature fields, "受理" (field and widget
 * merged) and "审批.盖章" (a terminal field under a non-terminal one), plus a text field.
 */
export async function preparedForm(p: { lockAfterAcceptance?: readonly string[] } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await pdfLibDocument());
  const ctx = doc.context;
  const page = doc.getPage(0);
  const widget = (name: string, rect: number[], more: Record<string, unknown> = {}): PDFRef => {
    const dict = ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: rect, F: 4, P: page.ref, ...more });
    dict.set(PDFName.of('T'), PDFHexString.fromText(name));
    return ctx.register(dict);
  };
  const acceptance = widget('受理', ACCEPTANCE);
  if (p.lockAfterAcceptance) {
    const lock = ctx.obj({ Type: 'SigFieldLock', Action: 'Include', Fields: p.lockAfterAcceptance.map((name) => PDFHexString.fromText(name)) });
    ctx.lookup(acceptance, PDFDict).set(PDFName.of('Lock'), lock);
  }
  const approvalParent = ctx.register(ctx.obj({ Kids: [] }));
  ctx.lookup(approvalParent, PDFDict).set(PDFName.of('T'), PDFHexString.fromText('审批'));
  const approval = widget('盖章', APPROVAL, { Parent: approvalParent });
  (ctx.lookup(approvalParent, PDFDict).get(PDFName.of('Kids')) as PDFArray).push(approval);
  const text = widget('备注', [80, 300, 300, 330], { FT: 'Tx' });
  page.node.set(PDFName.of('Annots'), ctx.obj([acceptance, approval, text]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [acceptance, approvalParent, text] }));
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}
