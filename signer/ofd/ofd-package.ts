/**
 * What signOfd must know of a received OFD package (GB/T 33190 §7): its entry point, each
 * document body with its root and Signatures list (wherever the list is), the pages of the
 * document to seal, and which files earlier signatures protect, so that a new seal changes
 * none of them. Paths resolve as the standard says (absolute from the package root, else
 * relative to the file that names them) and, as readers in the wild do, from the root when
 * the relative file does not exist.
 */
import { resolveOfdPath } from '../../common/index.ts';
import { OfdReadError } from './errors.ts';
import type { OfdEntries } from './ofd-zip.ts';
import { attributeOf, elements, parseOfdPart, textOf, type XmlElement } from './ofd-xml.ts';

export interface DocumentBody {
  /** The Document.xml entry. */
  readonly root: string;
  /** The Signatures.xml entry the body names, if any. */
  readonly signatures: string | undefined;
}

export interface OfdPage {
  /** Page/@ID, what StampAnnot/@PageRef names. */
  readonly id: string;
  /** The page's Content.xml entry, when it is in the package. */
  readonly content: string | undefined;
}

export interface ListedSignature {
  readonly id: string | undefined;
  /** The Signature.xml entry, when in the package. */
  readonly entry: string | undefined;
}

export class ReceivedOfd {
  readonly entries: OfdEntries;
  /** The OFD.xml entry as spelled in the package. */
  readonly entryPoint: string;
  readonly bodies: readonly DocumentBody[];

  private constructor(entries: OfdEntries, entryPoint: string, bodies: DocumentBody[]) {
    this.entries = entries;
    this.entryPoint = entryPoint;
    this.bodies = bodies;
  }

  /** @throws {@link OfdReadError} when there is no entry point or no document body. */
  static of(entries: OfdEntries): ReceivedOfd {
    const entryPoint = entries.has('OFD.xml') ? 'OFD.xml' : [...entries.keys()].find((n) => n.toLowerCase() === 'ofd.xml');
    if (!entryPoint) throw new OfdReadError({ message: 'no OFD.xml: not an OFD package' });
    const ofd = parseOfdPart(entries.get(entryPoint)!, entryPoint, 'OFD');
    const bodies = elements(ofd, 'DocBody').map((body): DocumentBody => {
      const rootRef = textOf(elements(body, 'DocRoot')[0]) ?? '';
      const root = resolveRef(entries, rootRef, entryPoint);
      if (!root) throw new OfdReadError({ entry: entryPoint, message: `DocRoot ${rootRef || '(none)'} is not in the package` });
      const listRef = textOf(elements(body, 'Signatures')[0]);
      const signatures = listRef ? resolveRef(entries, listRef, entryPoint) : undefined;
      if (listRef && !signatures) throw new OfdReadError({ entry: entryPoint, message: `DocBody names Signatures ${listRef}, which is not in the package` });
      return { root, signatures };
    });
    if (bodies.length === 0) throw new OfdReadError({ entry: entryPoint, message: 'no DocBody' });
    return new ReceivedOfd(entries, entryPoint, bodies);
  }

  /** Every Signatures.xml any body names. */
  get signatureLists(): string[] {
    return [...new Set(this.bodies.flatMap((b) => (b.signatures ? [b.signatures] : [])))];
  }

  /** The pages of the document `root`, in order. */
  pages(root: string): OfdPage[] {
    const doc = parseOfdPart(this.entries.get(root)!, root, 'Document');
    return elements(elements(doc, 'Pages')[0], 'Page').map((p) => ({
      id: attributeOf(p, 'ID') ?? '',
      content: resolveRef(this.entries, attributeOf(p, 'BaseLoc') ?? '', root),
    }));
  }

  /** The signatures a list holds, and the largest ID it has used (MaxSignId or any Signature/@ID). */
  listed(list: string): { signatures: ListedSignature[]; maxId: number } {
    const root = parseOfdPart(this.entries.get(list)!, list, 'Signatures');
    const signatures = elements(root, 'Signature').map((s) => ({ id: attributeOf(s, 'ID'), entry: resolveRef(this.entries, attributeOf(s, 'BaseLoc') ?? '', list) }));
    const numbers = [textOf(elements(root, 'MaxSignId')[0]), ...signatures.map((s) => s.id)].map((v) => Number.parseInt(v ?? '', 10)).filter(Number.isFinite);
    return { signatures, maxId: Math.max(0, ...numbers) };
  }

  /**
   * Every entry some listed signature's References name. A foreign Signature.xml that does
   * not parse protects nothing here: judging it is the verifier's task, not the sealer's.
   */
  protectedEntries(): Set<string> {
    const out = new Set<string>();
    for (const list of this.signatureLists) {
      for (const s of this.listed(list).signatures) {
        if (!s.entry) continue;
        let signature: XmlElement;
        try {
          signature = parseOfdPart(this.entries.get(s.entry)!, s.entry, 'Signature');
        } catch (e) {
          if (e instanceof OfdReadError) continue;
          throw e;
        }
        const references = elements(elements(elements(signature, 'SignedInfo')[0], 'References')[0], 'Reference');
        for (const r of references) {
          const entry = resolveRef(this.entries, attributeOf(r, 'FileRef') ?? '', s.entry);
          if (entry) out.add(entry);
        }
      }
    }
    return out;
  }
}

/** Resolves `ref` against the folder of `base` (or the root for `/…`); undefined when no such entry. */
export const resolveRef = (entries: OfdEntries, ref: string, base: string): string | undefined => resolveOfdPath((e) => entries.has(e), ref, base);
