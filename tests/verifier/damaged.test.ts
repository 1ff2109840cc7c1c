/**
 * Damaged is not unsigned (issue 10): a signing update cut short, or a signature whose
 * /Contents or /ByteRange cannot be read, is UNREADABLE (exit 4) with a problem naming the
 * signature field and the byte offset, never UNSIGNED and never VALID.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../verifier/index.ts';
import { zhengyin } from '../support/cli.ts';
import { lastOffsetOf, offsetOf, overwrite } from './support/bytes.ts';
import { newDocument } from './support/pdf-writer.ts';
import { T0, testPki } from './support/pki.ts';
import { signDocument } from './support/sign.ts';

const pki = testPki();
const opts = { trust: pki.trust, crls: pki.crls, at: T0 };
const once = signDocument(newDocument(), pki.rsaSigner);
const twice = signDocument(once, pki.p256Signer, { field: 'Approval' });
const latin = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Offsets in the last update of `bytes`, by what they cut. */
function cuts(bytes: Uint8Array): [string, number, RegExp][] {
  const text = latin(bytes);
  const sigObj = text.lastIndexOf(' obj', text.lastIndexOf('/ByteRange'));
  const contents = text.lastIndexOf('/Contents <') + '/Contents <'.length;
  const byteRange = text.lastIndexOf('/ByteRange [') + '/ByteRange ['.length;
  const xref = text.lastIndexOf('\nxref') + 1;
  const eof = text.lastIndexOf('%%EOF');
  return [
    ['inside /Contents, at its start', contents + 2, /inside its \/Contents/],
    ['inside /Contents, half way', contents + 4000, /inside its \/Contents/],
    ['inside /Contents, at its last digit', text.indexOf('>', contents) - 1, /inside its \/Contents/],
    ['inside /ByteRange', byteRange + 15, /inside its \/ByteRange/],
    ['just after the signature dictionary began', text.indexOf('/ByteRange', sigObj) + 3, /inside the signature dictionary/],
    ['before the xref', xref, /before the cross-reference section/],
    ['before startxref', text.lastIndexOf('startxref'), /before startxref/],
    ['before %%EOF', eof, /before %%EOF/],
  ];
}

describe('a signed file cut short', () => {
  it.each(cuts(once.bytes))('the only signature, cut %s: UNREADABLE, never UNSIGNED', async (_name, cut, where) => {
    const report = await verifyPdf(once.bytes.subarray(0, cut), opts);
    expect(report.document).toMatchObject({ verdict: 'UNREADABLE', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    const problem = report.document.problems[0]!;
    expect(problem).toMatch(/^damaged: /);
    expect(problem).toMatch(where);
    const sigAt = latin(once.bytes).lastIndexOf('obj', latin(once.bytes).lastIndexOf('/ByteRange'));
    expect(problem).toContain(`at byte ${latin(once.bytes).lastIndexOf('\n', sigAt) + 1}`);
    // The field object follows the signature dictionary in this writer: named once it is in the bytes.
    if (cut > offsetOf(once.bytes, '/FT /Sig', sigAt)) expect(problem).toContain('signature field "Sig1"');
  });

  it.each(cuts(twice.bytes))('a second signature cut %s: UNREADABLE although the first still verifies', async (_name, cut) => {
    const report = await verifyPdf(twice.bytes.subarray(0, cut), opts);
    expect(report.document.verdict).toBe('UNREADABLE');
    expect(report.document.problems[0]).toMatch(/^damaged: /);
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['Sig1']);
  });

  it('every cut from the first signature mark to the end: never UNSIGNED, never VALID', async () => {
    const text = latin(twice.bytes);
    const from = text.indexOf('/Type /Sig', text.lastIndexOf('%%EOF', text.lastIndexOf('/ByteRange')));
    const step = Math.max(1, Math.floor((twice.bytes.length - from) / 80));
    for (let cut = from + 2; cut < twice.bytes.length - 6; cut += step) {
      const { verdict } = (await verifyPdf(twice.bytes.subarray(0, cut), opts)).document;
      expect(['UNSIGNED', 'VALID'], `cut at ${cut}`).not.toContain(verdict);
      // Once `/Type /Sig` is whole, the cut is named as damage.
      if (cut >= from + '/Type /Sig'.length) expect(verdict, `cut at ${cut}`).toBe('UNREADABLE');
    }
  });

  it('a file with no complete revision at all still names the cut signature', async () => {
    const text = latin(once.bytes);
    // Drop the unsigned first revision's xref and %%EOF too: nothing can be read.
    const single = Buffer.concat([once.bytes.subarray(0, offsetOf(once.bytes, 'xref')), once.bytes.subarray(offsetOf(once.bytes, '%%EOF') + 6, text.lastIndexOf('/Contents <') + 100)]);
    const report = await verifyPdf(single, opts);
    expect(report.document.verdict).toBe('UNREADABLE');
    expect(report.document.problems[0]).toMatch(/^damaged: .*inside its \/Contents/);
  });

  it('an unsigned file with an interrupted update that is no signature stays UNSIGNED', async () => {
    const doc = newDocument();
    const report = await verifyPdf(Buffer.concat([doc.bytes, Buffer.from('9 0 obj\n<< /Producer (half an edit')]), opts);
    expect(report.document.verdict).toBe('UNSIGNED');
  });
});

describe('a signature that cannot be read', () => {
  const bytes = once.bytes;
  const contents = lastOffsetOf(bytes, '/Contents <');
  it.each([
    ['/Contents holds a non-hex character', overwrite(bytes, contents + 20, 'Z'), /cannot be read/],
    ['no /Contents key', overwrite(bytes, contents, '/Contentx'), /no readable \/Contents/],
    ['no /ByteRange key', overwrite(bytes, lastOffsetOf(bytes, '/ByteRange'), '/ByteRangX'), /no readable \/ByteRange/],
  ])('%s: UNREADABLE, naming field and offset', async (_name, damaged, what) => {
    const report = await verifyPdf(damaged, opts);
    expect(report.document.verdict).toBe('UNREADABLE');
    const problem = report.document.problems.find((p) => p.startsWith('damaged: '));
    expect(problem).toMatch(what);
    expect(problem).toMatch(/signature field "Sig1"/);
    expect(problem).toMatch(/at byte \d+/);
  });
});

describe('zhengyin verify on a damaged file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-damaged-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 4 and says damaged', async () => {
    const file = path.join(dir, 'cut.pdf');
    fs.writeFileSync(file, once.bytes.subarray(0, lastOffsetOf(once.bytes, '/Contents <') + 500));
    const r = await zhengyin(['verify', file, '--at', T0.toISOString()], { DATABASE_URL: 'postgres://nowhere.invalid/none' });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/UNREADABLE/);
    expect(r.stdout).toMatch(/damaged: .* at byte \d+/);
  });
});
