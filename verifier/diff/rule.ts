/**
 * The whitelist contract (after pyHanko's diff_analysis `WhitelistRule`): a rule looks at
 * one incremental update and yields each changed object it accepts, with the level the
 * change implies. Nothing is accepted by default; see policy.ts.
 */
import type { Revision } from '../pdf/document.ts';
import type { ReachExceptions } from './graph.ts';
import type { PdfDict, PdfObject } from '../pdf/objects.ts';
import type { ModificationLevel } from '../report/types.ts';

export interface AcceptedUpdate {
  readonly num: number;
  readonly level: ModificationLevel;
}

export interface WhitelistRule {
  readonly name: string;
  /** Yields each changed object this rule accepts, with the level the change implies. */
  apply(update: UpdateContext): Iterable<AcceptedUpdate>;
}

/** One update: `older` → `newer` (consecutive revisions), with what changed between them. */
export interface UpdateContext {
  readonly older: Revision;
  readonly newer: Revision;
  /** Objects whose value differs: created, changed or freed. */
  readonly changed: ReadonlySet<number>;
  /** Live in `newer`, not in `older`. */
  readonly created: ReadonlySet<number>;
  oldValue(num: number): PdfObject;
  newValue(num: number): PdfObject;
  readonly oldCatalog: PdfDict | undefined;
  readonly newCatalog: PdfDict | undefined;
  /**
   * Created objects reachable from `o` through created objects only: the new parts of a
   * new appearance stream or annotation. Existing objects it refers to are not included
   * (and, if changed, stay for another rule to accept).
   */
  createdBelow(o: PdfObject | undefined): number[];
  /**
   * Whether `num` is reachable in `newer` other than through the named catalog or trailer
   * keys — so a rule for the /DSS cannot accept an object that is also page content.
   */
  reachableElsewhere(num: number, except: ReachExceptions): boolean;
}
