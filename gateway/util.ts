/** Small helpers that more than one part of the gateway needs: units, byte views, name bounds. */

/** PDF points per millimetre (1 pt = 1/72 in). */
export const MM = 72 / 25.4;

export const DAY = 24 * 60 * 60_000;

/** Prisma's Bytes are Uint8Array over an ArrayBuffer (not a SharedArrayBuffer). */
export const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/** RFC 5280 upper bound for names in the subject (ub-common-name, ub-organization-name: 64), counted in characters. */
export const truncate = (text: string): string => [...text].slice(0, 64).join('');
