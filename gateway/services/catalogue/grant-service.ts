import { InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { requireDepartment, requireOperator, type Actor } from '../actor.ts';
import type { CatalogueService } from './catalogue-service.ts';
import { NotGrantedError } from './errors.ts';
import { grantProblem, type GrantResourceKind } from './grant-rules.ts';

export interface GrantServiceOptions {
  readonly prisma: PrismaClient;
  readonly catalogue: CatalogueService;
}

/** A grant as listed: one department, one matter, one licence type or material kind. */
export interface Grant {
  readonly id: string;
  readonly departmentId: string;
  /** 事项编码. */
  readonly matter: string;
  readonly resourceKind: GrantResourceKind;
  /** 证照类型代码 or material kind code. */
  readonly resource: string;
  /** 'catalogue' (grants.json) or 'operator' (`zhengyin grant add`). */
  readonly source: 'catalogue' | 'operator';
  readonly grantedAt: Date;
  readonly revokedAt: Date | null;
}

export interface NewGrant {
  readonly departmentId: string;
  readonly matter: string;
  readonly resourceKind: GrantResourceKind;
  readonly resource: string;
}

/** What a department may receive for one matter: the base the reuse work plans and fetches on. */
export interface Receivable {
  readonly matter: string;
  readonly licenceTypes: readonly string[];
  readonly materials: readonly string[];
}

/**
 * Grants (共享授权): which department may receive which licence types and material kinds
 * from others, for which matters. The operator sets them, in grants.json or by hand; a
 * grant counts only while its matter is in the current catalogue.
 */
export class GrantService {
  readonly #prisma: PrismaClient;
  readonly #catalogue: CatalogueService;

  constructor(options: Readonly<GrantServiceOptions>) {
    this.#prisma = options.prisma;
    this.#catalogue = options.catalogue;
  }

  /**
   * Grants one resource for one matter, or returns the live operator grant that already does.
   * @throws `ForbiddenError` unless the operator.
   * @throws {@link NotFoundError} no such department or current matter.
   * @throws {@link InvalidInputError} `INVALID_GRANT`: the matter is not the department's, or does not list the resource.
   */
  async add(actor: Actor, input: NewGrant): Promise<Grant> {
    requireOperator(actor, 'grant access to shared materials');
    if (!(await this.#prisma.department.findUnique({ where: { id: input.departmentId } }))) throw new NotFoundError({ entity: 'department', id: input.departmentId });
    const matter = await this.#catalogue.matter(input.matter);
    const problem = grantProblem(matter.content, input.departmentId, input.resourceKind, input.resource);
    if (problem) throw new InvalidGrantError(problem);
    const where = { departmentId: input.departmentId, matter: input.matter, resourceKind: input.resourceKind, resource: input.resource, source: 'operator', revokedAt: null };
    const existing = await this.#prisma.departmentGrant.findFirst({ where });
    if (existing) return existing as Grant;
    return (await this.#prisma.departmentGrant.create({ data: { ...input, source: 'operator' } })) as Grant;
  }

  /**
   * Revokes a live grant; the row stays as history. Catalogue grants come back at the next
   * load that still lists them: remove them from grants.json to end them for good.
   * @throws {@link NotFoundError} no live grant with this id.
   */
  async revoke(actor: Actor, id: string): Promise<Grant> {
    requireOperator(actor, 'revoke a grant');
    const { count } = await this.#prisma.departmentGrant.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new NotFoundError({ entity: 'live grant', id });
    return (await this.#prisma.departmentGrant.findUniqueOrThrow({ where: { id } })) as Grant;
  }

  /** Grants, live ones unless asked; a department sees only its own. @throws `ForbiddenError` */
  async list(actor: Actor, options: Readonly<{ departmentId?: string; revoked?: boolean }> = {}): Promise<Grant[]> {
    if (options.departmentId !== undefined) requireDepartment(actor, options.departmentId, 'list grants');
    else requireOperator(actor, 'list every department’s grants');
    const rows = await this.#prisma.departmentGrant.findMany({
      where: { ...(options.departmentId === undefined ? {} : { departmentId: options.departmentId }), ...(options.revoked ? {} : { revokedAt: null }) },
      orderBy: [{ departmentId: 'asc' }, { matter: 'asc' }, { resourceKind: 'asc' }, { resource: 'asc' }, { grantedAt: 'asc' }],
    });
    return rows as Grant[];
  }

  /** Whether `departmentId` may receive shared licences of `licenceType` for applications of `matter`. */
  async mayReceive(departmentId: string, licenceType: string, matter: string): Promise<boolean> {
    return this.#granted(departmentId, 'licence-type', licenceType, matter);
  }

  /** Whether `departmentId` may receive earlier materials of `materialKind` for applications of `matter`. */
  async mayReceiveMaterial(departmentId: string, materialKind: string, matter: string): Promise<boolean> {
    return this.#granted(departmentId, 'material', materialKind, matter);
  }

  /** {@link mayReceive} or {@link mayReceiveMaterial}, throwing. @throws {@link NotGrantedError} */
  async requireGrant(departmentId: string, resourceKind: GrantResourceKind, resource: string, matter: string): Promise<void> {
    if (!(await this.#granted(departmentId, resourceKind, resource, matter))) throw new NotGrantedError({ departmentId, matter, resourceKind, resource });
  }

  /** What `departmentId` may receive, per current matter. @throws `ForbiddenError` another department's. */
  async receivable(actor: Actor, departmentId: string): Promise<Receivable[]> {
    requireDepartment(actor, departmentId, 'list what a department may receive');
    const current = new Set((await this.#catalogue.list({ kind: 'matter' })).map((m) => m.key));
    const rows = await this.#prisma.departmentGrant.findMany({ where: { departmentId, revokedAt: null }, orderBy: [{ matter: 'asc' }, { resource: 'asc' }] });
    const byMatter = new Map<string, { licenceTypes: Set<string>; materials: Set<string> }>();
    for (const r of rows) {
      if (!current.has(r.matter)) continue;
      const entry = byMatter.get(r.matter) ?? { licenceTypes: new Set(), materials: new Set() };
      (r.resourceKind === 'licence-type' ? entry.licenceTypes : entry.materials).add(r.resource);
      byMatter.set(r.matter, entry);
    }
    return [...byMatter].map(([matter, e]) => ({ matter, licenceTypes: [...e.licenceTypes], materials: [...e.materials] }));
  }

  async #granted(departmentId: string, resourceKind: GrantResourceKind, resource: string, matter: string): Promise<boolean> {
    const grant = await this.#prisma.departmentGrant.findFirst({ where: { departmentId, matter, resourceKind, resource, revokedAt: null }, select: { id: true } });
    if (!grant) return false;
    // A grant follows its matter: once the catalogue withdraws the matter, nothing is received for it.
    return this.#catalogue.matter(matter).then(
      () => true,
      (e: unknown) => {
        if (e instanceof NotFoundError) return false;
        throw e;
      },
    );
  }
}

/** A grant that does not fit its matter (the department neither handles nor joins it, or it lists no such material). */
export class InvalidGrantError extends InvalidInputError {
  override readonly code = 'INVALID_GRANT';

  constructor(message: string) {
    super({ field: 'grant', message });
  }
}
