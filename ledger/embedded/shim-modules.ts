import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Protos from '@hyperledger/fabric-protos';
import { packageRoot } from '../../common/index.ts';

/**
 * The pieces of the chaincode project the embedded ledger runs in-process, loaded from
 * `chaincode/` (its compiled `dist/` and its own node_modules, so that the contract,
 * fabric-contract-api, fabric-shim and their protobuf classes are the very copies the
 * chaincode-as-a-service server uses).
 */

/** The chaincode project folder. */
export const chaincodeDir = path.join(packageRoot(import.meta.url), 'chaincode');

/** fabric-shim's `ChaincodeInterface` as ChaincodeFromContract implements it. */
export interface ShimChaincode {
  Init(stub: unknown): Promise<unknown>;
  Invoke(stub: unknown): Promise<unknown>;
}

export interface ContractInfo {
  readonly contracts: unknown[];
  readonly serializers: unknown;
  readonly title: string;
  readonly version: string;
}

/** The peer-facing half of fabric-shim: one conversation with one peer over a stream. */
export interface ShimMessageHandler {
  chat(registerMessage: unknown): void;
}

export interface ShimModules {
  /** fabric-shim's contract-spi bootstrap: reads package.json `main` and META-INF metadata. */
  readonly Bootstrap: {
    getInfoFromContract(modulePath: string): ContractInfo;
    getMetadata(modulePath: string): Promise<object>;
  };
  /** fabric-shim's router from a transaction name to a contract function. */
  readonly ChaincodeFromContract: new (contracts: unknown[], serializers: unknown, metadata: object, title: string, version: string) => ShimChaincode;
  readonly ChaincodeMessageHandler: new (stream: unknown, chaincode: ShimChaincode) => ShimMessageHandler;
  readonly protos: typeof Protos;
  readonly Timestamp: new () => { setSeconds(s: number): void; setNanos(n: number): void };
}

let loaded: ShimModules | undefined;

type WinstonLogger = { transports: { silent?: boolean }[] };

/**
 * fabric-shim and fabric-contract-api log every transaction (and every refusal, at error
 * level) to stdout, as a chaincode container should. In-process that would flood the
 * service's own output and cost a log line's formatting per transaction, so unless the
 * operator asks for chaincode logs with CORE_CHAINCODE_LOGGING_LEVEL, their level is
 * ERROR (read by their loggers when created) and their console transports are silent.
 */
function quietLoggers(load: () => readonly { getLogger(name: string): WinstonLogger }[]): void {
  if (process.env.CORE_CHAINCODE_LOGGING_LEVEL) {
    load();
    return;
  }
  process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'ERROR';
  for (const m of load()) for (const t of m.getLogger('zhengyin-embedded').transports) t.silent = true;
}

/**
 * Loads fabric-shim's own modules from the chaincode project.
 * @throws Error naming the missing build step when `chaincode/` is not installed or built.
 */
export function loadShimModules(dir = chaincodeDir): ShimModules {
  if (loaded && dir === chaincodeDir) return loaded;
  const req = createRequire(path.join(dir, 'package.json'));
  let shimLib: string;
  try {
    shimLib = path.join(path.dirname(req.resolve('fabric-shim')), 'lib');
  } catch (cause) {
    throw new Error(`fabric-shim is not installed in ${dir}: run \`npm ci --prefix chaincode\``, { cause });
  }
  const shimReq = createRequire(path.join(shimLib, 'chaincode.js'));
  quietLoggers(() => [shimReq('./logger.js'), req(path.join(path.dirname(req.resolve('fabric-contract-api')), 'lib', 'logger.js'))]);
  const protosMain = shimReq.resolve('@hyperledger/fabric-protos');
  const modules: ShimModules = {
    Bootstrap: shimReq('./contract-spi/bootstrap.js'),
    ChaincodeFromContract: shimReq('./contract-spi/chaincodefromcontract.js'),
    ChaincodeMessageHandler: shimReq('./handler.js').ChaincodeMessageHandler,
    protos: shimReq(protosMain),
    Timestamp: createRequire(protosMain)('google-protobuf/google/protobuf/timestamp_pb.js').Timestamp,
  };
  if (dir === chaincodeDir) loaded = modules;
  return modules;
}
