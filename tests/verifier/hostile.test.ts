/**
 * Hostile input (issue #3, Deliver 6): malformed, truncated, cyclic, enormous or tricky
 * files get a verdict — never a crash, an unbounded loop or unbounded memory. Each bound of
 * VerifyLimits is hit on purpose here, with small limits so the tests stay small.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidVerifyOptionError, verifyPdf, type VerifyOptions } from '../../verifier/index.ts';
import { concat } from './support/bytes.ts';
import { appendUpdate, dict, lit, newDocument, ref, type Body } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts: VerifyOptions = { trust: pki.trust, crls: pki.crls, at: T0 };
const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** A one-revision file from raw object texts, with a correct classic xref. */
function rawPdf(objects: readonly string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(out);
}

describe('unreadable input is a verdict', () => {
  it.each([
    ['empty', new Uint8Array()],
    ['garbage', new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))],
    ['header only', text('%PDF-1.7\n')],
    ['startxref pointing outside the file', text('%PDF-1.7\nstartxref\n999999\n%%EOF\n')],
    ['xref claiming a billion entries', text('%PDF-1.7\nxref\n0 1000000000\ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n')],
    ['/Prev pointing to itself', text('%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev 9 >>\nstartxref\n9\n%%EOF\n')],
  ])('%s → UNREADABLE/FORMAT_FAILURE', async (_name, bytes) => {
    const report = await verifyPdf(bytes, opts);
    expect(report.document).toMatchObject({ verdict: 'UNREADABLE', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(report.document.problems).toHaveLength(1);
  });

  it('a signed file truncated anywhere gets a verdict, never an exception', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner).bytes;
    for (let cut = 0; cut < signed.length; cut += Math.max(1, Math.floor(signed.length / 60))) {
      const report = await verifyPdf(signed.subarray(0, cut), opts);
      expect(['UNREADABLE', 'UNSIGNED', 'INVALID', 'INDETERMINATE']).toContain(report.document.verdict);
    }
  });
});

describe('bounds', () => {
  it('maxDepth: nesting deeper than the limit makes that object unreadable, nothing more', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const report = await verifyPdf(rawPdf([`<< /Type /Catalog /Pages 2 0 R /Odd ${deep} >>`, '<< /Type /Pages /Kids [] /Count 0 >>']), opts);
    expect(report.document.verdict).toBe('UNSIGNED');
  });

  it('maxReferenceChain: a chain of references longer than the limit resolves to null', async () => {
    const chain = Array.from({ length: 60 }, (_, i) => `${i + 4} 0 R`);
    const report = await verifyPdf(rawPdf(['<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', '<< /Fields 4 0 R >>', ...chain.slice(1), '[]']), opts);
    expect(report.document.verdict).toBe('UNSIGNED');
  });

  it('a stream whose /Length refers to itself is read to endstream', async () => {
    const report = await verifyPdf(rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', '<< /Length 3 0 R >>\nstream\nabc\nendstream']), opts);
    expect(report.document.verdict).toBe('UNSIGNED');
  });

  it('maxStreamBytes: a zip bomb in an object stream stops at the limit', async () => {
    const bomb = deflateSync(Buffer.alloc(8 * 1024 * 1024));
    let doc = newDocument({ xref: 'stream' });
    const bombNum = doc.size;
    const objects = new Map<number, Body>([[bombNum, { dict: '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>', data: bomb }]]);
    doc = appendUpdate(doc, objects);
    // Point the catalog into the bomb: reading it must inflate the stream.
    const xrefAt = doc.bytes.length;
    const attacked = concat(doc.bytes, `${doc.size} 0 obj\n<< /Type /XRef /Size ${doc.size + 1} /W [1 4 2] /Index [1 1 ${doc.size} 1] /Root 1 0 R /Prev ${doc.startxref} /Length 14 >>\nstream\n`,
      Buffer.from([2, ...u32(bombNum), 0, 0, 1, ...u32(xrefAt), 0, 0]), '\nendstream\nendobj\nstartxref\n', String(xrefAt), '\n%%EOF\n');
    const report = await verifyPdf(attacked, { ...opts, limits: { maxStreamBytes: 1024 * 1024 } });
    expect(report.document.verdict).toBe('UNREADABLE');
    expect(report.document.problems[0]).toMatch(/maxStreamBytes/);
  });

  it('maxRevisions: more incremental updates than the limit', async () => {
    let doc = newDocument();
    for (let i = 0; i < 8; i++) doc = appendUpdate(doc, new Map([[doc.info!, dict({ Producer: lit(`edit ${i}`) })]]));
    const report = await verifyPdf(doc.bytes, { ...opts, limits: { maxRevisions: 4 } });
    expect(report.document.verdict).toBe('UNREADABLE');
    expect(report.document.problems[0]).toMatch(/maxRevisions/);
  });

  it('maxFileBytes and timeMs', async () => {
    const signed = signDocument(newDocument(), pki.rsaSigner).bytes;
    expect((await verifyPdf(signed, { ...opts, limits: { maxFileBytes: 1000 } })).document.problems[0]).toMatch(/maxFileBytes/);
    expect((await verifyPdf(signed, { ...opts, limits: { timeMs: 0 } })).document.problems[0]).toMatch(/timeMs/);
  });

  it('CMS nested a hundred thousand levels deep is a FORMAT_FAILURE', async () => {
    const nested = Buffer.concat([Buffer.alloc(100_000, 0x30).map((b, i) => (i % 2 ? 0x80 : b)), Buffer.alloc(100_000, 0)]);
    const doc = signDocument(newDocument(), pki.rsaSigner, { placeholder: 210_000, cms: () => nested });
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s!.subIndication).toBe('FORMAT_FAILURE');
  });

  it('a signature dictionary with a /ByteRange of absurd numbers is a coverage failure', async () => {
    let doc = newDocument();
    const sig = doc.size;
    doc = appendUpdate(doc, new Map([[sig, dict({ Type: '/Sig', SubFilter: '/ETSI.CAdES.detached', ByteRange: '[0 99999999999999999999 -5 123]', Contents: '<3000>' })]]));
    const [s] = (await verifyPdf(doc.bytes, opts)).signatures;
    expect(s).toMatchObject({ coverage: 'UNCLEAR', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    void ref;
  });
});

describe('caller errors reject (and only those)', () => {
  it.each([
    ['bytes not a Uint8Array', () => verifyPdf('%PDF' as unknown as Uint8Array, opts), 'bytes'],
    ['options missing', () => verifyPdf(new Uint8Array(), undefined as unknown as VerifyOptions), 'options'],
    ['at not a date', () => verifyPdf(new Uint8Array(), { at: new Date('nonsense') }), 'at'],
    ['trust anchor not a certificate', () => verifyPdf(new Uint8Array(), { trust: [new Uint8Array([1, 2, 3])] }), 'trust[0]'],
  ] as const)('%s', async (_name, call, field) => {
    await expect(call()).rejects.toMatchObject({ name: InvalidVerifyOptionError.name, code: 'INVALID_INPUT', field });
  });
});

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
