/**
 * Seals an OFD package with a GB/T 38540 V4 SES_Signature (GB/T 33190 §18, Type="Seal").
 *
 * The seal protects every file present (after the document body names its Signatures
 * list, for a first seal) except the Signatures lists, which each later seal must extend;
 * it adds its own Signature.xml and SignedValue.dat in a folder of its own beside the list
 * and appends itself to the list. No other file changes, so every earlier signature — ours
 * or another seal system's — stays valid: that is a joint seal (联合用印).
 */
import { hash } from 'node:crypto';
import { OfdSealError } from './errors.ts';
import { ReceivedOfd } from './ofd-package.ts';
import { DEFAULT_OFD_READ_LIMITS, readOfdZip, writeOfdZip, type OfdEntries, type OfdReadLimits } from './ofd-zip.ts';
import { editablePart, escapeXml, mm, OFD_NS, XML_DECLARATION } from './ofd-xml.ts';
import { certificateValidity, sealFacts, sesSignature, SM2_WITH_SM3, SM3, tbsSign } from './ses-signature.ts';

/** Signs DER(TBS_Sign): SM2 over SM3 with the standard user ID 1234567812345678, the signature DER SEQUENCE{r, s}. */
export type OfdSigner = (tbs: Uint8Array) => Promise<Uint8Array>;

export interface SignOfdOptions {
  /** The electronic seal, a GB/T 38540 SES_Seal (V4), DER. */
  readonly seal: Uint8Array;
  /** The signer's certificate (DER); the seal must list it. */
  readonly signerCertificate: Uint8Array;
  /** The signer's key: a key-store entry, an HSM or a remote department all fit. */
  readonly sign: OfdSigner;
  /** TBS_Sign timeInfo and SignatureDateTime; must fall within the seal's and the certificate's validity. */
  readonly signedAt: Date;
  /** Which page of the document carries the seal's picture, 0 for the first. @default 0 */
  readonly page?: number;
  /** Where the picture goes on that page: millimetres from the page's top-left corner. */
  readonly position: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Which document body of a multi-document package to seal. @default 0 */
  readonly document?: number;
  /** Bounds on reading the received package. */
  readonly limits?: Partial<OfdReadLimits>;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Everything but the key: what {@link prepareOfdSeal} needs. */
export type PrepareOfdSealOptions = Omit<SignOfdOptions, 'sign'>;

/**
 * A seal ready for its signature: `tbs` is DER(TBS_Sign), what the signer's key signs
 * (SM2 over SM3 with the standard user ID); `finish` puts the signature in and returns the
 * sealed package. For a key held elsewhere (a department's USB key, a remote signing
 * service) that signs between the two.
 */
export interface PreparedOfdSeal {
  readonly tbs: Uint8Array;
  /** The sealed package, with `signature` (DER SEQUENCE{r, s}) in the SES_Signature. */
  finish(signature: Uint8Array): Uint8Array;
}

/**
 * Applies one seal to the OFD `ofd` and returns the new package. Equivalent to
 * `prepareOfdSeal(ofd, options)` → `options.sign(prepared.tbs)` → `prepared.finish(signature)`.
 *
 * @throws {@link OfdReadError} for a package that cannot be read (not a zip, no OFD.xml,
 * malformed XML, a hostile zip); {@link OfdSealError} when the seal is not a V4 SES_Seal,
 * does not list `signerCertificate`, or is (like the certificate) not valid at `signedAt`;
 * when the page does not exist; or when the seal would have to change a file an earlier
 * signature protects (their Signatures list, or OFD.xml to name a first list).
 * @example
 * const sealed = await signOfd(ofd, { seal, signerCertificate, sign: (tbs) => keyStore.sm2(tbs), signedAt: new Date(), position: sealBox });
 * const joint = await signOfd(sealed, { ...second, position: jointSealBoxes[0] }); // the first stays valid
 */
export async function signOfd(ofd: Uint8Array, options: SignOfdOptions): Promise<Uint8Array> {
  const prepared = prepareOfdSeal(ofd, options);
  return prepared.finish(await options.sign(prepared.tbs));
}

/**
 * Everything {@link signOfd} does before and after the signer's key: reads and checks,
 * writes the Signature.xml, and yields DER(TBS_Sign) to be signed.
 * @throws as {@link signOfd}.
 */
export function prepareOfdSeal(ofd: Uint8Array, options: PrepareOfdSealOptions): PreparedOfdSeal {
  const signedAt = new Date(Math.floor(options.signedAt.getTime() / 1000) * 1000);
  checkSeal(options, signedAt);
  const { x, y, width, height } = options.position;
  if (![x, y, width, height].every(Number.isFinite) || width <= 0 || height <= 0)
    throw new OfdSealError({ field: 'position', message: 'x, y, width and height must be numbers, width and height above 0' });

  const entries = readOfdZip(ofd, { ...DEFAULT_OFD_READ_LIMITS, ...options.limits });
  const pkg = ReceivedOfd.of(entries);
  const bodyIndex = options.document ?? 0;
  const body = pkg.bodies[bodyIndex];
  if (!body) throw new OfdSealError({ field: 'document', message: `the package has ${pkg.bodies.length} document(s), no document ${bodyIndex}` });
  const pages = pkg.pages(body.root);
  const page = pages[options.page ?? 0];
  if (!page || page.id === '') throw new OfdSealError({ field: 'page', message: `the document has ${pages.length} page(s), no page ${options.page ?? 0} with an ID` });

  const protectedByOthers = pkg.protectedEntries();
  const wouldBreak = (entry: string) => {
    if (protectedByOthers.has(entry))
      throw new OfdSealError({ field: 'package', message: `an earlier signature protects ${entry}, which this seal must change: sealing would break it` });
  };
  const out: OfdEntries = new Map(entries);
  let list = body.signatures;
  let previous: Uint8Array | undefined;
  let id: number;
  if (list) {
    wouldBreak(list);
    previous = entries.get(list)!;
    id = pkg.listed(list).maxId + 1;
  } else {
    wouldBreak(pkg.entryPoint);
    const docFolder = folderOf(body.root);
    list = freeName(entries, `${docFolder}${docFolder ? '/' : ''}Signs`, 'Signatures', '.xml');
    out.set(pkg.entryPoint, nameSignatureList(entries.get(pkg.entryPoint)!, pkg.entryPoint, bodyIndex, `/${list}`));
    id = 1;
  }

  const listFolder = folderOf(list);
  const signFolder = freeName(entries, listFolder, 'Sign_', '', true);
  const signatureEntry = `${signFolder}/Signature.xml`;
  const signedValueEntry = `${signFolder}/SignedValue.dat`;
  const lists = new Set([...pkg.signatureLists, list]);
  const references = [...out].filter(([name]) => !lists.has(name))
    .map(([name, data]) => `<ofd:Reference FileRef="/${escapeXml(name)}"><ofd:CheckValue>${hash('sm3', data, 'base64')}</ofd:CheckValue></ofd:Reference>`);
  const signatureXml = utf8(`${XML_DECLARATION}<ofd:Signature xmlns:ofd="${OFD_NS}"><ofd:SignedInfo>` +
    '<ofd:Provider ProviderName="zhengyin" Company="zhengyin" Version="1.0"/>' +
    `<ofd:SignatureMethod>${SM2_WITH_SM3}</ofd:SignatureMethod><ofd:SignatureDateTime>${compactTime(signedAt)}</ofd:SignatureDateTime>` +
    `<ofd:References CheckMethod="${SM3}">${references.join('')}</ofd:References>` +
    `<ofd:StampAnnot ID="1" PageRef="${escapeXml(page.id)}" Boundary="${mm(x)} ${mm(y)} ${mm(width)} ${mm(height)}"/>` +
    `</ofd:SignedInfo><ofd:SignedValue>/${signedValueEntry}</ofd:SignedValue></ofd:Signature>`);

  const tbs = tbsSign({ seal: options.seal, signedAt, dataHash: hash('sm3', signatureXml, 'buffer'), propertyInfo: `/${signatureEntry}` });
  out.set(signatureEntry, signatureXml);
  out.set(signedValueEntry, new Uint8Array(0)); // its place in the zip, after Signature.xml; filled by finish
  const listed = `<ofd:Signature ID="${id}" Type="Seal" BaseLoc="/${signatureEntry}"/>`;
  out.set(list, previous ? extendSignatureList(previous, list, listed, id)
    : utf8(`${XML_DECLARATION}<ofd:Signatures xmlns:ofd="${OFD_NS}"><ofd:MaxSignId>${id}</ofd:MaxSignId>${listed}</ofd:Signatures>`));
  return {
    tbs,
    finish: (signature) => writeOfdZip(new Map(out).set(signedValueEntry, sesSignature(tbs, options.signerCertificate, signature)), signedAt),
  };
}

/** A revoked or expired seal cannot sign (DESIGN.md, trust rules); nor one that does not name the signer. */
function checkSeal(options: PrepareOfdSealOptions, signedAt: Date): void {
  if (Number.isNaN(signedAt.getTime())) throw new OfdSealError({ field: 'signedAt', message: 'not a date' });
  const seal = sealFacts(options.seal);
  const cert = certificateValidity(options.signerCertificate);
  if (!seal.binds(options.signerCertificate))
    throw new OfdSealError({ field: 'signerCertificate', message: `the seal${seal.name ? ` ${seal.name}` : ''} does not list this certificate among those allowed to use it`, standard: 'GB/T 38540-2020 §7.1' });
  if (signedAt < seal.validStart || signedAt > seal.validEnd)
    throw new OfdSealError({ field: 'signedAt', message: `the seal is valid from ${seal.validStart.toISOString()} to ${seal.validEnd.toISOString()}, not at ${signedAt.toISOString()}` });
  if (signedAt < cert.notBefore || signedAt > cert.notAfter)
    throw new OfdSealError({ field: 'signedAt', message: `the signer certificate is valid from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}, not at ${signedAt.toISOString()}` });
}

const folderOf = (entry: string): string => (entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '');

/** `folder/stem<n>suffix` (or `folder/stem` when free and not `numbered`) that no entry has, nor uses as a folder. */
function freeName(entries: OfdEntries, folder: string, stem: string, suffix: string, numbered = false): string {
  const prefix = folder ? `${folder}/` : '';
  const taken = (name: string) => entries.has(name) || [...entries.keys()].some((e) => e.startsWith(`${name}/`));
  if (!numbered && !taken(`${prefix}${stem}${suffix}`)) return `${prefix}${stem}${suffix}`;
  for (let n = 0; ; n++) if (!taken(`${prefix}${stem}${n}${suffix}`)) return `${prefix}${stem}${n}${suffix}`;
}

/** `YYYYMMDDhhmmssZ`, as seal systems write SignatureDateTime. */
const compactTime = (d: Date): string => `${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;

const QNAME = '(?:[A-Za-z_][\\w.-]*:)?';

/**
 * OFD.xml with `<Signatures>` added as the last child of document body `index` (GB/T 33190
 * §7.4: after DocRoot and Versions), in the prefix the file uses; every other byte kept.
 */
function nameSignatureList(ofdXml: Uint8Array, entry: string, index: number, path: string): Uint8Array {
  const { text, encode } = editablePart(ofdXml, entry);
  const closes = [...text.matchAll(new RegExp(`</(${QNAME})DocBody\\s*>`, 'g'))];
  const close = closes[index];
  if (!close) throw new OfdSealError({ field: 'document', message: `OFD.xml has no closing tag for document body ${index}` });
  const element = `<${close[1]}Signatures>${escapeXml(path)}</${close[1]}Signatures>`;
  return encode(text.slice(0, close.index) + element + text.slice(close.index));
}

/** The Signatures list with `listed` appended and MaxSignId raised to `id`; the other vendors' entries kept as they were (in UTF-8). */
function extendSignatureList(list: Uint8Array, entry: string, listed: string, id: number): Uint8Array {
  const part = editablePart(list, entry);
  let text = part.text;
  const open = new RegExp(`<(${QNAME})Signatures\\b[^>]*?(/?)>`).exec(text);
  if (!open) throw new OfdSealError({ field: 'package', message: `${entry} has no Signatures element` });
  const prefix = open[1]!;
  const element = listed.replace(/ofd:/g, prefix);
  if (open[2] === '/') {
    const opened = `${open[0].slice(0, -2)}>`;
    return part.encode(text.slice(0, open.index) + opened + element + `</${prefix}Signatures>` + text.slice(open.index + open[0].length));
  }
  text = text.replace(new RegExp(`(<${QNAME}MaxSignId\\s*>)\\s*\\d*\\s*(</${QNAME}MaxSignId\\s*>)`), `$1${id}$2`);
  const close = text.lastIndexOf(`</${prefix}Signatures`);
  if (close < 0) throw new OfdSealError({ field: 'package', message: `${entry} has no closing Signatures tag` });
  return part.encode(text.slice(0, close) + element + text.slice(close));
}
