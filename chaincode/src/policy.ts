import { Refusal } from './errors';
import { DOMAINS, type Domain } from './records';

/**
 * A writer: an organisation (MSP id), optionally narrowed to identities whose
 * certificate carries an attribute (Fabric CA `attrs`, read with ClientIdentity).
 */
export interface Principal {
  readonly mspId: string;
  readonly attribute?: { readonly name: string; readonly value: string };
}

/**
 * Who may write which domain, kept on the chain under the key `policy` so that every
 * change is itself a transaction with history. Domains not listed have no writers.
 * `admins` may replace the policy; the first policy can be set by anyone (it is the
 * deployment's initialisation step, like Fabric's `--init-required`).
 */
export interface WriterPolicy {
  readonly admins: readonly Principal[];
  readonly writers: Readonly<Partial<Record<Domain, readonly Principal[]>>>;
}

/** The part of fabric-shim's ClientIdentity that a policy needs. */
export interface Caller {
  getMSPID(): string;
  assertAttributeValue(name: string, value: string): boolean;
}

export const matches = (p: Principal, caller: Caller): boolean =>
  p.mspId === caller.getMSPID() && (!p.attribute || caller.assertAttributeValue(p.attribute.name, p.attribute.value));

export const mayWrite = (policy: WriterPolicy | undefined, domain: Domain, caller: Caller): boolean =>
  (policy?.writers[domain] ?? []).some((p) => matches(p, caller));

/** @throws {@link Refusal} `INVALID_POLICY` naming the offending part. */
export function parsePolicy(json: string): WriterPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Refusal('INVALID_POLICY', 'not JSON');
  }
  if (!isObject(raw)) throw new Refusal('INVALID_POLICY', 'must be an object with admins and writers');
  const admins = principals(raw.admins, 'admins');
  if (admins.length === 0) throw new Refusal('INVALID_POLICY', 'needs at least one admin, or nobody could change it again', 'admins');
  if (!isObject(raw.writers)) throw new Refusal('INVALID_POLICY', 'must be an object keyed by domain', 'writers');
  const writers: Partial<Record<Domain, readonly Principal[]>> = {};
  for (const [domain, list] of Object.entries(raw.writers)) {
    if (!DOMAINS.includes(domain as Domain)) throw new Refusal('INVALID_POLICY', `unknown domain (expected one of ${DOMAINS.join(', ')})`, `writers.${domain}`);
    writers[domain as Domain] = principals(list, `writers.${domain}`);
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'admins' && key !== 'writers') throw new Refusal('INVALID_POLICY', 'unknown field', key);
  }
  return { admins, writers };
}

function principals(list: unknown, field: string): Principal[] {
  if (!Array.isArray(list)) throw new Refusal('INVALID_POLICY', 'must be a list of principals', field);
  return list.map((p, i) => {
    if (!isObject(p) || typeof p.mspId !== 'string' || p.mspId === '') {
      throw new Refusal('INVALID_POLICY', 'needs an mspId', `${field}[${i}]`);
    }
    if (p.attribute === undefined) return { mspId: p.mspId };
    const a = p.attribute;
    if (!isObject(a) || typeof a.name !== 'string' || typeof a.value !== 'string' || a.name === '') {
      throw new Refusal('INVALID_POLICY', 'attribute needs a name and a value', `${field}[${i}].attribute`);
    }
    return { mspId: p.mspId, attribute: { name: a.name, value: a.value } };
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
