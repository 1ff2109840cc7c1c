import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

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
