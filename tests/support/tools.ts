import fs from 'node:fs';
import path from 'node:path';

/**
 * The independent tools some tests use as judges or producers, and the Debian package
 * that installs each (CI installs them all in .ci/run).
 */
const PACKAGES = {
  openssl: 'openssl',
  pdfsig: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdfdetach: 'poppler-utils',
  certutil: 'libnss3-tools',
  qpdf: 'qpdf',
} as const;

export type Tool = keyof typeof PACKAGES;

const found = new Map<Tool, boolean>();

/** Whether `tool` is an executable on PATH (looked up once per process, without running it). */
export function hasTool(tool: Tool): boolean {
  let present = found.get(tool);
  if (present === undefined) {
    present = (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
      try {
        fs.accessSync(path.join(dir || '.', tool), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found.set(tool, present);
  }
  return present;
}

/** Whether every one of `tools` is installed. */
export const hasTools = (...tools: readonly Tool[]): boolean => tools.every(hasTool);

/**
 * Why the tests of `scope` cannot run here, or undefined when every one of `tools` is
 * installed. A reason is also printed as a loud warning that names the Debian packages to
 * install, so a skip is never silent. Made for `describe.skipIf` / `it.skipIf`:
 *
 * @example
 * describe.skipIf(skipWithout('tests/pades/cms', 'openssl'))('the CMS container', () => { … });
 */
export function skipWithout(scope: string, ...tools: readonly Tool[]): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map((t) => PACKAGES[t]))].join(' ');
  const reason = `${missing.join(', ')} not installed (Debian: apt-get install ${packages})`;
  console.warn(`SKIPPED ${scope}: ${reason}`);
  return reason;
}
