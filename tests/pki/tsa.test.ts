import { createHash } from 'node:crypto';
import fs from 'node:fs';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, ContentInfo, Extension, MessageImprint, SignedData, TimeStampReq, TimeStampResp, TSTInfo } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalTimestampAuthority, TimestampRejectedError, TimestampResponder, toPem, ZHENGYIN_TSA_POLICY } from '../../signer/index.ts';
import { createLibraryPki, type LibraryPki } from '../support/library-pki.ts';
import { openssl, useScratchDir } from '../support/openssl.ts';
import { skipWithout } from '../support/tools.ts';

const noOpenssl = skipWithout('tests/pki/tsa', 'openssl');

const SHA256 = '2.16.840.1.101.3.4.2.1';
const failInfoBits = { badAlg: 0, badRequest: 2, badDataFormat: 5, timeNotAvailable: 14, unacceptedPolicy: 15, unacceptedExtension: 16 } as const;

describe('RFC 3161 time-stamp authority', () => {
  let pki: LibraryPki;
  let tsa: TimestampResponder;
  const scratch = useScratchDir();
  const data = scratch.file('data.txt', '证照数据 licence bytes');

  beforeAll(async () => {
    pki = await createLibraryPki();
    tsa = new TimestampResponder({ certificate: pki.tsa.der, key: pki.tsa.key });
  });

  const rootPem = () => scratch.file('root.pem', toPem(pki.root.der, 'CERTIFICATE'));

  async function stamp(queryArgs: readonly string[]): Promise<{ reply: string; query: string }> {
    const query = scratch.file('query.tsq');
    expect(openssl(['ts', '-query', '-data', data, ...queryArgs, '-out', query]).status).toBe(0);
    const reply = scratch.file('reply.tsr', await tsa.respond(new Uint8Array(fs.readFileSync(query))));
    return { reply, query };
  }

  it.skipIf(noOpenssl).each([['-sha256'], ['-sha384'], ['-sha512']])('grants a %s query with certReq; openssl ts -verify accepts it against the data and the request', async (digest) => {
    const { reply, query } = await stamp([digest, '-cert']);
    expect(openssl(['ts', '-verify', '-data', data, '-in', reply, '-CAfile', rootPem()]).stdout).toContain('Verification: OK');
    expect(openssl(['ts', '-verify', '-queryfile', query, '-in', reply, '-CAfile', rootPem()]).stdout).toContain('Verification: OK');
    const text = openssl(['ts', '-reply', '-in', reply, '-text']).stdout;
    expect(text).toContain('Status: Granted.');
    expect(text).toContain(`Policy OID: ${ZHENGYIN_TSA_POLICY}`);
    expect(text).toContain('Accuracy: 0x01 seconds');
    expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
  });

  it.skipIf(noOpenssl)('leaves the certificate out unless asked, and echoes no nonce when none was sent', async () => {
    const { reply } = await stamp(['-sha256', '-no_nonce']);
    expect(openssl(['ts', '-verify', '-data', data, '-in', reply, '-CAfile', rootPem()]).status).not.toBe(0);
    const tsaPem = scratch.file('tsa.pem', toPem(pki.tsa.der, 'CERTIFICATE'));
    expect(openssl(['ts', '-verify', '-data', data, '-in', reply, '-CAfile', rootPem(), '-untrusted', tsaPem]).stdout).toContain('Verification: OK');
    expect(openssl(['ts', '-reply', '-in', reply, '-text']).stdout).toContain('Nonce: unspecified');
  });

  it.skipIf(noOpenssl)('accepts its own policy and rejects another one (unacceptedPolicy)', async () => {
    expect(openssl(['ts', '-reply', '-in', (await stamp(['-sha256', '-tspolicy', ZHENGYIN_TSA_POLICY])).reply, '-text']).stdout).toContain('Status: Granted.');
    const text = openssl(['ts', '-reply', '-in', (await stamp(['-sha256', '-tspolicy', '1.2.3.4'])).reply, '-text']).stdout;
    expect(text).toContain('Status: Rejected.');
    expect(text).toContain('the requested TSA policy is not supported by the TSA');
  });

  it.each([
    ['garbage', 'badDataFormat', () => new Uint8Array([0xde, 0xad])],
    ['a SHA-1 imprint', 'badAlg', () => request({ algorithm: '1.3.14.3.2.26', imprint: new Uint8Array(20) })],
    ['an unknown hash algorithm', 'badAlg', () => request({ algorithm: '1.2.3.4', imprint: new Uint8Array(32) })],
    ['a SHA-256 imprint of 31 octets', 'badDataFormat', () => request({ imprint: new Uint8Array(31) })],
    ['an extension', 'unacceptedExtension', () => request({ extension: true })],
    ['version 2', 'badRequest', () => request({ version: 2 })],
    ['another policy', 'unacceptedPolicy', () => request({ policy: '1.2.3' })],
  ] as const)('rejects %s with failInfo %s', async (_case, failure, body) => {
    const response = TimeStampResp.fromBER((await tsa.respond(body())).slice().buffer);
    expect(response.status.status).toBe(2);
    expect(response.timeStampToken).toBeUndefined();
    const bits = response.status.failInfo!.valueBlock.valueHexView;
    const bit = failInfoBits[failure];
    expect((bits[bit >> 3]! & (0x80 >> (bit & 7))) !== 0).toBe(true);
  });

  it('issues tokens in-process with the TSA certificate, a random serial, genTime now and the ESS signing-certificate-v2 attribute', async () => {
    const authority = new LocalTimestampAuthority(tsa);
    const imprint = createHash('sha256').update('x').digest();
    const before = Math.floor(Date.now() / 1000) * 1000;
    const [a, b] = await Promise.all([authority.timestamp(imprint, 'SHA-256'), authority.timestamp(imprint, 'SHA-256')]);
    const signed = new SignedData({ schema: ContentInfo.fromBER(a!.slice().buffer).content });
    const info = TSTInfo.fromBER(signed.encapContentInfo.eContent!.valueBlock.valueHexView.slice().buffer);
    const other = TSTInfo.fromBER(new SignedData({ schema: ContentInfo.fromBER(b!.slice().buffer).content }).encapContentInfo.eContent!.valueBlock.valueHexView.slice().buffer);
    expect(Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(imprint);
    expect(info.genTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(info.genTime.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Buffer.from(info.serialNumber.valueBlock.valueHexView).equals(Buffer.from(other.serialNumber.valueBlock.valueHexView))).toBe(false);
    expect(signed.certificates).toHaveLength(1);
    const attributes = signed.signerInfos[0]!.signedAttrs!.attributes.map((x) => x.type);
    expect(attributes).toEqual(expect.arrayContaining(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47']));
    // pkijs checks the imprint against the time-stamped data itself, then the signature.
    expect(await signed.verify({ signer: 0, data: new TextEncoder().encode('x').buffer, checkChain: false, extendedMode: false })).toBe(true);
  });

  it('refuses in-process: a wrong imprint length, or a TSA certificate outside its validity (clock as a parameter)', async () => {
    const authority = new LocalTimestampAuthority(tsa);
    await expect(authority.timestamp(new Uint8Array(10), 'SHA-256')).rejects.toMatchObject({ name: TimestampRejectedError.name, code: 'TIMESTAMP_REJECTED', failInfo: ['badDataFormat'] });
    const late = new TimestampResponder({ certificate: pki.tsa.der, key: pki.tsa.key, clock: () => new Date(pki.tsa.info.notAfter.getTime() + 1000) });
    await expect(new LocalTimestampAuthority(late).timestamp(new Uint8Array(32), 'SHA-256')).rejects.toMatchObject({ failInfo: ['timeNotAvailable'] });
  });
});

function request(p: { algorithm?: string; imprint?: Uint8Array; extension?: boolean; version?: number; policy?: string }): Uint8Array {
  const req = new TimeStampReq({
    version: p.version ?? 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithmId: p.algorithm ?? SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: (p.imprint ?? new Uint8Array(32)).slice().buffer }),
    }),
    ...(p.policy ? { reqPolicy: p.policy } : {}),
    ...(p.extension ? { extensions: [new Extension({ extnID: '1.2.3.4.5', extnValue: new asn1js.Null().toBER() })] } : {}),
  });
  return new Uint8Array(req.toSchema().toBER());
}
