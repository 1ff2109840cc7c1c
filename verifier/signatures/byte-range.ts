/**
 * /ByteRange sanity (ISO 32000-1 §12.8.1; PAdES EN 319 142-1 §5.2): it starts at 0, its
 * one gap is exactly the /Contents string, and it ends where a revision ends. Anything else
 * leaves bytes a reader shows outside the signature, whatever the CMS says.
 */
import type { PdfDocument, Revision } from '../pdf/document.ts';
import { PdfArray } from '../pdf/objects.ts';
import { isWhite } from '../pdf/lexer.ts';
import type { Coverage } from '../report/types.ts';
import type { FoundSignature } from './find-signatures.ts';

export interface CoverageResult {
  readonly coverage: Coverage;
  readonly byteRange: readonly number[] | null;
  /** The revision whose end the signed bytes reach; null unless coverage is whole-revision. */
  readonly revision: Revision | null;
  readonly problem: string | null;
}

export function checkByteRange(doc: PdfDocument, sig: FoundSignature): CoverageResult {
  const br = sig.revision.deref(sig.dict.get('ByteRange'));
  const values = br instanceof PdfArray ? br.items.map((x) => sig.revision.deref(x)) : [];
  if (!values.every((v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
    return fail(null, 'UNCLEAR', '/ByteRange is not an array of non-negative integers');
  }
  const ints = values as number[];
  if (ints.length !== 4) return fail(ints, 'UNCLEAR', `/ByteRange has ${ints.length} numbers; one gap (4 numbers) is required`);
  const [a, b, c, d] = ints as [number, number, number, number];
  const end = c + d;
  if (a !== 0) return fail(ints, 'UNCLEAR', '/ByteRange does not start at byte 0');
  if (b === 0 || c <= b || end > doc.bytes.length) return fail(ints, 'UNCLEAR', '/ByteRange is out of order or beyond the end of the file');
  const holderEntry = sig.revision.entry(sig.holder);
  if (!sig.contents || holderEntry?.kind !== 'offset') {
    return fail(ints, 'UNCLEAR', 'the signature dictionary is not stored where /ByteRange can point at its /Contents');
  }
  if (sig.contents.start !== b || sig.contents.end !== c) {
    return fail(ints, 'UNCLEAR', `the /ByteRange gap [${b}, ${c}) is not exactly the /Contents string [${sig.contents.start}, ${sig.contents.end})`);
  }
  const revision = doc.revisions.find((r) => r.end === end || r.endWithoutEol === end);
  if (!revision) return fail(ints, 'CONTIGUOUS_BLOCK_FROM_START', `/ByteRange ends at byte ${end}, which is not the end of a revision`);
  if (holderEntry.offset >= end || revision.location(sig.holder) !== sig.revision.location(sig.holder)) {
    return fail(ints, 'UNCLEAR', 'the signature dictionary is not part of the revision its /ByteRange covers');
  }
  let tail = end;
  while (tail < doc.bytes.length && isWhite(doc.bytes[tail])) tail++;
  const coverage: Coverage = revision === doc.final && tail === doc.bytes.length ? 'ENTIRE_FILE' : 'ENTIRE_REVISION';
  return { coverage, byteRange: ints, revision, problem: null };
}

function fail(byteRange: readonly number[] | null, coverage: Coverage, problem: string): CoverageResult {
  return { coverage, byteRange, revision: null, problem };
}

/** The bytes /ByteRange covers, as views (no copy). Call only after {@link checkByteRange}. */
export function coveredBytes(bytes: Uint8Array, byteRange: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < byteRange.length; i += 2) out.push(bytes.subarray(byteRange[i]!, byteRange[i]! + byteRange[i + 1]!));
  return out;
}
