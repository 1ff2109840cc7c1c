import { documentFormatOf } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { makeAnnotatedCopy, makeAnnotatedOfdCopy, type AnnotationNote, type SigningIdentity, type TimestampAuthority } from '../../../signer/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { PkiService } from '../pki/index.ts';
import type { SealService } from '../seals/index.ts';

export interface AnnotatedCopiesOptions {
  readonly prisma: PrismaClient;
  readonly pki: PkiService;
  readonly log: Logger;
  /** Makes the SM2 seal (SES_Seal) the OFD copies are sealed with, once. */
  readonly seals: SealService;
}

/** Where the id of the installation's copy-signing certificate is kept (system_setting). */
const COPY_SIGNER_SETTING = 'annotated-copy-certificate';
const COPY_SIGNER_NAME = '电子证照加注件签章 (zhengyin annotated copies)';
/** The SM2 certificate and SES_Seal that seal OFD copies (system_setting): GB/T 38540 needs a seal, not only a key. */
const COPY_SEAL_SM2_SETTING = 'annotated-copy-seal-sm2';
const COPY_SEAL = { esID: 'ZHENGYIN-ANNOTATED-COPY-SM2', name: '电子证照共享服务平台', title: '加注件专用章' } as const;

/**
 * Makes annotated copies (加注件) of licences, signed by the installation's own key: a
 * signing certificate under the root, made once and named after this one use. Not the
 * issuing department's seal: the department issued the original, the platform makes the
 * copy, and the original travels inside it with its own signatures untouched.
 *
 * No authorisation here: the caller (use codes, shared fetches) has decided that this
 * copy may be made for this recipient.
 */
export class AnnotatedCopies {
  readonly #prisma: PrismaClient;
  readonly #pki: PkiService;
  readonly #log: Logger;
  readonly #seals: SealService;
  // One long-lived TSA client: the signer sizes /Contents from its first token.
  readonly #tsa: TimestampAuthority;

  constructor(options: Readonly<AnnotatedCopiesOptions>) {
    this.#prisma = options.prisma;
    this.#pki = options.pki;
    this.#log = options.log;
    this.#seals = options.seals;
    this.#tsa = options.pki.timestampAuthority();
  }

  /**
   * The annotated copy of `original`: its pages under the note, the original attached,
   * certified by the installation's key, PAdES B-LTA.
   * @throws `InvalidInputError` (`note.*`), `GlyphMissingError`, `PdfReadError`, and the
   *   PKI's errors when the copy-signing certificate may not sign.
   */
  async make(original: Uint8Array, note: AnnotationNote): Promise<Uint8Array> {
    const identity = await this.#identity();
    return makeAnnotatedCopy({
      original,
      note,
      signer: { identity, tsa: this.#tsa, revocation: this.#pki.revocationSource(), location: 'zhengyin' },
    });
  }

  /**
   * The annotated copy of an OFD `original` (a licence or any sealed OFD): its pages with
   * the note as an annotation on the first, the original attached as `original.ofd`, sealed
   * with the installation's SM2 seal (GB/T 38540 V4). Takes OFD bytes whatever stores them.
   * @throws `InvalidInputError` (`note.*`), `OfdReadError`, `GlyphMissingError`, and the
   *   PKI's errors when the copy seal's certificate may not sign.
   */
  async makeOfd(original: Uint8Array, note: AnnotationNote): Promise<Uint8Array> {
    const { certificateId, sesSeal } = await this.#sm2Seal();
    const identity = await this.#pki.signingIdentity(certificateId);
    return makeAnnotatedOfdCopy({
      original,
      note,
      seal: { seal: sesSeal, signerCertificate: identity.certificate, sign: (tbs) => identity.key.sign(tbs, 'SM3') },
    });
  }

  /**
   * The annotated copy of a signed document, PDF or OFD as its bytes say: {@link make} or
   * {@link makeOfd}. What a caller holding either format (use codes, the reuse fetch) calls.
   */
  async annotatedCopy(original: Uint8Array, note: AnnotationNote): Promise<{ readonly format: 'pdf' | 'ofd'; readonly bytes: Uint8Array }> {
    const format = documentFormatOf(original);
    return { format, bytes: format === 'ofd' ? await this.makeOfd(original, note) : await this.make(original, note) };
  }

  /** The SM2 root the OFD copies chain to, DER. */
  async sm2TrustAnchor(): Promise<Uint8Array> {
    return this.#pki.sm2RootCertificate();
  }

  /** The root certificate the copies chain to, DER: what a relying party trusts. */
  async trustAnchor(): Promise<Uint8Array> {
    return this.#pki.rootCertificate();
  }

  /**
   * The copy-signing identity, its certificate issued on first use. Two gateways starting
   * together may each issue one; the first stored wins and the other is never used.
   */
  async #identity(): Promise<SigningIdentity> {
    const stored = await this.#prisma.systemSetting.findUnique({ where: { key: COPY_SIGNER_SETTING } });
    let certificateId = (stored?.value as { certificateId?: string } | undefined)?.certificateId;
    if (!certificateId) {
      const issued = await this.#pki.issueInstallationCertificate(COPY_SIGNER_NAME);
      await this.#prisma.systemSetting.createMany({ data: [{ key: COPY_SIGNER_SETTING, value: { certificateId: issued } }], skipDuplicates: true });
      const winner = await this.#prisma.systemSetting.findUniqueOrThrow({ where: { key: COPY_SIGNER_SETTING } });
      certificateId = (winner.value as { certificateId: string }).certificateId;
      this.#log.info('issued the annotated-copy signing certificate', { certificateId });
    }
    return this.#pki.signingIdentity(certificateId);
  }

  /** The OFD copies' SM2 certificate and SES_Seal, made on first use; as for {@link #identity}, the first stored wins. */
  async #sm2Seal(): Promise<{ certificateId: string; sesSeal: Uint8Array }> {
    const read = async () => {
      const row = await this.#prisma.systemSetting.findUnique({ where: { key: COPY_SEAL_SM2_SETTING } });
      const value = row?.value as { certificateId?: string; sesSeal?: string } | undefined;
      return value?.certificateId && value.sesSeal ? { certificateId: value.certificateId, sesSeal: new Uint8Array(Buffer.from(value.sesSeal, 'base64')) } : undefined;
    };
    const stored = await read();
    if (stored) return stored;
    const certificateId = await this.#pki.issueInstallationCertificate(COPY_SIGNER_NAME, { algorithm: 'SM2' });
    const sesSeal = await this.#seals.installationSeal({ certificateId, ...COPY_SEAL });
    await this.#prisma.systemSetting.createMany({ data: [{ key: COPY_SEAL_SM2_SETTING, value: { certificateId, sesSeal: Buffer.from(sesSeal).toString('base64') } }], skipDuplicates: true });
    this.#log.info('made the SM2 seal of annotated OFD copies', { certificateId });
    return (await read())!;
  }
}
