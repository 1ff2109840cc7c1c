// Verification throughput on the shared corpus: zhengyin's verifyPdf against the crypto
// limit (one digest and one signature check per signature, node:crypto, inputs extracted
// beforehand) and against pdf-signature-reader (integrity checks only), with the verdict
// each reached on each file. Ratios only mean something within one run on one machine.
import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import { ContentInfo, SignedData } from 'pkijs';
import { clearVerifierCaches, verifyPdf, type VerificationReport } from '../verifier/index.ts';
import { measure, printTable } from './measure.ts';

type PsrResult = { verified: boolean; integrity?: boolean; authenticity?: boolean; expired?: boolean; message?: string };
const reader = createRequire(import.meta.url)('pdf-signature-reader') as (pdf: Buffer) => PsrResult;

/** pdf-signature-reader throws for some inputs (no SubFilter) and returns `{ message }` for others (ECDSA). */
function pdfSignatureReader(pdf: Buffer): PsrResult {
  try {
    return reader(pdf);
  } catch (e) {
    return { verified: false, message: `threw ${(e as Error).message}` };
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.resolve(here, '..', process.env.ZHENGYIN_CORPUS_DIR ?? path.join('..', 'shared', 'corpus'));

interface Manifest {
  files: { file: string; expected: string }[];
  trust: { root: string; intermediate: string; crls: string[] };
}

/** What the crypto limit needs for one signature: the covered bytes, the signed attributes, the key. */
interface SignatureInputs {
  parts: Buffer[];
  hash: string;
  signedAttrs: Buffer;
  signature: Buffer;
  key: KeyObject;
}

export async function run(): Promise<void> {
  const manifestPath = path.join(corpusDir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    console.log(`no corpus at ${manifestPath}: set ZHENGYIN_CORPUS_DIR`);
    return;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const files = manifest.files.map((f) => ({ ...f, bytes: fs.readFileSync(path.join(corpusDir, f.file)) }));
  const options = {
    trust: [fs.readFileSync(path.join(corpusDir, manifest.trust.root))],
    certificates: [fs.readFileSync(path.join(corpusDir, manifest.trust.intermediate))],
    crls: manifest.trust.crls.map((c) => fs.readFileSync(path.join(corpusDir, c))),
    at: new Date(),
  };

  console.log('verdicts (the corpus expects the first column):');
  const rows: string[][] = [['file', 'expected', 'zhengyin', 'pdf-signature-reader']];
  for (const f of files) rows.push([f.file, f.expected, ours(await verifyPdf(f.bytes, options)), theirs(pdfSignatureReader(f.bytes))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`);

  const inputs = files.flatMap((f) => signatureInputs(f.bytes));
  const signed = files.filter((f) => f.expected !== 'unsigned');
  console.log(`\nthroughput over ${signed.length} signed files, ${inputs.length} signatures (one op = all files):`);
  const limit = await measure('crypto limit (1 digest + 1 signature check per signature)', () => {
    for (const s of inputs) {
      const h = createHash(s.hash);
      for (const p of s.parts) h.update(p);
      h.digest();
      verify(s.hash, s.signedAttrs, { key: s.key, dsaEncoding: 'der' }, s.signature);
    }
  });
  const zhengyin = await measure('zhengyin verifyPdf (full validation)', async () => {
    for (const f of signed) await verifyPdf(f.bytes, options);
  });
  const cold = await measure('zhengyin verifyPdf, shared caches cleared each file', async () => {
    for (const f of signed) {
      clearVerifierCaches();
      await verifyPdf(f.bytes, options);
    }
  });
  const baseline = await measure('pdf-signature-reader (integrity only)', () => {
    for (const f of signed) pdfSignatureReader(f.bytes);
  });
  printTable([limit, zhengyin, cold, baseline], limit);
}

function ours(r: VerificationReport): string {
  const subs = [...new Set(r.signatures.map((s) => s.subIndication ?? (s.modificationAllowed ? null : `modification ${s.modification}`)).filter(Boolean))];
  return `${r.document.verdict}${subs.length > 0 ? ` (${subs.join(', ')})` : ''}`;
}

function theirs(r: PsrResult): string {
  if (r.message !== undefined) return `error: ${r.message}`;
  return `verified=${r.verified} integrity=${r.integrity} authenticity=${r.authenticity} expired=${r.expired}`;
}

/** Each signature's inputs, found the simple way (ByteRange and Contents by pattern); CMS read with pkijs. */
function signatureInputs(pdf: Buffer): SignatureInputs[] {
  const text = pdf.toString('latin1');
  const out: SignatureInputs[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
    const hex = text.slice(b + 1, c - 1).replace(/(00)+$/, '');
    const der = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    const sd = new SignedData({ schema: new ContentInfo({ schema: asn1js.fromBER(der).result }).content });
    const si = sd.signerInfos[0]!;
    const sid = si.sid as { serialNumber: asn1js.Integer };
    const cert = sd.certificates!.find((x) => 'serialNumber' in x && Buffer.from(x.serialNumber.valueBlock.valueHexView).equals(Buffer.from(sid.serialNumber.valueBlock.valueHexView)))!;
    const attrs = Buffer.from(si.signedAttrs!.encodedValue);
    attrs[0] = 0x31;
    out.push({
      parts: [pdf.subarray(a, a + b), pdf.subarray(c, c + d)],
      hash: { '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' }[si.digestAlgorithm.algorithmId] ?? 'sha256',
      signedAttrs: attrs,
      signature: Buffer.from(si.signature.valueBlock.valueHexView),
      key: new X509Certificate(Buffer.from(cert.toSchema().toBER())).publicKey,
    });
  }
  return out;
}
