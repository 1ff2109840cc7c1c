import { InvalidInputError, ZhengyinError } from '../../../common/index.ts';

/** One thing wrong in a catalogue folder: the file (relative to the folder) and the JSON pointer (RFC 6901) inside it. */
export interface CatalogueProblem {
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
}

const describe = (problems: readonly CatalogueProblem[]) =>
  problems
    .slice(0, 20)
    .map((p) => `${p.file}#${p.pointer}: ${p.message}`)
    .join('; ') + (problems.length > 20 ? `; … ${problems.length - 20} more` : '');

/**
 * A catalogue folder that cannot be loaded; nothing of it was loaded. `file` and `pointer`
 * name the first problem; `problems` lists every one found at the same stage.
 */
export abstract class CatalogueError extends InvalidInputError {
  readonly file: string;
  readonly pointer: string;
  readonly problems: readonly CatalogueProblem[];

  constructor(stage: string, problems: readonly CatalogueProblem[]) {
    const first = problems[0] ?? { file: '', pointer: '', message: 'empty' };
    super({ field: `${first.file}#${first.pointer}`, message: `catalogue ${stage}: ${describe(problems)}` });
    this.file = first.file;
    this.pointer = first.pointer;
    this.problems = problems;
  }
}

/** A file is not JSON, does not match its kind's JSON Schema (catalogue/schema/), or is not a catalogue file at all. */
export class CatalogueSchemaError extends CatalogueError {
  override readonly code = 'INVALID_CATALOGUE_SCHEMA';

  constructor(problems: readonly CatalogueProblem[]) {
    super('schema violation', problems);
  }
}

/** Files that each match their schema but do not fit together: an unknown department, licence type, material or matter, a duplicate code, … */
export class CatalogueReferenceError extends CatalogueError {
  override readonly code = 'INVALID_CATALOGUE_REFERENCE';

  constructor(problems: readonly CatalogueProblem[]) {
    super('broken reference', problems);
  }
}

/**
 * A matter asks for a proof (证明) that is not on the published proof list, or that its
 * department is not listed as requesting (证明事项清单之外不得索要). Wins over other
 * reference problems: it is a refusal of policy, not a typo.
 */
export class ProofNotListedError extends CatalogueError {
  override readonly code = 'INVALID_PROOF_NOT_LISTED';
  /** 事项编码 of the first matter asking for it. */
  readonly matter: string;
  readonly proof: string;

  constructor(problems: readonly (CatalogueProblem & { readonly matter: string; readonly proof: string })[]) {
    super('proof not on the proof list', problems);
    this.matter = problems[0]?.matter ?? '';
    this.proof = problems[0]?.proof ?? '';
  }
}

/** A department asked to receive a licence type or material its grants do not name for this matter. */
export class NotGrantedError extends ZhengyinError {
  readonly code = 'NOT_GRANTED';
  readonly departmentId: string;
  readonly matter: string;
  /** 'licence-type' or 'material', and its code. */
  readonly resourceKind: string;
  readonly resource: string;

  constructor(p: Readonly<{ departmentId: string; matter: string; resourceKind: string; resource: string }>) {
    super(`department ${p.departmentId} has no grant to receive ${p.resourceKind} ${p.resource} for matter ${p.matter}`);
    this.departmentId = p.departmentId;
    this.matter = p.matter;
    this.resourceKind = p.resourceKind;
    this.resource = p.resource;
  }
}
