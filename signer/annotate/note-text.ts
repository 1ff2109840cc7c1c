import { InvalidInputError } from '../../common/index.ts';

/** 加注: what the copy says of its own use, as the holder's use code or the application states it. */
export interface AnnotationNote {
  /** 接收方: who receives the copy (a bank, a court, a department), 1-100 characters. */
  readonly recipient: string;
  /** 用途: for what the copy may be used, 1-200 characters. */
  readonly purpose: string;
  /** 有效期至: after this instant the copy is not to be relied on. */
  readonly validUntil: Date;
  /** 编号: the use code's or the application's id, 1-64 printable ASCII characters, without spaces. */
  readonly reference: string;
  /** 加注时间: when the copy was made. */
  readonly issuedAt: Date;
}

/** Limits of the free-text parts of a note, in characters (code points). */
export const NOTE_LIMITS = { recipient: 100, purpose: 200, reference: 64 } as const;

/** One line of the note block, before wrapping. */
export interface NoteLine {
  readonly text: string;
  /** The note's part, named in a `GlyphMissingError`. */
  readonly part: string;
  readonly bold?: boolean;
}

/**
 * Checks a note's parts.
 * @throws `InvalidInputError` naming the part (`note.recipient`, …).
 */
export function checkNote(note: AnnotationNote): void {
  const text = (field: 'recipient' | 'purpose', value: unknown) => {
    const max = NOTE_LIMITS[field];
    if (typeof value !== 'string' || value.trim() === '' || [...value].length > max) {
      throw new InvalidInputError({ field: `note.${field}`, message: `note.${field}: 1-${max} characters` });
    }
    // Control characters would print as nothing and hide text from a reader of the copy.
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(value)) {
      throw new InvalidInputError({ field: `note.${field}`, message: `note.${field}: no control characters or line breaks` });
    }
  };
  text('recipient', note?.recipient);
  text('purpose', note?.purpose);
  if (typeof note.reference !== 'string' || !new RegExp(`^[!-~]{1,${NOTE_LIMITS.reference}}$`).test(note.reference)) {
    throw new InvalidInputError({ field: 'note.reference', message: `note.reference: 1-${NOTE_LIMITS.reference} printable ASCII characters, no spaces` });
  }
  for (const field of ['validUntil', 'issuedAt'] as const) {
    if (!(note[field] instanceof Date) || Number.isNaN(note[field].getTime())) {
      throw new InvalidInputError({ field: `note.${field}`, message: `note.${field}: not a valid time` });
    }
  }
  if (note.validUntil <= note.issuedAt) {
    throw new InvalidInputError({ field: 'note.validUntil', message: 'note.validUntil: must be after note.issuedAt' });
  }
}

/** '2026-12-31 23:59 (UTC+8)': China Standard Time, where the copy is read. */
export function chinaTime(at: Date): string {
  const cst = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${cst.slice(0, 10)} ${cst.slice(11, 16)} (UTC+8)`;
}

/** The note block's lines, Chinese with English, in reading order; `attachment` names the file holding the original. */
export function noteLines(note: AnnotationNote, originalSha256: string, attachment = 'original.pdf'): NoteLine[] {
  return [
    { part: 'title', text: '加注件 · 副本  Annotated copy', bold: true },
    { part: 'purpose', text: `加注：此件仅用于“${note.purpose}”，他用无效。 Note: for this use only; any other use is void.` },
    { part: 'recipient', text: `接收方 Recipient：${note.recipient}` },
    { part: 'validUntil', text: `有效期至 Valid until：${chinaTime(note.validUntil)}` },
    { part: 'reference', text: `编号 Reference：${note.reference}    加注时间 Annotated at：${chinaTime(note.issuedAt)}` },
    { part: 'original', text: `原件 Original SHA-256：${originalSha256}` },
    {
      part: 'original',
      text: `签章原件作为附件 ${attachment} 嵌入本文件，可提取后单独验证。 The signed original is attached as ${attachment} and can be verified on its own.`,
    },
  ];
}
