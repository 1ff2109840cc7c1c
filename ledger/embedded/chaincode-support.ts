import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { peer as PeerPb } from '@hyperledger/fabric-protos';
import { loadShimModules, chaincodeDir, type ShimModules } from './shim-modules.ts';

/**
 * The peer's side of the chaincode protocol (Fabric core/chaincode/handler.go), spoken
 * in-process to fabric-shim's own ChaincodeMessageHandler over an object stream instead
 * of gRPC. The chaincode is `chaincode/`'s compiled contracts behind fabric-shim's
 * ChaincodeFromContract, built exactly as `fabric-chaincode-node server` builds them, so
 * argument marshalling, routing, the stub, ClientIdentity and events are fabric-shim's.
 */

/** What the peer answers a running transaction's state requests from: a transaction simulator. */
export interface TxContext {
  getState(key: string): Promise<Buffer | undefined>;
  putState(key: string, value: Buffer): void;
  deleteState(key: string): void;
  getStateByRange(start: string, end: string, page?: { readonly size: number; readonly bookmark: string }): Promise<RangeResult>;
  getHistoryForKey(key: string): Promise<readonly KeyModification[]>;
}

export interface RangeResult {
  readonly kvs: readonly { readonly key: string; readonly value: Buffer }[];
  /** For a page: where the next page starts ('' when none). */
  readonly bookmark?: string;
}

export interface KeyModification {
  readonly txId: string;
  readonly value: Buffer | undefined;
  readonly isDelete: boolean;
  readonly timestamp: Date;
}

export interface ExecuteRequest {
  readonly txId: string;
  readonly channel: string;
  readonly signedProposal: PeerPb.SignedProposal;
  readonly input: PeerPb.ChaincodeInput;
}

export interface ChaincodeResult {
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  readonly event: { readonly name: string; readonly payload: Buffer } | undefined;
}

/** Results per QUERY_STATE_NEXT message, as the peer's internalQueryLimit pages them. */
const QUERY_CHUNK = 100;
/** How long a transaction may run, as the peer's chaincode.executetimeout (30 s). */
const EXECUTE_TIMEOUT_MS = 30_000;

type Message = PeerPb.ChaincodeMessage;

/** The object stream fabric-shim's handler reads ('data') and writes (write()). */
class InProcessStream extends EventEmitter {
  readonly #onWrite: (m: Message) => void;
  closed = false;

  constructor(onWrite: (m: Message) => void) {
    super();
    this.#onWrite = onWrite;
  }

  write(m: Message): boolean {
    if (!this.closed) this.#onWrite(m);
    return true;
  }

  end(): void {
    this.closed = true;
  }

  deliver(m: Message): void {
    // Never re-enter the shim from inside its own write().
    setImmediate(() => {
      if (!this.closed) this.emit('data', m);
    });
  }
}

interface Running {
  readonly ctx: TxContext;
  readonly resolve: (r: ChaincodeResult) => void;
  readonly reject: (e: Error) => void;
  readonly queries: Map<string, Buffer[]>;
}

export class ChaincodeSupport {
  readonly #m: ShimModules;
  readonly #stream: InProcessStream;
  readonly #running = new Map<string, Running>();
  readonly #ready: Promise<void>;
  #markReady!: () => void;

  private constructor(m: ShimModules, chaincode: ConstructorParameters<ShimModules['ChaincodeMessageHandler']>[1], name: string) {
    this.#m = m;
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    this.#stream = new InProcessStream((msg) => this.#fromChaincode(msg));
    const handler = new m.ChaincodeMessageHandler(this.#stream, chaincode);
    const { peer } = m.protos;
    const id = new peer.ChaincodeID();
    id.setName(name);
    const register = new peer.ChaincodeMessage();
    register.setType(peer.ChaincodeMessage.Type.REGISTER);
    register.setPayload(id.serializeBinary());
    handler.chat(register);
  }

  /**
   * Loads the chaincode project (package.json `main` → `contracts`, optional META-INF
   * metadata) and registers it, as fabric-shim's bootstrap does for a CCaaS server.
   */
  static async start(p: Readonly<{ dir?: string; name: string }>): Promise<ChaincodeSupport> {
    const dir = p.dir ?? chaincodeDir;
    const m = loadShimModules(dir);
    const info = m.Bootstrap.getInfoFromContract(dir);
    const metadata = await m.Bootstrap.getMetadata(dir);
    // ChaincodeFromContract appends its system contract to the list it is given: pass a copy
    // so the module's exported `contracts` stays as it is for the next instance.
    const chaincode = new m.ChaincodeFromContract([...info.contracts], info.serializers, metadata, info.title, info.version);
    const support = new ChaincodeSupport(m, chaincode, p.name);
    await support.#ready;
    return support;
  }

  /** Runs one transaction proposal to completion; state requests are answered from `ctx`. */
  execute(request: ExecuteRequest, ctx: TxContext): Promise<ChaincodeResult> {
    const { peer } = this.#m.protos;
    const key = request.channel + request.txId;
    if (this.#running.has(key)) return Promise.reject(new Error(`transaction ${request.txId} is already running`));
    let timer: NodeJS.Timeout | undefined;
    return new Promise<ChaincodeResult>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`chaincode did not complete ${request.txId} within ${EXECUTE_TIMEOUT_MS / 1000} s`)), EXECUTE_TIMEOUT_MS);
      this.#running.set(key, { ctx, resolve, reject, queries: new Map() });
      const msg = new peer.ChaincodeMessage();
      msg.setType(peer.ChaincodeMessage.Type.TRANSACTION);
      msg.setPayload(request.input.serializeBinary());
      msg.setTxid(request.txId);
      msg.setChannelId(request.channel);
      msg.setProposal(request.signedProposal);
      this.#stream.deliver(msg);
    }).finally(() => {
      clearTimeout(timer);
      this.#running.delete(key);
    });
  }

  close(): void {
    this.#stream.end();
    for (const r of this.#running.values()) r.reject(new Error('chaincode support closed'));
  }

  #fromChaincode(msg: Message): void {
    const T = this.#m.protos.peer.ChaincodeMessage.Type;
    const type = msg.getType();
    if (type === T.REGISTER) {
      this.#reply(msg, T.REGISTERED, new Uint8Array());
      this.#reply(msg, T.READY, new Uint8Array());
      this.#markReady();
      return;
    }
    if (type === T.KEEPALIVE) return;
    const running = this.#running.get(msg.getChannelId() + msg.getTxid());
    if (!running) return;
    if (type === T.COMPLETED) {
      const response = this.#m.protos.peer.Response.deserializeBinary(msg.getPayload_asU8());
      const event = msg.getChaincodeEvent();
      running.resolve({
        status: response.getStatus(),
        message: response.getMessage(),
        payload: Buffer.from(response.getPayload_asU8()),
        event: event && event.getEventName() ? { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()) } : undefined,
      });
      return;
    }
    if (type === T.ERROR) {
      running.reject(new Error(`chaincode error: ${Buffer.from(msg.getPayload_asU8()).toString('utf8')}`));
      return;
    }
    this.#answer(msg, running).then(
      (payload) => this.#reply(msg, T.RESPONSE, payload),
      (e: Error) => this.#reply(msg, T.ERROR, Buffer.from(e.message, 'utf8')),
    );
  }

  async #answer(msg: Message, running: Running): Promise<Uint8Array> {
    const { peer, ledger } = this.#m.protos;
    const T = peer.ChaincodeMessage.Type;
    const payload = msg.getPayload_asU8();
    const { ctx } = running;
    switch (msg.getType()) {
      case T.GET_STATE: {
        const req = peer.GetState.deserializeBinary(payload);
        publicOnly(req.getCollection());
        return (await ctx.getState(req.getKey())) ?? new Uint8Array();
      }
      case T.PUT_STATE: {
        const req = peer.PutState.deserializeBinary(payload);
        publicOnly(req.getCollection());
        ctx.putState(req.getKey(), Buffer.from(req.getValue_asU8()));
        return new Uint8Array();
      }
      case T.DEL_STATE: {
        const req = peer.DelState.deserializeBinary(payload);
        publicOnly(req.getCollection());
        ctx.deleteState(req.getKey());
        return new Uint8Array();
      }
      case T.GET_STATE_BY_RANGE: {
        const req = peer.GetStateByRange.deserializeBinary(payload);
        publicOnly(req.getCollection());
        const metaBytes = req.getMetadata_asU8();
        const meta = metaBytes.length > 0 ? peer.QueryMetadata.deserializeBinary(metaBytes) : undefined;
        const page = meta && meta.getPagesize() > 0 ? { size: meta.getPagesize(), bookmark: meta.getBookmark() } : undefined;
        const result = await ctx.getStateByRange(req.getStartkey(), req.getEndkey(), page);
        const rows = result.kvs.map(({ key, value }) => {
          const kv = new ledger.queryresult.KV();
          kv.setNamespace('');
          kv.setKey(key);
          kv.setValue(value);
          return Buffer.from(kv.serializeBinary());
        });
        let metadata: Uint8Array | undefined;
        if (page) {
          const m = new peer.QueryResponseMetadata();
          m.setFetchedRecordsCount(result.kvs.length);
          m.setBookmark(result.bookmark ?? '');
          metadata = m.serializeBinary();
        }
        return this.#firstChunk(running, rows, metadata);
      }
      case T.GET_HISTORY_FOR_KEY: {
        const req = peer.GetHistoryForKey.deserializeBinary(payload);
        const rows = (await ctx.getHistoryForKey(req.getKey())).map((h) => {
          const km = new ledger.queryresult.KeyModification();
          km.setTxId(h.txId);
          km.setValue(h.value ?? new Uint8Array());
          km.setIsDelete(h.isDelete);
          const ts = new this.#m.Timestamp();
          ts.setSeconds(Math.floor(h.timestamp.getTime() / 1000));
          ts.setNanos((h.timestamp.getTime() % 1000) * 1e6);
          km.setTimestamp(ts as never);
          return Buffer.from(km.serializeBinary());
        });
        return this.#firstChunk(running, rows, undefined);
      }
      case T.QUERY_STATE_NEXT: {
        const id = peer.QueryStateNext.deserializeBinary(payload).getId();
        const rest = running.queries.get(id);
        if (!rest) throw new Error(`query ${id} does not exist`);
        return this.#chunk(running, id, rest, undefined);
      }
      case T.QUERY_STATE_CLOSE: {
        const id = peer.QueryStateClose.deserializeBinary(payload).getId();
        running.queries.delete(id);
        const r = new peer.QueryResponse();
        r.setId(id);
        return r.serializeBinary();
      }
      case T.GET_STATE_METADATA:
        return new peer.StateMetadataResult().serializeBinary();
      case T.GET_QUERY_RESULT:
        throw new Error('rich queries are not supported by this state database (as with LevelDB)');
      default:
        throw new Error(`the embedded ledger does not support chaincode message type ${msg.getType()}`);
    }
  }

  #firstChunk(running: Running, rows: Buffer[], metadata: Uint8Array | undefined): Uint8Array {
    return this.#chunk(running, randomUUID(), rows, metadata);
  }

  #chunk(running: Running, id: string, rows: Buffer[], metadata: Uint8Array | undefined): Uint8Array {
    const { peer } = this.#m.protos;
    const response = new peer.QueryResponse();
    response.setId(id);
    response.setResultsList(
      rows.slice(0, QUERY_CHUNK).map((bytes) => {
        const r = new peer.QueryResultBytes();
        r.setResultbytes(bytes);
        return r;
      }),
    );
    const rest = rows.slice(QUERY_CHUNK);
    response.setHasMore(rest.length > 0);
    if (rest.length > 0) running.queries.set(id, rest);
    else running.queries.delete(id);
    if (metadata) response.setMetadata(metadata);
    return response.serializeBinary();
  }

  #reply(to: Message, type: number, payload: Uint8Array): void {
    const { peer } = this.#m.protos;
    const msg = new peer.ChaincodeMessage();
    msg.setType(type as never);
    msg.setPayload(payload);
    msg.setTxid(to.getTxid());
    msg.setChannelId(to.getChannelId());
    this.#stream.deliver(msg);
  }
}

function publicOnly(collection: string): void {
  if (collection) throw new Error('private data collections are not supported by the embedded ledger');
}
