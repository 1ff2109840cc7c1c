/** Byte surgery for attack fixtures. */

export function offsetOf(bytes: Uint8Array, needle: string, from = 0): number {
  const i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(needle, from, 'latin1');
  if (i < 0) throw new Error(`"${needle}" not found`);
  return i;
}

export function lastOffsetOf(bytes: Uint8Array, needle: string): number {
  const i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).lastIndexOf(needle, undefined, 'latin1');
  if (i < 0) throw new Error(`"${needle}" not found`);
  return i;
}

/** A copy with the byte at `at` XOR-ed with 0x01. */
export function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at]! ^= 0x01;
  return out;
}

export function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));
}

/** A copy with `text` written over the bytes at `at` (same length). */
export function overwrite(bytes: Uint8Array, at: number, text: string): Uint8Array {
  const out = Buffer.from(bytes);
  out.write(text, at, 'latin1');
  return new Uint8Array(out);
}
