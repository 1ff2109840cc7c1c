import { REAL_ESTATE_CERTIFICATE } from '../../../signer/index.ts';

/**
 * Licence types whose underlying fact the evidence ledger also holds, and how to find it:
 * a 不动产权证书 stands for the unit's registration in the `realestate` domain, keyed by
 * the 不动产单元号. The contract's cross-domain rule (a 公积金 loan needs a live
 * registration of its unit) reads the same key, so the plan checks it there instead of
 * asking the applicant for paper.
 */
export const LEDGER_BACKED_TYPES: ReadonlyMap<string, { readonly domain: 'realestate'; readonly fact: 'unitNumber'; readonly ends: ReadonlySet<string> }> = new Map([
  [REAL_ESTATE_CERTIFICATE.code, { domain: 'realestate', fact: 'unitNumber', ends: new Set(['realestate.cancellation']) }],
]);

/** 不动产单元号 (GB/T 37346-2019): 28 characters, digits and upper-case letters. */
export const isUnitNumber = (value: string): boolean => /^[0-9A-Z]{28}$/.test(value);
