/**
 * A document's format told by its bytes, never its name: an OFD is a zip package (GB/T
 * 33190), starting with a local file header `PK\x03\x04`; anything else is taken for a PDF,
 * whose reader then says whether it is one.
 */
export function documentFormatOf(bytes: Uint8Array): 'pdf' | 'ofd' {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'ofd' : 'pdf';
}
