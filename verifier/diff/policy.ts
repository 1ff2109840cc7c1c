/**
 * The diff policy (after pyHanko's `StandardDiffPolicy`): every incremental update after a
 * signed revision is judged by the whitelist rules; its level is the highest level any rule
 * accepted; a visible change that no rule accepts makes it OTHER, which no signature
 * permits. So are a new /Root, a changed /Encrypt, and filling in a reference the signed
 * revision left dangling (a shadow object appearing later).
 */
import type { Revision } from '../pdf/document.ts';
import { PdfDict, PdfStream, sameObject } from '../pdf/objects.ts';
import type { ModificationLevel } from '../report/types.ts';
import { reach } from './graph.ts';
import { maxLevel } from './levels.ts';
import type { WhitelistRule } from './rule.ts';
import { acroFormRule } from './rules/acroform-rule.ts';
import { annotationRule } from './rules/annotation-rule.ts';
import { appearanceRule } from './rules/appearance-rule.ts';
import { catalogRule } from './rules/catalog-rule.ts';
import { dssRule } from './rules/dss-rule.ts';
import { extensionsRule } from './rules/extensions-rule.ts';
import { formFillRule } from './rules/form-fill-rule.ts';
import { infoRule } from './rules/info-rule.ts';
import { metadataRule } from './rules/metadata-rule.ts';
import { pageAnnotsRule } from './rules/page-annots-rule.ts';
import { sigFieldRule } from './rules/sig-field-rule.ts';
import { xrefRule } from './rules/xref-rule.ts';
import { updateContext } from './update-context.ts';
import { changedKeys } from './walk.ts';

export const RULES: readonly WhitelistRule[] = [
  xrefRule, infoRule, metadataRule, catalogRule, dssRule, extensionsRule, acroFormRule, sigFieldRule, formFillRule, appearanceRule, pageAnnotsRule, annotationRule,
];

export interface ModificationVerdict {
  readonly level: ModificationLevel;
  /** One line per change no rule accepted. */
  readonly changes: readonly string[];
}

/** The most a document allows after signing: DocMDP /P of its certification signature, else form filling and signing. */
export function permittedLevel(docMdp: 1 | 2 | 3 | null): ModificationLevel {
  return docMdp === 1 ? 'LTA_UPDATES' : docMdp === 3 ? 'ANNOTATIONS' : 'FORM_FILLING';
}

const cache = new WeakMap<Revision, ModificationVerdict>();

/** Judges one update: `newer` against the revision before it. */
export function analyseUpdate(older: Revision, newer: Revision, rules: readonly WhitelistRule[] = RULES): ModificationVerdict {
  if (rules === RULES) {
    const cached = cache.get(newer);
    if (cached) return cached;
  }
  const at = `revision ${newer.index + 1}`;
  const changes: string[] = [];
  if (!sameObject(older.trailer.get('Root'), newer.trailer.get('Root'))) changes.push(`${at}: the trailer points to another document catalog (/Root)`);
  if (!sameObject(older.trailer.get('Encrypt'), newer.trailer.get('Encrypt'))) changes.push(`${at}: /Encrypt changed`);
  const u = updateContext(older, newer);
  const accepted = new Map<number, ModificationLevel>();
  for (const rule of rules) {
    for (const a of rule.apply(u)) {
      if (u.changed.has(a.num)) accepted.set(a.num, maxLevel(accepted.get(a.num) ?? 'NONE', a.level));
    }
  }
  const seen = reach(newer);
  const before = reach(older);
  for (const num of [...u.changed].sort((a, b) => a - b)) {
    if (accepted.has(num)) continue;
    // An object no reader can reach (in this revision) cannot change what is shown.
    if (!seen.reachable.has(num) && !seen.mentioned.has(num)) continue;
    changes.push(`${at}: ${describe(u.oldValue(num), u.newValue(num), num)}`);
  }
  for (const num of u.created) {
    if (before.mentioned.has(num) && !before.reachable.has(num)) {
      changes.push(`${at}: object ${num} fills in a reference that revision ${older.index + 1} left dangling`);
    }
  }
  let level: ModificationLevel = 'NONE';
  for (const l of accepted.values()) level = maxLevel(level, l);
  const verdict = { level: changes.length > 0 ? 'OTHER' as const : level, changes };
  if (rules === RULES) cache.set(newer, verdict);
  return verdict;
}

/** Judges every update after `signed`, up to the final revision. */
export function analyseModifications(revisions: readonly Revision[], signed: Revision): ModificationVerdict {
  let level: ModificationLevel = 'NONE';
  const changes: string[] = [];
  for (let i = signed.index + 1; i < revisions.length; i++) {
    const v = analyseUpdate(revisions[i - 1]!, revisions[i]!);
    level = maxLevel(level, v.level);
    changes.push(...v.changes);
  }
  return { level, changes };
}

function describe(before: unknown, after: unknown, num: number): string {
  const label = (o: unknown): string => {
    const d = o instanceof PdfStream ? o.dict : o instanceof PdfDict ? o : undefined;
    const t = d?.name('Type') ?? d?.name('Subtype');
    return t ? ` (${t})` : o instanceof PdfStream ? ' (stream)' : '';
  };
  if (before === null) return `object ${num}${label(after)} added`;
  if (after === null) return `object ${num}${label(before)} removed`;
  const a = before instanceof PdfStream ? before.dict : before;
  const b = after instanceof PdfStream ? after.dict : after;
  if (a instanceof PdfDict && b instanceof PdfDict) {
    const keys = changedKeys(a, b);
    const data = before instanceof PdfStream && after instanceof PdfStream && keys.length === 0 ? ' stream data' : '';
    return `object ${num}${label(after)} changed${keys.length > 0 ? ` ${keys.map((k) => `/${k}`).join(' ')}` : ''}${data}`;
  }
  return `object ${num}${label(after)} replaced`;
}
