import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What a running `zhengyin start` leaves in its data folder so that CLI commands on the
 * same machine hand their work to it (warm keys, no second start-up) instead of opening
 * the database themselves: its URL and a per-start operator key. The file is readable by
 * the data folder's owner only, like the key-encryption key beside it, and the key is
 * accepted from loopback connections only.
 */
export interface ServiceFile {
  readonly pid: number;
  readonly url: string;
  readonly operatorKey: string;
  readonly startedAt: string;
}

const FILE = 'service.json';

export const serviceFilePath = (dataDir: string): string => path.join(dataDir, FILE);

/** A new operator key: 32 random bytes, base64url. */
export const newOperatorKey = (): string => crypto.randomBytes(32).toString('base64url');

/**
 * Writes the service file for this process (replacing a stale one); returns a remover that
 * deletes the file only while it is still this process's.
 */
export function writeServiceFile(dataDir: string, url: URL, operatorKey: string): { remove(): void } {
  const content: ServiceFile = { pid: process.pid, url: url.toString(), operatorKey, startedAt: new Date().toISOString() };
  const target = serviceFilePath(dataDir);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content) + '\n', { mode: 0o600 });
  fs.renameSync(temporary, target);
  return {
    remove() {
      if (readServiceFile(dataDir, { checkProcess: false })?.operatorKey === operatorKey) fs.rmSync(target, { force: true });
    },
  };
}

/**
 * The running service of a data folder, or `undefined` when there is none: no file, a
 * malformed one, or (with `checkProcess`, the default) one whose process has gone.
 */
export function readServiceFile(dataDir: string, options: { checkProcess?: boolean } = {}): ServiceFile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(serviceFilePath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (!isServiceFile(parsed)) return undefined;
  if ((options.checkProcess ?? true) && !isAlive(parsed.pid)) return undefined;
  return parsed;
}

function isServiceFile(v: unknown): v is ServiceFile {
  const o = v as Partial<ServiceFile> | null;
  return (
    typeof o === 'object' && o !== null &&
    Number.isInteger(o.pid) && typeof o.url === 'string' && typeof o.operatorKey === 'string' && o.operatorKey.length >= 32 &&
    typeof o.startedAt === 'string'
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to another user's process, not our service.
    return false;
  }
}
