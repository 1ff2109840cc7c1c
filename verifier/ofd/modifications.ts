/**
 * What changed in an OFD package after each signature. A signature protects the files its
 * References list; a file it does not protect may still belong to a signature (its
 * Signature.xml, signed value, seal file, and the folder those sit in alone) or be a
 * Signatures.xml, which every later seal rewrites. Anything else is named: a page, a
 * resource or a document file added or left unprotected is a change no rule accepts.
 */
import type { ModificationLevel } from '../report/types.ts';
import type { OfdSignatureCore } from './validate-ofd-signature.ts';

export interface OfdModifications {
  readonly level: ModificationLevel;
  readonly allowed: boolean;
  readonly changes: readonly string[];
  /** Accepted, but worth a reader's attention. */
  readonly notices: readonly string[];
}

/**
 * The package entry point: many seal systems leave it unprotected (it must gain its
 * Signatures entry when the first seal is applied). It names the document and its
 * metadata, not what a page shows, so leaving it out is noted, not refused.
 */
const ENTRY_POINT = 'OFD.xml';

export function ofdModifications(entries: readonly string[], signatureLists: readonly string[], cores: readonly OfdSignatureCore[], index: number): OfdModifications {
  const core = cores[index]!;
  const everyProtected = new Set(cores.flatMap((c) => [...c.protectedEntries]));
  const signatureFiles = new Set<string>(signatureLists);
  for (const c of cores) {
    for (const e of c.ownEntries) signatureFiles.add(e);
    for (const e of ownFolder(entries, c, everyProtected)) signatureFiles.add(e);
  }
  const unprotected = entries.filter((e) => !core.protectedEntries.has(e) && !signatureFiles.has(e));
  const unexplained = unprotected.filter((e) => e !== ENTRY_POINT);
  const notices = unprotected.includes(ENTRY_POINT) ? [`${ENTRY_POINT} (the package entry point, with the document metadata) is not protected by this signature`] : [];
  const laterSeals = cores.slice(index + 1).some((c) => [...c.ownEntries].some((e) => !core.protectedEntries.has(e)));
  const changes = [...core.changed, ...unexplained.map((e) => `${e}: in the package but not protected by this signature, nor part of a seal`)];
  if (changes.length > 0) return { level: 'OTHER', allowed: false, changes, notices };
  return { level: laterSeals ? 'FORM_FILLING' : 'NONE', allowed: true, changes: [], notices };
}

/**
 * The files next to a signature's Signature.xml (seal pictures, vendor data), when that
 * folder is a folder of its own: not the root, and holding nothing any signature protects.
 */
function ownFolder(entries: readonly string[], core: OfdSignatureCore, everyProtected: ReadonlySet<string>): string[] {
  const xml = [...core.ownEntries][0];
  if (!xml || !xml.includes('/')) return [];
  const folder = xml.slice(0, xml.lastIndexOf('/') + 1);
  const inside = entries.filter((e) => e.startsWith(folder) && !e.slice(folder.length).includes('/'));
  return inside.some((e) => everyProtected.has(e)) ? [] : inside;
}
