import type { Seal } from '../../services/index.ts';
import { builder } from '../builder.ts';

export const SealState = builder.enumType('SealState', {
  description: '印章状态。 / A seal\'s state.',
  values: {
    ACTIVE: { value: 'active', description: '可用。 / Active: may sign.' },
    SUSPENDED: { value: 'suspended', description: '已暂停。 / Suspended until resumed.' },
    REVOKED: { value: 'revoked', description: '已注销。 / Revoked for good.' },
  } as const,
});

export const SealRef = builder.objectRef<Seal>('Seal').implement({
  description: '电子印章 (GB/T 38540), 不含私钥。 / An electronic seal after GB/T 38540; never its private key.',
  fields: (t) => ({
    id: t.exposeString('id', { description: '电子印章标识 (esID)。 / Seal identifier (esID).' }),
    departmentId: t.exposeString('departmentId', { description: '所属部门。 / The department that owns it.' }),
    name: t.exposeString('name', { description: '印章名称。 / Seal name.' }),
    type: t.exposeString('type', { description: '印章类型。 / Seal type.' }),
    state: t.field({ type: SealState, description: '状态。 / State.', resolve: (s) => s.state }),
    stateReason: t.exposeString('stateReason', { nullable: true, description: '状态变更原因。 / Why the state changed.' }),
    validFrom: t.expose('validFrom', { type: 'DateTime', description: '有效期起始。 / Start of validity.' }),
    validTo: t.expose('validTo', { type: 'DateTime', description: '有效期截止。 / End of validity.' }),
    algorithm: t.string({
      nullable: true,
      description: '签名证书的密钥算法, 如 EC-P256、RSA-2048、SM2 (SM2 印章用于 OFD)。 / Key algorithm of the signing certificate, e.g. EC-P256, RSA-2048, SM2 (SM2 seals sign OFD).',
      resolve: (s) => s.algorithm ?? null,
    }),
  }),
});

builder.queryFields((t) => ({
  seals: t.field({
    type: [SealRef],
    description: '一个部门的印章。 / A department\'s seals.',
    authScopes: { department: true, operator: true },
    args: { departmentId: t.arg.string({ required: false, description: '部门, 默认为令牌所属部门。 / The department; default: the token\'s.' }) },
    resolve: (_root, { departmentId }, ctx) => ctx.services.seals.listFor(ctx.caller.actor, departmentId ?? undefined),
  }),
}));
