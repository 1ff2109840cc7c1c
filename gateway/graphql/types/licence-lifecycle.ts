import { FaceDataError } from '../../../signer/index.ts';
import { builder } from '../builder.ts';
import { LicenceRef } from './licence.ts';

// 变更, 延续, 暂扣/恢复 (issue 11, item 3). Each resolver calls one service method with the
// caller's actor, then reads the licence back through the same actor; the services decide
// who may (the issuing department's issuer or admin, or the operator; for applying to
// renew, only the holder).

const ChangeLicenceInput = builder.inputType('ChangeLicenceInput', {
  description: '证照变更: 新版本的完整照面信息。 / A change (变更): the new version\'s whole face data.',
  fields: (t) => ({
    face: t.field({ type: 'JSONObject', required: true, description: '新版本的照面信息; 持证主体代码不得改变。 / The new face data; the holder\'s code must stay the same.' }),
    reason: t.string({ required: true, description: '变更事项, 1-200 字。 / What changed and why, 1-200 characters.' }),
    number: t.string({ required: false, description: '新版本的证照编号, 默认沿用。 / The new version\'s number; default: the old one.' }),
    issueDate: t.field({ type: 'LocalDate', required: false, description: '新版本的颁证日期, 默认今天。 / The new version\'s issue date; default today (China Standard Time).' }),
  }),
});

builder.mutationFields((t) => {
  /** 暂扣 or 恢复: the issuing department's issuer or admin, or the operator, with a reason. */
  const stateChange = (verb: 'suspend' | 'resume', description: string) =>
    t.field({
      type: LicenceRef,
      description,
      authScopes: { issuer: true, operator: true },
      args: {
        identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
        reason: t.arg.string({ required: true, description: '原因, 1-200 字。 / Why, 1-200 characters.' }),
      },
      resolve: async (_root, { identifier, reason }, ctx) => {
        await ctx.services.licences.changes[verb](ctx.caller.actor, identifier, reason);
        return ctx.services.licences.get(ctx.caller.actor, identifier);
      },
    });
  return {
    changeLicence: t.field({
      type: LicenceRef,
      description:
        '变更证照: 签发版本号加一的新版本 (新的证照标识), 旧版本变为已变更并在状态页指向新版本; 入账本出箱 (licence.changed)。 / Changes a licence: signs the next version (版本号 + 1, a new identifier); the old one becomes SUPERSEDED and its status page points to the new one; queued for the ledger as licence.changed.',
      authScopes: { issuer: true, operator: true },
      errors: {
        types: [FaceDataError],
        result: { name: 'ChangeLicenceSuccess' },
        union: { name: 'ChangeLicenceResult' },
        dataField: { description: '新版本。 / The new version.' },
      },
      args: {
        identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
        input: t.arg({ type: ChangeLicenceInput, required: true, description: '变更内容。 / The change.' }),
      },
      resolve: async (_root, { identifier, input }, ctx) => {
        const changed = await ctx.services.licences.changes.change(ctx.caller.actor, identifier, {
          face: input.face,
          reason: input.reason,
          ...(input.number ? { number: input.number } : {}),
          ...(input.issueDate ? { issueDate: input.issueDate } : {}),
        });
        return ctx.services.licences.get(ctx.caller.actor, changed.identifier);
      },
    }),
    suspendLicence: stateChange(
      'suspend',
      '暂扣证照: 状态页与验证立即显示已暂扣, 入账本出箱 (licence.suspended)。 / Suspends a licence (暂扣): its status page and verifications say so at once; queued for the ledger.',
    ),
    resumeLicence: stateChange('resume', '恢复已暂扣的证照, 入账本出箱 (licence.resumed)。 / Resumes a suspended licence (恢复); queued for the ledger.'),
    applyLicenceRenewal: t.field({
      type: LicenceRef,
      description:
        '持证人在有效期届满前申请延续; 颁发部门逾期未决定的, 视为准予延续。 / The holder applies to renew their licence before it expires; undecided within the type\'s time limit, the renewal counts as granted (视为准予延续).',
      authScopes: { applicant: true },
      args: {
        identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
        validUntil: t.arg({ type: 'LocalDate', required: false, description: '申请延续至; 固定期限的证照默认再延一个期限。 / The end of validity asked for; default for a fixed-term type: one more term.' }),
      },
      resolve: async (_root, { identifier, validUntil }, ctx) => {
        await ctx.services.licences.renewals.apply(ctx.caller.actor, identifier, validUntil ? { validUntil } : {});
        return ctx.services.licences.get(ctx.caller.actor, identifier);
      },
    }),
    grantLicenceRenewal: t.field({
      type: LicenceRef,
      description: '颁发部门准予延续: 有效期截止改为新日期, 入账本出箱 (licence.renewed)。 / The issuing department grants a pending renewal: a new end of validity, queued for the ledger as licence.renewed.',
      authScopes: { issuer: true, operator: true },
      args: {
        identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
        validUntil: t.arg({ type: 'LocalDate', required: false, description: '延续至, 默认为申请的日期。 / The new end of validity; default: what the holder asked for.' }),
      },
      resolve: async (_root, { identifier, validUntil }, ctx) => {
        await ctx.services.licences.renewals.grant(ctx.caller.actor, identifier, validUntil ? { validUntil } : {});
        return ctx.services.licences.get(ctx.caller.actor, identifier);
      },
    }),
    refuseLicenceRenewal: t.field({
      type: LicenceRef,
      description: '颁发部门不予延续; 证照有效期不变。 / The issuing department refuses a pending renewal; the validity stays as it was.',
      authScopes: { issuer: true, operator: true },
      args: {
        identifier: t.arg({ type: 'LicenceIdentifier', required: true, description: '证照标识。 / Licence identifier.' }),
        reason: t.arg.string({ required: true, description: '理由, 1-200 字。 / Why, 1-200 characters.' }),
      },
      resolve: async (_root, { identifier, reason }, ctx) => {
        await ctx.services.licences.renewals.refuse(ctx.caller.actor, identifier, reason);
        return ctx.services.licences.get(ctx.caller.actor, identifier);
      },
    }),
  };
});
