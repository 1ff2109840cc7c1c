import { createHash } from 'node:crypto';

export const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
