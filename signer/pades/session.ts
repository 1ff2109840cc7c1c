import type { PDFDict } from 'pdf-lib';
import { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { DIGESTS, hash } from '../cms/algorithms.ts';
import type { DigestAlgorithm, TimestampAuthority } from '../types.ts';
import { cadesProfile, signedAttributes, type CadesProfile, type SignerCertificates } from './cades.ts';
import { dictOf, docMdpPermissions, existingSignatures, NAME, pageGeometry, pageRef } from '../pdf/document-structure.ts';
import { DocMdpError, InvalidSignOptionError, NewFieldAfterCertificationError } from './errors.ts';
import { PreparedDocument, reserveContents } from './prepared-document.ts';
import { addSealAppearance, sealImage, type SealImage } from './seal-appearance.ts';
import { signatureDictionary, writeWithPlaceholders } from './signature-dictionary.ts';
import { addSignatureField, checkFieldName, emptySignatureFields, fillSignatureField, findEmptySignatureField, freeFieldName, lockingSignature, type EmptySignatureField } from './signature-field.ts';

/** A visible signature: the seal picture drawn at a rectangle of a page. */
export interface SignatureAppearance {
  /** The seal picture, PNG; transparency is kept. */
  readonly image: Uint8Array;
  /** 0-based page index; negative counts from the end (-1: last page). */
  readonly page: number;
  /**
   * Lower-left corner of the seal, in points from the lower-left corner of the page as it
   * shows: its CropBox (else MediaBox), turned by its /Rotate. On an unrotated page whose
   * box starts at 0 0 (nearly all), that is default user space. On a turned page the seal
   * is turned with it, so it stands upright to the reader.
   */
  readonly x: number;
  readonly y: number;
  /**
   * Size in points. Give one and the other follows the picture's aspect ratio.
   * @default width 119.06 (42 mm, the common diameter of an official round seal)
   */
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

/** A visible signature in a signature field the form already has: the field gives the place. */
export interface FieldAppearance {
  /** The seal picture, PNG; fitted inside the field's widget, centred, its proportions kept. */
  readonly image: Uint8Array;
}

/** Options of {@link newSession}: who signs, how, and where the signature shows. */
export interface SessionOptions {
  /** The signer's certificate and issuing chain (a `SigningIdentity` fits). */
  readonly identity: SignerCertificates;
  /** RFC 3161 TSA for the signature time-stamp (PAdES B-T). Without one the signature is B-B. */
  readonly tsa?: TimestampAuthority | undefined;
  /** @default 'SHA-256' */
  readonly digest?: DigestAlgorithm | undefined;
  /**
   * The signature field. The fully qualified name of an unsigned signature field the form
   * already has (e.g. one its author placed for the seal) signs into that field; any other
   * name is the partial name of a new field. @default 'Seal1', 'Seal2', … (the first free)
   */
  readonly field?: string | undefined;
  /**
   * Where the seal shows; omitted: an invisible signature on the first page (or the
   * existing field's own appearance). Into an existing field give only the picture.
   */
  readonly appearance?: SignatureAppearance | FieldAppearance | undefined;
  /**
   * Make this the certification signature (ISO 32000-1 §12.8.2.2, DocMDP): `true` means
   * /P 2 (form filling and further signatures allowed). Only the first signature may certify.
   */
  readonly certify?: boolean | { readonly permissions: 1 | 2 | 3 } | undefined;
  /**
   * Allow a new visible signature field on a certified document, as Acrobat does. pyHanko
   * and other strict validators then report the certification signature as modified.
   * Without it such a signature is refused; fill an empty field or sign invisibly instead.
   * @default false
   */
  readonly allowNewField?: boolean | undefined;
  readonly reason?: string | undefined;
  readonly location?: string | undefined;
  readonly contactInfo?: string | undefined;
  /** /M, the claimed signing time. @default now */
  readonly signingTime?: Date | undefined;
}

/** 42 mm in points. */
const DEFAULT_SEAL_WIDTH = (42 / 25.4) * 72;

/**
 * Starts a PAdES signature (ETSI EN 319 142-1) on `pdf`: reads it, checks that DocMDP
 * allows another signature, picks the field name and decodes the seal picture. Nothing is
 * signed and no byte is written until the later phases.
 *
 * `signPdf(pdf, opts)` is equivalent to `newSession(pdf, opts)` → `prepare()` →
 * `sign(opts.identity.key)` → `finish()`.
 * @throws {@link PdfReadError} / {@link PdfEncryptedError} The PDF cannot be read or is encrypted.
 * @throws {@link DocMdpError} Certification requested on a signed document, or the document is certified with /P 1.
 * @throws {@link InvalidSignOptionError} A bad field name, page or image.
 * @example
 * const session = await newSession(pdf, { identity, tsa, appearance: { image, page: 0, x: 400, y: 80 } });
 * const prepared = await session.prepare();
 * const signed = await prepared.sign(identity.key);
 * const out = await signed.finish();
 */
export async function newSession(pdf: Uint8Array, options: SessionOptions): Promise<SigningSession> {
  return SigningSession.create(pdf, options);
}

/** Phase 1: options checked against the document. Get one from {@link newSession}. */
export class SigningSession {
  readonly #options: SessionOptions;
  readonly #writer: IncrementalWriter;
  readonly #profile: CadesProfile;
  readonly fieldName: string;
  readonly #docMdp: 1 | 2 | 3 | undefined;
  readonly #stamp: Stamp | undefined;
  readonly #existingField: EmptySignatureField | undefined;
  #used = false;

  private constructor(
    p: Readonly<{ options: SessionOptions; writer: IncrementalWriter; profile: CadesProfile; fieldName: string; docMdp: 1 | 2 | 3 | undefined; stamp: Stamp | undefined; existingField: EmptySignatureField | undefined }>,
  ) {
    this.#options = p.options;
    this.#writer = p.writer;
    this.#profile = p.profile;
    this.fieldName = p.fieldName;
    this.#docMdp = p.docMdp;
    this.#stamp = p.stamp;
    this.#existingField = p.existingField;
  }

  /** @internal */
  static create(pdf: Uint8Array, options: SessionOptions): SigningSession {
    if (!(options?.identity?.certificate instanceof Uint8Array) || !Array.isArray(options.identity.chain)) {
      throw new InvalidSignOptionError({ field: 'identity', message: 'needs certificate (DER) and chain (DER[])' });
    }
    const digest = options.digest ?? 'SHA-256';
    if (!(digest in DIGESTS)) throw new InvalidSignOptionError({ field: 'digest', message: `${String(digest)} is not SHA-256, SHA-384 or SHA-512` });
    const profile = cadesProfile(options.identity, digest);
    const writer = IncrementalWriter.from(pdf);
    const signatures = existingSignatures(writer);
    const docMdp = options.certify === true ? 2 : options.certify ? options.certify.permissions : undefined;
    if (docMdp !== undefined && ![1, 2, 3].includes(docMdp)) {
      throw new InvalidSignOptionError({ field: 'certify.permissions', message: 'must be 1, 2 or 3', standard: 'ISO 32000-1 §12.8.2.2.2' });
    }
    if (docMdp !== undefined && signatures.length > 0) {
      throw new DocMdpError({ message: `certify: the document already has ${signatures.length} signature(s); only the first signature may be a certification signature (ISO 32000-1 §12.8.2.2)` });
    }
    const certified = docMdpPermissions(writer);
    if (certified === 1) {
      throw new DocMdpError({ message: 'the document is certified with DocMDP /P 1: no change, not even a signature, is permitted (ISO 32000-1 §12.8.2.2.2)' });
    }
    const existingField = options.field !== undefined ? findEmptySignatureField(writer, options.field) : undefined;
    if (options.field !== undefined && !existingField) checkFieldName(writer, options.field);
    const locker = existingField && lockingSignature(writer, existingField.name);
    if (locker) {
      throw new InvalidSignOptionError({ field: 'field', message: `the field "${existingField!.name}" is locked by the signature in "${locker}"; signing it would break that lock`, standard: 'ISO 32000-1 §12.8.2.4' });
    }
    const fieldName = options.field ?? freeFieldName(writer, 'Seal');
    const a = options.appearance;
    let stamp: Stamp | undefined;
    if (existingField && a) stamp = planFieldStamp(writer, existingField, a);
    else if (a) {
      if (!('page' in a)) throw new InvalidSignOptionError({ field: 'appearance.page', message: 'a new signature field needs page, x and y; only an existing field gives its own place' });
      stamp = planStamp(writer, a);
      if (certified !== undefined && !options.allowNewField) {
        throw new NewFieldAfterCertificationError({ certifiedBy: certificationField(writer), freeFields: emptySignatureFields(writer) });
      }
    }
    return new SigningSession({ options, writer, profile, fieldName, docMdp, stamp, existingField });
  }

  /**
   * Phase 2: appends the revision with the signature field and dictionary, /ByteRange
   * fixed and /Contents reserved at the size of a dry-run CMS (with a real token from
   * the TSA, learnt once per TSA), and computes the signed attributes.
   * @throws The TSA's error, if its one-off dry-run request fails.
   */
  async prepare(): Promise<PreparedDocument> {
    if (this.#used) throw new InvalidSignOptionError({ field: 'session', message: 'prepare() was already called on this session' });
    this.#used = true;
    const o = this.#options;
    const profile = this.#profile;
    const contentsLength = await reserveContents(profile, o.tsa);
    const w = this.#writer;
    const template = signatureDictionary(w.context, {
      kind: 'signature',
      contentsLength,
      signingTime: o.signingTime ?? new Date(),
      reason: o.reason,
      location: o.location,
      contactInfo: o.contactInfo,
      docMdp: this.#docMdp,
      fieldLock: this.#existingField?.lock,
    });
    const sigRef = w.add(template.object);
    const stamp = this.#stamp;
    const appearance = stamp && addSealAppearance(w, stamp.image, stamp.width, stamp.height, stamp.rotate, stamp.picture);
    if (this.#existingField) fillSignatureField(w, this.#existingField, sigRef, appearance);
    else addSignatureField(w, this.fieldName, sigRef, { page: stamp?.page ?? 0, rect: stamp?.rect, appearance });
    if (this.#docMdp !== undefined) {
      // §12.8.2.2: the certification signature is the one /Perms /DocMDP names.
      w.update(w.catalogRef, (c) => void (c as PDFDict).set(NAME.Perms, w.context.obj({ DocMDP: sigRef })));
    }
    const { bytes, byteRange, covered } = writeWithPlaceholders(w, sigRef, template);
    const messageDigest = hash(profile.digest, ...covered);
    return PreparedDocument.create({ bytes, byteRange, contentsLength, profile, signed: signedAttributes(profile, messageDigest), tsa: o.tsa });
  }
}

/** The field of the certification signature: the one /Perms /DocMDP names (§12.8.2.2). */
function certificationField(w: IncrementalWriter): string | undefined {
  const certification = dictOf(w, dictOf(w, w.catalog.get(NAME.Perms))?.get(NAME.DocMDP));
  return existingSignatures(w).find((s) => s.dictionary === certification)?.fieldName;
}

/** A visible signature, checked and with its picture decoded. */
interface Stamp {
  readonly image: SealImage;
  /** Page index of a new field; undefined when signing into the form's own field, which has its page. */
  readonly page?: number;
  /** The widget's /Rect in default user space. */
  readonly rect: readonly [number, number, number, number];
  /** Size of the appearance as the reader sees it. */
  readonly width: number;
  readonly height: number;
  /** The page's /Rotate, undone in the appearance so the seal stands upright. */
  readonly rotate: 0 | 90 | 180 | 270;
  /** Where the picture goes inside the appearance; default all of it. */
  readonly picture?: readonly [number, number, number, number];
}

/** A seal picture fitted into an existing field's widget: centred, proportions kept. */
function planFieldStamp(w: IncrementalWriter, field: EmptySignatureField, a: SignatureAppearance | FieldAppearance): Stamp {
  if ('page' in a || 'x' in a || 'y' in a) {
    throw new InvalidSignOptionError({ field: 'appearance', message: `the field "${field.name}" already has its place; give only the image` });
  }
  if (!field.rect || !field.page) {
    throw new InvalidSignOptionError({ field: 'appearance', message: `the field "${field.name}" is invisible (no area on a page); sign it without a picture` });
  }
  const image = sealImage(a.image);
  const { rotate } = pageGeometry(w, field.page);
  const [llx, lly, urx, ury] = field.rect;
  const [width, height] = rotate % 180 === 0 ? [urx - llx, ury - lly] : [ury - lly, urx - llx];
  const scale = Math.min(width / image.width, height / image.height);
  const [pw, ph] = [image.width * scale, image.height * scale];
  return { image, rect: field.rect, width, height, rotate, picture: [(width - pw) / 2, (height - ph) / 2, pw, ph] };
}

function planStamp(w: IncrementalWriter, a: SignatureAppearance): Stamp {
  for (const [k, v] of Object.entries({ x: a.x, y: a.y, width: a.width, height: a.height })) {
    const size = k === 'width' || k === 'height';
    if ((v !== undefined || !size) && (typeof v !== 'number' || !Number.isFinite(v) || (size && v <= 0))) {
      throw new InvalidSignOptionError({ field: `appearance.${k}`, message: `${v} is not a ${size ? 'positive' : 'finite'} number of points` });
    }
  }
  const { box, rotate } = pageGeometry(w, pageRef(w, a.page));
  const image = sealImage(a.image);
  const aspect = image.height / image.width;
  const width = a.width ?? (a.height !== undefined ? a.height / aspect : DEFAULT_SEAL_WIDTH);
  const height = a.height ?? width * aspect;
  return { image, page: a.page, rect: userSpaceRect(box, rotate, a.x, a.y, width, height), width, height, rotate };
}

/**
 * Maps a rectangle given as the page shows (origin at the shown lower-left corner, sides
 * `width` across and `height` up) into default user space, where /Rect lives.
 */
function userSpaceRect(box: readonly [number, number, number, number], rotate: Stamp['rotate'], x: number, y: number, width: number, height: number): Stamp['rect'] {
  const [llx, lly, urx, ury] = box;
  const [w, h] = [urx - llx, ury - lly];
  switch (rotate) {
    case 0: return [llx + x, lly + y, llx + x + width, lly + y + height];
    // Turned a quarter clockwise: the shown x runs up user space, the shown y runs left.
    case 90: return [llx + w - y - height, lly + x, llx + w - y, lly + x + width];
    case 180: return [llx + w - x - width, lly + h - y - height, llx + w - x, lly + h - y];
    case 270: return [llx + y, lly + h - x - width, llx + y + height, lly + h - x];
  }
}
