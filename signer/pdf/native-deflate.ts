/**
 * pdf-lib compresses every stream it writes (content streams, embedded fonts, images) with
 * pako, zlib ported to JavaScript: measured here, a twentieth of a licence's issuance CPU.
 * Imported for its effect, this module points pdf-lib's pako at node:zlib's native deflate
 * (same format, same level). pako is looked up from pdf-lib's own location, so the module
 * object patched is the one pdf-lib calls; pako's other functions are left as they are.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

interface Pako {
  deflate(input: Uint8Array | string, options?: { level?: number }): Uint8Array;
  __zhengyinNative?: true;
}

const fromPdfLib = createRequire(createRequire(import.meta.url).resolve('pdf-lib'));
const pako = fromPdfLib('pako') as Pako;
if (!pako.__zhengyinNative) {
  pako.deflate = (input, options) => {
    const out = deflateSync(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, { level: options?.level ?? 6 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
  pako.__zhengyinNative = true;
}
