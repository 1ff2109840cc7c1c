import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { FaceDataError } from '../../../signer/index.ts';
import type { Licence, LicenceFile, LicenceFormat, LicenceVersionLink, PublicLicenceStatus, Renewal } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { ownDepartment } from '../context.ts';

const LicenceStatusEnum = builder.enumType('LicenceStatus', {
  description: '证照状态。 / A licence\'s registry status.',
  values: {
    VALID: { value: 'valid', description: '有效。 / Valid.' },
    REVOKED: { value: 'revoked', description: '已注销或吊销。 / Revoked (注销 / 吊销).' },
    SUPERSEDED: { value: 'superseded', description: '已变更, 有新版本。 / Superseded by a newer version (变更).' },
    SUSPENDED: { value: 'suspended', description: '已暂扣, 恢复前不得使用。 / Suspended (暂扣) until resumed.' },
    EXPIRED: { value: 'expired', description: '已过有效期。 / Past its validity period.' },
  } as const,
});

const IssueFormatEnum = builder.enumType('LicenceIssueFormat', {
  description: '颁发的版式。 / The formats to issue a licence in.',
  values: {
    PDF: { value: 'pdf', description: 'PAdES 签章的 PDF。 / A PAdES-signed PDF.' },
    OFD: { value: 'ofd', description: 'SM2 签章的 OFD (GB/T 33190, GB/T 38540); 登记库仍存 PDF。 / An SM2-sealed OFD (GB/T 33190, GB/T 38540); the registry keeps the PDF too.' },
    BOTH: { value: 'both', description: 'PDF 和 OFD, 同一证照标识。 / Both, under one identifier.' },
  } as const,
});

export const StoredFormatEnum = builder.enumType('LicenceFileFormat', {
  description: '证照文件的版式。 / The format of a licence file.',
  values: {
    PDF: { value: 'pdf', description: 'PAdES 签章的 PDF。 / A PAdES-signed PDF.' },
    OFD: { value: 'ofd', description: 'SM2 电子签章的 OFD (GB/T 33190, GB/T 38540)。 / An SM2-sealed OFD (GB/T 33190, GB/T 38540).' },
  } as const,
});

const LicenceFileRef = builder.objectRef<LicenceFile>('LicenceFile').implement({
  description: '证照的一个版式文件。 / One stored format of a licence.',
  fields: (t) => ({
    format: t.field({ type: StoredFormatEnum, description: '版式。 / Format.', resolve: (f) => f.format }),
    sha256: t.expose('sha256', { type: 'Sha256', description: '文件的 SHA-256 (账本锚定)。 / SHA-256 of the file (anchored on the ledger).' }),
    size: t.exposeInt('size', { description: '字节数。 / Size in bytes.' }),
  }),
});

export const HolderCodeType = builder.enumType('HolderCodeType', {
  description: '持证主体代码类型 (GB/T 36903)。 / The kind of the holder\'s code (GB/T 36903).',
  values: {
    CITIZEN_ID: { value: '111', description: '111 公民身份号码。 / 111: citizen ID number (GB 11643-1999).' },
    USCC: { value: '001', description: '001 统一社会信用代码。 / 001: unified social credit code (GB 32100-2015).' },
  } as const,
});

const Anchor = builder.objectRef<NonNullable<Licence['anchor']>>('LedgerAnchor').implement({
  description: '证据账本上的锚定。 / Where the evidence ledger anchors a document.',
  fields: (t) => ({
    transactionId: t.exposeString('transactionId', { description: '交易标识。 / The ledger transaction id.' }),
    blockNumber: t.exposeString('blockNumber', { nullable: true, description: '区块号 (提交后)。 / The block number, once committed.' }),
  }),
});

const VersionLink = builder.objectRef<LicenceVersionLink>('LicenceVersionLink').implement({
  description: '同一证照的另一版本 (变更) 及其公开状态页。 / Another version of the same licence (变更) and its public status page.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '该版本的证照标识。 / That version\'s identifier.' }),
    version: t.exposeInt('version', { description: '版本号。 / Its version number.' }),
    statusUrl: t.exposeString('statusUrl', { description: '该版本的公开状态页。 / That version\'s public status page.' }),
  }),
});

const RenewalStateEnum = builder.enumType('RenewalState', {
  description: '延续申请的状态。 / Where a renewal application (延续) stands.',
  values: {
    PENDING: { value: 'pending', description: '审查中, 须在期限内决定。 / Awaiting the issuer\'s decision within the time limit.' },
    GRANTED: { value: 'granted', description: '准予延续。 / Granted by the issuer.' },
    REFUSED: { value: 'refused', description: '不予延续。 / Refused by the issuer.' },
    DEEMED: { value: 'deemed', description: '逾期未决定, 视为准予延续。 / Not decided in time: deemed granted (视为准予延续).' },
  } as const,
});

type RenewalView = Omit<Renewal, 'reason'> & { reason?: string | null };

export const RenewalRef = builder.objectRef<RenewalView>('LicenceRenewal').implement({
  description: '延续申请及其决定。 / An application to renew a licence (延续) and its decision.',
  fields: (t) => ({
    state: t.field({ type: RenewalStateEnum, description: '状态。 / State.', resolve: (r) => r.state }),
    deemed: t.boolean({ description: '是否视为准予延续。 / Whether it counts as granted because the issuer did not decide in time (视为准予延续).', resolve: (r) => r.state === 'deemed' }),
    appliedAt: t.expose('appliedAt', { type: 'DateTime', description: '申请时刻。 / When the holder applied.' }),
    requestedUntil: t.expose('requestedUntil', { type: 'LocalDate', description: '申请延续至。 / The end of validity asked for.' }),
    decideBy: t.expose('decideBy', { type: 'DateTime', description: '决定期限; 逾期视为准予延续。 / The issuer\'s time limit; undecided by then, the renewal counts as granted.' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: '决定时刻; 视为准予延续时为期限届满时刻。 / When decided; for a deemed grant, when the time limit ran out.' }),
    grantedUntil: t.expose('grantedUntil', { type: 'LocalDate', nullable: true, description: '延续后的有效期截止。 / The new end of validity, once granted or deemed.' }),
    reason: t.string({ nullable: true, description: '不予延续的理由 (公开状态页不显示)。 / Why it was refused (not on the public page).', resolve: (r) => r.reason ?? null }),
  }),
});

export const Download = builder.objectRef<{ url: string; expiresAt: Date }>('Download').implement({
  description: '短时有效的签名下载链接, 无需令牌。 / A short-lived signed download link; needs no token.',
  fields: (t) => ({
    url: t.exposeString('url', { description: '下载地址 (GET)。 / Where to GET the file.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: '失效时刻。 / When the link stops working.' }),
  }),
});

export const LicenceRef = builder.objectRef<Licence>('Licence').implement({
  description: '电子证照 (GB/T 36903 元数据), 颁发部门和持证人可见。 / An electronic licence with its GB/T 36903 metadata, as its issuing department and its holder see it.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '证照标识 (GB/T 36904)。 / Licence identifier (GB/T 36904).' }),
    typeCode: t.exposeString('typeCode', { description: '证照类型代码。 / Licence type code.' }),
    typeName: t.exposeString('typeName', { description: '证照名称。 / Licence name.' }),
    number: t.exposeString('number', { description: '证照编号。 / Licence number.' }),
    version: t.exposeInt('version', { description: '版本号。 / Version.' }),
    holder: t.exposeString('holder', { description: '持证主体。 / Holder.' }),
    holderCode: t.exposeString('holderCode', { description: '持证主体代码 (身份号码或统一社会信用代码)。 / Holder\'s code (ID number or USCC).' }),
    holderCodeType: t.field({ type: HolderCodeType, description: '持证主体代码类型。 / Kind of the holder\'s code.', resolve: (l) => l.holderCodeType as '111' | '001' }),
    departmentId: t.exposeString('departmentId', { description: '颁发部门。 / The issuing department.' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', description: '颁证时刻。 / When it was issued.' }),
    validFrom: t.expose('validFrom', { type: 'LocalDate', description: '有效期起始。 / First day of validity.' }),
    validUntil: t.expose('validUntil', { type: 'LocalDate', nullable: true, description: '有效期截止, 空为长期。 / Last day of validity; null means long-term (长期).' }),
    status: t.field({ type: LicenceStatusEnum, description: '证照状态。 / Registry status.', resolve: (l) => l.status }),
    statusReason: t.exposeString('statusReason', { nullable: true, description: '状态变更原因。 / Why the status changed.' }),
    statusChangedAt: t.expose('statusChangedAt', { type: 'DateTime', nullable: true, description: '状态变更时刻。 / When the status last changed.' }),
    supersededBy: t.field({ type: VersionLink, nullable: true, description: '取代本版本的新版本 (变更)。 / The version that superseded this one (变更).', resolve: (l) => l.supersededBy }),
    supersedes: t.field({ type: VersionLink, nullable: true, description: '本版本取代的旧版本。 / The version this one superseded.', resolve: (l) => l.supersedes }),
    renewal: t.field({ type: RenewalRef, nullable: true, description: '最近一次延续申请及其决定。 / The latest renewal application and its decision.', resolve: (l) => l.renewal }),
    documentSha256: t.expose('documentSha256', { type: 'Sha256', description: '签章 PDF 的 SHA-256。 / SHA-256 of the signed PDF.' }),
    documentSize: t.exposeInt('documentSize', { description: '签章 PDF 字节数。 / Size of the signed PDF in bytes.' }),
    ofdSha256: t.expose('ofdSha256', { type: 'Sha256', nullable: true, description: 'SM2 签章 OFD 的 SHA-256, 未以 OFD 颁发时为空。 / SHA-256 of the SM2-sealed OFD; null when not issued as OFD.' }),
    ofdSize: t.exposeInt('ofdSize', { nullable: true, description: 'SM2 签章 OFD 字节数。 / Size of the sealed OFD in bytes.' }),
    formats: t.field({ type: [StoredFormatEnum], description: '已存的版式: PDF, 以及以 OFD 颁发时的 OFD。 / The formats stored: PDF, and OFD when issued as OFD too.', resolve: (l) => [...l.formats] }),
    statusUrl: t.exposeString('statusUrl', { description: '公开状态页 (二维码中的地址)。 / The public status page (the URL in the QR code).' }),
    anchor: t.field({ type: Anchor, nullable: true, description: '账本锚定, 出箱处理后出现。 / Ledger anchor, once the outbox has anchored it.', resolve: (l) => l.anchor }),
    download: t.field({
      type: Download,
      description: '签章 PDF 的短时下载链接。 / A short-lived link to the signed PDF.',
      // The licence was read through the service with this caller's actor, which authorised it.
      resolve: (l, _args, ctx) => ctx.downloads.licencePdf(l.identifier),
    }),
    ofdDownload: t.field({
      type: Download,
      nullable: true,
      description: 'SM2 签章 OFD 的短时下载链接; 未以 OFD 颁发时为空。 / A short-lived link to the SM2-sealed OFD; null when the licence was not issued as OFD.',
      resolve: (l, _args, ctx) => (l.ofdSha256 ? ctx.downloads.licenceOfd(l.identifier) : null),
    }),
    printFile: t.field({
      type: Download,
      nullable: true,
      description:
        '纸质证照套打文件 (预印版式, 无底图) 的短时下载链接; 仅颁发部门的签发人员或管理员, 且证照有效时提供, 否则为空。 / A short-lived link to the print file for the pre-printed paper form (no background art); only for the issuing department\'s issuer or admin while the licence is valid, else null.',
      resolve: (l, _args, ctx) => (ctx.services.licences.mayPrint(ctx.caller.actor, l) ? ctx.downloads.licencePrint(l.identifier) : null),
    }),
  }),
});

export const PublicStatusRef = builder.objectRef<PublicLicenceStatus>('LicenceStatusPage').implement({
  description: '任何人可见的证照状态, 无照面信息, 持证人已脱敏。 / What anyone may see of a licence: no face data, the holder masked.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '证照标识。 / Licence identifier.' }),
    typeName: t.exposeString('typeName', { description: '证照名称。 / Licence name.' }),
    holderMasked: t.exposeString('holderMasked', { description: '脱敏后的持证主体。 / The holder, masked.' }),
    issuer: t.exposeString('issuer', { description: '颁发机构。 / Issuing authority.' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', description: '颁证时刻。 / When it was issued.' }),
    validFrom: t.expose('validFrom', { type: 'LocalDate', description: '有效期起始。 / First day of validity.' }),
    validUntil: t.expose('validUntil', { type: 'LocalDate', nullable: true, description: '有效期截止, 空为长期。 / Last day of validity; null means long-term.' }),
    status: t.field({ type: LicenceStatusEnum, description: '证照状态。 / Registry status.', resolve: (s) => s.status }),
    statusChangedAt: t.expose('statusChangedAt', { type: 'DateTime', nullable: true, description: '状态变更时刻。 / When the status last changed.' }),
    supersededBy: t.field({ type: VersionLink, nullable: true, description: '已变更时, 新版本及其状态页。 / When superseded: the new version and its status page.', resolve: (s) => s.supersededBy }),
    renewal: t.field({ type: RenewalRef, nullable: true, description: '最近一次延续, 如视为准予延续及其日期。 / The latest renewal, e.g. deemed granted (视为准予延续) and when.', resolve: (s) => s.renewal }),
    documentSha256: t.expose('documentSha256', { type: 'Sha256', description: '签章 PDF 的 SHA-256。 / SHA-256 of the signed PDF.' }),
    files: t.field({ type: [LicenceFileRef], description: '各版式文件及其 SHA-256, PDF 在前。 / Each stored format with its SHA-256, the PDF first.', resolve: (s) => [...s.files] }),
  }),
});

const IssueLicenceInput = builder.inputType('IssueLicenceInput', {
  description: '颁发一张证照。 / What to issue.',
  fields: (t) => ({
    type: t.string({ required: true, description: '证照类型代码或名称。 / Licence type code or name.' }),
    departmentId: t.string({ required: false, description: '颁发部门, 默认为令牌所属部门。 / Issuing department; default: the token\'s department.' }),
    face: t.field({ type: 'JSONObject', required: true, description: '照面信息, 按证照类型的字段。 / Face data, keyed as the licence type defines.' }),
    number: t.string({ required: false, description: '证照编号, 默认为流水号。 / Licence number; default: the serial.' }),
    issueDate: t.field({ type: 'LocalDate', required: false, description: '颁证日期, 默认今天 (中国标准时间)。 / Issue date; default today in China Standard Time.' }),
    jointSealIds: t.stringList({ required: false, description: '联办件中其他部门的印章。 / Other departments\' seals for a joint licence (联办件).' }),
    format: t.field({
      type: IssueFormatEnum,
      required: false,
      defaultValue: 'pdf',
      description:
        '版式: PDF, OFD (以部门的 SM2 印章签章, GB/T 38540) 或两者; 默认 PDF。部门无 SM2 印章时以 OFD 颁发被拒 (NO_SM2_SEAL)。 / PDF, OFD (sealed with the department\'s SM2 seal, GB/T 38540) or BOTH; default PDF. OFD from a department without an SM2 seal is refused (NO_SM2_SEAL).',
    }),
  }),
});

builder.queryFields((t) => ({
  licence: t.field({
    type: LicenceRef,
    description: '按证照标识查询证照 (颁发部门或持证人本人)。 / A licence by its identifier, for its issuing department or its holder.',
    authScopes: { department: true, operator: true, applicant: true },
    args: { identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }) },
    resolve: (_root, { identifier }, ctx) => ctx.services.licences.get(ctx.caller.actor, identifier),
  }),
  licenceStatus: t.field({
    type: PublicStatusRef,
    description:
      '证照的公开状态, 凭二维码中的页面令牌查询; 证照标识按顺序编号, 不能用来查询。 / A licence\'s public status, by the page token in its QR code; identifiers are sequential, so they open nothing.',
    args: { pageToken: t.arg.string({ required: true, description: '页面令牌 (状态页地址的最后一段)。 / Page token: the last segment of the status page URL.' }) },
    resolve: (_root, { pageToken }, ctx) => ctx.services.licences.publicStatus(pageToken),
  }),
  myLicences: t.connection({
    type: LicenceRef,
    description:
      '申请人本人持有的证照 (一证通办, 按身份证号码或统一社会信用代码), 最新在前。 / The signed-in applicant\'s own licences, found by their ID number or USCC (一证通办), newest first.',
    authScopes: { applicant: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) => ctx.services.licences.listOwn(ctx.caller.actor, { limit, offset })),
  }),
  licences: t.connection({
    type: LicenceRef,
    description: '一个部门颁发的证照, 最新在前。 / A department\'s licences, newest first.',
    authScopes: { department: true, operator: true },
    args: { departmentId: t.arg.string({ required: false, description: '部门, 默认为令牌所属部门。 / The department; default: the token\'s.' }) },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.licences.listByDepartment(ctx.caller.actor, args.departmentId ?? ownDepartment(ctx.caller.actor) ?? '', { limit, offset }),
      ),
  }),
}));

builder.mutationFields((t) => ({
  issueLicence: t.field({
    type: LicenceRef,
    description:
      '颁发证照: 生成、签章 (PDF: PAdES B-LTA; OFD: SM2 电子签章) 并入账本出箱。 / Issues a licence: renders, seals (PDF: PAdES B-LTA; OFD: an SM2 seal, GB/T 38540), stores and queues it for the ledger.',
    authScopes: { issuer: true, operator: true },
    errors: {
      types: [FaceDataError],
      result: { name: 'IssueLicenceSuccess' },
      union: { name: 'IssueLicenceResult' },
      dataField: { description: '颁发的证照。 / The licence issued.' },
    },
    args: { input: t.arg({ type: IssueLicenceInput, required: true, description: '颁发内容。 / What to issue.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { licence } = await ctx.services.licences.issue(ctx.caller.actor, {
        type: input.type,
        departmentId: input.departmentId ?? ownDepartment(ctx.caller.actor) ?? '',
        face: input.face,
        ...(input.number ? { number: input.number } : {}),
        ...(input.issueDate ? { issueDate: input.issueDate } : {}),
        ...(input.jointSealIds ? { jointSealIds: input.jointSealIds } : {}),
        format: (input.format ?? 'pdf') satisfies LicenceFormat,
      });
      return licence;
    },
  }),
  revokeLicence: t.field({
    type: LicenceRef,
    description: '注销或吊销证照: 状态页立即显示, 并入账本出箱。 / Revokes a licence (注销 / 吊销): its status page says so at once, and the revocation is queued for the ledger.',
    authScopes: { issuer: true, operator: true },
    args: {
      identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
      reason: t.arg.string({ required: true, description: '原因, 1-200 字。 / Why, 1-200 characters.' }),
    },
    resolve: (_root, { identifier, reason }, ctx) => ctx.services.licences.revoke(ctx.caller.actor, identifier, reason),
  }),
}));
