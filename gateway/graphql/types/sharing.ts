import type { ReleaseReceipt, SharedLicence, SharedLicenceCopy, SupervisionRow } from '../../services/index.ts';
import { MaterialTooLargeError } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { ownDepartment } from '../context.ts';
import { MaterialRef, PlanLineRef } from './applications.ts';
import { Download, StoredFormatEnum } from './licence.ts';

/*
 * Asking for and handing in materials, fetching shared licences with a receipt, and
 * supervision figures (issue 12). The services check every actor again.
 */

const ReceiptRef = builder.objectRef<ReleaseReceipt>('AccessReceipt').implement({
  description:
    '回执: 访问日志条目的全部字段, 绑定请求与响应的哈希, 可独立重算 entryHash。 / The receipt: every field of the access-log entry, binding the request and response hashes; entryHash can be recomputed from it alone.',
  fields: (t) => ({
    logId: t.exposeString('logId', { description: '日志标识。 / Which log.' }),
    sequence: t.exposeInt('sequence', { description: '访问日志中的序号。 / Number of the access-log entry.' }),
    at: t.field({ type: 'DateTime', description: '记录时刻。 / When it was logged.', resolve: (r) => new Date(r.at) }),
    resource: t.exposeString('resource', { description: '释放的内容。 / What was released.' }),
    useCause: t.exposeString('useCause', { description: '用证事由。 / Use cause.' }),
    requestSha256: t.expose('requestSha256', { type: 'Sha256', description: '请求的 SHA-256 (规范 JSON)。 / SHA-256 of the request, canonical JSON.' }),
    responseSha256: t.expose('responseSha256', { type: 'Sha256', description: '响应的 SHA-256 (不含回执的规范 JSON, 或加注件字节)。 / SHA-256 of the response: canonical JSON without the receipt, or the copy\'s bytes.' }),
    previousHash: t.expose('previousHash', { type: 'Sha256', description: '前一条目的哈希。 / Hash of the entry before.' }),
    entryHash: t.expose('entryHash', { type: 'Sha256', description: '本条目的哈希。 / Hash of this entry.' }),
    document: t.field({
      type: 'JSONObject',
      description: '回执原文 (JSON), 留存并用 verifyReceipt 校验。 / The receipt as JSON, to keep and check (verifyReceipt).',
      resolve: (r) => ({ ...r }) as Record<string, unknown>,
    }),
  }),
});

const SharedLicenceRef = builder.objectRef<SharedLicence>('SharedLicence').implement({
  description: '共享给经办部门的证照照面信息, 附用途与回执。 / A licence\'s face data released to a handling department, with what for and the receipt.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '证照标识。 / Licence identifier.' }),
    typeCode: t.exposeString('typeCode', { description: '证照类型代码。 / Licence type code.' }),
    typeName: t.exposeString('typeName', { description: '证照名称。 / Licence name.' }),
    version: t.exposeInt('version', { description: '版本号。 / Version.' }),
    holder: t.exposeString('holder', { description: '持证主体。 / Holder.' }),
    holderCode: t.exposeString('holderCode', { description: '持证主体代码。 / Holder\'s code.' }),
    issuer: t.exposeString('issuer', { description: '颁发部门。 / Issuing department.' }),
    validFrom: t.expose('validFrom', { type: 'LocalDate', description: '有效期起始。 / First day of validity.' }),
    validUntil: t.expose('validUntil', { type: 'LocalDate', nullable: true, description: '有效期截止。 / Last day of validity.' }),
    face: t.field({ type: 'JSONObject', description: '照面信息。 / Face data.', resolve: (l) => ({ ...l.face }) }),
    recipient: t.exposeString('recipient', { description: '接收方。 / Recipient.' }),
    applicationId: t.exposeString('applicationId', { description: '办件。 / Application.' }),
    matter: t.exposeString('matter', { description: '事项。 / Matter.' }),
    useCause: t.exposeString('useCause', { description: '用证事由。 / Use cause.' }),
    usableUntil: t.expose('usableUntil', { type: 'DateTime', description: '可使用至 (授权截止)。 / Usable until: the authorisation\'s end.' }),
    receipt: t.field({ type: ReceiptRef, description: '回执。 / The receipt.', resolve: (l) => l.receipt }),
  }),
});

const SharedLicenceCopyRef = builder.objectRef<Omit<SharedLicenceCopy, 'bytes'> & { size: number; download: { url: string; expiresAt: Date } }>('SharedLicenceCopy').implement({
  description:
    '共享证照的加注件: 原件页面与加注 (接收方、用途、办件、有效期), 原件原样附后, 由平台签章。 / A shared licence as an annotated copy (加注件): the original\'s pages under a note (recipient, use, application, until when), the original attached unchanged, signed by the platform.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '原件的证照标识。 / The original\'s licence identifier.' }),
    applicationId: t.exposeString('applicationId', { description: '办件。 / Application.' }),
    matter: t.exposeString('matter', { description: '事项。 / Matter.' }),
    useCause: t.exposeString('useCause', { description: '用证事由。 / Use cause.' }),
    recipient: t.exposeString('recipient', { description: '接收方。 / Recipient.' }),
    usableUntil: t.expose('usableUntil', { type: 'DateTime', description: '可使用至。 / Usable until.' }),
    format: t.field({ type: StoredFormatEnum, description: '加注件的版式: PDF 或 OFD (SM2 签章)。 / The copy\'s format: PDF, or OFD sealed with SM2.', resolve: (c) => c.format }),
    sha256: t.expose('sha256', { type: 'Sha256', description: '加注件文件的 SHA-256 (即回执的 responseSha256)。 / SHA-256 of the copy: the receipt\'s responseSha256.' }),
    size: t.exposeInt('size', { description: '字节数。 / Size in bytes.' }),
    download: t.field({ type: Download, description: '加注件的短时下载链接。 / A short-lived link to the copy.', resolve: (c) => c.download }),
    receipt: t.field({ type: ReceiptRef, description: '回执。 / The receipt.', resolve: (c) => c.receipt }),
  }),
});

const SupervisionRowRef = builder.objectRef<SupervisionRow>('SupervisionRow').implement({
  description: '电子监察: 一个部门一个事项的数字。 / Electronic supervision (电子监察): one department\'s figures for one matter.',
  fields: (t) => ({
    departmentId: t.exposeString('departmentId', { description: '部门。 / Department.' }),
    matter: t.exposeString('matter', { description: '事项编码。 / Matter code.' }),
    opened: t.exposeInt('opened', { description: '受理数。 / Opened.' }),
    finished: t.exposeInt('finished', { description: '办结数。 / Finished.' }),
    overdue: t.exposeInt('overdue', { description: '超承诺时限数。 / Past the promised time limit.' }),
    materialsReused: t.exposeInt('materialsReused', { description: '复用材料数。 / Materials reused (shared licences, earlier materials, ledger).' }),
    materialsUploaded: t.exposeInt('materialsUploaded', { description: '申请人提交材料数。 / Materials uploaded.' }),
    accessesMade: t.exposeInt('accessesMade', { description: '共享调用数。 / Shared accesses made.' }),
    accessesRefused: t.exposeInt('accessesRefused', { description: '被拒共享调用数。 / Shared accesses refused.' }),
  }),
});

const FetchSharedLicenceInput = builder.inputType('FetchSharedLicenceInput', {
  description: '为办件的一个事项获取共享证照。 / What to fetch, for which matter of which application, and why.',
  fields: (t) => ({
    applicationId: t.id({ required: true, description: '办件标识。 / Application id.' }),
    matter: t.string({ required: true, description: '事项编码。 / Matter code.' }),
    identifier: t.field({ type: 'LicenceIdentifier', required: true, description: '证照标识 (材料清单所列)。 / Licence identifier, as the plan names it.' }),
    useCause: t.string({ required: true, description: '用证事由, 1-200 字。 / Use cause (用证事由), 1-200 characters.' }),
  }),
});

builder.queryFields((t) => ({
  supervision: t.field({
    type: [SupervisionRowRef],
    description: '电子监察数字, 按部门和事项。 / Supervision figures per department and matter.',
    authScopes: { department: true, operator: true },
    args: { departmentId: t.arg.string({ required: false, description: '部门, 默认为令牌所属部门; 运维可不填以查看全部。 / The department; default the token\'s; the operator may leave it out for all.' }) },
    resolve: (_root, args, ctx) => {
      const departmentId = args.departmentId ?? ownDepartment(ctx.caller.actor);
      return ctx.services.supervision.report(ctx.caller.actor, departmentId === undefined ? {} : { departmentId });
    },
  }),
}));

builder.mutationFields((t) => ({
  requestMaterials: t.field({
    type: [PlanLineRef],
    description:
      '一次性告知申请人需提交的材料; 只能索要清单中"须提交"的, 否则报错并说明来源。 / Asks the applicant for materials; only what the plan says UPLOAD, anything else is refused naming where it comes from.',
    authScopes: { handler: true, operator: true },
    args: {
      applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }),
      kinds: t.arg.stringList({ required: true, description: '材料目录代码。 / Material kinds.' }),
    },
    resolve: (_root, { applicationId, kinds }, ctx) => ctx.services.materials.request(ctx.caller.actor, String(applicationId), kinds),
  }),
  uploadMaterial: t.field({
    type: MaterialRef,
    description:
      '提交材料 (GraphQL multipart), 保存哈希与签章验证结果, 之后可复用。 / Hands in a material (GraphQL multipart): stored with its hash and, if signed, its verification; reusable afterwards.',
    authScopes: { applicant: true, handler: true },
    args: {
      applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }),
      kind: t.arg.string({ required: true, description: '材料目录代码。 / Material kind.' }),
      file: t.arg({ type: 'Upload', required: true, description: '文件。 / The file.' }),
    },
    resolve: async (_root, { applicationId, kind, file }, ctx) => {
      // Refuse by the declared size before reading the body into memory.
      if (file.size > ctx.services.materials.maxBytes) throw new MaterialTooLargeError(ctx.services.materials.maxBytes);
      const bytes = new Uint8Array(await file.arrayBuffer());
      return ctx.services.materials.upload(ctx.caller.actor, { applicationId: String(applicationId), kind, fileName: file.name, mediaType: file.type, bytes });
    },
  }),
  fetchSharedLicence: t.field({
    type: SharedLicenceRef,
    description:
      '获取共享证照照面信息: 须办件、申请人授权、共享授权与用证事由俱全; 记入访问日志并返回回执。 / Fetches a shared licence\'s face data: needs the application, the applicant\'s authorisation, a grant and a use cause; logged, with a receipt.',
    authScopes: { handler: true },
    args: { input: t.arg({ type: FetchSharedLicenceInput, required: true, description: '获取内容。 / What to fetch.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.sharing.fetchLicence(ctx.caller.actor, { applicationId: String(input.applicationId), matter: input.matter, identifier: input.identifier, useCause: input.useCause }),
  }),
  fetchSharedLicenceCopy: t.field({
    type: SharedLicenceCopyRef,
    description:
      '获取共享证照的加注件 (PDF 或 OFD, 经短时链接下载): 条件与 fetchSharedLicence 相同, 记入访问日志并返回回执。 / Fetches a shared licence as an annotated copy (a PDF or OFD behind a short-lived link): the same conditions as fetchSharedLicence; logged, with a receipt.',
    authScopes: { handler: true },
    args: {
      input: t.arg({ type: FetchSharedLicenceInput, required: true, description: '获取内容。 / What to fetch.' }),
      format: t.arg({
        type: StoredFormatEnum,
        required: false,
        description:
          '加注件的版式, 默认 PDF; OFD 仅限以 OFD 颁发的证照, 否则报错 (FORMAT_UNAVAILABLE)。 / The copy\'s format, default PDF; OFD only for a licence issued as OFD, otherwise refused (FORMAT_UNAVAILABLE).',
      }),
    },
    resolve: async (_root, { input, format }, ctx) => {
      const { bytes, ...copy } = await ctx.services.sharing.fetchLicenceCopy(ctx.caller.actor, {
        applicationId: String(input.applicationId),
        matter: input.matter,
        identifier: input.identifier,
        useCause: input.useCause,
        format: format ?? 'pdf',
      });
      const id = await ctx.sealed.put(bytes);
      return { ...copy, size: bytes.length, download: copy.format === 'ofd' ? ctx.downloads.sealedOfd(id) : ctx.downloads.sealedPdf(id) };
    },
  }),
}));
