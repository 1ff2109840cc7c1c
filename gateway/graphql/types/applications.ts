import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { Application, ApplicationMatterView, Authorisation, AuthorisationRequest, AuthorisationScopeLine, PlanLine, PlannedLicence, PlannedMaterial } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { ownDepartment } from '../context.ts';
import { HolderCodeType } from './licence.ts';

/*
 * Applications (办件), their material plans and the applicant's authorisations (issue 12).
 * Every resolver hands the caller's actor to a service, which decides.
 */

const SubjectKind = builder.enumType('ApplicationSubjectKind', {
  description: '办件对象。 / What an application is for.',
  values: {
    MATTER: { value: 'matter', description: '单个事项。 / One matter.' },
    BUNDLE: { value: 'bundle', description: '一件事 (多个事项一次办)。 / A bundle of matters run as one (一件事一次办).' },
  } as const,
});

export const ResolutionEnum = builder.enumType('MaterialResolution', {
  description: '一项材料如何满足。 / How one material of one matter is satisfied.',
  values: {
    SHARED_LICENCE: { value: 'SHARED_LICENCE', description: '共享电子证照 (有效的最新版本)。 / A shared licence, valid, its latest version.' },
    REUSED_MATERIAL: { value: 'REUSED_MATERIAL', description: '复用已提交的材料 (本件中提交的, 或此前提交并核验且未过期的最新材料)。 / A material given in this application, or given earlier, verified, unexpired and the latest.' },
    LEDGER_EVIDENCE: { value: 'LEDGER_EVIDENCE', description: '证据账本上的有效登记。 / A live registration on the evidence ledger.' },
    COMMITMENT: { value: 'COMMITMENT', description: '以告知承诺代替。 / Replaced by the applicant\'s commitment (告知承诺).' },
    TOLERATED: { value: 'TOLERATED', description: '容缺受理, 期限内补交。 / Tolerated as missing until a date (容缺).' },
    PENDING_IN_BUNDLE: { value: 'PENDING_IN_BUNDLE', description: '由本件中前一事项颁发后即时共享。 / Issued by an earlier matter of this bundle, shared at once.' },
    PRODUCED: { value: 'PRODUCED', description: '由本事项生成 (申请表等)。 / Produced by the matter itself (its form, …).' },
    NOT_REQUIRED: { value: 'NOT_REQUIRED', description: '非必要, 或证明已不在清单中。 / Optional, or a proof no longer on the proof list.' },
    UPLOAD: { value: 'UPLOAD', description: '须由申请人提交: 唯一可以索要的情形。 / To be uploaded: the only case a department may ask for.' },
  } as const,
});

const Applicant = builder.objectRef<Application['applicant']>('Applicant').implement({
  description: '申请人 (一证通办)。 / The applicant, by ID number or USCC.',
  fields: (t) => ({
    codeType: t.field({ type: HolderCodeType, description: '代码类型。 / Kind of code.', resolve: (a) => a.codeType }),
    code: t.exposeString('code', { description: '身份号码或统一社会信用代码。 / ID number or USCC.' }),
    name: t.exposeString('name', { description: '姓名或名称。 / Name.' }),
  }),
});

const ApplicationMatterRef = builder.objectRef<ApplicationMatterView>('ApplicationMatter').implement({
  description: '办件中的一个事项, 锁定在开件时的目录版本。 / One matter of an application, pinned to the catalogue version it was opened under.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: '在一件事中的顺序 (从 0 起)。 / Order in the bundle, from 0.' }),
    matter: t.exposeString('matter', { description: '事项编码。 / Matter code.' }),
    matterVersion: t.exposeInt('matterVersion', { description: '目录版本。 / Catalogue version.' }),
    name: t.string({
      description: '事项名称 (该版本)。 / Matter name, of that version.',
      resolve: async (m, _args, ctx) => (await ctx.services.catalogue.matter(m.matter, m.matterVersion)).content.name,
    }),
    departmentId: t.exposeString('departmentId', { description: '实施主体。 / The matter\'s department.' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: '承诺办结时限。 / Promised time limit.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: '办结时刻。 / When it was finished.' }),
    issued: t.exposeStringList('issued', { description: '本事项颁发的证照标识。 / Licences this matter issued.' }),
  }),
});

const PlannedLicenceRef = builder.objectRef<PlannedLicence>('PlannedLicence').implement({
  description: '计划共享的证照。 / A licence the plan shares.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { description: '证照标识。 / Licence identifier.' }),
    typeCode: t.exposeString('typeCode', { description: '证照类型代码。 / Licence type code.' }),
    typeName: t.exposeString('typeName', { description: '证照名称。 / Licence name.' }),
    version: t.exposeInt('version', { description: '版本号。 / Version.' }),
    departmentId: t.exposeString('departmentId', { description: '颁发部门 (提供方)。 / Issuing department: who it comes from.' }),
    validUntil: t.expose('validUntil', { type: 'LocalDate', nullable: true, description: '有效期截止。 / Last day of validity.' }),
  }),
});

export const MaterialRef = builder.objectRef<PlannedMaterial>('Material').implement({
  description: '申请人提交的材料 (只有哈希, 无内容)。 / A material the applicant gave: its hash, never its content.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '材料标识。 / Material id.' }),
    kind: t.exposeString('kind', { description: '材料目录代码。 / Material kind.' }),
    sha256: t.expose('sha256', { type: 'Sha256', description: '内容的 SHA-256。 / SHA-256 of the content.' }),
    givenAt: t.expose('givenAt', { type: 'DateTime', description: '提交时刻。 / When it was given.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: '可复用截止, 空为直至变更。 / Reusable until; null: until it changes.' }),
    applicationId: t.exposeString('applicationId', { description: '提交时的办件。 / The application it was given in.' }),
    verified: t.exposeBoolean('verified', { description: '已核验 (窗口核验, 或签章验证通过)。 / Verified: checked at the window, or signed and verified VALID.' }),
  }),
});

const LedgerConfirmationRef = builder.objectRef<NonNullable<PlanLine['ledger']>>('LedgerConfirmation').implement({
  description: '证据账本上的有效记录。 / A live record on the evidence ledger.',
  fields: (t) => ({
    transactionId: t.exposeString('transactionId', { description: '交易标识。 / Transaction id.' }),
    type: t.exposeString('type', { description: '证据类型。 / Evidence type.' }),
    recordedAt: t.field({ type: 'DateTime', description: '记录时刻。 / When it was recorded.', resolve: (c) => new Date(c.recordedAt) }),
  }),
});

export const PlanLineRef = builder.objectRef<PlanLine>('MaterialPlanLine').implement({
  description: '材料清单的一行: 一个事项的一项材料及其来源。 / One line of the material plan: one material of one matter and where it comes from.',
  fields: (t) => ({
    matter: t.exposeString('matter', { description: '事项编码。 / Matter code.' }),
    kind: t.exposeString('kind', { description: '材料目录代码。 / Material kind.' }),
    name: t.exposeString('name', { description: '材料名称。 / Material name.' }),
    required: t.exposeBoolean('required', { description: '必要材料。 / Required.' }),
    resolution: t.field({ type: ResolutionEnum, description: '如何满足。 / How it is satisfied.', resolve: (l) => l.resolution }),
    licence: t.field({ type: PlannedLicenceRef, nullable: true, description: '共享的证照。 / The shared licence.', resolve: (l) => l.licence ?? null }),
    material: t.field({ type: MaterialRef, nullable: true, description: '复用的材料。 / The reused material.', resolve: (l) => l.material ?? null }),
    ledger: t.field({ type: LedgerConfirmationRef, nullable: true, description: '账本上的登记。 / The registration on the ledger.', resolve: (l) => l.ledger ?? null }),
    toleratedUntil: t.field({ type: 'DateTime', nullable: true, description: '容缺补交截止。 / Tolerated until.', resolve: (l) => l.toleratedUntil ?? null }),
    producedBy: t.string({ nullable: true, description: '颁发它的本件事项。 / The bundle matter that issues it.', resolve: (l) => l.producedBy ?? null }),
    proof: t.string({ nullable: true, description: '证明事项清单编码。 / Proof list code.', resolve: (l) => l.proof ?? null }),
    requested: t.exposeBoolean('requested', { description: '已向申请人索要。 / Already asked of the applicant.' }),
    detail: t.exposeString('detail', { description: '说明。 / Why, in a sentence.' }),
  }),
});

const ScopeLineRef = builder.objectRef<AuthorisationScopeLine>('AuthorisationScopeLine').implement({
  description: '授权范围的一行: 什么、从谁、给谁、为何。 / One line of what an authorisation covers: what, from whom, to whom, why.',
  fields: (t) => ({
    matter: t.exposeString('matter', { description: '事项编码。 / Matter code.' }),
    matterName: t.exposeString('matterName', { description: '事项名称 (用途)。 / Matter name: why.' }),
    kind: t.exposeString('kind', { description: '材料目录代码。 / Material kind.' }),
    name: t.exposeString('name', { description: '材料名称。 / Material name.' }),
    from: t.exposeString('from', { description: '提供方: 颁发部门、ledger 或 applicant。 / From: the issuing department, "ledger" or "applicant".' }),
    to: t.exposeString('to', { description: '接收部门。 / The receiving department.' }),
    resolution: t.field({ type: ResolutionEnum, description: '来源方式。 / How.', resolve: (l) => l.resolution }),
    source: t.exposeString('source', { nullable: true, description: '证照标识、材料标识或交易标识。 / Licence, material or ledger transaction.' }),
  }),
});

const AuthorisationState = builder.enumType('AuthorisationState', {
  description: '授权状态。 / An authorisation\'s state.',
  values: {
    LIVE: { value: 'live', description: '有效。 / Live.' },
    WITHDRAWN: { value: 'withdrawn', description: '已撤回。 / Withdrawn by the applicant.' },
    EXPIRED: { value: 'expired', description: '已过期。 / Past its end.' },
  } as const,
});

const AuthorisationRef = builder.objectRef<Authorisation>('Authorisation').implement({
  description: '申请人对办件的授权。 / The applicant\'s authorisation of an application.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '授权标识。 / Authorisation id.' }),
    state: t.field({ type: AuthorisationState, description: '状态。 / State.', resolve: (a) => a.state }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime', description: '授权时刻。 / When given.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: '截止时刻。 / Until when.' }),
    withdrawnAt: t.expose('withdrawnAt', { type: 'DateTime', nullable: true, description: '撤回时刻。 / When withdrawn.' }),
    scope: t.field({ type: [ScopeLineRef], description: '授权范围。 / What it covers.', resolve: (a) => [...a.scope] }),
  }),
});

const AuthorisationRequestRef = builder.objectRef<AuthorisationRequest>('AuthorisationRequest').implement({
  description: '授权前申请人看到的内容。 / What the applicant sees before authorising.',
  fields: (t) => ({
    scope: t.field({ type: [ScopeLineRef], description: '将获取的材料。 / What will be fetched, from whom, to whom, why.', resolve: (r) => [...r.scope] }),
    defaultExpiresAt: t.expose('defaultExpiresAt', { type: 'DateTime', description: '默认截止。 / Default end.' }),
  }),
});

export const ApplicationRef = builder.objectRef<Application>('Application').implement({
  description: '办件: 一个申请人的一个事项或一件事。 / An application (办件): one applicant, one matter or bundle.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '办件标识。 / Application id.' }),
    departmentId: t.exposeString('departmentId', { description: '开件部门。 / The department that opened it.' }),
    applicant: t.field({ type: Applicant, description: '申请人。 / The applicant.', resolve: (a) => a.applicant }),
    subjectKind: t.field({ type: SubjectKind, description: '事项或一件事。 / Matter or bundle.', resolve: (a) => a.subjectKind }),
    subjectCode: t.exposeString('subjectCode', { description: '事项编码或一件事编码。 / Matter or bundle code.' }),
    subjectVersion: t.exposeInt('subjectVersion', { description: '开件时的目录版本。 / Catalogue version it was opened under.' }),
    unitNumber: t.string({ nullable: true, description: '不动产单元号。 / The property\'s 不动产单元号.', resolve: (a) => a.facts.unitNumber ?? null }),
    projectCode: t.string({ nullable: true, description: '工程建设项目的项目代码。 / The 工程建设项目\'s 项目代码.', resolve: (a) => a.facts.projectCode ?? null }),
    openedAt: t.expose('openedAt', { type: 'DateTime', description: '开件时刻。 / When it was opened.' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: '承诺办结时限。 / Promised time limit.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: '办结时刻。 / When it was finished.' }),
    matters: t.field({ type: [ApplicationMatterRef], description: '事项, 按顺序。 / Its matters, in order.', resolve: (a) => [...a.matters] }),
    plan: t.field({
      type: [PlanLineRef],
      description: '材料清单, 每次查询重新计算。 / The material plan, computed afresh on each read.',
      resolve: (a, _args, ctx) => ctx.services.applications.plan(ctx.caller.actor, a.id),
    }),
    authorisation: t.field({
      type: AuthorisationRef,
      nullable: true,
      description: '最近一次授权。 / The latest authorisation.',
      resolve: (a, _args, ctx) => ctx.services.authorisations.latest(ctx.caller.actor, a.id),
    }),
  }),
});

const ApplicantInput = builder.inputType('ApplicantInput', {
  description: '申请人。 / The applicant.',
  fields: (t) => ({
    codeType: t.field({ type: HolderCodeType, required: true, description: '代码类型。 / Kind of code.' }),
    code: t.string({ required: true, description: '身份号码或统一社会信用代码。 / ID number or USCC.' }),
    name: t.string({ required: true, description: '姓名或名称。 / Name.' }),
  }),
});

const OpenApplicationInput = builder.inputType('OpenApplicationInput', {
  description: '开件: 事项或一件事, 二者选一。 / What to open: a matter or a bundle, exactly one.',
  fields: (t) => ({
    applicant: t.field({ type: ApplicantInput, required: true, description: '申请人。 / The applicant.' }),
    matter: t.string({ required: false, description: '事项编码。 / Matter code.' }),
    bundle: t.string({ required: false, description: '一件事编码。 / Bundle code.' }),
    unitNumber: t.string({ required: false, description: '不动产单元号 (GB/T 37346), 涉及不动产时。 / The property\'s 不动产单元号, for real-estate matters.' }),
    projectCode: t.string({ required: false, description: '项目代码 (全国投资项目在线审批监管平台), 工程建设项目必填: 各阶段决定按此记入账本。 / The project\'s 项目代码, required for 工程建设项目 matters: each step\'s decision goes to the ledger under it.' }),
  }),
});

builder.queryFields((t) => ({
  application: t.field({
    type: ApplicationRef,
    description: '一个办件 (申请人本人、经办部门或运维)。 / One application, for its applicant, the departments working it, or the operator.',
    authScopes: { department: true, operator: true, applicant: true },
    args: { id: t.arg.id({ required: true, description: '办件标识。 / Application id.' }) },
    resolve: (_root, { id }, ctx) => ctx.services.applications.get(ctx.caller.actor, String(id)),
  }),
  applications: t.connection({
    type: ApplicationRef,
    description: '一个部门开件或经办的办件, 最新在前。 / Applications a department opened or works, newest first.',
    authScopes: { department: true, operator: true },
    args: { departmentId: t.arg.string({ required: false, description: '部门, 默认为令牌所属部门。 / The department; default: the token\'s.' }) },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.applications.listByDepartment(ctx.caller.actor, args.departmentId ?? ownDepartment(ctx.caller.actor) ?? '', { limit, offset }),
      ),
  }),
  myApplications: t.connection({
    type: ApplicationRef,
    description: '申请人本人的办件, 最新在前。 / The signed-in applicant\'s applications, newest first.',
    authScopes: { applicant: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) => ctx.services.applications.listOwn(ctx.caller.actor, { limit, offset })),
  }),
  authorisationRequest: t.field({
    type: AuthorisationRequestRef,
    description: '授权前查看: 哪些材料、从谁、给谁、为何、到何时。 / Before authorising: which materials will be fetched, from whom, to whom, why and until when.',
    authScopes: { applicant: true, department: true, operator: true },
    args: { applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }) },
    resolve: (_root, { applicationId }, ctx) => ctx.services.authorisations.request(ctx.caller.actor, String(applicationId)),
  }),
}));

builder.mutationFields((t) => ({
  openApplication: t.field({
    type: ApplicationRef,
    description: '开件 (窗口受理), 锁定当前目录版本。 / Opens an application at the window, pinned to the current catalogue versions.',
    authScopes: { handler: true, operator: true },
    args: { input: t.arg({ type: OpenApplicationInput, required: true, description: '开件内容。 / What to open.' }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.applications.open(ctx.caller.actor, {
        applicant: { codeType: input.applicant.codeType, code: input.applicant.code, name: input.applicant.name },
        ...(input.matter ? { matter: input.matter } : {}),
        ...(input.bundle ? { bundle: input.bundle } : {}),
        facts: { ...(input.unitNumber ? { unitNumber: input.unitNumber } : {}), ...(input.projectCode ? { projectCode: input.projectCode } : {}) },
      }),
  }),
  authoriseApplication: t.field({
    type: AuthorisationRef,
    description: '申请人授权办件获取所列材料。 / The applicant authorises the application to fetch what authorisationRequest lists.',
    authScopes: { applicant: true },
    args: {
      applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }),
      expiresAt: t.arg({ type: 'DateTime', required: false, description: '截止时刻, 默认承诺时限后 30 天, 最长 90 天。 / Until when; default the promised limit plus 30 days, at most 90 days.' }),
    },
    resolve: (_root, { applicationId, expiresAt }, ctx) => ctx.services.authorisations.authorise(ctx.caller.actor, String(applicationId), expiresAt ? { expiresAt } : {}),
  }),
  authoriseApplicationWithUseCode: t.field({
    type: AuthorisationRef,
    description:
      '窗口以申请人出示的用证码授权办件: 仅限该证照所满足的材料, 至用证码失效为止。 / The window authorises the application with a use code the applicant minted and handed over: it covers only the materials that code\'s licence satisfies, and ends when the code does.',
    authScopes: { handler: true },
    args: {
      applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }),
      code: t.arg.string({ required: true, description: '申请人的用证码 (大小写、连字符不限)。 / The applicant\'s use code (case and hyphens do not matter).' }),
    },
    resolve: (_root, { applicationId, code }, ctx) => ctx.services.authorisations.authoriseWithUseCode(ctx.caller.actor, String(applicationId), code),
  }),
  withdrawAuthorisation: t.field({
    type: AuthorisationRef,
    nullable: true,
    description: '申请人撤回授权。 / The applicant withdraws the authorisation.',
    authScopes: { applicant: true },
    args: { applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }) },
    resolve: (_root, { applicationId }, ctx) => ctx.services.authorisations.withdraw(ctx.caller.actor, String(applicationId)),
  }),
  finishMatter: t.field({
    type: ApplicationRef,
    description: '办结一个事项, 列出本事项颁发的证照 (一件事中即时供后续事项使用)。 / Finishes one matter, naming the licences it issued (the next matters of a bundle use them at once).',
    authScopes: { department: true, operator: true },
    args: {
      applicationId: t.arg.id({ required: true, description: '办件标识。 / Application id.' }),
      matter: t.arg.string({ required: true, description: '事项编码。 / Matter code.' }),
      issued: t.arg({ type: ['LicenceIdentifier'], required: false, description: '颁发的证照。 / Licences it issued.' }),
      decisionSha256: t.arg({
        type: 'Sha256',
        required: false,
        description: '决定文书 (许可证、验收意见) 的 SHA-256; 工程建设项目各阶段必填, 其决定记入账本。 / SHA-256 of the decision document (permit, acceptance opinion); required for a 工程建设项目 step, whose decision goes to the ledger.',
      }),
    },
    resolve: (_root, { applicationId, matter, issued, decisionSha256 }, ctx) =>
      ctx.services.applications.finishMatter(ctx.caller.actor, { applicationId: String(applicationId), matter, ...(issued ? { issued } : {}), ...(decisionSha256 ? { decisionSha256 } : {}) }),
  }),
}));
