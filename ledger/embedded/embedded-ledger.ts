import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { sha256Hex } from '../../common/index.ts';
import { ContractLedger, ContractRefusal, type Submitted } from '../contract-ledger.ts';
import { AnchorCommitError, AnchorEndorseError, AnchorSubmitError, LedgerClosedError, LedgerQueryError, parseRefusal } from '../errors.ts';
import type { CloseableAsyncIterable, EventsRequest, LedgerEvent, LedgerInfo, ProvingLedger } from '../ledger.ts';
import { auditPath, leafHash } from '../merkle.ts';
import type { ChainVerdict, InclusionProof } from '../proof.ts';
import { singleOrganisationPolicy, type WriterPolicy } from '../policy.ts';
import { BlockCutter } from './block-cutter.ts';
import { ChaincodeSupport, type ChaincodeResult } from './chaincode-support.ts';
import { Committer, type CommittedTransaction, type EndorsedTransaction } from './committer.ts';
import { embeddedEvents } from './event-stream.ts';
import type { BlockHeader } from './format.ts';
import { issueIdentity, loadNodeKey, type IdentityRequest, type KeySealer, type NodeKey } from './node-identity.ts';
import { newProposal, type EmbeddedIdentity } from './proposal.ts';
import { loadShimModules, type ShimModules } from './shim-modules.ts';
import { StateStore } from './state-store.ts';
import { TxSimulator } from './tx-simulator.ts';
import { verifyChain } from './verify-chain.ts';

export interface EmbeddedLedgerOptions {
  /** The PostgreSQL pool whose database holds the ledger tables (migrated). */
  readonly pool: pg.Pool;
  /** File of the node key; created (0600) when missing. */
  readonly nodeKeyFile: string;
  /** Seals the node key file at rest (the gateway's key-encryption key); without one it is plain PKCS#8 PEM. */
  readonly nodeKeySealer?: KeySealer;
  /** Who submits: MSP id and certificate attributes the contract sees. @default { mspId: 'ZhengyinMSP' } */
  readonly identity?: IdentityRequest;
  /**
   * Writer policy to set when the chain has none; `false` to leave it unset.
   * @default every domain written and administered by `identity.mspId`
   */
  readonly initialPolicy?: WriterPolicy | false;
  /** @default 'zhengyin' */
  readonly channel?: string;
  /** Chaincode name, also the world-state namespace. @default 'zhengyin' */
  readonly chaincode?: string;
  /** Cut a block at this many transactions (Fabric BatchSize.MaxMessageCount). @default 100 */
  readonly maxTransactionsPerBlock?: number;
  /** …or this long after the first one arrived (Fabric BatchTimeout). @default 20 */
  readonly batchTimeoutMs?: number;
  /** How the service describes the database, e.g. its cluster folder. */
  readonly location?: string;
}

interface Endorsement {
  readonly txId: string;
  readonly result: ChaincodeResult;
  readonly simulator: TxSimulator;
  readonly transaction: EndorsedTransaction;
}

/** MVCC conflicts are retried with a fresh simulation this many times. */
const MAX_ATTEMPTS = 8;

/**
 * The embedded ledger: the evidence contract from `chaincode/` run in-process behind
 * fabric-shim, a transaction simulator over PostgreSQL, a block cutter and a committer
 * that chains, Merkle-hashes and signs blocks. Single-office deployment and test double.
 */
export class EmbeddedLedger extends ContractLedger implements ProvingLedger {
  readonly mode = 'embedded' as const;
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #m: ShimModules;
  readonly #support: ChaincodeSupport;
  readonly #store: StateStore;
  readonly #cutter: BlockCutter<EndorsedTransaction, CommittedTransaction>;
  readonly #identity: EmbeddedIdentity;
  readonly #certificateSha256: string;
  readonly #nodeKey: NodeKey;
  readonly #channel: string;
  readonly #chaincode: string;
  readonly #commitListeners = new Set<() => void>();
  #closed = false;

  private constructor(p: {
    options: EmbeddedLedgerOptions;
    support: ChaincodeSupport;
    identity: EmbeddedIdentity;
    nodeKey: NodeKey;
  }) {
    super();
    const o = p.options;
    this.#pool = o.pool;
    this.#m = loadShimModules();
    this.#support = p.support;
    this.#identity = p.identity;
    this.#certificateSha256 = sha256Hex(p.identity.certificatePem);
    this.#nodeKey = p.nodeKey;
    this.#channel = o.channel ?? 'zhengyin';
    this.#chaincode = o.chaincode ?? 'zhengyin';
    this.location = o.location ?? 'embedded';
    this.#store = new StateStore(o.pool, this.#chaincode);
    const committer = new Committer({ pool: o.pool, namespace: this.#chaincode, store: this.#store, nodeKey: p.nodeKey });
    this.#cutter = new BlockCutter({
      maxTransactions: o.maxTransactionsPerBlock ?? 100,
      timeoutMs: o.batchTimeoutMs ?? 20,
      commit: async (batch) => {
        const result = await committer.commit(batch);
        for (const listener of this.#commitListeners) listener();
        return result;
      },
    });
  }

  /** Opens the ledger: node key, client identity, chaincode registration, writer policy. */
  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    const nodeKey = loadNodeKey(options.nodeKeyFile, options.nodeKeySealer);
    const identity = await issueIdentity(nodeKey, options.identity ?? { mspId: 'ZhengyinMSP' });
    const support = await ChaincodeSupport.start({ name: options.chaincode ?? 'zhengyin' });
    const ledger = new EmbeddedLedger({ options, support, identity, nodeKey });
    try {
      if (options.initialPolicy !== false) await ledger.#ensurePolicy(options.initialPolicy ?? singleOrganisationPolicy(identity.mspId));
    } catch (e) {
      await ledger.close();
      throw e;
    }
    return ledger;
  }

  /** The node's public key (PEM): what proofs from this ledger should be checked against. */
  get nodePublicKey(): string {
    return this.#nodeKey.publicKeyPem;
  }

  protected async evaluate(name: string, args: readonly string[]): Promise<string> {
    const { txId, result } = await this.#endorse(name, args).catch((cause: unknown) => {
      throw new LedgerQueryError({ message: `${name}: ${(cause as Error).message}`, transactionName: name, cause });
    });
    if (result.status >= 400) {
      const refusal = parseRefusal(result.message);
      if (refusal) throw new ContractRefusal(refusal, txId);
      throw new LedgerQueryError({ message: `${name}: ${result.message}`, transactionName: name });
    }
    return result.payload.toString('utf8');
  }

  protected async submit(name: string, args: readonly string[], evidenceIds: readonly string[]): Promise<Submitted> {
    for (let attempt = 1; ; attempt++) {
      let endorsed: Endorsement;
      try {
        endorsed = await this.#endorse(name, args);
      } catch (cause) {
        throw new AnchorEndorseError({ message: `${name}: endorsement failed: ${(cause as Error).message}`, evidenceIds, transactionId: '', cause });
      }
      const { txId, result, simulator } = endorsed;
      if (result.status >= 400) {
        const refusal = parseRefusal(result.message);
        if (refusal) throw new ContractRefusal(refusal, txId);
        throw new AnchorEndorseError({ message: `${name}: chaincode response ${result.status}: ${result.message}`, evidenceIds, transactionId: txId });
      }
      const unsubmittable = simulator.checkSubmittable();
      if (unsubmittable) throw new AnchorEndorseError({ message: `${name}: ${unsubmittable}`, evidenceIds, transactionId: txId });
      if (this.#closed) throw new LedgerClosedError();
      let committed: CommittedTransaction;
      try {
        committed = await this.#cutter.submit(endorsed.transaction);
      } catch (cause) {
        throw new AnchorSubmitError({ message: `${name}: the block could not be committed: ${(cause as Error).message}`, evidenceIds, transactionId: txId, cause });
      }
      if (committed.validationCode === 'VALID') return { result: result.payload.toString('utf8'), transactionId: txId, blockNumber: committed.blockNumber };
      if (attempt >= MAX_ATTEMPTS) {
        throw new AnchorCommitError({
          message: `${name}: transaction ${txId} committed as ${committed.validationCode} after ${attempt} attempts`,
          evidenceIds,
          transactionId: txId,
          validationCode: committed.validationCode === 'MVCC_READ_CONFLICT' ? 11 : 12,
          validationCodeName: committed.validationCode,
        });
      }
      await sleep(Math.random() * 5 * attempt);
    }
  }

  async #endorse(name: string, args: readonly string[]): Promise<Endorsement> {
    if (this.#closed) throw new LedgerClosedError();
    const proposal = newProposal(this.#m, { channel: this.#channel, chaincode: this.#chaincode, identity: this.#identity, fn: name, args });
    const simulator = new TxSimulator(this.#store);
    const result = await this.#support.execute(
      { txId: proposal.txId, channel: this.#channel, signedProposal: proposal.signedProposal, input: proposal.input },
      simulator,
    );
    const transaction: EndorsedTransaction = {
      entry: {
        version: 1,
        txId: proposal.txId,
        channel: this.#channel,
        chaincode: this.#chaincode,
        timestamp: proposal.timestamp.toISOString(),
        creator: { mspId: this.#identity.mspId, certificateSha256: this.#certificateSha256 },
        args: proposal.args.map((a) => a.toString('base64')),
        response: { status: result.status, message: result.message, payload: result.payload.toString('base64') },
        reads: [...simulator.reads],
        ranges: simulator.ranges,
        writes: [...simulator.writes].map(([k, v]) => [k, v === null ? null : v.toString('base64')] as const),
        event: result.event ? { name: result.event.name, payload: result.event.payload.toString('base64') } : null,
      },
      reads: simulator.reads,
      ranges: simulator.ranges,
      writes: simulator.writes,
    };
    return { txId: proposal.txId, result, simulator, transaction };
  }

  async #ensurePolicy(policy: WriterPolicy): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (await this.getPolicy()) return;
      try {
        await this.setPolicy(policy);
        return;
      } catch (e) {
        // Another process initialised it at the same moment: look again.
        if (!(e instanceof AnchorCommitError) || attempt === 3) throw e;
      }
    }
  }

  async blockOf(transactionId: string): Promise<bigint | undefined> {
    const { rows } = await this.#pool.query<{ block_number: string }>('SELECT block_number FROM ledger_transaction WHERE tx_id = $1', [transactionId]);
    return rows[0] ? BigInt(rows[0].block_number) : undefined;
  }

  async info(): Promise<LedgerInfo> {
    const { rows } = await this.#pool.query<{ height: string }>('SELECT COALESCE(MAX(number) + 1, 0) AS height FROM ledger_block');
    return { mode: this.mode, location: this.location, height: BigInt(rows[0]!.height) };
  }

  async events(request: EventsRequest = {}): Promise<CloseableAsyncIterable<LedgerEvent>> {
    const start = request.checkpointer?.getBlockNumber() ?? request.startBlock ?? (await this.info()).height;
    return embeddedEvents({
      pool: this.#pool,
      chaincode: this.#chaincode,
      startBlock: start,
      afterTransactionId: request.checkpointer?.getBlockNumber() !== undefined ? request.checkpointer.getTransactionId() : undefined,
      onCommit: (listener) => {
        this.#commitListeners.add(listener);
        return () => this.#commitListeners.delete(listener);
      },
    });
  }

  async prove(transactionId: string): Promise<InclusionProof> {
    const { rows: tx } = await this.#pool.query<{ block_number: string; tx_index: number }>(
      'SELECT block_number, tx_index FROM ledger_transaction WHERE tx_id = $1',
      [transactionId],
    );
    if (!tx[0]) throw new LedgerQueryError({ message: `transaction ${transactionId} is not on the ledger`, transactionName: 'prove' });
    const blockNumber = tx[0].block_number;
    const [{ rows: entries }, { rows: blocks }] = await Promise.all([
      this.#pool.query<{ entry: Buffer }>('SELECT entry FROM ledger_transaction WHERE block_number = $1 ORDER BY tx_index', [blockNumber]),
      this.#pool.query<{ header: Buffer; header_hash: string; signature: Buffer }>('SELECT header, header_hash, signature FROM ledger_block WHERE number = $1', [blockNumber]),
    ]);
    const block = blocks[0];
    if (!block) throw new LedgerQueryError({ message: `block ${blockNumber} is missing`, transactionName: 'prove' });
    const leaves = entries.map((e) => leafHash(e.entry));
    return {
      transactionId,
      blockNumber,
      entry: entries[tx[0].tx_index]!.entry.toString('base64'),
      index: tx[0].tx_index,
      treeSize: leaves.length,
      auditPath: auditPath(tx[0].tx_index, leaves).map((h) => h.toString('hex')),
      header: JSON.parse(block.header.toString('utf8')) as BlockHeader,
      headerHash: block.header_hash,
      signature: block.signature.toString('base64'),
      signerPublicKey: this.#nodeKey.publicKeyPem,
    };
  }

  verifyChain(): Promise<ChainVerdict> {
    return verifyChain({ pool: this.#pool, namespace: this.#chaincode, trustedSigner: this.#nodeKey.publicKeyPem });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#cutter.flush();
    this.#closed = true;
    this.#support.close();
  }
}
