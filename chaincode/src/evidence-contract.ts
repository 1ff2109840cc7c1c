import { Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from './canonical';
import { Refusal } from './errors';
import { EvidenceContext } from './evidence-context';
import { mayWrite, matches, parsePolicy, type WriterPolicy } from './policy';
import { checkStepOrder, PROJECT_STEPS, type StepDecision } from './project-steps';
import { DOMAINS, ENDS_REGISTRATION, isEvidenceType, validateRecord, type Domain, type StoredEvidence } from './records';

const POLICY_KEY = 'policy';
const EVIDENCE = 'evidence';
const SUBJECT = 'subject';
const BY_HOLDER = 'holder~evidence';
const BY_TYPE = 'type~evidence';
const BY_DOCUMENT = 'document~evidence';
const PROJECT_STEP = 'project~step';
/** The certificate attribute that names a department (as the gateway's writer policy does). */
const DEPARTMENT_ATTRIBUTE = 'zhengyin.department';
// An index entry's value: Fabric treats an empty value as a delete.
const PRESENT = Buffer.from([0]);
const MAX_BATCH = 1000;
const MAX_PAGE = 1000;

export type RecordOutcome =
  | { readonly evidenceId: string; readonly status: 'recorded' | 'existing'; readonly record: StoredEvidence }
  | { readonly evidenceId: string; readonly status: 'rejected'; readonly code: string; readonly field?: string; readonly message: string };

/** One version of a subject, from GetHistoryForKey. */
export interface SubjectVersion {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly record: StoredEvidence | null;
}

/**
 * Evidence of 不动产登记, 住房公积金 and 电子证照 events, access-log heads, and the step
 * decisions of 工程建设项目 joint approvals (in order: project-steps.ts). Only
 * hashes and non-personal metadata are accepted (validateRecord whitelists fields per
 * type); each domain has its own writers (policy.ts); the same evidence id records once.
 *
 * World state:
 * - `policy` → WriterPolicy
 * - (evidence, [evidenceId]) → StoredEvidence, written once
 * - (subject, [domain, key]) → the subject's latest StoredEvidence; its history is the subject's story
 * - (holder~evidence | type~evidence | document~evidence, [value, evidenceId]) → 0x00, the query indexes
 * - (project~step, [projectCode, step]) → `{ decision, evidenceId }`, the latest decision of a step
 */
@Info({ title: 'zhengyin evidence', description: 'evidence records for 不动产, 公积金, licences and access-log heads' })
export class EvidenceContract extends Contract {
  constructor() {
    super('evidence');
  }

  override createContext(): EvidenceContext {
    return new EvidenceContext();
  }

  /**
   * Replaces the writer policy. The first policy may be set by any identity of the
   * channel (deployment initialisation); later ones only by a principal in `admins`.
   * Emits `PolicySet`.
   */
  @Transaction()
  @Returns('string')
  async SetPolicy(ctx: EvidenceContext, policyJson: string): Promise<string> {
    const current = await ctx.readJson<WriterPolicy>(POLICY_KEY);
    if (current && !current.admins.some((p) => matches(p, ctx.clientIdentity))) {
      throw new Refusal('POLICY_ADMIN_REQUIRED', `${ctx.clientIdentity.getMSPID()} is not an admin of the writer policy`);
    }
    const policy = parsePolicy(policyJson);
    const text = canonicalJson(policy);
    await ctx.write(POLICY_KEY, Buffer.from(text, 'utf8'));
    ctx.stub.setEvent('PolicySet', Buffer.from(canonicalJson({ by: ctx.clientIdentity.getMSPID(), policy }), 'utf8'));
    return text;
  }

  /** The writer policy as JSON, or '' when none was set. */
  @Transaction(false)
  @Returns('string')
  async GetPolicy(ctx: EvidenceContext): Promise<string> {
    const bytes = await ctx.read(POLICY_KEY);
    return bytes ? Buffer.from(bytes).toString('utf8') : '';
  }

  /**
   * Records one evidence record. The same evidence id with the same content returns the
   * stored record (`existing`); with other content it is refused. Emits `EvidenceRecorded`.
   *
   * @throws `[INVALID_EVIDENCE]`, `[WRITER_NOT_ALLOWED]`, `[EVIDENCE_CONFLICT]`, `[NO_LIVE_REGISTRATION]`
   */
  @Transaction()
  @Returns('string')
  async RecordEvidence(ctx: EvidenceContext, recordJson: string): Promise<string> {
    const policy = await ctx.readJson<WriterPolicy>(POLICY_KEY);
    const outcome = await this.#record(ctx, parseJson(recordJson, 'record'), policy);
    this.#emit(ctx, [outcome]);
    return canonicalJson(outcome);
  }

  /**
   * Records many records in one transaction. Each record gets its own outcome; a refused
   * record does not stop the others. Equivalent to RecordEvidence per record, in order,
   * seeing the earlier records of the batch. Emits one `EvidenceRecorded`.
   */
  @Transaction()
  @Returns('string')
  async RecordBatch(ctx: EvidenceContext, recordsJson: string): Promise<string> {
    const list = parseJson(recordsJson, 'records');
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) {
      throw new Refusal('INVALID_ARGUMENT', `must be a JSON array of 1 to ${MAX_BATCH} records`, 'records');
    }
    const policy = await ctx.readJson<WriterPolicy>(POLICY_KEY);
    const outcomes: RecordOutcome[] = [];
    for (const item of list) {
      try {
        outcomes.push(await this.#record(ctx, item, policy));
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        const evidenceId = typeof (item as { evidenceId?: unknown })?.evidenceId === 'string' ? (item as { evidenceId: string }).evidenceId : '';
        outcomes.push({ evidenceId, status: 'rejected', code: e.code, ...(e.field ? { field: e.field } : {}), message: e.detail });
      }
    }
    this.#emit(ctx, outcomes);
    return canonicalJson({ outcomes });
  }

  /** The stored record of an evidence id, or ''. */
  @Transaction(false)
  @Returns('string')
  async GetEvidence(ctx: EvidenceContext, evidenceId: string): Promise<string> {
    const bytes = await ctx.read(ctx.stub.createCompositeKey(EVIDENCE, [nonEmpty(evidenceId, 'evidenceId')]));
    return bytes ? Buffer.from(bytes).toString('utf8') : '';
  }

  /** The latest record of a subject (licence identifier, 不动产单元号, account hash, log id), or ''. */
  @Transaction(false)
  @Returns('string')
  async GetSubject(ctx: EvidenceContext, domain: string, key: string): Promise<string> {
    const bytes = await ctx.read(subjectKey(ctx, domain, key));
    return bytes ? Buffer.from(bytes).toString('utf8') : '';
  }

  /** Every version of a subject, oldest first (Fabric 2.x returns history newest first). */
  @Transaction(false)
  @Returns('string')
  async GetHistory(ctx: EvidenceContext, domain: string, key: string): Promise<string> {
    const versions: SubjectVersion[] = [];
    for await (const m of ctx.stub.getHistoryForKey(subjectKey(ctx, domain, key))) {
      const seconds = Number((m.timestamp as { seconds: unknown }).seconds);
      const nanos = Number((m.timestamp as { nanos?: unknown }).nanos ?? 0);
      versions.push({
        txId: m.txId,
        timestamp: new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString(),
        isDelete: m.isDelete,
        record: m.isDelete || !m.value || m.value.length === 0 ? null : (JSON.parse(Buffer.from(m.value).toString('utf8')) as StoredEvidence),
      });
    }
    return JSON.stringify(versions.reverse());
  }

  /** Records of a holder (salted hash), a page at a time: `{ records, bookmark }`. */
  @Transaction(false)
  @Returns('string')
  async QueryByHolder(ctx: EvidenceContext, holderHash: string, pageSize: string, bookmark: string): Promise<string> {
    return this.#page(ctx, BY_HOLDER, nonEmpty(holderHash, 'holderHash'), pageSize, bookmark);
  }

  /** Records of one evidence type, a page at a time: `{ records, bookmark }`. */
  @Transaction(false)
  @Returns('string')
  async QueryByType(ctx: EvidenceContext, type: string, pageSize: string, bookmark: string): Promise<string> {
    if (!isEvidenceType(type)) throw new Refusal('INVALID_ARGUMENT', `unknown evidence type ${JSON.stringify(type)}`, 'type');
    return this.#page(ctx, BY_TYPE, type, pageSize, bookmark);
  }

  /** Every record that contains a document hash (documentSha256, ofdSha256 or an access-log headHash). */
  @Transaction(false)
  @Returns('string')
  async QueryByDocument(ctx: EvidenceContext, sha256: string): Promise<string> {
    const { records } = await this.#collect(ctx, BY_DOCUMENT, nonEmpty(sha256.toLowerCase(), 'sha256'), MAX_PAGE, '');
    return JSON.stringify(records);
  }

  async #record(ctx: EvidenceContext, input: unknown, policy: WriterPolicy | undefined): Promise<RecordOutcome> {
    const valid = validateRecord(input);
    const { record } = valid;
    if (!mayWrite(policy, valid.domain, ctx.clientIdentity)) {
      const who = ctx.clientIdentity.getMSPID();
      throw new Refusal('WRITER_NOT_ALLOWED', policy ? `${who} may not write ${valid.domain} records` : 'no writer policy is set on the channel');
    }
    const evidenceKey = ctx.stub.createCompositeKey(EVIDENCE, [record.evidenceId]);
    const existing = await ctx.readJson<StoredEvidence>(evidenceKey);
    if (existing) {
      if (existing.contentHash === valid.contentHash) return { evidenceId: record.evidenceId, status: 'existing', record: existing };
      throw new Refusal('EVIDENCE_CONFLICT', `${record.evidenceId} was recorded in ${existing.txId} with other content`, 'evidenceId');
    }
    if (record.type === 'fund.loan-disbursed' && typeof record.unitNumber === 'string') {
      const registration = await ctx.readJson<StoredEvidence>(subjectKey(ctx, 'realestate', record.unitNumber));
      if (!registration || ENDS_REGISTRATION.has(registration.type)) {
        throw new Refusal('NO_LIVE_REGISTRATION', `no live 不动产 registration for unit ${record.unitNumber} on the chain`, 'unitNumber');
      }
    }
    const step = PROJECT_STEPS[record.type];
    if (step) {
      const projectCode = String(record.projectCode);
      // An identity that carries a department attribute records that department's decisions only.
      const own = ctx.clientIdentity.getAttributeValue(DEPARTMENT_ATTRIBUTE);
      if (own !== null && own !== undefined && own !== record.department) {
        throw new Refusal('WRITER_NOT_ALLOWED', `an identity of department ${own} may not record a decision of ${String(record.department)}`, 'department');
      }
      await checkStepOrder(record.type, projectCode, async (s) => (await ctx.readJson<{ decision: StepDecision }>(ctx.stub.createCompositeKey(PROJECT_STEP, [projectCode, s])))?.decision);
    }
    const stored: StoredEvidence = {
      ...record,
      domain: valid.domain,
      key: valid.key,
      contentHash: valid.contentHash,
      txId: ctx.stub.getTxID(),
      recordedAt: ctx.stub.getDateTimestamp().toISOString(),
      writerMspId: ctx.clientIdentity.getMSPID(),
    };
    const bytes = Buffer.from(canonicalJson(stored), 'utf8');
    await ctx.write(evidenceKey, bytes);
    await ctx.write(subjectKey(ctx, valid.domain, valid.key), bytes);
    await ctx.write(ctx.stub.createCompositeKey(BY_TYPE, [record.type, record.evidenceId]), PRESENT);
    if (typeof record.holderHash === 'string') {
      await ctx.write(ctx.stub.createCompositeKey(BY_HOLDER, [record.holderHash, record.evidenceId]), PRESENT);
    }
    for (const hash of new Set(valid.documentHashes)) {
      await ctx.write(ctx.stub.createCompositeKey(BY_DOCUMENT, [hash, record.evidenceId]), PRESENT);
    }
    if (step) {
      await ctx.writeJson(ctx.stub.createCompositeKey(PROJECT_STEP, [String(record.projectCode), step.step]), { decision: record.decision, evidenceId: record.evidenceId });
    }
    return { evidenceId: record.evidenceId, status: 'recorded', record: stored };
  }

  #emit(ctx: EvidenceContext, outcomes: readonly RecordOutcome[]): void {
    const payload = {
      recorded: outcomes.flatMap((o) => (o.status === 'recorded' ? [{ evidenceId: o.evidenceId, type: o.record.type, domain: o.record.domain, key: o.record.key }] : [])),
      existing: outcomes.flatMap((o) => (o.status === 'existing' ? [o.evidenceId] : [])),
      rejected: outcomes.flatMap((o) => (o.status === 'rejected' ? [{ evidenceId: o.evidenceId, code: o.code }] : [])),
    };
    ctx.stub.setEvent('EvidenceRecorded', Buffer.from(canonicalJson(payload), 'utf8'));
  }

  async #page(ctx: EvidenceContext, index: string, value: string, pageSize: string, bookmark: string): Promise<string> {
    const size = pageSize === '' ? 100 : Number(pageSize);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
      throw new Refusal('INVALID_ARGUMENT', `must be an integer from 1 to ${MAX_PAGE}`, 'pageSize');
    }
    return JSON.stringify(await this.#collect(ctx, index, value, size, bookmark));
  }

  async #collect(ctx: EvidenceContext, index: string, value: string, pageSize: number, bookmark: string): Promise<{ records: StoredEvidence[]; bookmark: string }> {
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(index, [value], pageSize, bookmark);
    const records: StoredEvidence[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        const evidenceId = ctx.stub.splitCompositeKey(r.value.key).attributes[1];
        if (evidenceId === undefined) continue;
        const record = await ctx.readJson<StoredEvidence>(ctx.stub.createCompositeKey(EVIDENCE, [evidenceId]));
        if (record) records.push(record);
      }
    } finally {
      await iterator.close();
    }
    return { records, bookmark: records.length < pageSize ? '' : (metadata?.bookmark ?? '') };
  }
}

function subjectKey(ctx: EvidenceContext, domain: string, key: string): string {
  if (!DOMAINS.includes(domain as Domain)) throw new Refusal('INVALID_ARGUMENT', `unknown domain (expected one of ${DOMAINS.join(', ')})`, 'domain');
  return ctx.stub.createCompositeKey(SUBJECT, [domain, nonEmpty(key, 'key')]);
}

function nonEmpty(value: string, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Refusal('INVALID_ARGUMENT', 'must not be empty', field);
  return value;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal('INVALID_ARGUMENT', 'not JSON', field);
  }
}
