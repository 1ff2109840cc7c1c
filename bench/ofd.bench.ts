// `npm run bench ofd`: OFD verification per file, zhengyin's verify() on a one- and a
// two-seal OFD (GB/T 38540 V4 seals made by the test builder), against the SM2 verify floor:
// per signature, one SM3 (node:crypto, as the verifier uses) of each file it protects and of
// its Signature.xml, plus one SM2 verify over TBS_Sign with sm-crypto-v2, the verifier's SM2
// library, inputs extracted beforehand. verify() does more than the floor on purpose (the
// seal maker's signature, the SM2 certificate path, the CRL, what changed after each seal),
// so the ratio is what that costs. Ratios only mean something within one run on one machine.
import { hash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { sm2 } from 'sm-crypto-v2';
import { clearVerifierCaches, verify, type VerifyOptions } from '../verifier/index.ts';
import { applySeal, newOfd, type OfdFiles, zipOfd } from '../tests/verifier/ofd/support/ofd-builder.ts';
import { sm2Pki } from '../tests/verifier/ofd/support/sm2-pki.ts';
import { measure, printTable, type Measurement } from './measure.ts';

const ROUNDS = 5;
const T0 = new Date('2026-01-01T00:00:00Z');

/** What the floor needs for one signature: the bytes its digests cover, TBS_Sign, the value, the key. */
interface FloorInputs {
  readonly protectedFiles: readonly Uint8Array[];
  readonly signatureXml: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signature: string;
  readonly publicKey: string;
}

export async function run(): Promise<void> {
  const pki = sm2Pki();
  const options: VerifyOptions = { trust: [pki.root.certificate], crls: [pki.crl], at: T0 };
  const seal = (files: OfdFiles): OfdFiles => applySeal(files, { signer: pki.signer, maker: pki.maker });
  const once = seal(newOfd('营业执照 No. 1'));
  const documents = [
    { name: 'one seal', files: once },
    { name: 'two seals', files: seal(once) },
  ].map((d) => ({ ...d, bytes: zipOfd(d.files), inputs: floorInputs(d.files, pki.signer.publicKey) }));

  for (const d of documents) {
    const r = await verify(d.bytes, options);
    if (r.document.verdict !== 'VALID') throw new Error(`${d.name}: verify() says ${r.document.verdict}, the bench needs a VALID document`);
  }

  const FLOOR = (n: string): string => `${n}: SM2 verify floor`;
  const OURS = (n: string): string => `${n}: zhengyin verify()`;
  const COLD = (n: string): string => `${n}: zhengyin verify(), caches cleared`;
  const cases: { name: string; fn: () => unknown }[] = documents.flatMap((d) => [
    { name: FLOOR(d.name), fn: () => floor(d.inputs) },
    { name: OURS(d.name), fn: () => verify(d.bytes, options) },
    { name: COLD(d.name), fn: () => { clearVerifierCaches(); return verify(d.bytes, options); } },
  ]);
  // The cores are shared: interleave the cases over rounds and keep each one's best round.
  const best = new Map<string, Measurement>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const m = await measure(c.name, c.fn, { minMs: 200, warmup: round === 0 ? 5 : 1 });
      if (!best.has(c.name) || m.opsPerSecond > best.get(c.name)!.opsPerSecond) best.set(c.name, m);
    }
  }

  console.log(`OFD verification per file (best of ${ROUNDS} interleaved rounds):`);
  for (const d of documents) {
    console.log(`\n${d.name} (${d.bytes.length} bytes, ${d.inputs.length} signature${d.inputs.length > 1 ? 's' : ''}):`);
    printTable([FLOOR(d.name), OURS(d.name), COLD(d.name)].map((n) => best.get(n)!), best.get(FLOOR(d.name))!);
    const ratio = best.get(OURS(d.name))!.meanMs / best.get(FLOOR(d.name))!.meanMs;
    console.log(`zhengyin vs the SM2 verify floor: ${ratio.toFixed(1)}× the time`);
  }

  issuanceOfdVersusPdf();
}

/**
 * OFD issuance against PDF issuance of the same licence (issue #13, Speed). Not measured yet:
 * OFD licence issuance does not exist on this branch. When it does, measure issuing one licence
 * as OFD and as PDF in this same run, and print the OFD's time as a ratio of the PDF's.
 */
function issuanceOfdVersusPdf(): void {
  console.log('\nOFD issuance vs PDF issuance of the same licence: not measured (OFD licence issuance is not built yet)');
}

/** One SM3 of every file a signature protects and of its Signature.xml, one SM2 verify per signature. */
function floor(inputs: readonly FloorInputs[]): void {
  for (const s of inputs) {
    for (const f of s.protectedFiles) hash('sm3', f, 'buffer');
    hash('sm3', s.signatureXml, 'buffer');
    if (!sm2.doVerifySignature(s.tbs, s.signature, s.publicKey, { der: true, hash: true })) throw new Error('floor: the SM2 signature does not verify');
  }
}

/** Each signature's floor inputs, found the simple way: References by pattern, SES_Signature V4 read with asn1js. */
function floorInputs(files: OfdFiles, publicKey: string): FloorInputs[] {
  const list = Buffer.from(files.get('Doc_0/Signs/Signatures.xml')!).toString('utf8');
  return [...list.matchAll(/BaseLoc="([^"]+)"/g)].map((m) => {
    const xmlName = `Doc_0/Signs/${m[1]}`;
    const signatureXml = files.get(xmlName)!;
    const xml = Buffer.from(signatureXml).toString('utf8');
    const protectedFiles = [...xml.matchAll(/FileRef="\/([^"]+)"/g)].map((r) => files.get(r[1]!)!);
    const valueName = /<ofd:SignedValue>\/([^<]+)</.exec(xml)![1]!;
    const ses = asn1js.fromBER(files.get(valueName)!).result as asn1js.Sequence;
    const [tbs, , , value] = ses.valueBlock.value as [asn1js.Sequence, unknown, unknown, asn1js.BitString];
    return {
      protectedFiles,
      signatureXml,
      tbs: new Uint8Array(tbs.valueBeforeDecodeView),
      signature: Buffer.from(value.valueBlock.valueHexView).toString('hex'),
      publicKey,
    };
  });
}
