/** readAttachments: embedded files (/EmbeddedFiles, /AF) and XMP of the final revision, bounded. */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidVerifyOptionError, readAttachments } from '../../verifier/index.ts';
import { appendUpdate, catalogBody, dict, lit, newDocument, ref, refs, type Body } from './support/pdf-writer.ts';

function withAttachments(): Uint8Array {
  let doc = newDocument();
  const [tree, fs1, ef1, fs2, ef2, xmp, kid] = Array.from({ length: 7 }, (_, i) => doc.size + i) as [number, number, number, number, number, number, number];
  const json = Buffer.from(JSON.stringify({ licence: 'XV-0001' }));
  const catalog = { ...doc.catalog, extra: { Names: `<< /EmbeddedFiles ${ref(tree)} >>`, AF: refs([fs2]), Metadata: ref(xmp) } };
  const objects = new Map<number, Body>([
    [tree, dict({ Kids: refs([kid]) })],
    [kid, dict({ Names: `[(licence.json) ${ref(fs1)}]`, Kids: refs([tree]) })], // a cycle back to the root
    [fs1, dict({ Type: '/Filespec', F: lit('licence.json'), UF: lit('licence.json'), EF: `<< /F ${ref(ef1)} >>`, AFRelationship: '/Data' })],
    [ef1, { dict: '<< /Type /EmbeddedFile /Subtype /application#2Fjson /Filter /FlateDecode >>', data: deflateSync(json) }],
    [fs2, dict({ Type: '/Filespec', F: lit('big.bin'), EF: `<< /F ${ref(ef2)} >>` })],
    [ef2, { dict: '<< /Type /EmbeddedFile /Filter /FlateDecode >>', data: deflateSync(Buffer.alloc(4 * 1024 * 1024)) }],
    [xmp, { dict: '<< /Type /Metadata /Subtype /XML >>', data: Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>') }],
    [doc.catalog.num, catalogBody({ ...doc, catalog })],
  ]);
  doc = appendUpdate(doc, objects, { catalog });
  return doc.bytes;
}

describe('readAttachments', () => {
  it('reads named embedded files and the XMP packet, skipping files above maxBytes', () => {
    const r = readAttachments(withAttachments(), { maxBytes: 1024 * 1024 });
    expect(r.readable).toBe(true);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]).toMatchObject({ name: 'licence.json', key: 'licence.json', mimeType: 'application/json', relationship: 'Data' });
    expect(JSON.parse(Buffer.from(r.attachments[0]!.data).toString())).toEqual({ licence: 'XV-0001' });
    expect(Buffer.from(r.xmp!).toString()).toContain('xmpmeta');
    expect(r.problems.join()).toMatch(/big\.bin: .*maxStreamBytes|big\.bin/);
  });

  it('filters by name and finds /AF files', () => {
    const r = readAttachments(withAttachments(), { names: ['big.bin'], maxBytes: 8 * 1024 * 1024 });
    expect(r.attachments.map((a) => [a.name, a.key, a.data.length])).toEqual([['big.bin', null, 4 * 1024 * 1024]]);
  });

  it('says unreadable for garbage and rejects a bad maxBytes', () => {
    expect(readAttachments(new Uint8Array([1, 2, 3]), { maxBytes: 10 })).toMatchObject({ readable: false, attachments: [], xmp: null });
    expect(() => readAttachments(new Uint8Array(), { maxBytes: 0 })).toThrow(InvalidVerifyOptionError);
  });
});
