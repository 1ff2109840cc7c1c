import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * HarfBuzz's hb-subset (the harfbuzzjs WebAssembly build) with each font loaded into the
 * WebAssembly heap once. subset-font copies the whole font (8 MB for Noto Sans CJK) into the
 * heap and parses it again for every call; keeping the face measured 2.7 ms instead of
 * 10 ms per subset here. Calls are synchronous, so no two subsets interleave.
 */

interface HarfBuzz {
  memory: { readonly buffer: ArrayBuffer };
  _initialize(): void;
  malloc(n: number): number;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
const HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;

// tsconfig's lib (ES2023, no DOM) has no WebAssembly typings; this is the one call we make.
interface WebAssemblyGlobal {
  WebAssembly: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: unknown } }> };
}

let harfbuzz: Promise<HarfBuzz> | undefined;

function loadHarfBuzz(): Promise<HarfBuzz> {
  harfbuzz ??= (async () => {
    const wasm = await readFile(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await (globalThis as unknown as WebAssemblyGlobal).WebAssembly.instantiate(wasm);
    const hb = instance.exports as unknown as HarfBuzz;
    hb._initialize();
    return hb;
  })();
  return harfbuzz;
}

export interface SubsetOptions {
  /** Drop hinting: for reading outlines (seal pictures), not for fonts a viewer renders. */
  readonly dropHints?: boolean;
}

/** A font program resident in the HarfBuzz heap, subset on demand. */
export interface ResidentFace {
  /**
   * The OpenType subset holding the glyphs of `codePoints` (plus .notdef), without layout
   * features or layout closure, CFF desubroutinized. Throws if HarfBuzz fails.
   */
  subset(codePoints: Iterable<number>, options?: SubsetOptions): Uint8Array;
}

/** Loads `font` (OpenType bytes) into the HarfBuzz heap for repeated subsetting. Never freed. */
export async function residentFace(font: Uint8Array): Promise<ResidentFace> {
  const hb = await loadHarfBuzz();
  const at = hb.malloc(font.byteLength);
  new Uint8Array(hb.memory.buffer).set(font, at);
  const blob = hb.hb_blob_create(at, font.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  return {
    subset(codePoints, options = {}) {
      const input = hb.hb_subset_input_create_or_fail();
      if (input === 0) throw new Error('hb_subset_input_create_or_fail failed');
      let result = 0;
      try {
        hb.hb_set_clear(hb.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG)); // keep no GSUB/GPOS feature: pdf-lib does no shaping
        // Desubroutinized CFF: every reader interprets it alike (fontkit misread a glyph of a
        // subroutinized hb-subset CFF that FreeType drew right), and for the few hundred glyphs
        // of a licence it came out smaller (29.4 KB against 31.1 KB) and faster to make.
        let flags = hb.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE | HB_SUBSET_FLAGS_DESUBROUTINIZE;
        if (options.dropHints) flags |= HB_SUBSET_FLAGS_NO_HINTING;
        hb.hb_subset_input_set_flags(input, flags);
        const unicodes = hb.hb_subset_input_unicode_set(input);
        for (const cp of codePoints) hb.hb_set_add(unicodes, cp);
        result = hb.hb_subset_or_fail(face, input);
      } finally {
        hb.hb_subset_input_destroy(input);
      }
      if (result === 0) throw new Error('hb_subset_or_fail failed');
      const out = hb.hb_face_reference_blob(result);
      try {
        const data = hb.hb_blob_get_data(out, 0);
        const length = hb.hb_blob_get_length(out);
        if (length === 0) throw new Error('hb-subset produced an empty font');
        // The heap may have grown (and its buffer been replaced) during the subset: view it now.
        return new Uint8Array(hb.memory.buffer).slice(data, data + length);
      } finally {
        hb.hb_blob_destroy(out);
        hb.hb_face_destroy(result);
      }
    },
  };
}
