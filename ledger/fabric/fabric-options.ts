import fs from 'node:fs';
import { ConfigurationError } from '../../common/index.ts';

/** How to reach the evidence chaincode on a Fabric network through the peer's Gateway service. */
export interface FabricOptions {
  /** host:port of the peer's Gateway (FABRIC_PEER_ENDPOINT). */
  readonly peerEndpoint: string;
  /** TLS server name to expect when the endpoint's host is not in the peer's certificate (FABRIC_PEER_HOST_ALIAS). */
  readonly peerHostAlias?: string;
  /** PEM of the CA that issued the peer's TLS certificate (FABRIC_TLS_CA_CERT). */
  readonly tlsCaCert: string;
  /** MSP id of the client identity (FABRIC_MSP_ID). */
  readonly mspId: string;
  /** PEM X.509 certificate of the client identity (FABRIC_USER_CERT). */
  readonly userCert: string;
  /** PEM PKCS#8 private key of the client identity (FABRIC_USER_KEY). Never logged. */
  readonly userKey: string;
  /** FABRIC_CHANNEL. */
  readonly channel: string;
  /** FABRIC_CHAINCODE. */
  readonly chaincode: string;
}

const REQUIRED = ['FABRIC_PEER_ENDPOINT', 'FABRIC_TLS_CA_CERT', 'FABRIC_MSP_ID', 'FABRIC_USER_CERT', 'FABRIC_USER_KEY', 'FABRIC_CHANNEL', 'FABRIC_CHAINCODE'] as const;

/**
 * Reads the FABRIC_* variables as `shared/fabric-net` writes them to run/network.env.
 * The certificate and key variables hold file paths there; inline PEM is accepted too.
 * Returns undefined when FABRIC_PEER_ENDPOINT is unset (the embedded ledger applies).
 *
 * @throws {@link ConfigurationError} naming the first missing or unreadable variable.
 */
export function fabricOptionsFromEnv(env: NodeJS.ProcessEnv): FabricOptions | undefined {
  if (!env.FABRIC_PEER_ENDPOINT) return undefined;
  for (const name of REQUIRED) {
    if (!env[name]) throw new ConfigurationError({ setting: name, message: `${name} is required when FABRIC_PEER_ENDPOINT is set` });
  }
  const pem = (name: 'FABRIC_TLS_CA_CERT' | 'FABRIC_USER_CERT' | 'FABRIC_USER_KEY'): string => {
    const value = env[name]!;
    if (value.includes('-----BEGIN')) return value;
    try {
      return fs.readFileSync(value, 'utf8');
    } catch (cause) {
      throw new ConfigurationError({ setting: name, message: `${name}: cannot read ${value}: ${(cause as Error).message}`, cause });
    }
  };
  return {
    peerEndpoint: env.FABRIC_PEER_ENDPOINT,
    ...(env.FABRIC_PEER_HOST_ALIAS ? { peerHostAlias: env.FABRIC_PEER_HOST_ALIAS } : {}),
    tlsCaCert: pem('FABRIC_TLS_CA_CERT'),
    mspId: env.FABRIC_MSP_ID!,
    userCert: pem('FABRIC_USER_CERT'),
    userKey: pem('FABRIC_USER_KEY'),
    channel: env.FABRIC_CHANNEL!,
    chaincode: env.FABRIC_CHAINCODE!,
  };
}
