/**
 * qpdf as an independent producer of PDF variants (xref streams, object streams,
 * linearization), and a reader that turns a qpdf-written file into a {@link TestDoc} model
 * so the test writer can sign it incrementally. Tests using it skip loudly without qpdf.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PageModel, TestDoc, XrefKind } from './pdf-writer.ts';


/** Runs qpdf on `input` with `args` and returns the output file's bytes. */
export function qpdf(input: Uint8Array, args: readonly string[]): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-qpdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), input);
    const r = spawnSync('qpdf', [...args, path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
    if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf failed: ${r.stderr.toString()}`);
    return new Uint8Array(fs.readFileSync(path.join(dir, 'out.pdf')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** qpdf JSON v2 value → PDF syntax. */
function toPdf(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') {
    if (v.startsWith('u:')) return `(${v.slice(2).replace(/([()\\])/g, '\\$1')})`;
    if (v.startsWith('b:')) return `<${v.slice(2)}>`;
    return v; // a name (/X) or a reference (n g R)
  }
  if (Array.isArray(v)) return `[${v.map(toPdf).join(' ')}]`;
  return `<< ${Object.entries(v).map(([k, x]) => `${k} ${toPdf(x)}`).join(' ')} >>`;
}

const num = (r: Json | undefined): number => Number(String(r).split(' ')[0]);

/** A model of a file written by another tool, first page only, for incremental signing. */
export function adopt(bytes: Uint8Array): TestDoc {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-qpdf-'));
  try {
    const file = path.join(dir, 'in.pdf');
    fs.writeFileSync(file, bytes);
    const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file]).toString()) as { qpdf: [unknown, Record<string, { value?: Record<string, Json> }>] };
    const objects = json.qpdf[1];
    const trailer = objects.trailer!.value!;
    const value = (ref: Json | undefined): Record<string, Json> => objects[`obj:${String(ref)}`]!.value!;
    const rootNum = num(trailer['/Root']);
    const catalog = value(trailer['/Root']);
    const pages = value(catalog['/Pages']);
    const firstRef = (pages['/Kids'] as Json[])[0]!;
    const page = value(firstRef);
    const text = Buffer.from(bytes).toString('latin1');
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
    const pageExtra: Record<string, string> = {};
    for (const [k, v] of Object.entries(page)) if (!['/Type', '/Parent', '/Contents', '/Annots'].includes(k)) pageExtra[k.slice(1)] = toPdf(v);
    const catalogExtra: Record<string, string> = {};
    for (const [k, v] of Object.entries(catalog)) if (!['/Type', '/Pages', '/AcroForm'].includes(k)) catalogExtra[k.slice(1)] = toPdf(v);
    const firstPage: PageModel = { num: num(firstRef), contents: num(page['/Contents']), annots: [], extra: pageExtra };
    const others = (pages['/Kids'] as Json[]).slice(1).map((r) => ({ num: num(r), contents: num(value(r)['/Contents']), annots: [], extra: {} }));
    const id = String((trailer['/ID'] as Json[] | undefined)?.[0] ?? 'b:00').slice(2);
    const xref: XrefKind = trailer['/Type'] === '/XRef' ? 'stream' : 'table';
    return {
      bytes,
      size: num(trailer['/Size']),
      startxref,
      catalog: { num: rootNum, extra: catalogExtra },
      pagesNum: num(catalog['/Pages']),
      pages: [firstPage, ...others],
      acroForm: undefined,
      info: trailer['/Info'] === undefined ? undefined : num(trailer['/Info']),
      id,
      xref,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
