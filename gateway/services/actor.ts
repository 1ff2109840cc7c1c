import { ForbiddenError } from '../../common/index.ts';

/**
 * Who is asking. Services take an actor on every call that reads or changes someone's
 * data and decide there — not only in the route or resolver in front of them.
 *
 * - `operator`: the person running this installation (the CLI on the server, `npm start`'s
 *   demo seeding); may act for any department.
 * - `department`: a department's staff, acting for that department only.
 * - `public`: anyone, e.g. a bank clerk on a licence's status page.
 */
export type Actor =
  | { readonly kind: 'operator' }
  | { readonly kind: 'department'; readonly departmentId: string }
  | { readonly kind: 'public' };

export const OPERATOR: Actor = { kind: 'operator' };
export const PUBLIC: Actor = { kind: 'public' };
export const asDepartment = (departmentId: string): Actor => ({ kind: 'department', departmentId });

/**
 * Passes when the actor is the operator or staff of `departmentId`.
 * @throws {@link ForbiddenError}
 */
export function requireDepartment(actor: Actor, departmentId: string, action: string): void {
  if (actor.kind === 'operator') return;
  if (actor.kind === 'department' && actor.departmentId === departmentId) return;
  throw new ForbiddenError({
    action,
    reason: actor.kind === 'department' ? `department ${actor.departmentId} cannot act for department ${departmentId}` : 'only a department may do this',
  });
}

/** Passes only for the operator. @throws {@link ForbiddenError} */
export function requireOperator(actor: Actor, action: string): void {
  if (actor.kind !== 'operator') throw new ForbiddenError({ action, reason: 'only the operator may do this' });
}
