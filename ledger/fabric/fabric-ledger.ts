import { createPrivateKey } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { ConfigurationError } from '../../common/index.ts';
import { connect, hash, signers, GatewayError, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { ContractLedger, ContractRefusal, type Submitted } from '../contract-ledger.ts';
import { AnchorCommitError, AnchorEndorseError, AnchorSubmitError, LedgerQueryError, parseRefusal, type Refusal } from '../errors.ts';
import type { CloseableAsyncIterable, EventsRequest, LedgerEvent, LedgerInfo } from '../ledger.ts';
import type { FabricOptions } from './fabric-options.ts';

/** Attempts per submit: MVCC conflicts and unavailable peers/orderers are retried. */
const MAX_ATTEMPTS = 6;
/** gRPC codes after which the same request may well succeed. */
const TRANSIENT = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED]);
/** Validation codes that a fresh simulation can fix. */
const RETRY_COMMIT = new Set<number>([peer.TxValidationCode.MVCC_READ_CONFLICT, peer.TxValidationCode.PHANTOM_READ_CONFLICT]);

const utf8 = new TextDecoder();
const codeName = (code: number): string =>
  Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? String(code);

/**
 * The evidence chaincode on Hyperledger Fabric through the peer's Gateway service
 * (@hyperledger/fabric-gateway): endorse → submit → commit status, with stage-typed errors;
 * MVCC/phantom conflicts and unavailability retried with a fresh proposal (safe: records
 * are idempotent by evidence id); block numbers from qscc; events from the Gateway's
 * chaincode event service with a checkpointer.
 */
export class FabricLedger extends ContractLedger {
  readonly mode = 'fabric' as const;
  readonly location: string;
  readonly #client: grpc.Client;
  readonly #gateway: Gateway;
  readonly #network: Network;
  readonly #contract: Contract;
  readonly #qscc: Contract;
  readonly #options: FabricOptions;

  private constructor(options: FabricOptions, client: grpc.Client, gateway: Gateway) {
    super();
    this.#options = options;
    this.#client = client;
    this.#gateway = gateway;
    this.#network = gateway.getNetwork(options.channel);
    this.#contract = this.#network.getContract(options.chaincode);
    this.#qscc = this.#network.getContract('qscc');
    this.location = `peer ${options.peerEndpoint}, channel ${options.channel}, chaincode ${options.chaincode}, as ${options.mspId}`;
  }

  /** Sets up the gRPC connection (lazily established) and the Gateway; contacts nothing yet. */
  static async connect(options: FabricOptions): Promise<FabricLedger> {
    let key;
    try {
      key = createPrivateKey(options.userKey);
    } catch (cause) {
      // Never echo the key material.
      throw new ConfigurationError({ setting: 'FABRIC_USER_KEY', message: 'FABRIC_USER_KEY is not a PEM private key', cause });
    }
    const client = new grpc.Client(options.peerEndpoint, grpc.credentials.createSsl(Buffer.from(options.tlsCaCert)), {
      ...(options.peerHostAlias ? { 'grpc.ssl_target_name_override': options.peerHostAlias } : {}),
    });
    const gateway = connect({
      client,
      identity: { mspId: options.mspId, credentials: Buffer.from(options.userCert) },
      signer: signers.newPrivateKeySigner(key),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
      endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
      submitOptions: () => ({ deadline: Date.now() + 10_000 }),
      commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
    return new FabricLedger(options, client, gateway);
  }

  protected async evaluate(name: string, args: readonly string[]): Promise<string> {
    try {
      return utf8.decode(await this.#contract.evaluateTransaction(name, ...args));
    } catch (e) {
      const refusal = findRefusal(e);
      if (refusal) throw new ContractRefusal(refusal, '', e);
      throw new LedgerQueryError({ message: `${name}: ${describe(e)}`, transactionName: name, cause: e });
    }
  }

  protected async submit(name: string, args: readonly string[], evidenceIds: readonly string[]): Promise<Submitted> {
    for (let attempt = 1; ; attempt++) {
      const proposal = this.#contract.newProposal(name, { arguments: [...args] });
      const transactionId = proposal.getTransactionId();
      const ids = { evidenceIds, transactionId };
      const retry = attempt < MAX_ATTEMPTS;

      let transaction;
      try {
        transaction = await proposal.endorse();
      } catch (e) {
        const refusal = findRefusal(e);
        if (refusal) throw new ContractRefusal(refusal, transactionId, e);
        // Nothing was ordered: trying again is always safe.
        if (retry && isTransient(e, true)) {
          await backoff(attempt);
          continue;
        }
        throw new AnchorEndorseError({ ...ids, message: `${name}: endorsement failed: ${describe(e)}`, cause: e });
      }

      let commit;
      try {
        commit = await transaction.submit();
      } catch (e) {
        // The orderer may or may not have the transaction; a fresh proposal is still safe
        // because the contract records an evidence id only once.
        if (retry && isTransient(e, false)) {
          await backoff(attempt);
          continue;
        }
        throw new AnchorSubmitError({ ...ids, message: `${name}: submit failed: ${describe(e)}`, cause: e });
      }

      let status;
      try {
        status = await commit.getStatus();
      } catch (e) {
        throw new AnchorCommitError({ ...ids, message: `${name}: commit status of ${transactionId} unknown: ${describe(e)}`, cause: e });
      }
      if (status.successful) {
        return { result: utf8.decode(transaction.getResult()), transactionId, blockNumber: status.blockNumber };
      }
      if (retry && RETRY_COMMIT.has(status.code)) {
        await backoff(attempt);
        continue;
      }
      throw new AnchorCommitError({
        ...ids,
        message: `${name}: transaction ${transactionId} committed as ${codeName(status.code)} in block ${status.blockNumber}`,
        validationCode: status.code,
        validationCodeName: codeName(status.code),
      });
    }
  }

  async blockOf(transactionId: string): Promise<bigint | undefined> {
    try {
      const bytes = await this.#qscc.evaluateTransaction('GetBlockByTxID', this.#options.channel, transactionId);
      const header = common.Block.deserializeBinary(bytes).getHeader();
      return header ? BigInt(header.getNumber()) : undefined;
    } catch (e) {
      if (e instanceof GatewayError && /not found|no such transaction|TXID \[/i.test(describe(e))) return undefined;
      throw new LedgerQueryError({ message: `GetBlockByTxID: ${describe(e)}`, transactionName: 'GetBlockByTxID', cause: e });
    }
  }

  async info(): Promise<LedgerInfo> {
    try {
      const bytes = await this.#qscc.evaluateTransaction('GetChainInfo', this.#options.channel);
      return { mode: this.mode, location: this.location, height: BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight()) };
    } catch (e) {
      throw new LedgerQueryError({ message: `GetChainInfo: ${describe(e)}`, transactionName: 'GetChainInfo', cause: e });
    }
  }

  async events(request: EventsRequest = {}): Promise<CloseableAsyncIterable<LedgerEvent>> {
    const source = await this.#network.getChaincodeEvents(this.#options.chaincode, {
      ...(request.checkpointer ? { checkpoint: request.checkpointer } : {}),
      ...(request.startBlock !== undefined ? { startBlock: request.startBlock } : {}),
    });
    async function* map(): AsyncGenerator<LedgerEvent> {
      for await (const e of source) {
        yield { ...e, data: JSON.parse(utf8.decode(e.payload)) as unknown };
      }
    }
    const iterator = map();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: () => source.close(),
    };
  }

  async close(): Promise<void> {
    this.#gateway.close();
    this.#client.close();
  }
}

function isTransient(e: unknown, endorsing: boolean): boolean {
  if (!(e instanceof GatewayError)) return false;
  // ABORTED at endorsement without a refusal: the chaincode was not reachable or crashed.
  return TRANSIENT.has(e.code) || (endorsing && e.code === grpc.status.ABORTED);
}

function findRefusal(e: unknown): Refusal | undefined {
  const texts = [e instanceof Error ? e.message : String(e), ...(e instanceof GatewayError ? e.details.map((d) => d.message) : [])];
  for (const t of texts) {
    const r = parseRefusal(t);
    if (r) return r;
  }
  return undefined;
}

function describe(e: unknown): string {
  if (e instanceof GatewayError) return [e.message, ...e.details.map((d) => `${d.mspId}@${d.address}: ${d.message}`)].join('; ');
  return e instanceof Error ? e.message : String(e);
}

const backoff = (attempt: number): Promise<void> => sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
