import { resolveArrayConnection } from '@pothos/plugin-relay';
import type { EvidenceVersion, OutboxEntry, StoredEvidence } from '../../../ledger/index.ts';
import type { DocumentEvidence } from '../../services/ledger/index.ts';
import { builder } from '../builder.ts';

const EvidenceDomainEnum = builder.enumType('EvidenceDomain', {
  description: '证据领域, 每个领域有账本写入策略中的写入方。 / An evidence domain; the ledger\'s writer policy names who may write each.',
  values: {
    REALESTATE: { value: 'realestate', description: '不动产登记。 / Real-estate registration (不动产).' },
    FUND: { value: 'fund', description: '住房公积金。 / Housing provident fund (公积金).' },
    LICENCE: { value: 'licence', description: '电子证照。 / Electronic licences.' },
    ACCESSLOG: { value: 'accesslog', description: '访问日志链头。 / Access-log heads.' },
    PROJECT: { value: 'project', description: '工程建设项目联合审批各环节决定 (立项用地、工程规划、施工许可、联合验收)。 / Step decisions of a 工程建设项目 joint approval (land use, planning, construction permit, joint acceptance).' },
  } as const,
});

const RecordEvidenceInput = builder.inputType('RecordEvidenceInput', {
  description: '一条证据, 如 CLI `zhengyin ledger record`。 / One evidence record, as CLI `zhengyin ledger record` takes it.',
  fields: (t) => ({
    type: t.string({ required: true, description: '证据类型, 如 realestate.transfer、fund.deposit、project.planning.decided。 / Evidence type, e.g. realestate.transfer, fund.deposit, project.planning.decided.' }),
    data: t.field({
      type: 'JSONObject',
      required: true,
      description:
        '记录字段; holderCodeType + holderCode 与 account 先加盐哈希再上链, 原文不上链。 / The record\'s fields; holderCodeType + holderCode and account are salted-hashed first and never go on the chain.',
    }),
    evidenceId: t.string({ required: false, description: '证据标识, 默认由类型与字段导出 (同一请求即同一证据)。 / Evidence id; default derived from type and fields, so the same request is the same evidence.' }),
    waitSeconds: t.int({ required: false, description: '等待上链的秒数 (0-30, 默认 10)。 / Seconds to wait for the anchor (0-30, default 10).' }),
  }),
});

const EvidenceReceipt = builder.objectRef<OutboxEntry>('EvidenceReceipt').implement({
  description: '出箱中的证据: 已上链或待上链。 / Evidence in the outbox: anchored, or pending and retried.',
  fields: (t) => ({
    evidenceId: t.exposeString('evidenceId', { description: '证据标识。 / Evidence id.' }),
    type: t.exposeString('kind', { description: '证据类型。 / Evidence type.' }),
    anchored: t.boolean({ description: '已上链。 / Anchored on the ledger.', resolve: (e) => e.anchor !== undefined }),
    transactionId: t.string({ nullable: true, description: '上链交易标识。 / The anchoring transaction.', resolve: (e) => e.anchor?.transactionId ?? null }),
    blockNumber: t.string({ nullable: true, description: '区块号。 / Block number.', resolve: (e) => (e.anchor ? String(e.anchor.blockNumber) : null) }),
    anchoredAt: t.field({ type: 'DateTime', nullable: true, description: '上链时刻。 / When it was anchored.', resolve: (e) => e.anchor?.anchoredAt ?? null }),
    attempts: t.exposeInt('attempts', { description: '已尝试上链次数。 / Anchoring attempts so far.' }),
  }),
});

const StoredEvidenceRef = builder.objectRef<StoredEvidence>('StoredEvidence').implement({
  description: '账本上的一条证据 (个人标识仅为加盐哈希)。 / One record on the ledger (personal identifiers only as salted hashes).',
  fields: (t) => ({
    evidenceId: t.exposeString('evidenceId', { description: '证据标识。 / Evidence id.' }),
    type: t.exposeString('type', { description: '证据类型。 / Evidence type.' }),
    domain: t.field({ type: EvidenceDomainEnum, description: '领域。 / Domain.', resolve: (r) => r.domain }),
    key: t.exposeString('key', { description: '主体: 证照标识、不动产单元号、账号哈希或日志标识。 / Subject: licence identifier, 不动产单元号, account hash or log id.' }),
    transactionId: t.exposeString('txId', { description: '记录它的交易。 / The transaction that recorded it.' }),
    recordedAt: t.field({ type: 'DateTime', description: '交易时刻。 / The transaction\'s time.', resolve: (r) => new Date(r.recordedAt) }),
    fields: t.field({ type: 'JSONObject', description: '完整记录 (JSON)。 / The whole record, as JSON.', resolve: (r) => ({ ...r }) as Record<string, unknown> }),
  }),
});

const EvidenceVersionRef = builder.objectRef<EvidenceVersion>('EvidenceVersion').implement({
  description: '主体在账本上的一个版本。 / One version of a subject on the ledger.',
  fields: (t) => ({
    transactionId: t.exposeString('transactionId', { description: '交易标识。 / Transaction id.' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: '交易时刻。 / The transaction\'s time.' }),
    record: t.field({ type: StoredEvidenceRef, nullable: true, description: '此版本的记录; 删除时为空。 / The record in this version; null for a deletion.', resolve: (v) => v.record ?? null }),
  }),
});

const DocumentAnchor = builder.objectRef<DocumentEvidence>('DocumentAnchor').implement({
  description: '含此文档哈希的一条账本记录。 / One ledger record that contains the document hash.',
  fields: (t) => ({
    record: t.field({ type: StoredEvidenceRef, description: '记录。 / The record.', resolve: (d) => d.record }),
    blockNumber: t.string({ nullable: true, description: '区块号。 / Block number.', resolve: (d) => (d.blockNumber === undefined ? null : String(d.blockNumber)) }),
    proofValid: t.boolean({
      nullable: true,
      description: '默克尔包含证明用节点公钥验证通过 (内嵌账本); Fabric 为空。 / The Merkle inclusion proof verifies with the node key (embedded ledger); null on Fabric.',
      resolve: (d) => d.proof?.valid ?? null,
    }),
  }),
});

const DocumentHashCheck = builder.objectRef<{ sha256: string; found: DocumentEvidence[] }>('DocumentHashCheck').implement({
  description: '文档哈希在账本上的核验结果。 / What the ledger holds for a document hash.',
  fields: (t) => ({
    sha256: t.expose('sha256', { type: 'Sha256', description: '核验的哈希。 / The hash checked.' }),
    anchored: t.boolean({ description: '至少一条记录含此哈希。 / At least one record contains it.', resolve: (c) => c.found.length > 0 }),
    records: t.field({ type: [DocumentAnchor], description: '含此哈希的记录。 / The records that contain it.', resolve: (c) => c.found }),
  }),
});

builder.queryFields((t) => ({
  evidenceHistory: t.connection({
    type: EvidenceVersionRef,
    description:
      '主体在账本上的各版本, 最早在前 (运营者, 或写入策略给予该领域的部门); 如 CLI `zhengyin ledger history`。 / Every version of a subject on the ledger, oldest first (the operator, or a department the writer policy gives the domain); as CLI `zhengyin ledger history`.',
    authScopes: { department: true, operator: true },
    args: {
      domain: t.arg({ type: EvidenceDomainEnum, required: true, description: '领域。 / Domain.' }),
      key: t.arg.string({ required: true, description: '主体: 不动产单元号、账号哈希、证照标识、日志标识或项目代码。 / Subject: 不动产单元号, account hash, licence identifier, log id or 项目代码.' }),
    },
    resolve: async (_root, args, ctx) =>
      resolveArrayConnection({ args }, await ctx.services.ledger.history(ctx.caller.actor, { domain: args.domain, key: args.key })),
  }),
  checkDocumentHash: t.field({
    type: DocumentHashCheck,
    description:
      '哪些账本记录含此文档哈希, 及其包含证明 (部门或运营者); 如 CLI `zhengyin ledger verify`。 / Which ledger records contain a document hash, with their inclusion proofs (a department or the operator); as CLI `zhengyin ledger verify`.',
    authScopes: { department: true, operator: true },
    args: { sha256: t.arg({ type: 'Sha256', required: true, description: '文档的 SHA-256。 / The document\'s SHA-256.' }) },
    resolve: async (_root, { sha256 }, ctx) => ({ sha256, found: await ctx.services.ledger.verifyDocument(sha256) }),
  }),
}));

builder.mutationFields((t) => ({
  recordEvidence: t.field({
    type: EvidenceReceipt,
    description:
      '经出箱记录一条证据并等待上链 (运营者, 或写入策略给予该领域的部门, 如不动产登记中心记录不动产、公积金中心记录公积金); 如 CLI `zhengyin ledger record`。 / Records evidence through the outbox and waits for its anchor (the operator, or a department the writer policy gives the domain: the 不动产 registry real estate, the 公积金 centre the fund); as CLI `zhengyin ledger record`.',
    authScopes: { department: true, operator: true },
    args: { input: t.arg({ type: RecordEvidenceInput, required: true, description: '证据。 / The evidence.' }) },
    resolve: (_root, { input }, ctx) => {
      const wait = Math.min(Math.max(input.waitSeconds ?? 10, 0), 30);
      return ctx.services.ledger.record(
        ctx.caller.actor,
        { type: input.type, data: input.data, ...(input.evidenceId ? { evidenceId: input.evidenceId } : {}) },
        wait * 1000,
      );
    },
  }),
}));
