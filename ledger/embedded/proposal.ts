import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { peer as PeerPb } from '@hyperledger/fabric-protos';
import type { ShimModules } from './shim-modules.ts';

/** A client identity of the embedded channel: MSP id, X.509 certificate and its key. */
export interface EmbeddedIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export interface Proposal {
  readonly txId: string;
  readonly timestamp: Date;
  readonly signedProposal: PeerPb.SignedProposal;
  readonly input: PeerPb.ChaincodeInput;
  readonly args: readonly Buffer[];
}

/**
 * Builds a signed transaction proposal the way a Fabric client does: SerializedIdentity
 * creator, random nonce, txId = SHA-256(nonce ‖ creator), channel header with the
 * timestamp, ChaincodeInvocationSpec payload, creator's ECDSA signature. fabric-shim's
 * stub decodes creator, timestamp and transient data from it.
 */
export function newProposal(
  m: ShimModules,
  p: Readonly<{ channel: string; chaincode: string; identity: EmbeddedIdentity; fn: string; args: readonly string[]; at?: Date }>,
): Proposal {
  const { common, msp, peer } = m.protos;
  const creator = new msp.SerializedIdentity();
  creator.setMspid(p.identity.mspId);
  creator.setIdBytes(Buffer.from(p.identity.certificatePem, 'utf8'));
  const creatorBytes = creator.serializeBinary();
  const nonce = randomBytes(24);
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');
  const timestamp = p.at ?? new Date();

  const ts = new m.Timestamp();
  ts.setSeconds(Math.floor(timestamp.getTime() / 1000));
  ts.setNanos((timestamp.getTime() % 1000) * 1e6);
  const ccId = new peer.ChaincodeID();
  ccId.setName(p.chaincode);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(ccId);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(p.channel);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(ts as never);
  channelHeader.setEpoch(0);
  channelHeader.setExtension$(extension.serializeBinary());
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creatorBytes);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const args = [p.fn, ...p.args].map((a) => Buffer.from(a, 'utf8'));
  const input = new peer.ChaincodeInput();
  input.setArgsList(args);
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const proposalBytes = proposal.serializeBinary();
  const signedProposal = new peer.SignedProposal();
  signedProposal.setProposalBytes(proposalBytes);
  signedProposal.setSignature(sign('sha256', proposalBytes, p.identity.privateKey));
  return { txId, timestamp, signedProposal, input, args };
}
