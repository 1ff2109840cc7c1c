/** Line breaking for licence faces: CJK breaks between any two characters, Latin at spaces. */

// Characters that may not start a line (GB/T 15834 punctuation; 禁则): they hang at the line end instead.
const NO_LINE_START = new Set([...'，。、；：？！）》」』”’〕】,.;:?!)]}%·']);

/** Splits into tokens: runs of printable ASCII without spaces, single spaces, single other characters. */
function tokens(text: string): string[] {
  return text.match(/[!-~]+| |[^!-~ ]/gu) ?? [];
}

/**
 * Breaks `text` into lines no wider than `maxWidth` as measured by `width`; explicit line
 * breaks are kept. Closing punctuation hangs past the edge rather than starting a line.
 * A Latin word wider than a line is broken between characters.
 */
export function wrapText(text: string, maxWidth: number, width: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    const place = (token: string) => {
      if (line === '' && token === ' ') return;
      if (line === '' || width(line + token) <= maxWidth || NO_LINE_START.has(token)) {
        line += token;
        return;
      }
      lines.push(line.trimEnd());
      line = token === ' ' ? '' : token;
    };
    for (const token of tokens(paragraph)) {
      if (token.length > 1 && width(token) > maxWidth) for (const ch of token) place(ch);
      else place(token);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
