/**
 * An OFD package (GB/T 33190 §7): the zip, its entry point OFD.xml, and the signatures each
 * document body lists (DocBody/Signatures → Signatures.xml → Signature/@BaseLoc), wherever
 * those files are. Paths inside the package are resolved as the standard says (absolute
 * from the package root, else relative to the file that names them) and, as readers in the
 * wild do, from the root when the relative file does not exist.
 */
import { resolveOfdPath } from '../../common/index.ts';
import { OfdFormatError } from '../errors.ts';
import type { Budget } from '../limits.ts';
import { attribute, child, children, parseXml, rootElement, textOf, type XmlNode } from './xml.ts';
import { ZipArchive } from './zip.ts';

export interface FoundOfdSignature {
  /** Signature/@ID in Signatures.xml. */
  readonly id: string | null;
  /** Signature/@Type: `Seal` (an SES_Signature) or `Sign` (GB/T 35275 PKCS#7); `Seal` when absent. */
  readonly type: string;
  /** The Signature.xml entry; null when BaseLoc names no entry. */
  readonly entry: string | null;
  readonly baseLoc: string;
  /** The Signatures.xml that lists it. */
  readonly listedIn: string;
}

export class OfdPackage {
  readonly zip: ZipArchive;
  /** Every Signatures.xml the document bodies name. */
  readonly signatureLists: readonly string[];
  readonly signatures: readonly FoundOfdSignature[];
  readonly problems: readonly string[];

  private constructor(zip: ZipArchive, lists: string[], signatures: FoundOfdSignature[], problems: string[]) {
    this.zip = zip;
    this.signatureLists = lists;
    this.signatures = signatures;
    this.problems = problems;
  }

  static open(bytes: Uint8Array, budget: Budget): OfdPackage {
    const zip = ZipArchive.open(bytes, budget);
    const entry = zip.has('OFD.xml') ? 'OFD.xml' : zip.names.find((n) => n.toLowerCase() === 'ofd.xml');
    if (!entry) throw new OfdFormatError({ message: 'no OFD.xml: not an OFD package' });
    const ofd = rootElement(parseXml(zip.read(entry), entry), 'OFD', entry);
    const bodies = children(ofd, 'DocBody');
    if (bodies.length === 0) throw new OfdFormatError({ entry, message: 'no DocBody' });
    const lists: string[] = [];
    const signatures: FoundOfdSignature[] = [];
    const problems: string[] = [];
    for (const body of bodies) {
      const ref = textOf(child(body, 'Signatures'));
      if (!ref) continue;
      const listEntry = resolvePath(zip, ref, entry);
      if (!listEntry) {
        problems.push(`DocBody names Signatures ${ref}, which is not in the package`);
        continue;
      }
      if (lists.includes(listEntry)) continue;
      lists.push(listEntry);
      const list = rootElement(parseXml(zip.read(listEntry), listEntry), 'Signatures', listEntry);
      for (const s of children(list, 'Signature')) {
        budget.check('maxSignatures', signatures.length + 1, 'signatures');
        signatures.push(listed(zip, s, listEntry));
      }
    }
    return new OfdPackage(zip, lists, signatures, problems);
  }

  /** The entry `ref` names from inside `base`, or undefined. */
  resolve(ref: string, base: string): string | undefined {
    return resolvePath(this.zip, ref, base);
  }
}

function listed(zip: ZipArchive, s: XmlNode, listEntry: string): FoundOfdSignature {
  const baseLoc = attribute(s, 'BaseLoc') ?? '';
  return {
    id: attribute(s, 'ID') ?? null,
    type: attribute(s, 'Type') ?? 'Seal',
    entry: baseLoc ? resolvePath(zip, baseLoc, listEntry) ?? null : null,
    baseLoc,
    listedIn: listEntry,
  };
}

/** Resolves `ref` against the folder of `base` (or the root for `/…`); undefined when no such entry. */
export function resolvePath(zip: ZipArchive, ref: string, base: string): string | undefined {
  return resolveOfdPath((entry) => zip.has(entry), ref, base);
}
