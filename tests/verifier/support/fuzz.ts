/**
 * Seeded mutation fuzzing of the verifier: each case mutates one seed file and verifies it
 * in a child process; an exception is a crash, no answer within `hangMs` is a hang.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'obj', 'endobj', 'stream', 'endstream', 'xref', 'trailer', 'startxref', '%%EOF', '<<', '>>', '[', ']', ' R ', '(', ')', '<', '>',
  '/Prev 0', '/Prev 9', '/Length 999999999', '/Length -1', '/Type /XRef', '/Type /ObjStm', '/Kids [1 0 R]', '/Parent 1 0 R',
  '/ByteRange [0 1 2 3]', '0 0 R', '1 0 R', '/Filter /FlateDecode', '/DecodeParms << /Predictor 12 /Columns 4 >>', '-1',
  '9999999999', '99999999999999999999', '/W [1 8 8]', '/Index [0 999999999]', '/N 999999', '/First -1', '\\', '#', '\0',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '/FT /Sig', '/V 1 0 R', '/SubFilter /ETSI.RFC3161', '/SubFilter /adbe.pkcs7.sha1',
];

export type Mutation = (b: Uint8Array, r: () => number, seeds: readonly Uint8Array[]) => Uint8Array;

const int = (r: () => number, n: number): number => Math.floor(r() * Math.max(1, n));

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  flipBytes: (b, r) => {
    const out = Uint8Array.from(b);
    for (let i = 1 + int(r, 10); i > 0 && out.length > 0; i--) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  insertToken: (b, r) => {
    const at = int(r, b.length);
    return Buffer.concat([b.subarray(0, at), Buffer.from(` ${TOKENS[int(r, TOKENS.length)]} `, 'latin1'), b.subarray(at)]);
  },
  deleteRange: (b, r) => {
    const at = int(r, b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(r, 512)))]);
  },
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  duplicate: (b, r) => {
    const from = int(r, b.length);
    const slice = b.subarray(from, from + 1 + int(r, 2048));
    const at = int(r, b.length);
    return Buffer.concat([b.subarray(0, at), slice, b.subarray(at)]);
  },
  renumber: (b, r) => {
    const text = Buffer.from(b).toString('latin1');
    const matches = [...text.matchAll(/\d+/g)];
    if (matches.length === 0) return b;
    const m = matches[int(r, matches.length)]!;
    const replacement = ['0', '1', '-1', '4294967296', '999999999', String(int(r, 100000))][int(r, 6)]!;
    return Buffer.from(text.slice(0, m.index) + replacement + text.slice(m.index! + m[0].length), 'latin1');
  },
  splice: (b, r, seeds) => {
    const other = seeds[int(r, seeds.length)]!;
    return Buffer.concat([b.subarray(0, int(r, b.length)), other.subarray(int(r, other.length))]);
  },
  /** Same length, so xref offsets stay right and the mutation reaches the objects. */
  overwriteToken: (b, r) => {
    const out = Buffer.from(b);
    out.write(TOKENS[int(r, TOKENS.length)]!, int(r, out.length), 'latin1');
    return new Uint8Array(out);
  },
  overwriteDigits: (b, r) => {
    const text = Buffer.from(b).toString('latin1');
    const matches = [...text.matchAll(/\d+/g)];
    if (matches.length === 0) return b;
    const m = matches[int(r, matches.length)]!;
    const out = Buffer.from(b);
    out.write(String(int(r, 10 ** m[0].length)).padStart(m[0].length, '0'), m.index!, 'latin1');
    return new Uint8Array(out);
  },
  zeroRange: (b, r) => {
    const out = Uint8Array.from(b);
    const at = int(r, out.length);
    out.fill(0x30, at, Math.min(out.length, at + 1 + int(r, 256)));
    return out;
  },
};

/** Case `n` of a run: which seed, which mutations, as bytes. Reproducible from (seed, n). */
export function fuzzCase(seed: number, n: number, seeds: readonly Uint8Array[]): { bytes: Uint8Array; label: string; base: number } {
  const r = prng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
  const base = int(r, seeds.length);
  let bytes: Uint8Array = seeds[base]!;
  // Offset-preserving mutations twice as often: they get past the xref to the objects.
  const names = [...Object.keys(MUTATIONS), 'flipBytes', 'overwriteToken', 'overwriteDigits', 'zeroRange'];
  const applied: string[] = [];
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const name = names[int(r, names.length)]!;
    bytes = new Uint8Array(MUTATIONS[name]!(bytes, r, seeds));
    applied.push(name);
  }
  return { bytes, label: `seed file ${base}: ${applied.join('+')}`, base };
}

export interface FuzzResult {
  readonly cases: number;
  readonly crashes: readonly { readonly n: number; readonly label: string; readonly error: string }[];
  readonly hangs: readonly { readonly n: number; readonly label: string }[];
  readonly verdicts: Readonly<Record<string, number>>;
}

/** A file to mutate, with the validation time at which it verifies as intended. */
export interface FuzzSeed {
  readonly bytes: Uint8Array;
  readonly at: Date;
}

export async function runFuzz(p: { seed: number; cases: number; seeds: readonly FuzzSeed[]; trust: Uint8Array[]; crls: Uint8Array[]; hangMs: number }): Promise<FuzzResult> {
  const crashes: { n: number; label: string; error: string }[] = [];
  const hangs: { n: number; label: string }[] = [];
  const verdicts: Record<string, number> = {};
  let child = await spawn();
  try {
    for (let n = 0; n < p.cases; n++) {
      const c = fuzzCase(p.seed, n, p.seeds.map((x) => x.bytes));
      const answer = await ask(child, { id: n, bytes: c.bytes, trust: p.trust, crls: p.crls, at: p.seeds[c.base]!.at.toISOString() }, p.hangMs);
      if (answer === 'hang' || answer === 'died') {
        if (answer === 'hang') hangs.push({ n, label: c.label });
        else crashes.push({ n, label: c.label, error: 'the child process died' });
        child.kill('SIGKILL');
        child = await spawn();
      } else if ('crash' in answer) crashes.push({ n, label: c.label, error: answer.crash });
      else verdicts[answer.verdict] = (verdicts[answer.verdict] ?? 0) + 1;
    }
  } finally {
    child.kill('SIGKILL');
  }
  return { cases: p.cases, crashes, hangs, verdicts };
}

type Answer = { id: number; verdict: string } | { id: number; crash: string };

function spawn(): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./fuzz-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

function ask(child: ChildProcess, job: { id: number; bytes: Uint8Array; trust: Uint8Array[]; crls: Uint8Array[]; at: string }, hangMs: number): Promise<Answer | 'hang' | 'died'> {
  return new Promise((resolve) => {
    const done = (a: Answer | 'hang' | 'died'): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(a);
    };
    const onMessage = (m: Answer): void => {
      if (m.id === job.id) done(m);
    };
    const onExit = (): void => done('died');
    const timer = setTimeout(() => done('hang'), hangMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(job);
  });
}
