/**
 * The shared corpus of signed PDFs made by other tools (pyHanko, openssl), with expected
 * verdicts in manifest.json. Found at $ZHENGYIN_CORPUS_DIR, else `<repo>/../shared/corpus`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const corpusDir = path.resolve(repoRoot, process.env.ZHENGYIN_CORPUS_DIR ?? path.join('..', 'shared', 'corpus'));

export type CorpusVerdict =
  | 'valid' | 'invalid-integrity' | 'invalid-coverage' | 'untrusted' | 'expired' | 'revoked' | 'modified-after-signing' | 'unsigned';

export interface CorpusFile {
  readonly file: string;
  readonly sha256: string;
  readonly expected: CorpusVerdict;
  readonly acceptable_alternatives: readonly CorpusVerdict[];
  readonly signatures: readonly { readonly field: string }[];
}

export interface Corpus {
  readonly dir: string;
  readonly files: readonly CorpusFile[];
  readonly verdicts: Readonly<Record<string, string>>;
  readonly trust: { readonly root: string; readonly intermediate: string; readonly crls: readonly string[] };
}

/** The corpus, or undefined (with a loud warning) when it is not there. */
export function loadCorpus(): Corpus | undefined {
  const manifest = path.join(corpusDir, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    console.warn(`SKIPPING corpus tests: no manifest at ${manifest} (set ZHENGYIN_CORPUS_DIR)`);
    return undefined;
  }
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Omit<Corpus, 'dir'>;
  return { ...m, dir: corpusDir };
}

export const corpusPath = (c: Corpus, rel: string): string => path.join(c.dir, rel);
