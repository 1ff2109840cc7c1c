import { InvalidInputError } from '../../../common/index.ts';
import type { AccessLogEntry } from '../../services/access-log/index.ts';
import { builder } from '../builder.ts';

const AccessActorKind = builder.enumType('AccessActorKind', {
  description: '谁取得了数据。 / Who received the data.',
  values: {
    DEPARTMENT: { value: 'department', description: '部门 (窗口工作人员)。 / A department (its window staff).' },
    APPLICANT: { value: 'applicant', description: '申请人本人。 / The applicant themself.' },
    OPERATOR: { value: 'operator', description: '本系统的运营者。 / The operator of this installation.' },
  } as const,
});

const AccessEntryRef = builder.objectRef<AccessLogEntry>('AccessLogEntry').implement({
  description:
    '一次对申请人数据的调用 (用证记录): 谁、何时、为哪个办件、因何事由; 记录哈希链接, 链头上链。 / One access to the applicant\'s data: who, when, for which application, why; entries are hash-chained and the chain\'s head is anchored on the ledger.',
  fields: (t) => ({
    sequence: t.string({ description: '在访问日志中的序号。 / Position in the access log.', resolve: (e) => String(e.sequence) }),
    at: t.expose('at', { type: 'DateTime', description: '调用时刻。 / When the data was released.' }),
    actorKind: t.field({ type: AccessActorKind, description: '调用方类型。 / Who received it.', resolve: (e) => e.actor.kind }),
    departmentId: t.string({ nullable: true, description: '调用部门。 / The receiving department.', resolve: (e) => e.actor.departmentId ?? null }),
    applicationId: t.string({ nullable: true, description: '所服务的办件。 / The application (办件) it served.', resolve: (e) => e.applicationId ?? null }),
    resource: t.exposeString('resource', { description: '调用了什么, 如 licence:<证照标识>。 / What was released, e.g. licence:<identifier>.' }),
    useCause: t.exposeString('useCause', { description: '用证事由。 / The stated use cause (用证事由).' }),
    requestSha256: t.expose('requestSha256', { type: 'Sha256', description: '请求的 SHA-256 (回执所绑定)。 / SHA-256 of the request, as the receipt binds it.' }),
    responseSha256: t.expose('responseSha256', { type: 'Sha256', description: '应答的 SHA-256 (回执所绑定)。 / SHA-256 of the response, as the receipt binds it.' }),
    entryHash: t.expose('entryHash', { type: 'Sha256', description: '本条记录的哈希 (链上锚定的链头覆盖它)。 / This entry\'s hash, covered by the heads anchored on the ledger.' }),
  }),
});

builder.queryFields((t) => ({
  myAccesses: t.connection({
    type: AccessEntryRef,
    description:
      '对申请人本人数据的每一次调用 (谁、何时、哪个办件、何事由), 最新在前; 按身份证号码或统一社会信用代码。只支持 first/after。 / Every access to the signed-in applicant\'s data (who, when, which application, why), newest first, found by their ID number or USCC. Pages forward only: first/after.',
    authScopes: { applicant: true },
    resolve: async (_root, args, ctx) => {
      if (args.last != null || args.before != null) throw new InvalidInputError({ field: 'last', message: 'myAccesses pages forward only: use first and after' });
      const before = args.after != null ? Number(args.after) : undefined;
      if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) throw new InvalidInputError({ field: 'after', message: 'after: a cursor from this connection' });
      const page = await ctx.services.accessLog.listForSubject(ctx.caller.actor, { first: args.first ?? 20, ...(before !== undefined ? { before } : {}) });
      const edges = page.entries.map((node) => ({ cursor: String(node.sequence), node }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: before !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  }),
}));
