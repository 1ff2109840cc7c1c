/** Text strings and dates as PDF stores them (ISO 32000-1 §7.9.2, §7.9.4). */
import { PdfName, PdfString, type PdfObject } from './objects.ts';

// PDFDocEncoding differs from Latin-1 in 0x18-0x1F and 0x80-0x9F (Annex D.2).
const PDF_DOC_HIGH: Record<number, number> = {
  0x18: 0x02d8, 0x19: 0x02c7, 0x1a: 0x02c6, 0x1b: 0x02d9, 0x1c: 0x02dd, 0x1d: 0x02db, 0x1e: 0x02da, 0x1f: 0x02dc,
  0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013, 0x86: 0x0192, 0x87: 0x2044,
  0x88: 0x2039, 0x89: 0x203a, 0x8a: 0x2212, 0x8b: 0x2030, 0x8c: 0x201e, 0x8d: 0x201c, 0x8e: 0x201d, 0x8f: 0x2018,
  0x90: 0x2019, 0x91: 0x201a, 0x92: 0x2122, 0x93: 0xfb01, 0x94: 0xfb02, 0x95: 0x0141, 0x96: 0x0152, 0x97: 0x0160,
  0x98: 0x0178, 0x99: 0x017d, 0x9a: 0x0131, 0x9b: 0x0142, 0x9c: 0x0153, 0x9d: 0x0161, 0x9e: 0x017e, 0xa0: 0x20ac,
};

/** Decodes a text string: UTF-16BE or UTF-8 with BOM, else PDFDocEncoding. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const b = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return b.swap16().toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return Buffer.from(bytes.subarray(3)).toString('utf8');
  let s = '';
  for (const c of bytes) s += String.fromCharCode(PDF_DOC_HIGH[c] ?? c);
  return s;
}

/** A text value of a dictionary entry (string or name), else null. */
export function textOf(o: PdfObject | undefined): string | null {
  if (o instanceof PdfString) return decodeText(o.bytes);
  if (o instanceof PdfName) return o.value;
  return null;
}

const DATE = /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?$/;

/** Parses a PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (§7.9.4); null when malformed. */
export function parsePdfDate(text: string | null): Date | null {
  if (!text) return null;
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', tz, th = '00', tm = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utc)) return null;
  const sign = tz === '-' ? -1 : tz === '+' ? 1 : 0;
  const date = new Date(utc - sign * (Number(th) * 60 + Number(tm)) * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
