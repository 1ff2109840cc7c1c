import { NotFoundError } from '../../../common/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { checkLicenceType, type LicenceType } from '../../../signer/index.ts';
import { requireOperator, type Actor } from '../actor.ts';

export interface LicenceTypeServiceOptions {
  readonly prisma: PrismaClient;
}

/**
 * Licence types are data (face-field schema, layout, validity rule) kept in the
 * licence_type table, with the departments allowed to issue each.
 */
export class LicenceTypeService {
  readonly #prisma: PrismaClient;
  readonly #cache = new Map<string, LicenceType>();

  constructor(options: Readonly<LicenceTypeServiceOptions>) {
    this.#prisma = options.prisma;
  }

  /**
   * Stores a type (checked first: a bad definition never reaches the table) and grants
   * `issuers` the right to issue it. Idempotent; a changed definition replaces the old one.
   * @throws `LicenceTypeError` listing every problem of the definition.
   */
  async define(actor: Actor, type: LicenceType, issuers: readonly string[]): Promise<LicenceType> {
    requireOperator(actor, 'define a licence type');
    checkLicenceType(type);
    await this.#prisma.$transaction((tx) => this.write(tx, type, issuers));
    this.forgetCached();
    return type;
  }

  /**
   * {@link define} inside the caller's transaction (the catalogue loader's), without the
   * operator check the caller has made. Call {@link forgetCached} after the commit.
   * @throws `LicenceTypeError` listing every problem of the definition.
   */
  async write(tx: Prisma.TransactionClient, type: LicenceType, issuers: readonly string[]): Promise<void> {
    checkLicenceType(type);
    const columns = {
      name: type.name,
      holderKind: type.holder.kind,
      holder: type.holder as unknown as Prisma.InputJsonValue,
      schema: type.schema as unknown as Prisma.InputJsonValue,
      layout: type.layout as unknown as Prisma.InputJsonValue,
      validity: type.validity as unknown as Prisma.InputJsonValue,
      renewalDecisionDays: type.renewalDecisionDays ?? null,
    };
    await tx.licenceType.upsert({ where: { code: type.code }, create: { code: type.code, ...columns }, update: columns });
    for (const departmentId of issuers) {
      await tx.licenceTypeIssuer.upsert({
        where: { typeCode_departmentId: { typeCode: type.code, departmentId } },
        create: { typeCode: type.code, departmentId },
        update: {},
      });
    }
  }

  /** Drops cached definitions, after a transaction that {@link write} took part in has committed. */
  forgetCached(): void {
    this.#cache.clear();
  }

  /** Ids of the departments that may issue the type, sorted. */
  async issuersOf(typeCode: string): Promise<string[]> {
    const rows = await this.#prisma.licenceTypeIssuer.findMany({ where: { typeCode }, orderBy: { departmentId: 'asc' } });
    return rows.map((r) => r.departmentId);
  }

  async list(): Promise<LicenceType[]> {
    const rows = await this.#prisma.licenceType.findMany({ orderBy: { code: 'asc' } });
    return rows.map(toLicenceType);
  }

  /**
   * The type with this code, or with this name (证照名称) when exactly one has it.
   * @throws {@link NotFoundError} entity 'licence type'.
   */
  async resolve(codeOrName: string): Promise<LicenceType> {
    const cached = this.#cache.get(codeOrName);
    if (cached) return cached;
    const rows = await this.#prisma.licenceType.findMany({ where: { OR: [{ code: codeOrName }, { name: codeOrName }] } });
    if (rows.length !== 1) throw new NotFoundError({ entity: 'licence type', id: codeOrName });
    const type = checkLicenceType(toLicenceType(rows[0]!));
    this.#cache.set(codeOrName, type);
    return type;
  }

  async mayIssue(departmentId: string, typeCode: string): Promise<boolean> {
    const grant = await this.#prisma.licenceTypeIssuer.findUnique({ where: { typeCode_departmentId: { typeCode, departmentId } } });
    return grant !== null;
  }
}

function toLicenceType(row: { code: string; name: string; holder: unknown; schema: unknown; layout: unknown; validity: unknown; renewalDecisionDays: number | null }): LicenceType {
  return {
    ...(row.renewalDecisionDays === null ? {} : { renewalDecisionDays: row.renewalDecisionDays }),
    code: row.code,
    name: row.name,
    holder: row.holder,
    schema: row.schema,
    layout: row.layout,
    validity: row.validity,
  } as LicenceType;
}
