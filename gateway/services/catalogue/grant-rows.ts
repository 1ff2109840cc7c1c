import type { Prisma } from '../../../prisma/generated/client.ts';
import type { GrantResourceKind } from './grant-rules.ts';
import type { GrantEntry } from './model.ts';

/** One row of department_grant, as a key. */
interface GrantRow {
  readonly departmentId: string;
  readonly matter: string;
  readonly resourceKind: GrantResourceKind;
  readonly resource: string;
}

const keyOf = (r: GrantRow) => [r.departmentId, r.matter, r.resourceKind, r.resource].join('\u0000');

/** The rows a grants.json entry stands for: one per licence type and per material kind. */
export function grantRows(entry: GrantEntry): GrantRow[] {
  const base = { departmentId: entry.department, matter: entry.matter };
  return [
    ...(entry.licenceTypes ?? []).map((resource) => ({ ...base, resourceKind: 'licence-type' as const, resource })),
    ...(entry.materials ?? []).map((resource) => ({ ...base, resourceKind: 'material' as const, resource })),
  ];
}

/**
 * Makes the live catalogue grants exactly `entries`, inside the loader's transaction:
 * new ones granted, ones no longer listed revoked (kept as history), the rest untouched.
 * Grants the operator added by hand are not the catalogue's and are left alone.
 */
export async function syncCatalogueGrants(tx: Prisma.TransactionClient, entries: readonly GrantEntry[]): Promise<{ granted: number; revoked: number }> {
  const wanted = new Map(entries.flatMap(grantRows).map((r) => [keyOf(r), r]));
  const live = await tx.departmentGrant.findMany({ where: { source: 'catalogue', revokedAt: null } });
  const stale = live.filter((r) => !wanted.has(keyOf(r as GrantRow)));
  for (const r of live) wanted.delete(keyOf(r as GrantRow));
  if (stale.length > 0) await tx.departmentGrant.updateMany({ where: { id: { in: stale.map((r) => r.id) } }, data: { revokedAt: new Date() } });
  if (wanted.size > 0) await tx.departmentGrant.createMany({ data: [...wanted.values()].map((r) => ({ ...r, source: 'catalogue' })) });
  return { granted: wanted.size, revoked: stale.length };
}
