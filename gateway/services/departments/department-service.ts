import { InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { parseUscc } from '../../../signer/index.ts';
import { requireOperator, type Actor } from '../actor.ts';

export interface Department {
  /** Short id used in URLs and on the command line, e.g. 'scjgj'. */
  readonly id: string;
  readonly name: string;
  /** 统一社会信用代码 (GB 32100-2015). */
  readonly uscc: string;
}

export interface NewDepartment {
  readonly id: string;
  readonly name: string;
  readonly uscc: string;
}

export interface DepartmentServiceOptions {
  readonly prisma: PrismaClient;
}

const DEPARTMENT_ID = /^[a-z][a-z0-9-]{1,31}$/;

/** Departments: who issues, seals and handles. Only the operator creates them. */
export class DepartmentService {
  readonly #prisma: PrismaClient;

  constructor(options: Readonly<DepartmentServiceOptions>) {
    this.#prisma = options.prisma;
  }

  async list(): Promise<Department[]> {
    return this.#prisma.department.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, uscc: true } });
  }

  /** @throws {@link NotFoundError} */
  async get(id: string): Promise<Department> {
    const found = await this.#prisma.department.findUnique({ where: { id }, select: { id: true, name: true, uscc: true } });
    if (!found) throw new NotFoundError({ entity: 'department', id });
    return found;
  }

  /**
   * Creates a department, or returns it unchanged when one with the same id, name and code
   * exists (so seeding is idempotent).
   * @throws {@link InvalidInputError} bad id or name; `InvalidCodeError` bad 统一社会信用代码; a
   *   different department already has this id or code.
   */
  async ensure(actor: Actor, input: NewDepartment): Promise<Department> {
    requireOperator(actor, 'create a department');
    if (!DEPARTMENT_ID.test(input.id)) {
      throw new InvalidInputError({ field: 'id', message: 'id: 2-32 characters a-z, 0-9 and -, starting with a letter' });
    }
    const name = input.name.trim();
    if (name.length === 0 || name.length > 100) throw new InvalidInputError({ field: 'name', message: 'name: 1-100 characters' });
    const uscc = parseUscc(input.uscc, 'uscc');
    const existing = await this.#prisma.department.findFirst({ where: { OR: [{ id: input.id }, { uscc }] } });
    if (existing) {
      if (existing.id === input.id && existing.uscc === uscc && existing.name === name) return { id: existing.id, name, uscc };
      throw new InvalidInputError({
        field: existing.id === input.id ? 'id' : 'uscc',
        message: `department ${existing.id} (${existing.name}, ${existing.uscc}) already exists`,
      });
    }
    await this.#prisma.department.create({ data: { id: input.id, name, uscc } });
    return { id: input.id, name, uscc };
  }
}
