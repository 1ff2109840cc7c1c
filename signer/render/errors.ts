import { SignerError } from '../errors.ts';

/** The embedded font has no glyph for some characters of a field; nothing was rendered. */
export class GlyphMissingError extends SignerError {
  readonly code = 'GLYPH_MISSING';
  /** Face field key, or the part of the page ('issuer', 'number', …). */
  readonly field: string;
  readonly characters: readonly string[];

  constructor(p: Readonly<{ field: string; characters: readonly string[] }>) {
    super(`${p.field}: the licence font has no glyph for ${p.characters.map((c) => `'${c}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}`);
    this.field = p.field;
    this.characters = p.characters;
  }
}

/** A field's value does not fit its place on the page even at the smallest font size. */
export class LayoutOverflowError extends SignerError {
  readonly code = 'LAYOUT_OVERFLOW';
  readonly field: string;

  constructor(p: Readonly<{ field: string; lines: number; maxLines: number }>) {
    super(`${p.field}: needs ${p.lines} lines at the smallest font size, the layout allows ${p.maxLines}`);
    this.field = p.field;
  }
}

/** The licence type's layout names something the type does not have, or a font cannot be prepared. */
export class RenderSetupError extends SignerError {
  readonly code = 'RENDER_SETUP';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
