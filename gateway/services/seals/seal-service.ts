import { InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import {
  drawSealPicture,
  newSealInfo,
  signSeal,
  type KeyAlgorithm,
  type SealSigner,
  type SigningIdentity,
  type TimestampAuthority,
} from '../../../signer/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import { requireDepartment, requireOperator, type Actor, type DepartmentRole } from '../actor.ts';
import { SealFormatMismatchError, SealStateError, SealUnusableError } from '../errors.ts';
import type { PkiService } from '../pki/index.ts';
import { DAY, MM } from '../../util.ts';
import { applyOfdSealOnPool } from './apply-ofd-seal-task.ts';
import { applySealOnPool } from './apply-seal-task.ts';

export type SealState = 'active' | 'suspended' | 'revoked';

/** A seal as the registry keeps it (GB/T 38540 SES_Seal fields plus its state). */
export interface Seal {
  /** 电子印章标识 (esID). */
  readonly id: string;
  readonly departmentId: string;
  /** 印章名称. */
  readonly name: string;
  /** 印章类型 (GB/T 38540: 1 单位印章, 2 个人印章), as text. */
  readonly type: string;
  readonly state: SealState;
  readonly stateReason: string | null;
  readonly stateChangedAt: Date;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly widthMm: number;
  readonly heightMm: number;
  /** Ids of the bound signing certificates. */
  readonly certificateIds: readonly string[];
  /**
   * The key of the (first) bound signing certificate: 'SM2' for a seal of the SM2 hierarchy,
   * which signs OFD (GB/T 38540 SES_Signature) and not PDF; otherwise an ECDSA or RSA seal for PAdES.
   */
  readonly algorithm: KeyAlgorithm | undefined;
}

export interface NewSeal {
  readonly departmentId: string;
  /** 印章名称 below the star, e.g. '行政审批专用章'; default: the department's 公章. */
  readonly title?: string;
  /** @default 730 */
  readonly validDays?: number;
  /**
   * Key of the bound signing certificate. 'SM2' makes an SM2 seal: its certificate under the
   * department's SM2 CA, its SES_Seal signed SM2-with-SM3 by the SM2 seal maker. @default 'EC-P256'
   */
  readonly algorithm?: KeyAlgorithm;
  /** Bind an existing signing certificate (e.g. imported from PKCS#12) instead of issuing one. */
  readonly certificateId?: string;
}

/**
 * Where a seal goes: on a page (0-based) at points from the lower-left corner of the page
 * as it shows, or into an unsigned signature field the form already has, by its name.
 */
export type SealPlacement =
  | {
      readonly page: number;
      readonly x: number;
      readonly y: number;
      /** Width in points; default the seal's own size. */
      readonly width?: number;
      /**
       * A new visible field on a certified document, as Acrobat accepts; strict validators
       * (pyHanko) then report the certification as modified. @default false: refused.
       */
      readonly allowNewField?: boolean;
    }
  | { readonly field: string };

/** Where a seal goes on an OFD: page 0-based (default the last), x and y in mm from the page's top-left corner (both or neither), width in mm (default the seal's). */
export interface OfdSealPlacement {
  readonly page?: number | undefined;
  readonly x?: number | undefined;
  readonly y?: number | undefined;
  readonly width?: number | undefined;
}

export interface SealServiceOptions {
  readonly prisma: PrismaClient;
  readonly pki: PkiService;
  readonly log: Logger;
}

const SEAL_MAKER_SETTING = 'seal-maker-certificate';
/** The SM2 seal maker, under the SM2 root: GB/T 38540 seals of SM2 signers are made SM2-with-SM3. */
const SM2_SEAL_MAKER_SETTING = 'seal-maker-certificate-sm2';
/** What a seal row is read with: its bound certificates and their keys' algorithms. */
const SEAL_CERTIFICATES = { certificates: { select: { certificateId: true, certificate: { select: { key: { select: { algorithm: true } } } } } } } as const;
/** Making a seal and changing its state is the department admin's (or the operator's). */
const SEAL_ADMIN: readonly DepartmentRole[] = ['admin'];
/** Stamping a seal on a document is signing: the roles that issue. */
const SEAL_SIGNERS: readonly DepartmentRole[] = ['issuer', 'admin'];

/**
 * The seal registry after GB/T 38540: makes seals (picture, bound certificate, the
 * maker's signed SES_Seal), keeps their state (active / suspended / revoked), and is the
 * only way to sign with one — a seal that is not active and within its validity, or whose
 * certificate is revoked or expired, cannot sign.
 */
export class SealService {
  readonly #prisma: PrismaClient;
  readonly #pki: PkiService;
  readonly #log: Logger;

  constructor(options: Readonly<SealServiceOptions>) {
    this.#prisma = options.prisma;
    this.#pki = options.pki;
    this.#log = options.log;
  }

  /**
   * Makes a seal for a department: draws its picture, issues (or binds) its signing
   * certificate, and stores the SES_Seal signed by the seal maker (制章者). The operator, or
   * the department's own admin.
   */
  async create(actor: Actor, input: NewSeal): Promise<Seal> {
    requireDepartment(actor, input.departmentId, 'make a seal', SEAL_ADMIN);
    const department = await this.#prisma.department.findUnique({ where: { id: input.departmentId } });
    if (!department) throw new NotFoundError({ entity: 'department', id: input.departmentId });
    const validDays = input.validDays ?? 730;
    if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) {
      throw new InvalidInputError({ field: 'validDays', message: 'validDays: a whole number of days from 1 to 3650' });
    }
    const name = `${department.name}${input.title ?? ''}` || department.name;
    const picture = await drawSealPicture({ organisation: department.name, ...(input.title ? { title: input.title } : {}) });
    const certificateId =
      input.certificateId ??
      (await this.#pki.issueSealCertificate(department.id, { commonName: name, validDays, ...(input.algorithm ? { algorithm: input.algorithm } : {}) }));
    const certificate = await this.#pki.getCertificate(certificateId);
    if (certificate.departmentId !== department.id) {
      throw new InvalidInputError({ field: 'certificateId', message: `certificate ${certificateId} does not belong to department ${department.id}` });
    }
    const sm2 = (await this.#pki.keyAlgorithmOf(certificateId)) === 'SM2';
    if (input.algorithm === 'SM2' && !sm2) throw new InvalidInputError({ field: 'certificateId', message: `certificate ${certificateId} has no SM2 key: an SM2 seal binds an SM2 certificate` });
    const maker = await this.#maker(sm2);
    const validFrom = new Date();
    const validTo = new Date(Math.min(validFrom.getTime() + validDays * DAY, certificate.notAfter.getTime()));
    // Numbering, signing and storing share one transaction holding a per-department lock,
    // so two seals made at once never draw the same number.
    const id = await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`seal-id:${department.id}`}))`;
      const count = await tx.seal.count({ where: { departmentId: department.id } });
      const sealId = `${department.uscc}-${String(count + 1).padStart(3, '0')}`;
      const sesSeal = await signSeal(
        newSealInfo({ esID: sealId, name, createDate: validFrom, validStart: validFrom, validEnd: validTo, picture, certificates: [certificate.der] }),
        { key: maker.identity.key, certificate: maker.identity.certificate },
      );
      await tx.seal.create({
        data: {
          id: sealId,
          departmentId: department.id,
          name,
          type: '1',
          validFrom,
          validTo,
          picture: new Uint8Array(picture.data),
          widthMm: Math.round(picture.widthMm),
          heightMm: Math.round(picture.heightMm),
          sesSeal: new Uint8Array(sesSeal),
          makerCertId: maker.certificateId,
          certificates: { create: [{ certificateId }] },
        },
      });
      return sealId;
    });
    this.#log.info('made a seal', { sealId: id, departmentId: department.id });
    return this.get(id);
  }

  /**
   * The seals an actor may manage: a department's own (any role), or for the operator any
   * department's, or all when none is named.
   * @throws {@link ForbiddenError}
   */
  async listFor(actor: Actor, departmentId: string | undefined): Promise<Seal[]> {
    if (actor.kind === 'department') requireDepartment(actor, departmentId ?? actor.departmentId, 'list seals');
    else requireOperator(actor, 'list seals');
    return this.list(departmentId ?? (actor.kind === 'department' ? actor.departmentId : undefined));
  }

  async list(departmentId?: string): Promise<Seal[]> {
    const rows = await this.#prisma.seal.findMany({
      where: departmentId ? { departmentId } : {},
      orderBy: { id: 'asc' },
      omit: { picture: true, sesSeal: true },
      include: SEAL_CERTIFICATES,
    });
    return rows.map(toSeal);
  }

  /** @throws {@link NotFoundError} */
  async get(id: string): Promise<Seal> {
    const row = await this.#prisma.seal.findUnique({
      where: { id },
      omit: { picture: true, sesSeal: true },
      include: SEAL_CERTIFICATES,
    });
    if (!row) throw new NotFoundError({ entity: 'seal', id });
    return toSeal(row);
  }

  /**
   * The department's newest active seal, if it has one: for PDF (PAdES) an ECDSA or RSA
   * seal; with `{ sm2: true }` an SM2 seal (for OFD).
   */
  async activeSealOf(departmentId: string, options: { readonly sm2?: boolean } = {}): Promise<Seal | undefined> {
    const now = new Date();
    const sm2Bound = { some: { certificate: { key: { algorithm: 'SM2' } } } };
    const row = await this.#prisma.seal.findFirst({
      where: { departmentId, state: 'active', validFrom: { lte: now }, validTo: { gt: now }, certificates: options.sm2 ? sm2Bound : { none: { certificate: { key: { algorithm: 'SM2' } } } } },
      orderBy: { createdAt: 'desc' },
      omit: { picture: true, sesSeal: true },
      include: SEAL_CERTIFICATES,
    });
    return row ? toSeal(row) : undefined;
  }

  /** The signed SES_Seal, DER (GB/T 38540), as the maker made it. */
  async sesSeal(id: string): Promise<Uint8Array> {
    const row = await this.#prisma.seal.findUnique({ where: { id }, select: { sesSeal: true } });
    if (!row) throw new NotFoundError({ entity: 'seal', id });
    return row.sesSeal;
  }

  /** Suspends an active seal: it cannot sign until resumed. */
  async suspend(actor: Actor, id: string, reason: string): Promise<Seal> {
    return this.#transition(actor, id, 'suspended', reason, ['active']);
  }

  async resume(actor: Actor, id: string): Promise<Seal> {
    return this.#transition(actor, id, 'active', null, ['suspended']);
  }

  /** Revokes a seal for good, and revokes its bound certificates with it. */
  async revoke(actor: Actor, id: string, reason: string): Promise<Seal> {
    const seal = await this.#transition(actor, id, 'revoked', reason, ['active', 'suspended']);
    for (const certificateId of seal.certificateIds) await this.#pki.revoke(certificateId, 'cessationOfOperation');
    return seal;
  }

  /**
   * What signing a PDF with a seal needs, after checking that it may sign at `at`: active,
   * within its validity, and its certificate and chain neither revoked nor expired (checked
   * again by the key at every signature). An SM2 seal signs OFD only: see {@link sm2SealSigner}.
   * @throws {@link SealUnusableError} | `CertificateRevokedError` | `CertificateExpiredError`
   * @throws {@link SealFormatMismatchError} The seal is an SM2 seal.
   */
  async signer(
    actor: Actor,
    id: string,
    at = new Date(),
    roles?: readonly DepartmentRole[],
  ): Promise<{ seal: Seal; identity: SigningIdentity; picture: Uint8Array }> {
    const usable = await this.#usable(actor, id, at, roles);
    if (usable.seal.algorithm === 'SM2') throw new SealFormatMismatchError({ sealId: id, format: 'pdf', algorithm: 'SM2' });
    return usable;
  }

  /** A seal that may sign at `at`, with its identity, whatever its algorithm. */
  async #usable(actor: Actor, id: string, at: Date, roles?: readonly DepartmentRole[]): Promise<{ seal: Seal; identity: SigningIdentity; picture: Uint8Array }> {
    const row = await this.#prisma.seal.findUnique({ where: { id }, include: SEAL_CERTIFICATES });
    if (!row) throw new NotFoundError({ entity: 'seal', id });
    requireDepartment(actor, row.departmentId, 'sign with a seal', roles);
    const seal = toSeal(row);
    assertUsable(seal, at);
    const identity = await this.#pki.signingIdentity(seal.certificateIds[0]!);
    return { seal, identity, picture: row.picture };
  }

  /**
   * Stamps a seal on any PDF as a visible PAdES B-T approval signature (one new
   * incremental revision; earlier signatures stay valid). On a certified document it goes
   * into an empty signature field; a new field there needs `allowNewField`.
   * @throws {@link SealUnusableError}, `NewFieldAfterCertificationError` (a new field on a
   *   certified document, naming its empty fields) and the signer's other typed errors;
   *   nothing is returned or written on failure. Staff of the seal's department who may
   *   sign (issuer or admin), or the operator.
   */
  async apply(actor: Actor, id: string, pdf: Uint8Array, placement: SealPlacement, tsa: TimestampAuthority): Promise<Uint8Array> {
    const { seal, identity, picture } = await this.signer(actor, id, new Date(), SEAL_SIGNERS);
    const common = { identity, image: picture, tsa, reason: seal.name };
    if ('field' in placement) return applySealOnPool(pdf, { ...common, field: placement.field });
    const { page, x, y, width, allowNewField } = placement;
    return applySealOnPool(pdf, { ...common, page, x, y, width: width ?? seal.widthMm * MM, allowNewField });
  }

  /**
   * What an OFD signer needs to sign with an SM2 seal (GB/T 38540 V4 SES_Signature), after
   * the same checks as {@link signer} makes for PDF: the maker-signed SES_Seal, the seal's signing
   * certificate and its chain, and `sign(tbs)` that makes a DER SM2-with-SM3 signature
   * (default user ID) with the seal's key, checking revocation and validity again at each
   * call. Staff of the seal's department who may sign (issuer or admin), or the operator.
   * @throws {@link SealUnusableError} | `CertificateRevokedError` | `CertificateExpiredError`
   * @throws {@link SealFormatMismatchError} The seal is not an SM2 seal.
   */
  async sm2SealSigner(actor: Actor, id: string, at = new Date()): Promise<SealSigner & { readonly seal: Seal; readonly chain: readonly Uint8Array[] }> {
    const { seal, identity } = await this.#usable(actor, id, at, SEAL_SIGNERS);
    if (identity.key.algorithm !== 'SM2') throw new SealFormatMismatchError({ sealId: id, format: 'ofd', algorithm: identity.key.algorithm });
    const sesSeal = await this.sesSeal(id);
    const key = identity.key;
    return { seal, sesSeal, certificate: identity.certificate, chain: identity.chain, sign: (tbs) => key.sign(tbs, 'SM3') };
  }

  /**
   * Stamps an SM2 seal on any OFD as a GB/T 38540 V4 SES_Signature (Type Seal), the
   * package's earlier signatures — other seal systems' too — left valid: every file they
   * protect stays byte for byte. Placement in millimetres from the page's top-left corner;
   * default the lower right of the last page, past the stamps already there.
   * @throws {@link SealFormatMismatchError} (not an SM2 seal), {@link SealUnusableError},
   *   `OfdReadError` (not a readable OFD, hostile package), `OfdSealError` (no such page, a
   *   change an earlier signature forbids); nothing is returned on failure. Staff of the
   *   seal's department who may sign (issuer or admin), or the operator.
   */
  async applyOfd(actor: Actor, id: string, ofd: Uint8Array, placement: OfdSealPlacement = {}): Promise<Uint8Array> {
    const signedAt = new Date();
    const signer = await this.sm2SealSigner(actor, id, signedAt);
    const width = placement.width ?? signer.seal.widthMm;
    const height = width * (signer.seal.heightMm / signer.seal.widthMm);
    return applyOfdSealOnPool(
      { ofd, seal: signer.sesSeal, signerCertificate: signer.certificate, signedAt, place: { page: placement.page, x: placement.x, y: placement.y, width, height } },
      (tbs) => signer.sign(tbs),
    );
  }

  /**
   * An SES_Seal for a signing certificate of the installation itself (not a department's),
   * signed by the seal maker of its hierarchy: what the platform seals its own OFDs with
   * (annotated copies). Not entered in the registry: it belongs to no department, and the
   * caller keeps it beside its certificate.
   * @returns The SES_Seal, DER.
   */
  async installationSeal(input: Readonly<{ certificateId: string; esID: string; name: string; title: string; validTo?: Date }>): Promise<Uint8Array> {
    const certificate = await this.#pki.getCertificate(input.certificateId);
    const maker = await this.#maker((await this.#pki.keyAlgorithmOf(input.certificateId)) === 'SM2');
    const picture = await drawSealPicture({ organisation: input.name, title: input.title });
    const validFrom = new Date();
    const validTo = new Date(Math.min((input.validTo ?? certificate.notAfter).getTime(), certificate.notAfter.getTime()));
    return signSeal(
      newSealInfo({ esID: input.esID, name: `${input.name}${input.title}`, createDate: validFrom, validStart: validFrom, validEnd: validTo, picture, certificates: [certificate.der] }),
      { key: maker.identity.key, certificate: maker.identity.certificate },
    );
  }

  async #transition(actor: Actor, id: string, to: SealState, reason: string | null, from: readonly SealState[]): Promise<Seal> {
    const seal = await this.get(id);
    requireDepartment(actor, seal.departmentId, `${to === 'active' ? 'resume' : to === 'suspended' ? 'suspend' : 'revoke'} a seal`, SEAL_ADMIN);
    if (!from.includes(seal.state)) {
      throw new SealStateError({ sealId: id, state: seal.state, message: `seal ${id} is ${seal.state}; it cannot become ${to}` });
    }
    if (to !== 'active' && !reason?.trim()) throw new InvalidInputError({ field: 'reason', message: 'reason: say why' });
    // Conditional on the state we read, so two concurrent changes cannot both win.
    const { count } = await this.#prisma.seal.updateMany({
      where: { id, state: seal.state },
      data: { state: to, stateReason: reason, stateChangedAt: new Date() },
    });
    if (count !== 1) throw new SealStateError({ sealId: id, state: 'changed', message: `seal ${id} changed state meanwhile; try again` });
    this.#log.info('seal state changed', { sealId: id, from: seal.state, to });
    return this.get(id);
  }

  /** The seal maker (制章者): a signing certificate of the installation itself, made once per hierarchy (ECDSA, SM2). */
  async #maker(sm2: boolean): Promise<{ certificateId: string; identity: SigningIdentity }> {
    const key = sm2 ? SM2_SEAL_MAKER_SETTING : SEAL_MAKER_SETTING;
    const setting = await this.#prisma.systemSetting.findUnique({ where: { key } });
    let certificateId = (setting?.value as { certificateId?: string } | undefined)?.certificateId;
    if (!certificateId) {
      certificateId = await this.#pki.issueSealMakerCertificate(sm2 ? { algorithm: 'SM2' } : {});
      const id = certificateId;
      await this.#prisma.systemSetting.upsert({
        where: { key },
        create: { key, value: { certificateId: id } },
        update: { value: { certificateId: id } },
      });
    }
    return { certificateId, identity: await this.#pki.signingIdentity(certificateId) };
  }
}

function assertUsable(seal: Seal, at: Date): void {
  const refuse = (code: SealUnusableError['code'], why: string) =>
    new SealUnusableError({ code, sealId: seal.id, message: `seal ${seal.id} cannot sign: ${why}` });
  if (seal.state === 'revoked') throw refuse('SEAL_REVOKED', `revoked (${seal.stateReason ?? 'no reason given'})`);
  if (seal.state === 'suspended') throw refuse('SEAL_SUSPENDED', `suspended (${seal.stateReason ?? 'no reason given'})`);
  if (at < seal.validFrom) throw refuse('SEAL_NOT_YET_VALID', `valid from ${seal.validFrom.toISOString()}`);
  if (at >= seal.validTo) throw refuse('SEAL_EXPIRED', `expired ${seal.validTo.toISOString()}`);
}

function toSeal(row: {
  id: string;
  departmentId: string;
  name: string;
  type: string;
  state: string;
  stateReason: string | null;
  stateChangedAt: Date;
  validFrom: Date;
  validTo: Date;
  widthMm: number;
  heightMm: number;
  certificates: { certificateId: string; certificate: { key: { algorithm: string } | null } }[];
}): Seal {
  return {
    id: row.id,
    departmentId: row.departmentId,
    name: row.name,
    type: row.type,
    state: row.state as SealState,
    stateReason: row.stateReason,
    stateChangedAt: row.stateChangedAt,
    validFrom: row.validFrom,
    validTo: row.validTo,
    widthMm: row.widthMm,
    heightMm: row.heightMm,
    certificateIds: row.certificates.map((c) => c.certificateId),
    algorithm: row.certificates[0]?.certificate.key?.algorithm as KeyAlgorithm | undefined,
  };
}
