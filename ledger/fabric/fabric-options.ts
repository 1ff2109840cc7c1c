/**
 * How to reach the evidence chaincode on a Fabric network through the peer's Gateway
 * service. The gateway's configuration module reads these from the FABRIC_* variables.
 */
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
