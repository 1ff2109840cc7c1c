import { documentFormatOf, InvalidInputError } from '../../../common/index.ts';
import { placeSeal, type OfdSealPlacement, type SealPlacement, type SealService } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { ownDepartment } from '../context.ts';
import { Download } from './licence.ts';
import { SealRef } from './seal.ts';

const SealKeyAlgorithm = builder.enumType('SealKeyAlgorithm', {
  description: '新签发印章证书的密钥算法。 / Key algorithm of a newly issued seal certificate.',
  values: {
    EC_P256: { value: 'EC-P256', description: 'ECDSA P-256, 用于 PDF (PAdES)。 / ECDSA P-256, for PDF (PAdES).' },
    SM2: { value: 'SM2', description: 'SM2 (商用密码), 证书链至 SM2 根CA, 用于 OFD。 / SM2, chaining to the SM2 root, for OFD.' },
  } as const,
});

const MakeSealInput = builder.inputType('MakeSealInput', {
  description: '制作一枚印章。 / A seal to make.',
  fields: (t) => ({
    departmentId: t.string({ required: false, description: '所属部门, 默认为令牌所属部门。 / The owning department; default: the token\'s.' }),
    title: t.string({ required: false, description: '星下的印章名称, 如 行政审批专用章。 / The title below the star, e.g. 行政审批专用章.' }),
    validDays: t.int({ required: false, description: '有效天数 (1-3650, 默认 730)。 / Days of validity (1-3650, default 730).' }),
    certificateId: t.string({ required: false, description: '绑定本部门已有的签名证书, 而非新签发。 / Bind an existing signing certificate of the department instead of issuing one.' }),
    algorithm: t.field({ type: SealKeyAlgorithm, required: false, description: '新签发证书的密钥算法, 默认 EC_P256。 / Key algorithm of the issued certificate; default EC_P256.' }),
  }),
});

const SealPlacementInput = builder.inputType('SealPlacementInput', {
  description:
    '盖章位置: 表单中未签名的签名域 (仅 PDF), 或页面上的位置; 均不给则为末页右下角。PDF 以点计、自页面左下角起; OFD 以毫米计、自页面左上角起。 / Where the seal goes: an unsigned signature field of the form (PDF only), or a place on a page; neither: the lower right of the last page. PDF: points from the lower-left corner; OFD: millimetres from the top-left corner.',
  fields: (t) => ({
    field: t.string({ required: false, description: '表单中未签名的签名域名称; 不可与页面位置同用。 / An unsigned signature field of the form, by name; not with a page place.' }),
    page: t.int({ required: false, description: '页码, 从 1 起, 默认末页。 / Page, from 1; default the last.' }),
    x: t.float({ required: false, description: '距所示页面左边的距离 (PDF 点, OFD 毫米; 与 y 同给)。 / From the left of the page as it shows: points for PDF, millimetres for OFD (with y).' }),
    y: t.float({ required: false, description: '距所示页面底边的点数 (PDF), 或距顶边的毫米数 (OFD); 与 x 同给。 / Points from the bottom of the page as it shows (PDF), or millimetres from its top (OFD); with x.' }),
    width: t.float({ required: false, description: '印章宽度 (PDF 点, OFD 毫米), 默认印章实际尺寸。 / Seal width, points for PDF, millimetres for OFD; default its real size.' }),
    allowNewField: t.boolean({
      required: false,
      description:
        '在已认证 (DocMDP) PDF 上新建可见签名域 (Acrobat 接受, pyHanko 判为修改)。 / Add a new visible field to a certified (DocMDP) PDF, as Acrobat accepts and pyHanko reports as a change.',
    }),
  }),
});

interface SealedDocument {
  readonly sealId: string;
  readonly format: 'pdf' | 'ofd';
  readonly size: number;
  readonly download: { url: string; expiresAt: Date };
}

const SealedDocumentRef = builder.objectRef<SealedDocument>('SealedDocument').implement({
  description: '盖章后的 PDF 或 OFD, 仅在下载链接有效期内保留。 / A PDF or OFD after sealing, kept only while its download link works.',
  fields: (t) => ({
    sealId: t.exposeString('sealId', { description: '所盖印章。 / The seal applied.' }),
    size: t.exposeInt('size', { description: '盖章后文档字节数。 / Size of the sealed document in bytes.' }),
    format: t.string({ description: '文档格式: pdf 或 ofd。 / The document format: pdf or ofd.', resolve: (d) => d.format }),
    download: t.field({ type: Download, description: '盖章后文档 (application/pdf 或 application/ofd) 的短时下载链接。 / A short-lived link to the sealed document (application/pdf or application/ofd).', resolve: (d) => d.download }),
  }),
});

const sealIdArg = { description: '电子印章标识 (esID)。 / Seal identifier (esID).' } as const;
const reasonArg = { description: '原因。 / Why.' } as const;

builder.mutationFields((t) => ({
  makeSeal: t.field({
    type: SealRef,
    description: '制作印章 (部门管理员或运营者): 印模、签名证书与制章者签名的 SES_Seal。 / Makes a seal (department admin or operator): picture, signing certificate and the maker-signed SES_Seal.',
    authScopes: { department: true, operator: true },
    args: { input: t.arg({ type: MakeSealInput, required: true, description: '印章内容。 / The seal to make.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.seals.create(ctx.caller.actor, {
        departmentId: input.departmentId ?? ownDepartment(ctx.caller.actor) ?? '',
        ...(input.title ? { title: input.title } : {}),
        ...(input.validDays != null ? { validDays: input.validDays } : {}),
        ...(input.certificateId ? { certificateId: input.certificateId } : {}),
        ...(input.algorithm ? { algorithm: input.algorithm } : {}),
      }),
  }),
  suspendSeal: t.field({
    type: SealRef,
    description: '暂停印章, 恢复前不能盖章 (部门管理员或运营者)。 / Suspends a seal until resumed (department admin or operator).',
    authScopes: { department: true, operator: true },
    args: { id: t.arg.string({ required: true, ...sealIdArg }), reason: t.arg.string({ required: true, ...reasonArg }) },
    resolve: (_root, { id, reason }, ctx) => ctx.services.seals.suspend(ctx.caller.actor, id, reason),
  }),
  resumeSeal: t.field({
    type: SealRef,
    description: '恢复已暂停的印章 (部门管理员或运营者)。 / Resumes a suspended seal (department admin or operator).',
    authScopes: { department: true, operator: true },
    args: { id: t.arg.string({ required: true, ...sealIdArg }) },
    resolve: (_root, { id }, ctx) => ctx.services.seals.resume(ctx.caller.actor, id),
  }),
  revokeSeal: t.field({
    type: SealRef,
    description: '注销印章及其证书, 不可恢复 (部门管理员或运营者)。 / Revokes a seal and its certificate for good (department admin or operator).',
    authScopes: { department: true, operator: true },
    args: { id: t.arg.string({ required: true, ...sealIdArg }), reason: t.arg.string({ required: true, ...reasonArg }) },
    resolve: (_root, { id, reason }, ctx) => ctx.services.seals.revoke(ctx.caller.actor, id, reason),
  }),
  applySeal: t.field({
    type: SealedDocumentRef,
    description:
      '在上传的 PDF 或 OFD 上加盖印章 (按内容识别格式; PDF: ECDSA/RSA 印章, 可见 PAdES B-T 签名; OFD: SM2 印章, GB/T 38540 电子签章; 原有签名保持有效; GraphQL multipart 上传, 请求头需带 x-zhengyin-csrf); 结果经短时下载链接取回。 / Stamps a seal on an uploaded PDF or OFD, the format told by its bytes (PDF: an ECDSA or RSA seal, a visible PAdES B-T signature; OFD: an SM2 seal, a GB/T 38540 electronic seal), earlier signatures staying valid (GraphQL multipart upload; send the x-zhengyin-csrf header); fetch the result by its short-lived download link.',
    authScopes: { department: true, operator: true },
    args: {
      file: t.arg({ type: 'Upload', required: true, description: 'PDF 或 OFD 文件。 / The PDF or OFD file.' }),
      sealId: t.arg.string({ required: true, ...sealIdArg }),
      placement: t.arg({ type: SealPlacementInput, required: false, description: '盖章位置。 / Where the seal goes.' }),
    },
    resolve: async (_root, { file, sealId, placement }, ctx) => {
      const document = new Uint8Array(await file.arrayBuffer());
      const { seals, pki } = ctx.services;
      if (documentFormatOf(document) === 'ofd') {
        const sealed = await seals.applyOfd(ctx.caller.actor, sealId, document, ofdPlacementOf(placement ?? {}));
        return { sealId, format: 'ofd' as const, size: sealed.length, download: ctx.downloads.sealedOfd(await ctx.sealed.put(sealed)) };
      }
      const sealed = await seals.apply(ctx.caller.actor, sealId, document, await placementOf(document, sealId, placement ?? {}, ctx.services.seals), pki.timestampAuthority());
      return { sealId, format: 'pdf' as const, size: sealed.length, download: ctx.downloads.sealedPdf(await ctx.sealed.put(sealed)) };
    },
  }),
}));

type PlacementArgs = { field?: string | null; page?: number | null; x?: number | null; y?: number | null; width?: number | null; allowNewField?: boolean | null };

/** The page, x, y and width asked, checked: non-negative, x and y together. */
function numbersOf(asked: PlacementArgs): Partial<Record<'page' | 'x' | 'y' | 'width', number>> {
  const numbers = Object.fromEntries((['page', 'x', 'y', 'width'] as const).flatMap((k) => (asked[k] != null ? [[k, asked[k]]] : []))) as Record<string, number>;
  for (const [k, n] of Object.entries(numbers)) {
    if (!Number.isFinite(n) || n < 0) throw new InvalidInputError({ field: k, message: `${k}: not a non-negative number` });
  }
  if ((numbers.x === undefined) !== (numbers.y === undefined)) throw new InvalidInputError({ field: 'placement', message: 'placement: give both x and y, or neither' });
  return numbers;
}

/** An OFD's placement: no form fields there; page from 1 becomes 0-based; x, y, width in mm. */
function ofdPlacementOf(asked: PlacementArgs): OfdSealPlacement {
  if (asked.field != null || asked.allowNewField) throw new InvalidInputError({ field: 'placement', message: 'placement: an OFD has no signature fields; give page, x, y (mm) or nothing' });
  const { page, ...mm } = numbersOf(asked);
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new InvalidInputError({ field: 'page', message: 'page: pages are numbered from 1' });
  return { ...mm, ...(page !== undefined ? { page: page - 1 } : {}) };
}

/** The service's placement from the input, as the CLI `seal apply` reads its flags. */
async function placementOf(
  pdf: Uint8Array,
  sealId: string,
  asked: PlacementArgs,
  seals: SealService,
): Promise<SealPlacement> {
  if (!isPdf(pdf)) throw new InvalidInputError({ field: 'file', message: 'file: neither a PDF (no %PDF- header) nor an OFD (not a zip package)' });
  const numbers = numbersOf(asked);
  if (asked.field != null) {
    if (Object.keys(numbers).length > 0 || asked.allowNewField) {
      throw new InvalidInputError({ field: 'placement', message: 'placement: a field gives the place itself; no page, x, y, width or allowNewField with it' });
    }
    return { field: asked.field };
  }
  return { ...(await placeSeal(pdf, await seals.get(sealId), numbers, 'file')), allowNewField: asked.allowNewField === true };
}

/** A PDF starts with %PDF- within its first 1024 bytes (ISO 32000-2, 7.5.2, as readers tolerate). */
function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}
