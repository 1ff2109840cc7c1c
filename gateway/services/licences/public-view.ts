import { randomBytes } from 'node:crypto';

/** Holder code type 统一社会信用代码 (GB/T 36903): the holder is an organisation. */
const ORGANISATION = '001';

/**
 * The holder as a status page shows it (姓名脱敏): a natural person (code type 111) keeps
 * the first character and every other becomes '*', whatever the name's length
 * (张三 → 张*, 阿卜杜热合曼·买买提 → 阿*********); an organisation (001) keeps its name,
 * which is public in the business register. Any other code type is masked as a person.
 */
export function maskHolder(name: string, holderCodeType: string): string {
  if (holderCodeType === ORGANISATION) return name;
  const chars = [...name];
  return (chars[0] ?? '') + '*'.repeat(Math.max(chars.length - 1, 1));
}

/**
 * A status page's token: 16 random bytes, base64url (22 characters). The QR code carries
 * it instead of the identifier, whose serial is sequential and would let anyone walk
 * the register.
 */
export const newPageToken = (): string => randomBytes(16).toString('base64url');

/** A token as {@link newPageToken} makes them (the migration's backfill has the same shape). */
export const isPageToken = (s: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(s);
