import upngModule from '@pdf-lib/upng';

type Upng = typeof upngModule;

/**
 * @pdf-lib/upng is CommonJS with `exports.default`: Node's ESM loader hands us
 * `{ default: UPNG }`, while vitest's interop hands us UPNG itself. Accept both.
 */
export const UPNG: Upng = (upngModule as unknown as { default?: Upng }).default ?? upngModule;
export type { Image as UpngImage } from '@pdf-lib/upng';
