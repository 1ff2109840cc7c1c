import fs from 'node:fs';
import path from 'node:path';

/**
 * The files that `zhengyin verify A.pdf B/ …` reads, in order: a file as named (whatever
 * its name ends in), a folder as the `.pdf` and `.ofd` files in it (any case), sorted by name, and
 * with `recursive` those of its subfolders too. A path that is neither (missing,
 * unreadable) stays in the list, so that it is reported as unreadable like a bad file.
 * Symbolic links to files are followed; links to folders are not, so a link cannot loop.
 */
export function listPdfFiles(paths: readonly string[], options: Readonly<{ recursive: boolean }>): string[] {
  return paths.flatMap((p) => (isFolder(p) ? pdfsIn(p, options.recursive) : [p]));
}

function pdfsIn(folder: string, recursive: boolean): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [folder];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((e) => {
    const p = path.join(folder, e.name);
    if (e.isDirectory()) return recursive ? pdfsIn(p, true) : [];
    if (!/\.(?:pdf|ofd)$/i.test(e.name)) return [];
    return e.isFile() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isFile()) ? [p] : [];
  });
}

function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
