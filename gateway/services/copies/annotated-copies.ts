import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { makeAnnotatedCopy, type AnnotationNote, type SigningIdentity, type TimestampAuthority } from '../../../signer/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { PkiService } from '../pki/index.ts';

export interface AnnotatedCopiesOptions {
  readonly prisma: PrismaClient;
  readonly pki: PkiService;
  readonly log: Logger;
}

/** Where the id of the installation's copy-signing certificate is kept (system_setting). */
const COPY_SIGNER_SETTING = 'annotated-copy-certificate';
const COPY_SIGNER_NAME = '电子证照加注件签章 (zhengyin annotated copies)';

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
  // One long-lived TSA client: the signer sizes /Contents from its first token.
  readonly #tsa: TimestampAuthority;

  constructor(options: Readonly<AnnotatedCopiesOptions>) {
    this.#prisma = options.prisma;
    this.#pki = options.pki;
    this.#log = options.log;
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
}
