import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { isoDateOf } from '../../../signer/index.ts';
import type { CatalogueService, Matter, MaterialKind, MaterialRequirement, Proof } from '../catalogue/index.ts';
import type { LedgerService } from '../ledger/index.ts';
import { LEDGER_BACKED_TYPES } from './ledger-facts.ts';
import type { Application, AuthorisationScopeLine, LedgerConfirmation, PlanLine, PlannedLicence, PlannedMaterial } from './model.ts';

export interface MaterialPlannerOptions {
  readonly prisma: PrismaClient;
  readonly catalogue: CatalogueService;
  readonly ledger: LedgerService;
}

/** What a plan is computed from, read once per plan. */
interface PlanInputs {
  readonly matters: readonly { readonly code: string; readonly position: number; readonly departmentId: string; readonly finished: boolean; readonly content: Matter }[];
  readonly proofs: ReadonlyMap<string, Proof>;
  readonly kinds: ReadonlyMap<string, MaterialKind>;
  /** Licences issued inside this application, by type. */
  readonly issuedHere: ReadonlyMap<string, PlannedLicence>;
  /** The applicant's own and the case's (by 不动产单元号) valid licences, newest per type. */
  readonly held: ReadonlyMap<string, PlannedLicence>;
  /** Newest material per kind of this applicant. */
  readonly materials: ReadonlyMap<string, PlannedMaterial>;
  readonly grants: ReadonlySet<string>;
  readonly requested: ReadonlySet<string>;
  readonly ledger: ReadonlyMap<string, LedgerConfirmation>;
  readonly now: Date;
}

const grantKey = (department: string, matter: string, kind: 'licence-type' | 'material', resource: string) => `${department}\u0000${matter}\u0000${kind}\u0000${resource}`;

/**
 * Computes an application's material plan (材料清单): for every material of every matter,
 * where it comes from. Pure reads: the plan is recomputed on each call so that a licence
 * issued a moment ago, a newer material or a revoked grant count at once.
 */
export class MaterialPlanner {
  readonly #prisma: PrismaClient;
  readonly #catalogue: CatalogueService;
  readonly #ledger: LedgerService;
  readonly #matters = new Map<string, Matter>();

  constructor(options: Readonly<MaterialPlannerOptions>) {
    this.#prisma = options.prisma;
    this.#catalogue = options.catalogue;
    this.#ledger = options.ledger;
  }

  /** The plan, matter by matter in bundle order, materials in the guide's order. */
  async plan(application: Application, now = new Date()): Promise<PlanLine[]> {
    const inputs = await this.#inputs(application, now);
    const lines: PlanLine[] = [];
    for (const m of inputs.matters) {
      for (const req of m.content.materials) lines.push(planLine(application, m, req, inputs));
    }
    return lines;
  }

  async #inputs(application: Application, now: Date): Promise<PlanInputs> {
    const applicant = { holderCodeType: application.applicant.codeType, holderCode: application.applicant.code };
    const [matters, items, grantRows, requestRows] = await Promise.all([
      Promise.all(application.matters.map(async (m) => ({ code: m.matter, position: m.position, departmentId: m.departmentId, finished: m.finishedAt !== null, content: await this.#matter(m.matter, m.matterVersion) }))),
      // The current proof list and material kinds only: not every catalogue item.
      this.#prisma.$queryRaw<{ kind: string; key: string; content: unknown }[]>`
        SELECT kind, key, content FROM (
          SELECT DISTINCT ON (kind, key) kind, key, content, withdrawn FROM catalogue_item
           WHERE kind IN ('proof', 'material') ORDER BY kind, key, version DESC) latest
         WHERE NOT withdrawn`,
      this.#prisma.departmentGrant.findMany({ where: { departmentId: { in: [...new Set(application.matters.map((m) => m.departmentId))] }, revokedAt: null }, select: { departmentId: true, matter: true, resourceKind: true, resource: true } }),
      this.#prisma.materialRequest.findMany({ where: { applicationId: application.id }, select: { kind: true } }),
    ]);
    const proofs = new Map(items.filter((i) => i.kind === 'proof').map((i) => [i.key, i.content as Proof]));
    const kinds = new Map(items.filter((i) => i.kind === 'material').map((i) => [i.key, i.content as MaterialKind]));
    const types = new Set(matters.flatMap((m) => m.content.materials.flatMap((r) => r.satisfiedBy?.licenceTypes ?? [])));
    const materialKinds = new Set(matters.flatMap((m) => m.content.materials.flatMap((r) => [r.kind, ...(r.satisfiedBy?.materials ?? [])])));
    const unitNumber = application.facts.unitNumber;
    const issuedIds = application.matters.flatMap((m) => m.issued);
    const select = { identifier: true, typeCode: true, version: true, departmentId: true, validUntil: true, status: true, issuedAt: true, type: { select: { name: true } } } as const;
    const [issuedRows, heldRows, unitRows, materialRows, ledger] = await Promise.all([
      issuedIds.length ? this.#prisma.licence.findMany({ where: { identifier: { in: issuedIds }, status: 'valid' }, select, orderBy: { issuedAt: 'desc' } }) : [],
      types.size ? this.#prisma.licence.findMany({ where: { ...applicant, typeCode: { in: [...types] }, status: 'valid' }, select, orderBy: { issuedAt: 'desc' } }) : [],
      unitNumber && types.size ? this.#prisma.licence.findMany({ where: { typeCode: { in: [...types].filter((t) => LEDGER_BACKED_TYPES.has(t)) }, status: 'valid', faceData: { path: ['unitNumber'], equals: unitNumber } }, select, orderBy: { issuedAt: 'desc' } }) : [],
      this.#prisma.material.findMany({
        where: { ...applicant, kind: { in: [...materialKinds] } },
        select: { id: true, kind: true, sha256: true, givenAt: true, expiresAt: true, applicationId: true, matter: true, verified: true },
        orderBy: { givenAt: 'desc' },
      }),
      this.#ledgerFacts(types, unitNumber),
    ]);
    const live = (r: (typeof issuedRows)[number]) => r.validUntil === null || r.validUntil.getTime() + 86_400_000 > now.getTime();
    const newestByType = (rows: typeof issuedRows) => {
      const map = new Map<string, PlannedLicence>();
      for (const r of rows) {
        if (!live(r) || map.has(r.typeCode)) continue;
        map.set(r.typeCode, { identifier: r.identifier, typeCode: r.typeCode, typeName: r.type.name, version: r.version, departmentId: r.departmentId, validUntil: r.validUntil ? isoDateOf(r.validUntil) : null });
      }
      return map;
    };
    const held = newestByType([...unitRows, ...heldRows]);
    const materials = new Map<string, PlannedMaterial>();
    for (const r of materialRows) if (!materials.has(r.kind)) materials.set(r.kind, r);
    return {
      matters,
      proofs,
      kinds,
      issuedHere: newestByType(issuedRows),
      held,
      materials,
      grants: new Set(grantRows.map((g) => grantKey(g.departmentId, g.matter, g.resourceKind as 'licence-type' | 'material', g.resource))),
      requested: new Set(requestRows.map((r) => r.kind)),
      ledger,
      now,
    };
  }

  /** A matter at a version: versions never change once loaded, so each is read once per process. */
  async #matter(code: string, version: number): Promise<Matter> {
    const key = `${code}@${version}`;
    let content = this.#matters.get(key);
    if (!content) {
      content = (await this.#catalogue.matter(code, version)).content;
      if (this.#matters.size >= 1000) this.#matters.clear();
      this.#matters.set(key, content);
    }
    return content;
  }

  /** The live ledger record behind each ledger-backed type, for the case's facts. */
  async #ledgerFacts(types: ReadonlySet<string>, unitNumber: string | undefined): Promise<Map<string, LedgerConfirmation>> {
    const found = new Map<string, LedgerConfirmation>();
    for (const type of types) {
      const backing = LEDGER_BACKED_TYPES.get(type);
      if (!backing || !unitNumber) continue;
      const head = await this.#ledger.ledger.head({ domain: backing.domain, key: unitNumber });
      if (head && !backing.ends.has(head.type)) found.set(type, { transactionId: head.txId, type: head.type, recordedAt: head.recordedAt });
    }
    return found;
  }
}

function planLine(application: Application, m: PlanInputs['matters'][number], req: MaterialRequirement, inputs: PlanInputs): PlanLine {
  const base = {
    matter: m.code,
    kind: req.kind,
    name: req.name ?? inputs.kinds.get(req.kind)?.name ?? req.kind,
    required: req.required,
    requested: inputs.requested.has(req.kind),
    ...(req.proof ? { proof: req.proof } : {}),
  };
  if (req.proof) {
    const proof = inputs.proofs.get(req.proof);
    if (!proof || !proof.requestingDepartments.includes(m.departmentId)) {
      return { ...base, resolution: 'NOT_REQUIRED', detail: `证明 ${req.proof} 不在现行证明事项清单中, 不得索要。 / Proof ${req.proof} is not on the current proof list for ${m.departmentId}: it may not be asked for.` };
    }
  }
  if (req.source === '本事项生成') return { ...base, resolution: 'PRODUCED', detail: `由本事项生成。 / Produced by matter ${m.code} itself.` };

  const types = req.satisfiedBy?.licenceTypes ?? [];
  const ledgerFact = types.map((t) => inputs.ledger.get(t)).find((c) => c !== undefined);
  const withLedger = ledgerFact ? { ledger: ledgerFact } : {};
  const mayReceive = (licence: PlannedLicence) => licence.departmentId === m.departmentId || inputs.grants.has(grantKey(m.departmentId, m.code, 'licence-type', licence.typeCode));
  for (const type of types) {
    const here = inputs.issuedHere.get(type);
    if (here && mayReceive(here)) return { ...base, ...withLedger, resolution: 'SHARED_LICENCE', licence: here, detail: `本件中已颁发的${here.typeName}。 / The ${here.typeName} issued in this application.` };
  }
  for (const type of types) {
    const producer = inputs.matters.find((p) => p.position < m.position && !p.finished && (p.content.issues ?? []).includes(type));
    if (producer) return { ...base, ...withLedger, resolution: 'PENDING_IN_BUNDLE', producedBy: producer.code, detail: `由本件中的事项 ${producer.code} 颁发后即时共享。 / Issued by matter ${producer.code} of this bundle, shared as soon as it is.` };
  }
  for (const type of types) {
    const held = inputs.held.get(type);
    if (held && mayReceive(held)) return { ...base, ...withLedger, resolution: 'SHARED_LICENCE', licence: held, detail: `共享电子证照 ${held.typeName}。 / Shared licence ${held.typeName}, latest valid version.` };
  }
  if (ledgerFact) return { ...base, ...withLedger, resolution: 'LEDGER_EVIDENCE', detail: `证据账本上的有效登记 (${ledgerFact.type})。 / A live registration on the evidence ledger (${ledgerFact.type}).` };

  for (const kind of [req.kind, ...(req.satisfiedBy?.materials ?? [])]) {
    const material = inputs.materials.get(kind);
    if (!material) continue;
    const givenHere = material.applicationId === application.id;
    const current = material.expiresAt === null || material.expiresAt.getTime() > inputs.now.getTime();
    if (givenHere || (material.verified && current && inputs.grants.has(grantKey(m.departmentId, m.code, 'material', kind)))) {
      return {
        ...base,
        resolution: 'REUSED_MATERIAL',
        material,
        detail: givenHere ? `本件中已提交。 / Given once in this application.` : `申请人此前提交并已核验的材料。 / Given and verified in an earlier application.`,
      };
    }
  }
  if (req.commitment) return { ...base, resolution: 'COMMITMENT', detail: `以申请人告知承诺代替。 / Replaced by the applicant's commitment (告知承诺).` };
  if (req.tolerance) {
    const toleratedUntil = new Date(application.openedAt.getTime() + req.tolerance.days * 86_400_000);
    return { ...base, resolution: 'TOLERATED', toleratedUntil, detail: `容缺受理, ${req.tolerance.days} 日内补交。 / Tolerated (容缺): may follow within ${req.tolerance.days} days.` };
  }
  if (!req.required) return { ...base, resolution: 'NOT_REQUIRED', detail: `非必要材料。 / Optional.` };
  return { ...base, resolution: 'UPLOAD', detail: `须由申请人提交。 / To be handed in by the applicant.` };
}

/**
 * What an authorisation covers: every line the plan fills from someone else (a shared
 * licence, the ledger, a licence issued later in the bundle, an earlier material).
 */
export function authorisationScope(application: Application, plan: readonly PlanLine[], matterNames: ReadonlyMap<string, string>): AuthorisationScopeLine[] {
  const to = new Map(application.matters.map((m) => [m.matter, m.departmentId]));
  const producer = new Map(application.matters.map((m) => [m.matter, m.departmentId]));
  return plan.flatMap((l): AuthorisationScopeLine[] => {
    const line = { matter: l.matter, matterName: matterNames.get(l.matter) ?? l.matter, kind: l.kind, name: l.name, to: to.get(l.matter) ?? '', resolution: l.resolution };
    switch (l.resolution) {
      case 'SHARED_LICENCE':
        return [{ ...line, from: l.licence!.departmentId, source: l.licence!.identifier }];
      case 'PENDING_IN_BUNDLE':
        return [{ ...line, from: producer.get(l.producedBy!) ?? '', source: null }];
      case 'LEDGER_EVIDENCE':
        return [{ ...line, from: 'ledger', source: l.ledger!.transactionId }];
      case 'REUSED_MATERIAL':
        return l.material!.applicationId === application.id ? [] : [{ ...line, from: 'applicant', source: l.material!.id }];
      default:
        return [];
    }
  });
}
