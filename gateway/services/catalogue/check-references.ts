import { isValidUscc, licenceTypeProblems } from '../../../signer/index.ts';
import { grantProblem } from './grant-rules.ts';
import { CatalogueReferenceError, ProofNotListedError, type CatalogueProblem } from './errors.ts';
import type { CatalogueEntry, CatalogueKind, Matter, ParsedCatalogue } from './model.ts';

/** What the database already knows that a folder may refer to. */
export interface ReferenceContext {
  /** Ids of the departments that exist. */
  readonly departments: ReadonlySet<string>;
  /** Departments that already may issue each licence type (licence_type_issuer), besides the folder's `issuers`. */
  readonly issuers: ReadonlyMap<string, ReadonlySet<string>>;
}

type ProofProblem = CatalogueProblem & { readonly matter: string; readonly proof: string };

/** 'schema.fields[3].key: …' (signer's problem text) → ['/schema/fields/3/key', '…']. */
function splitTypeProblem(problem: string): [string, string] {
  const at = problem.indexOf(': ');
  const where = at < 0 ? '' : problem.slice(0, at);
  if (!/^[\w.[\]]+$/.test(where)) return ['', problem];
  return [`/${where.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`, problem.slice(at + 2)];
}

/**
 * Checks that a schema-valid folder fits together and with the database: codes unique per
 * kind; departments, licence types, material kinds, proofs and matters named anywhere
 * exist; licence types are consistent (signer's checks) and defined by a listed authority;
 * matters ask only for proofs on the list that their department may request; grants name
 * only what the matter lists, for the matter's own or joint department.
 *
 * @throws {@link ProofNotListedError} when any matter asks for a proof outside the list.
 * @throws {@link CatalogueReferenceError} listing every other broken reference.
 */
export function checkReferences(catalogue: ParsedCatalogue, context: ReferenceContext): void {
  const problems: CatalogueProblem[] = [];
  const proofProblems: ProofProblem[] = [];
  const at = (e: CatalogueEntry, pointer: string, message: string) => problems.push({ file: e.file, pointer: `${e.pointer}${pointer}`, message });

  for (const kind of Object.keys(catalogue) as CatalogueKind[]) {
    const seen = new Map<string, CatalogueEntry>();
    for (const e of catalogue[kind]) {
      const first = seen.get(e.key);
      if (first) at(e, kind === 'grant' ? '' : '/code', `${kind} ${e.key} is defined twice (also ${first.file}#${first.pointer})`);
      else seen.set(e.key, e);
    }
  }
  const department = (e: CatalogueEntry, pointer: string, id: string) => {
    if (!context.departments.has(id)) at(e, pointer, `no department '${id}' (zhengyin department add)`);
  };
  const authorities = new Set(catalogue.authority.map((a) => a.key));
  const types = new Map(catalogue['licence-type'].map((t) => [t.key, t.content]));
  const materials = new Set(catalogue.material.map((m) => m.key));
  const proofs = new Map(catalogue.proof.map((p) => [p.key, p.content]));
  const matters = new Map(catalogue.matter.map((m) => [m.key, m.content]));
  const type = (e: CatalogueEntry, pointer: string, code: string) => {
    if (!types.has(code)) at(e, pointer, `no licence type '${code}' in licence-types/`);
  };
  const material = (e: CatalogueEntry, pointer: string, code: string) => {
    if (!materials.has(code)) at(e, pointer, `no material kind '${code}' in materials.json`);
  };

  for (const a of catalogue.authority) if (!isValidUscc(a.content.code)) at(a, '/code', 'not a valid 统一社会信用代码 (GB 32100-2015 check character)');
  for (const t of catalogue['licence-type']) {
    for (const problem of licenceTypeProblems(t.content)) at(t, ...splitTypeProblem(problem));
    if (!authorities.has(t.content.code.slice(0, 18))) at(t, '/code', `its defining authority ${t.content.code.slice(0, 18)} is not in authorities.json`);
    (t.content.issuers ?? []).forEach((d, i) => department(t, `/issuers/${i}`, d));
  }
  for (const p of catalogue.proof) {
    p.content.requestingDepartments.forEach((d, i) => department(p, `/requestingDepartments/${i}`, d));
    if (p.content.material !== undefined) material(p, '/material', p.content.material);
  }
  for (const m of catalogue.matter) checkMatter(m as CatalogueEntry<'matter'>);
  for (const b of catalogue.bundle) {
    department(b, '/leadDepartment', b.content.leadDepartment);
    b.content.matters.forEach((code, i) => {
      if (!matters.has(code)) at(b, `/matters/${i}`, `no matter '${code}' in matters/`);
    });
  }
  for (const g of catalogue.grant) {
    const { department: d, matter: code, licenceTypes = [], materials: kinds = [] } = g.content;
    department(g, '/department', d);
    const matter = matters.get(code);
    if (!matter) {
      at(g, '/matter', `no matter '${code}' in matters/`);
      continue;
    }
    licenceTypes.forEach((t, i) => {
      const problem = grantProblem(matter, d, 'licence-type', t);
      if (problem) at(g, `/licenceTypes/${i}`, problem);
    });
    kinds.forEach((k, i) => {
      const problem = grantProblem(matter, d, 'material', k);
      if (problem) at(g, `/materials/${i}`, problem);
    });
  }

  function checkMatter(e: CatalogueEntry<'matter'>): void {
    const m: Matter = e.content;
    department(e, '/department', m.department);
    (m.jointDepartments ?? []).forEach((d, i) => department(e, `/jointDepartments/${i}`, d));
    if (m.kind === '联办件' && (m.jointDepartments ?? []).length === 0) at(e, '/jointDepartments', 'a 联办件 names its joint departments');
    if (m.promisedTimeLimitDays > m.legalTimeLimitDays) at(e, '/promisedTimeLimitDays', `the promised limit (${m.promisedTimeLimitDays}) exceeds the legal one (${m.legalTimeLimitDays})`);
    (m.issues ?? []).forEach((code, i) => {
      type(e, `/issues/${i}`, code);
      const mayIssue = new Set([...(types.get(code)?.issuers ?? []), ...(context.issuers.get(code) ?? [])]);
      if (types.has(code) && !mayIssue.has(m.department)) at(e, `/issues/${i}`, `${m.department} is not an issuer of licence type ${code}`);
    });
    const kinds = new Set<string>();
    m.materials.forEach((r, i) => {
      const p = `/materials/${i}`;
      material(e, `${p}/kind`, r.kind);
      if (kinds.has(r.kind)) at(e, `${p}/kind`, `material kind ${r.kind} is listed twice`);
      kinds.add(r.kind);
      (r.satisfiedBy?.licenceTypes ?? []).forEach((t, j) => type(e, `${p}/satisfiedBy/licenceTypes/${j}`, t));
      (r.satisfiedBy?.materials ?? []).forEach((k, j) => material(e, `${p}/satisfiedBy/materials/${j}`, k));
      if (r.proof === undefined) return;
      const proof = proofs.get(r.proof);
      const requesters = [m.department, ...(m.jointDepartments ?? [])];
      const refuse = (message: string) => proofProblems.push({ file: e.file, pointer: `${e.pointer}${p}/proof`, message, matter: m.code, proof: r.proof! });
      if (!proof) refuse(`proof ${r.proof} is not on the proof list (proofs.json)`);
      else if (!proof.requestingDepartments.some((d) => requesters.includes(d))) refuse(`the proof list does not let ${requesters.join(' or ')} request proof ${r.proof}`);
      else if (proof.material !== undefined && proof.material !== r.kind) at(e, `${p}/kind`, `proof ${r.proof} is kept as material ${proof.material}, not ${r.kind}`);
    });
  }

  if (proofProblems.length > 0) throw new ProofNotListedError(proofProblems);
  if (problems.length > 0) throw new CatalogueReferenceError(problems);
}
