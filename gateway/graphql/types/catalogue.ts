import type { Bundle, CatalogueVersion, Grant, Matter, MaterialRequirement, Proof } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { ownDepartment } from '../context.ts';

/*
 * The published catalogue (办事指南: matters, bundles, the proof list) and the grants
 * (issue 12), read-only. The catalogue is public information, so anyone reads it; a
 * department reads only its own grants (GrantService decides).
 */

type MatterVersion = CatalogueVersion<'matter'> & { readonly content: Matter };
type BundleVersion = CatalogueVersion<'bundle'> & { readonly content: Bundle };

const MatterKindEnum = builder.enumType('MatterKind', {
  description: '办件类型。 / Kind of matter.',
  values: {
    IMMEDIATE: { value: '即办', description: '即办件: 当场办结。 / Settled on the spot.' },
    PROMISED: { value: '承诺件', description: '承诺件: 在承诺时限内办结。 / Settled within the promised time limit.' },
    JOINT: { value: '联办件', description: '联办件: 多个部门共同办理。 / Handled jointly by several departments.' },
  } as const,
});

const GrantResourceKindEnum = builder.enumType('GrantResourceKind', {
  description: '授权共享的内容种类。 / What a grant lets a department receive.',
  values: {
    LICENCE_TYPE: { value: 'licence-type', description: '某类型的共享证照。 / Shared licences of a type.' },
    MATERIAL: { value: 'material', description: '此前提交的某类材料。 / Earlier materials of a kind.' },
  } as const,
});

const MaterialRequirementRef = builder.objectRef<MaterialRequirement>('MaterialRequirement').implement({
  description: '事项申请材料的一行 (按办事指南要素)。 / One line of a matter\'s material list, after the 办事指南 elements.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '材料目录代码, 同一事项中唯一。 / Material kind code, once per matter.' }),
    name: t.string({
      description: '材料名称 (办事指南所印, 默认为材料目录名称)。 / Name as the guide prints it; default the material kind\'s name.',
      resolve: async (r, _args, ctx) => r.name ?? (await ctx.services.catalogue.get('material', r.kind)).content.name,
    }),
    required: t.exposeBoolean('required', { description: '必要材料。 / Required.' }),
    form: t.exposeString('form', { description: '材料形式: 电子、纸质原件、纸质复印件或原件核验。 / Form: electronic, paper original, paper copy or original shown.' }),
    copies: t.exposeInt('copies', { description: '份数。 / Number of copies.' }),
    source: t.exposeString('source', { description: '来源渠道: 申请人自备、政府部门核发、证明或本事项生成。 / Source: the applicant, a government department, a proof, or the matter itself.' }),
    licenceTypes: t.stringList({
      description: '可代替它的共享证照类型代码。 / Licence types whose shared licences stand in for it.',
      resolve: (r) => [...(r.satisfiedBy?.licenceTypes ?? [])],
    }),
    materials: t.stringList({
      description: '可代替它的此前材料种类 (除其本身)。 / Earlier material kinds, besides its own, that stand in for it.',
      resolve: (r) => [...(r.satisfiedBy?.materials ?? [])],
    }),
    proof: t.string({ nullable: true, description: '证明事项清单编码 (材料为证明时)。 / Proof list code, when the material is a proof.', resolve: (r) => r.proof ?? null }),
    commitment: t.boolean({ description: '可以告知承诺代替。 / The applicant\'s commitment (告知承诺) may replace it.', resolve: (r) => r.commitment === true }),
    toleranceDays: t.int({
      nullable: true,
      description: '容缺: 受理后可补交的天数; 空为不可容缺。 / 容缺: days after acceptance it may be handed in; null: not deferrable.',
      resolve: (r) => r.tolerance?.days ?? null,
    }),
    note: t.string({ nullable: true, description: '备注。 / Note.', resolve: (r) => r.note ?? null }),
  }),
});

const MatterRef = builder.objectRef<MatterVersion>('Matter').implement({
  description: '事项 (当前目录版本)。 / A matter (事项), as the current catalogue version has it.',
  fields: (t) => ({
    code: t.exposeString('key', { description: '事项编码。 / Matter code.' }),
    version: t.exposeInt('version', { description: '目录版本; 办件锁定开件时的版本。 / Catalogue version; an application keeps the one it was opened under.' }),
    name: t.string({ description: '事项名称。 / Name.', resolve: (m) => m.content.name }),
    departmentId: t.string({ description: '实施主体。 / The department that handles it.', resolve: (m) => m.content.department }),
    jointDepartments: t.stringList({ description: '联办部门。 / Departments that join in.', resolve: (m) => [...(m.content.jointDepartments ?? [])] }),
    kind: t.field({ type: MatterKindEnum, description: '办件类型。 / Kind.', resolve: (m) => m.content.kind }),
    legalTimeLimitDays: t.int({ description: '法定办结时限 (工作日)。 / Legal time limit, in working days.', resolve: (m) => m.content.legalTimeLimitDays }),
    promisedTimeLimitDays: t.int({ description: '承诺办结时限 (工作日)。 / Promised time limit, in working days.', resolve: (m) => m.content.promisedTimeLimitDays }),
    issues: t.stringList({ description: '办结时颁发的证照类型代码。 / Licence types a granted application produces.', resolve: (m) => [...(m.content.issues ?? [])] }),
    materials: t.field({ type: [MaterialRequirementRef], description: '申请材料。 / Its material list.', resolve: (m) => [...m.content.materials] }),
  }),
});

const BundleRef = builder.objectRef<BundleVersion>('Bundle').implement({
  description: '一件事一次办: 按顺序共享一个办件流程的事项。 / A bundle (一件事一次办): matters sharing one application flow, in order.',
  fields: (t) => ({
    code: t.exposeString('key', { description: '一件事编码。 / Bundle code.' }),
    version: t.exposeInt('version', { description: '目录版本。 / Catalogue version.' }),
    name: t.string({ description: '名称。 / Name.', resolve: (b) => b.content.name }),
    leadDepartmentId: t.string({ description: '牵头部门。 / The lead department.', resolve: (b) => b.content.leadDepartment }),
    promisedTimeLimitDays: t.int({ nullable: true, description: '承诺办结时限 (工作日)。 / Promised time limit, in working days.', resolve: (b) => b.content.promisedTimeLimitDays ?? null }),
    matterCodes: t.stringList({ description: '事项编码, 按办理顺序。 / Its matters\' codes, in order.', resolve: (b) => [...b.content.matters] }),
    matters: t.field({
      type: [MatterRef],
      description: '事项 (当前版本), 按办理顺序。 / Its matters, current versions, in order.',
      resolve: (b, _args, ctx) => Promise.all(b.content.matters.map((code) => ctx.services.catalogue.matter(code))),
    }),
    description: t.string({ nullable: true, description: '说明。 / Description.', resolve: (b) => b.content.description ?? null }),
  }),
});

const ProofRef = builder.objectRef<Proof>('Proof').implement({
  description: '证明事项清单的一项; 清单外的证明不得索要。 / An entry of the proof list (证明事项清单); no proof outside it may be asked for.',
  fields: (t) => ({
    code: t.exposeString('code', { description: '清单编码。 / Proof list code.' }),
    name: t.exposeString('name', { description: '证明名称。 / Name.' }),
    legalBasis: t.exposeString('legalBasis', { description: '设定依据。 / Legal basis.' }),
    requestingDepartments: t.stringList({ description: '索要单位 (部门)。 / Departments that may ask for it.', resolve: (p) => [...p.requestingDepartments] }),
    issuingUnit: t.exposeString('issuingUnit', { description: '开具单位。 / Who issues it.' }),
    material: t.string({ nullable: true, description: '提交后保存为的材料种类。 / Material kind a given proof is kept as.', resolve: (p) => p.material ?? null }),
  }),
});

const GrantRef = builder.objectRef<Grant>('Grant').implement({
  description: '共享授权: 一个部门为一个事项可接收一类证照或材料。 / A grant: one department may receive one licence type or material kind for one matter.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '授权标识。 / Grant id.' }),
    departmentId: t.exposeString('departmentId', { description: '接收部门。 / The receiving department.' }),
    matter: t.exposeString('matter', { description: '事项编码。 / Matter code.' }),
    resourceKind: t.field({ type: GrantResourceKindEnum, description: '内容种类。 / What kind of resource.', resolve: (g) => g.resourceKind }),
    resource: t.exposeString('resource', { description: '证照类型代码或材料目录代码。 / Licence type code or material kind code.' }),
    source: t.exposeString('source', { description: '来源: catalogue (grants.json) 或 operator (运维手工授权)。 / Where it comes from: "catalogue" (grants.json) or "operator" (granted by hand).' }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime', description: '授权时刻。 / When granted.' }),
  }),
});

builder.queryFields((t) => ({
  matters: t.field({
    type: [MatterRef],
    description: '当前公布的全部事项及其申请材料 (公开)。 / Every published matter with its material list (public).',
    resolve: async (_root, _args, ctx) => (await ctx.services.catalogue.list({ kind: 'matter' })) as MatterVersion[],
  }),
  matter: t.field({
    type: MatterRef,
    description: '一个事项, 当前版本或指定版本 (公开)。 / One matter, current or at a version (public).',
    args: {
      code: t.arg.string({ required: true, description: '事项编码。 / Matter code.' }),
      version: t.arg.int({ required: false, description: '目录版本, 默认当前。 / Catalogue version; default the current one.' }),
    },
    resolve: (_root, { code, version }, ctx) => ctx.services.catalogue.matter(code, version ?? undefined),
  }),
  bundles: t.field({
    type: [BundleRef],
    description: '当前公布的一件事 (公开)。 / Every published bundle (public).',
    resolve: async (_root, _args, ctx) => (await ctx.services.catalogue.list({ kind: 'bundle' })) as BundleVersion[],
  }),
  proofList: t.field({
    type: [ProofRef],
    description: '证明事项清单 (公开)。 / The proof list (public).',
    resolve: async (_root, _args, ctx) => (await ctx.services.catalogue.list({ kind: 'proof' })).map((p) => p.content as Proof),
  }),
  grants: t.field({
    type: [GrantRef],
    description: '一个部门的有效共享授权 (部门本身; 运维不指定部门时为全部)。 / A department\'s live grants, for the department itself (the operator: every department\'s when none is named).',
    authScopes: { department: true, operator: true },
    args: { departmentId: t.arg.string({ required: false, description: '部门, 默认为令牌所属部门。 / The department; default: the token\'s.' }) },
    resolve: (_root, { departmentId }, ctx) => {
      const department = departmentId ?? ownDepartment(ctx.caller.actor);
      return ctx.services.grants.list(ctx.caller.actor, department === undefined ? {} : { departmentId: department });
    },
  }),
}));
