import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// BouncyCastle as an independent judge of sealed OFD packages (issue #13): the Java program
// in tests/judges/bouncycastle, compiled here with Debian's JDK at first use into a folder of
// the system's temporary directory (no class file is ever committed) and run against
// Debian's bcprov jar.

const run = promisify(execFile);

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'judges', 'bouncycastle', 'OfdJudge.java');
/** Where Debian's libbcprov-java puts the jar (a link to the versioned one). */
const BCPROV_JAR = '/usr/share/java/bcprov.jar';
const DEBIAN_PACKAGES = 'default-jdk-headless libbcprov-java';

/** One signature of an OFD as BouncyCastle judges it; null: not checked (see problems). */
export interface BcVerdict {
  /** The Signature ID in Signatures.xml. */
  readonly id: string;
  /** 'Seal' (SES_Signature) or 'Sign' (GB/T 35275 PKCS#7, not judged). */
  readonly type: string;
  /** The package path of its Signature.xml. */
  readonly signature: string;
  /** SES_Signature version: 4 (GB/T 38540) or 1 (GM/T 0031). */
  readonly version: number | null;
  /** Each Reference: the file it names and whether its SM3 matches. */
  readonly references: readonly { readonly file: string; readonly ok: boolean }[];
  readonly referencesOk: boolean | null;
  /** dataHash = SM3 of the raw Signature.xml bytes. */
  readonly dataHashOk: boolean | null;
  /** The signer's SM2 signature over DER(TBS_Sign), with the signer certificate's key. */
  readonly signerSignatureOk: boolean | null;
  /** How the signer's SM2 signature value was written. */
  readonly signatureEncoding: 'der' | 'unsigned-der' | 'raw' | null;
  /** The maker's SM2 signature over the seal, with the maker certificate in SES_Seal. */
  readonly makerSignatureOk: boolean | null;
  readonly problems: readonly string[];
}

/** A signature BouncyCastle finds sound in every part it checks. */
export const bcPassed = (v: BcVerdict): boolean =>
  v.referencesOk === true && v.dataHashOk === true && v.signerSignatureOk === true && v.makerSignatureOk === true;

let reason: string | null | undefined;

/** Why the judge cannot run here, or null when it can (looked up once per process, without running Java). */
function unavailable(): string | null {
  if (reason !== undefined) return reason;
  const onPath = (tool: string): boolean =>
    (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
      try {
        fs.accessSync(path.join(dir || '.', tool), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  const missing = [...['java', 'javac'].filter((t) => !onPath(t)), ...(fs.existsSync(BCPROV_JAR) ? [] : [BCPROV_JAR])];
  return (reason = missing.length === 0 ? null : `${missing.join(', ')} missing (Debian: apt-get install ${DEBIAN_PACKAGES})`);
}

/** Whether the BouncyCastle judge can run here (no warning; use {@link skipWithoutBouncyCastle} to skip a test). */
export const bouncyCastleAvailable = (): boolean => unavailable() === null;

/**
 * Why the tests of `scope` cannot run here, or undefined when the BouncyCastle judge can. A
 * reason is printed as a loud warning, so a skip is never silent. Made for `describe.skipIf`
 * / `it.skipIf`, like `skipWithout` in tools.ts.
 */
export function skipWithoutBouncyCastle(scope: string): string | undefined {
  const why = unavailable();
  if (why === null) return undefined;
  console.warn(`SKIPPED ${scope}: ${why}`);
  return why;
}

let compiled: string | undefined;

/**
 * The folder holding OfdJudge.class, in the temporary directory and named by the SHA-256 of
 * the source and the jar: compiled once for all test processes (test workers are killed, not
 * left to clean up), and again whenever either changes. Compiled aside, then renamed into
 * place, so that processes starting together never see half a folder.
 */
function classes(): string {
  if (compiled) return compiled;
  const key = createHash('sha256').update(fs.readFileSync(SOURCE)).update(fs.readFileSync(BCPROV_JAR)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `zhengyin-bcjudge-${key}`);
  if (!fs.existsSync(path.join(dir, 'OfdJudge.class'))) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-bcjudge-build-'));
    try {
      // -Xlint:-path: Debian's bcprov manifest names optional jars that are usually absent.
      const r = spawnSync('javac', ['-Xlint:all,-path', '-Werror', '-d', work, '-cp', BCPROV_JAR, SOURCE], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`javac ${SOURCE} failed:\n${r.stdout}${r.stderr}${r.error?.message ?? ''}`);
      try {
        fs.renameSync(work, dir);
      } catch (e) {
        // Another process renamed its build into place first: use that one.
        if (!fs.existsSync(path.join(dir, 'OfdJudge.class'))) throw e;
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return (compiled = dir);
}

/**
 * Judges the OFD at `file` with BouncyCastle: every Reference digest, dataHash, the signer's
 * and the seal maker's SM2 signatures of each signature, independently of zhengyin's verifier.
 * @returns one verdict per signature, in the order Signatures.xml lists them.
 * @throws when the judge is unavailable, or when it cannot read the package at all (the message
 *   carries its reason).
 */
export async function judgeOfdWithBouncyCastle(file: string): Promise<BcVerdict[]> {
  const why = unavailable();
  if (why !== null) throw new Error(`BouncyCastle judge unavailable: ${why}`);
  let stdout: string;
  try {
    ({ stdout } = await run('java', ['-cp', `${classes()}${path.delimiter}${BCPROV_JAR}`, 'OfdJudge', file], { encoding: 'utf8', maxBuffer: 16 << 20 }));
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    const line = err.stdout?.trim().split('\n').at(-1);
    const said = line ? (JSON.parse(line) as { error?: string }).error : undefined;
    throw new Error(`BouncyCastle judge refused ${file}: ${said ?? `${err.message}\n${err.stderr ?? ''}`}`);
  }
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as BcVerdict);
}

/** The same for bytes in memory: written to a temporary file for the Java process. */
export async function judgeOfdBytesWithBouncyCastle(bytes: Uint8Array): Promise<BcVerdict[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-bcofd-'));
  try {
    const file = path.join(dir, 'document.ofd');
    fs.writeFileSync(file, bytes);
    return await judgeOfdWithBouncyCastle(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
