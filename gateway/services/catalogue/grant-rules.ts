import type { Matter } from './model.ts';

/** What a grant lets a department receive: a shared licence of a type, or an earlier material of a kind. */
export type GrantResourceKind = 'licence-type' | 'material';

/**
 * Why `departmentId` may not be granted `resource` for `matter`, or undefined when it may:
 * grants follow the matter (a department sees only the types its matters list), so the
 * department must handle or join the matter, and the matter must list a material that the
 * licence type satisfies, or a material of that kind (as its own kind or in satisfiedBy).
 */
export function grantProblem(matter: Matter, departmentId: string, resourceKind: GrantResourceKind, resource: string): string | undefined {
  if (matter.department !== departmentId && !(matter.jointDepartments ?? []).includes(departmentId)) {
    return `${departmentId} neither handles nor joins matter ${matter.code}`;
  }
  if (resourceKind === 'licence-type') {
    const listed = matter.materials.some((r) => (r.satisfiedBy?.licenceTypes ?? []).includes(resource));
    return listed ? undefined : `matter ${matter.code} lists no material a licence of type ${resource} satisfies`;
  }
  const listed = matter.materials.some((r) => r.kind === resource || (r.satisfiedBy?.materials ?? []).includes(resource));
  return listed ? undefined : `matter ${matter.code} lists no material of kind ${resource}`;
}
