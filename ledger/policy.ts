import type { EvidenceDomain } from './evidence.ts';

/**
 * A writer: an organisation (MSP id), optionally narrowed to identities whose X.509
 * certificate carries an attribute (Fabric CA `attrs` extension, 1.2.3.4.5.6.7.8.1).
 */
export interface Principal {
  readonly mspId: string;
  readonly attribute?: { readonly name: string; readonly value: string };
}

/**
 * Who may write which domain; kept on the chain (key `policy`), so every change is a
 * transaction with history. A domain without writers cannot be written. Only `admins`
 * may replace a policy; the first one is the deployment's initialisation step.
 *
 * @example
 * // the registration centre writes 不动产, the fund centre 公积金; the office writes licences
 * { admins: [{ mspId: 'OfficeMSP' }],
 *   writers: { realestate: [{ mspId: 'RegistryMSP' }], fund: [{ mspId: 'FundMSP' }],
 *              licence: [{ mspId: 'OfficeMSP', attribute: { name: 'zhengyin.role', value: 'issuer' } }] } }
 */
export interface WriterPolicy {
  readonly admins: readonly Principal[];
  readonly writers: Readonly<Partial<Record<EvidenceDomain, readonly Principal[]>>>;
}

/** A policy where one organisation writes every domain and administers the policy. */
export function singleOrganisationPolicy(mspId: string): WriterPolicy {
  const me = [{ mspId }];
  return { admins: me, writers: { realestate: me, fund: me, licence: me, accesslog: me, project: me } };
}
