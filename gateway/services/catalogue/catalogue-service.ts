import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { NotFoundError } from '../../../common/index.ts';
import { canonicalJson } from '../../../ledger/index.ts';
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';
import { requireOperator, type Actor } from '../actor.ts';
import type { LicenceTypeService } from '../departments/index.ts';
import { checkReferences, type ReferenceContext } from './check-references.ts';
import { syncCatalogueGrants } from './grant-rows.ts';
import type { CatalogueContent, CatalogueKind, CatalogueVersion, GrantEntry, Matter, ParsedCatalogue } from './model.ts';
import { readCatalogueFolder } from './read-folder.ts';

export interface CatalogueServiceOptions {
  readonly prisma: PrismaClient;
  readonly types: LicenceTypeService;
}

/** An item a load touched, with the version it now has. */
export interface CatalogueItemRef {
  readonly kind: CatalogueKind;
  readonly key: string;
  readonly version: number;
}

export interface CatalogueLoadResult {
  readonly loadId: string;
  /** New items (version 1, or back after a withdrawal). */
  readonly added: readonly CatalogueItemRef[];
  /** Items whose content changed: a new version each; the old versions stay. */
  readonly changed: readonly CatalogueItemRef[];
  readonly unchanged: number;
  /** Items an earlier load had that this folder does not. */
  readonly withdrawn: readonly CatalogueItemRef[];
  /** Rows of department_grant this load granted and revoked (operator grants are never touched). */
  readonly grants: { readonly granted: number; readonly revoked: number };
}

/** Serialises loads: an arbitrary constant for pg_advisory_xact_lock. */
const LOAD_LOCK = 72_707_412;

const sha256 = (content: unknown) => createHash('sha256').update(canonicalJson(content)).digest('hex');

interface ItemRow {
  kind: string;
  key: string;
  version: number;
  sha256: string;
  withdrawn: boolean;
  content: unknown;
  createdAt: Date;
}

const toVersion = <K extends CatalogueKind>(r: ItemRow): CatalogueVersion<K> => ({
  kind: r.kind as K,
  key: r.key,
  version: r.version,
  sha256: r.sha256,
  withdrawn: r.withdrawn,
  loadedAt: r.createdAt,
  content: r.content as CatalogueContent[K],
});

/**
 * The catalogue: licence types, material kinds, the proof list, matters, bundles and grants,
 * loaded from a folder of JSON files (catalogue/ in this repository; the schemas are
 * catalogue/schema/) and kept in every version. The catalogue is published information
 * (办事指南), so reading it needs no actor; loading it is the operator's.
 */
export class CatalogueService {
  readonly #prisma: PrismaClient;
  readonly #types: LicenceTypeService;

  constructor(options: Readonly<CatalogueServiceOptions>) {
    this.#prisma = options.prisma;
    this.#types = options.types;
  }

  /**
   * Reads and checks a folder against its schemas and against the database, writing nothing.
   * @throws {@link CatalogueSchemaError}, {@link ProofNotListedError}, {@link CatalogueReferenceError}.
   */
  async check(folder: string): Promise<ParsedCatalogue> {
    const parsed = readCatalogueFolder(folder);
    checkReferences(parsed, await referenceContext(this.#prisma));
    return parsed;
  }

  /**
   * Loads a folder as the whole catalogue, all or nothing, in one transaction: every file
   * valid against its schema and every reference resolved, or nothing changes. An item
   * whose content (canonical JSON) is unchanged keeps its version; a changed one gets the
   * next; one the folder no longer has gets a withdrawn version. Licence types are
   * (re)defined with their issuers; grants.json replaces the earlier catalogue grants.
   *
   * @throws {@link CatalogueSchemaError} a file off its schema, not JSON, or not a catalogue file.
   * @throws {@link ProofNotListedError} a matter asks for a proof outside the proof list.
   * @throws {@link CatalogueReferenceError} an unknown department, type, material, proof or matter; a duplicate code.
   * @throws `ForbiddenError` unless the actor is the operator.
   */
  async load(actor: Actor, folder: string): Promise<CatalogueLoadResult> {
    requireOperator(actor, 'load the catalogue');
    const parsed = readCatalogueFolder(folder);
    const result = await this.#prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`;
        checkReferences(parsed, await referenceContext(tx));
        const latest = await tx.$queryRaw<ItemRow[]>`
          SELECT DISTINCT ON (kind, key) kind, key, version, sha256, withdrawn, content, created_at AS "createdAt"
            FROM catalogue_item ORDER BY kind, key, version DESC`;
        const byId = new Map(latest.map((r) => [`${r.kind}\u0000${r.key}`, r]));
        const loadId = randomUUID();
        const rows: Prisma.CatalogueItemCreateManyLoadInput[] = [];
        const added: CatalogueItemRef[] = [];
        const changed: CatalogueItemRef[] = [];
        const withdrawn: CatalogueItemRef[] = [];
        let unchanged = 0;
        const present = new Set<string>();
        for (const entries of Object.values(parsed)) {
          for (const e of entries) {
            const id = `${e.kind}\u0000${e.key}`;
            present.add(id);
            const hash = sha256(e.content);
            const before = byId.get(id);
            if (before && !before.withdrawn && before.sha256 === hash) {
              unchanged++;
              continue;
            }
            const version = (before?.version ?? 0) + 1;
            (before && !before.withdrawn ? changed : added).push({ kind: e.kind, key: e.key, version });
            rows.push({ kind: e.kind, key: e.key, version, sha256: hash, content: e.content as unknown as Prisma.InputJsonValue, file: e.file, pointer: e.pointer });
          }
        }
        for (const r of latest) {
          if (r.withdrawn || present.has(`${r.kind}\u0000${r.key}`)) continue;
          withdrawn.push({ kind: r.kind as CatalogueKind, key: r.key, version: r.version + 1 });
          rows.push({ kind: r.kind, key: r.key, version: r.version + 1, sha256: r.sha256, content: r.content as Prisma.InputJsonValue, withdrawn: true, file: '', pointer: '' });
        }
        for (const { content } of parsed['licence-type']) {
          const { issuers = [], description: _d, ...type } = content;
          await this.#types.write(tx, type, issuers);
        }
        const grants = await syncCatalogueGrants(tx, parsed.grant.map((g) => g.content as GrantEntry));
        const summary = { added: added.length, changed: changed.length, unchanged, withdrawn: withdrawn.length, grants };
        await tx.catalogueLoad.create({ data: { id: loadId, source: path.resolve(folder), summary, items: { createMany: { data: rows } } } });
        return { loadId, added, changed, unchanged, withdrawn, grants };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    this.#types.forgetCached();
    return result;
  }

  /** The latest version of every item (withdrawn ones only when asked), by kind and key. */
  async list(options: Readonly<{ kind?: CatalogueKind; withdrawn?: boolean }> = {}): Promise<CatalogueVersion[]> {
    const rows = await this.#prisma.$queryRaw<ItemRow[]>`
      SELECT DISTINCT ON (kind, key) kind, key, version, sha256, withdrawn, content, created_at AS "createdAt"
        FROM catalogue_item ORDER BY kind, key, version DESC`;
    return rows.filter((r) => (options.kind === undefined || r.kind === options.kind) && (options.withdrawn || !r.withdrawn)).map(toVersion);
  }

  /**
   * One version of an item: `version`, or the current one (the latest, unless withdrawn).
   * @throws {@link NotFoundError} entity 'catalogue <kind>'.
   */
  async get<K extends CatalogueKind>(kind: K, key: string, version?: number): Promise<CatalogueVersion<K>> {
    const row = await this.#prisma.catalogueItem.findFirst({
      where: { kind, key, ...(version === undefined ? {} : { version }) },
      orderBy: { version: 'desc' },
    });
    if (!row || (version === undefined && row.withdrawn)) throw new NotFoundError({ entity: `catalogue ${kind}`, id: version === undefined ? key : `${key}@${version}` });
    return toVersion<K>(row);
  }

  /** Every version of an item, oldest first. */
  async versions<K extends CatalogueKind>(kind: K, key: string): Promise<CatalogueVersion<K>[]> {
    const rows = await this.#prisma.catalogueItem.findMany({ where: { kind, key }, orderBy: { version: 'asc' } });
    return rows.map((r) => toVersion<K>(r));
  }

  /** A matter (事项), current or at `version`. @throws {@link NotFoundError} */
  async matter(code: string, version?: number): Promise<CatalogueVersion<'matter'> & { readonly content: Matter }> {
    return this.get('matter', code, version);
  }

  /**
   * A licence type as a catalogue file (`licence-types/*.json`) that `catalogue load`
   * accepts: the definition the licence_type table holds, its issuers, and the description
   * of its latest catalogue version if it has one.
   * @throws {@link NotFoundError} entity 'licence type'.
   */
  async exportLicenceType(codeOrName: string): Promise<Record<string, unknown>> {
    const type = await this.#types.resolve(codeOrName);
    const issuers = await this.#types.issuersOf(type.code);
    const item = await this.#prisma.catalogueItem.findFirst({ where: { kind: 'licence-type', key: type.code }, orderBy: { version: 'desc' } });
    const description = (item?.content as { description?: string } | undefined)?.description;
    return {
      $schema: '../schema/licence-type.schema.json',
      code: type.code,
      name: type.name,
      ...(description === undefined ? {} : { description }),
      holder: type.holder,
      validity: type.validity,
      ...(type.renewalDecisionDays === undefined ? {} : { renewalDecisionDays: type.renewalDecisionDays }),
      schema: type.schema,
      layout: type.layout,
      ...(issuers.length > 0 ? { issuers } : {}),
    };
  }
}

async function referenceContext(db: Prisma.TransactionClient | PrismaClient): Promise<ReferenceContext> {
  const departments = new Set((await db.department.findMany({ select: { id: true } })).map((d) => d.id));
  const issuers = new Map<string, Set<string>>();
  for (const r of await db.licenceTypeIssuer.findMany()) {
    if (!issuers.has(r.typeCode)) issuers.set(r.typeCode, new Set());
    issuers.get(r.typeCode)!.add(r.departmentId);
  }
  return { departments, issuers };
}
