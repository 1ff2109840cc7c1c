import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { MintedUseCode, UseCodeInfo, UseCodePresentation, UseCodePresentationInfo } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { Download, PublicStatusRef, StoredFormatEnum } from './licence.ts';

const UseCodeStateEnum = builder.enumType('UseCodeState', {
  description: '用证码状态。 / Whether a use code still opens its licence.',
  values: {
    ACTIVE: { value: 'active', description: '有效, 可出示。 / Active: it may be presented.' },
    EXPIRED: { value: 'expired', description: '已过期。 / Past its expiry.' },
    WITHDRAWN: { value: 'withdrawn', description: '持证人已撤回。 / Withdrawn by the holder.' },
  } as const,
});

const UseCodePresentationRef = builder.objectRef<UseCodePresentationInfo>('UseCodePresentation').implement({
  description: '一次出示: 出示方自述的接收方和用途, 以及所得加注件。 / One presentation of a use code: who said they received the copy, for what, and the copy they got.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '出示编号, 印在加注件上。 / The presentation\'s id, printed on the annotated copy.' }),
    at: t.expose('at', { type: 'DateTime', description: '出示时刻。 / When it was presented.' }),
    recipient: t.exposeString('recipient', { description: '接收方 (出示方自述)。 / The recipient, as the presenter stated it.' }),
    purpose: t.exposeString('purpose', { description: '用途 (出示方自述)。 / The purpose, as the presenter stated it.' }),
    copyValidUntil: t.expose('copyValidUntil', { type: 'DateTime', nullable: true, description: '加注件有效期至; 证照无效时未出具加注件则为空。 / Until when the annotated copy is valid; null when none was made (the licence was not valid).' }),
    copySha256: t.expose('copySha256', { type: 'Sha256', nullable: true, description: '所出具加注件的 SHA-256。 / SHA-256 of the annotated copy handed out.' }),
    copyFormat: t.field({ type: StoredFormatEnum, nullable: true, description: '所出具加注件的版式; 未出具则为空。 / The format of the annotated copy handed out; null when none was made.', resolve: (p) => p.copyFormat }),
  }),
});

const UseCodeRef = builder.objectRef<UseCodeInfo>('UseCode').implement({
  description: '用证码, 持证人本人可见; 码本身只在生成时出现一次。 / A use code as its holder sees it; the code itself is shown only once, when minted.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '用证码编号 (不是码本身)。 / The use code\'s id (not the code).' }),
    identifier: t.expose('identifier', { type: 'LicenceIdentifier', description: '所开放证照的证照标识。 / Identifier of the licence it opens.' }),
    hint: t.exposeString('hint', { description: '码的最后四位, 便于区分。 / The code\'s last four characters, to tell codes apart.' }),
    purpose: t.exposeString('purpose', { nullable: true, description: '持证人备注的用途。 / What the holder noted it is for.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: '生成时刻。 / When it was minted.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: '失效时刻。 / When it stops working.' }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true, description: '撤回时刻。 / When the holder withdrew it.' }),
    state: t.field({ type: UseCodeStateEnum, description: '状态。 / Its state.', resolve: (c) => c.state }),
    presentationCount: t.exposeInt('presentations', { description: '被出示的次数。 / How many times it was presented.' }),
    presentations: t.connection({
      type: UseCodePresentationRef,
      description: '谁出示了此码、用于何处, 最新在前。 / Who presented this code and for what, newest first.',
      resolve: (code, args, ctx) =>
        resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) => ctx.services.useCodes.presentations(ctx.caller.actor, code.id, { limit, offset })),
    }),
  }),
});

const MintedUseCodeRef = builder.objectRef<MintedUseCode>('MintedUseCode').implement({
  description: '新生成的用证码: 码只在此出现一次, 不会保存。 / A use code just minted: the code appears here once and is not stored.',
  fields: (t) => ({
    code: t.exposeString('code', { description: '用证码, 如 7K3M-9Q2X-W4HD (大小写、连字符不限)。 / The code, e.g. 7K3M-9Q2X-W4HD (case and hyphens do not matter).' }),
    url: t.exposeString('url', { description: '含码的地址, 可制成二维码。 / The code as a URL, for a QR code.' }),
    useCode: t.field({ type: UseCodeRef, description: '此码的记录。 / The code\'s record.', resolve: (m) => m.useCode }),
  }),
});

const PresentedUseCodeRef = builder.objectRef<UseCodePresentation>('PresentedUseCode').implement({
  description: '出示用证码所得: 证照的公开状态, 以及证照有效时为出示方出具的加注件。 / What presenting a use code gives: the licence\'s public status and, while the licence is valid, an annotated copy made for the presenter.',
  fields: (t) => ({
    status: t.field({ type: PublicStatusRef, description: '证照的公开状态 (无照面信息, 持证人已脱敏)。 / The licence\'s public status (no face data, the holder masked).', resolve: (p) => p.status }),
    copy: t.field({
      type: Download,
      nullable: true,
      description: '加注件 (PDF 或 OFD, 内含签章原件) 的短时下载链接; 证照无效时为空。 / A short-lived link to the annotated copy (a PDF or OFD carrying the signed original); null when the licence is not valid.',
      // The service made this copy for this presenter; the signed link is the authorisation to fetch it.
      resolve: (p, _args, ctx) => (p.copyId ? ctx.downloads.annotatedCopy(p.copyId, p.copyFormat ?? 'pdf') : null),
    }),
    copyFormat: t.field({ type: StoredFormatEnum, nullable: true, description: '加注件的版式; 未出具则为空。 / The copy\'s format; null when none was made.', resolve: (p) => p.copyFormat }),
    copyValidUntil: t.expose('copyValidUntil', { type: 'DateTime', nullable: true, description: '加注件有效期至。 / Until when the annotated copy is valid.' }),
  }),
});

const MintUseCodeInput = builder.inputType('MintUseCodeInput', {
  description: '为本人的一张证照生成用证码。 / A use code for one of the holder\'s own licences.',
  fields: (t) => ({
    identifier: t.field({ type: 'LicenceIdentifier', required: true, description: '本人证照的证照标识。 / Identifier of one of the holder\'s licences.' }),
    expiresAt: t.field({ type: 'DateTime', required: true, description: '失效时刻, 一分钟后至 30 天内。 / When it stops working: from a minute to 30 days from now.' }),
    purpose: t.string({ required: false, description: '备注用途, 最多 200 字, 仅本人可见。 / What it is for, at most 200 characters; only the holder sees it.' }),
  }),
});

const PresentUseCodeInput = builder.inputType('PresentUseCodeInput', {
  description: '出示用证码, 并说明接收方和用途 (印在加注件上)。 / Presents a use code, saying who receives the copy and for what (printed on the annotated copy).',
  fields: (t) => ({
    code: t.string({ required: true, description: '用证码 (大小写、连字符、空格不限)。 / The use code (case, hyphens and spaces do not matter).' }),
    recipient: t.string({ required: true, description: '接收方, 1-100 字。 / Who receives the copy, 1-100 characters.' }),
    purpose: t.string({ required: true, description: '用途, 1-200 字。 / For what, 1-200 characters.' }),
    format: t.field({
      type: StoredFormatEnum,
      required: false,
      description: '加注件的版式, 默认 PDF; OFD 仅限以 OFD 颁发的证照, 否则报错 (FORMAT_UNAVAILABLE)。 / The copy\'s format, default PDF; OFD only for a licence issued as OFD, otherwise refused (FORMAT_UNAVAILABLE).',
    }),
  }),
});

builder.queryFields((t) => ({
  myUseCodes: t.connection({
    type: UseCodeRef,
    description: '申请人本人的用证码, 最新在前。 / The signed-in applicant\'s own use codes, newest first.',
    authScopes: { applicant: true },
    args: { identifier: t.arg({ type: 'LicenceIdentifier', required: false, description: '只列此证照的。 / Only those of this licence.' }) },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.useCodes.listOwn(ctx.caller.actor, { identifier: args.identifier ?? undefined, limit, offset }),
      ),
  }),
}));

builder.mutationFields((t) => ({
  mintUseCode: t.field({
    type: MintedUseCodeRef,
    description: '持证人为本人一张有效证照生成用证码 (最长 30 天)。 / The holder mints a use code for one of their valid licences (at most 30 days).',
    authScopes: { applicant: true },
    args: { input: t.arg({ type: MintUseCodeInput, required: true, description: '证照与有效期。 / The licence and the expiry.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.useCodes.mint(ctx.caller.actor, { identifier: input.identifier, expiresAt: input.expiresAt, purpose: input.purpose ?? undefined }),
  }),
  withdrawUseCode: t.field({
    type: UseCodeRef,
    description: '持证人撤回本人的用证码, 此后不能再出示。 / The holder withdraws one of their use codes; it opens nothing from now on.',
    authScopes: { applicant: true },
    args: { id: t.arg.id({ required: true, description: '用证码编号。 / The use code\'s id.' }) },
    resolve: (_root, { id }, ctx) => ctx.services.useCodes.withdraw(ctx.caller.actor, String(id)),
  }),
  presentUseCode: t.field({
    type: PresentedUseCodeRef,
    description:
      '任何人出示用证码: 得到证照的公开状态和为其出具的加注件 (按来源地址限速, 持证人可见)。 / Anyone presents a use code: gets the licence\'s public status and an annotated copy made for them (rate-limited per address; the holder sees each presentation).',
    args: { input: t.arg({ type: PresentUseCodeInput, required: true, description: '用证码、接收方和用途。 / The code, the recipient and the purpose.' }) },
    resolve: (_root, { input }, ctx) => ctx.services.useCodes.present({ code: input.code, recipient: input.recipient, purpose: input.purpose, format: input.format ?? 'pdf' }, ctx.client),
  }),
}));
