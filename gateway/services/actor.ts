import { ForbiddenError } from '../../common/index.ts';

/**
 * Who is asking. Services take an actor on every call that reads or changes someone's
 * data and decide there — not only in the route or resolver in front of them.
 *
 * - `operator`: the person running this installation (the CLI on the server, `npm start`'s
 *   demo seeding); may act for any department.
 * - `department`: a department's staff, acting for that department only; `role` (from an API
 *   token) narrows what they may do, absent means every role (the CLI acting as a department).
 * - `applicant`: a person (公民身份号码, holder code type 111) or an organisation
 *   (统一社会信用代码, 001), reading their own licences.
 * - `public`: anyone, e.g. a bank clerk on a licence's status page.
 */
export type Actor =
  | { readonly kind: 'operator' }
  | { readonly kind: 'department'; readonly departmentId: string; readonly role?: DepartmentRole }
  | { readonly kind: 'applicant'; readonly holderCodeType: '111' | '001'; readonly holderCode: string }
  | { readonly kind: 'public' };

/** What a department's API token may do: issue and revoke, handle applications, or both plus token admin. */
export type DepartmentRole = 'issuer' | 'handler' | 'admin';
export const DEPARTMENT_ROLES: readonly DepartmentRole[] = ['issuer', 'handler', 'admin'];

export const OPERATOR: Actor = { kind: 'operator' };
export const PUBLIC: Actor = { kind: 'public' };
export const asDepartment = (departmentId: string): Actor => ({ kind: 'department', departmentId });

/**
 * Passes when the actor is the operator or staff of `departmentId`, in one of `roles` when
 * those are given (an actor without a role has them all).
 * @throws {@link ForbiddenError}
 */
export function requireDepartment(actor: Actor, departmentId: string, action: string, roles?: readonly DepartmentRole[]): void {
  if (actor.kind === 'operator') return;
  if (actor.kind === 'department' && actor.departmentId === departmentId) {
    if (roles && actor.role && !roles.includes(actor.role)) {
      throw new ForbiddenError({ action, reason: `the ${actor.role} role cannot ${action}; needs ${roles.join(' or ')}` });
    }
    return;
  }
  throw new ForbiddenError({
    action,
    reason: actor.kind === 'department' ? `department ${actor.departmentId} cannot act for department ${departmentId}` : 'only a department may do this',
  });
}

/** Passes only for the operator. @throws {@link ForbiddenError} */
export function requireOperator(actor: Actor, action: string): void {
  if (actor.kind !== 'operator') throw new ForbiddenError({ action, reason: 'only the operator may do this' });
}
