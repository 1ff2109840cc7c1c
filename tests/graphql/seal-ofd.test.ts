import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/index.ts';
import { verifyOfd } from '../../verifier/index.ts';
import { pki } from '../ofd/support.ts';
import { useTestApp } from '../support/app.ts';
import { applySeal, newOfd, zipOfd } from '../verifier/ofd/support/ofd-builder.ts';
import { issueSm2Crl } from '../verifier/ofd/support/sm2-pki.ts';
import { firstCode, gqlUpload } from './support.ts';

const APPLY = `mutation($file: Upload!, $sealId: String!, $placement: SealPlacementInput) {
  applySeal(file: $file, sealId: $sealId, placement: $placement) { sealId size format download { url expiresAt } }
}`;

describe('GraphQL: applySeal on an OFD upload', () => {
  const t = useTestApp();
  const foreign = zipOfd(applySeal(newOfd(), { signer: pki.signer, maker: pki.maker }));
  const tokens = {} as Record<'gjjIssuer' | 'bdcdjIssuer', string>;
  let sm2Seal: string;

  beforeAll(async () => {
    await t.app.seedDemo();
    const mint = async (departmentId: string) => (await t.app.tokens.mint(OPERATOR, { departmentId, role: 'issuer' })).token;
    tokens.gjjIssuer = await mint('gjj');
    tokens.bdcdjIssuer = await mint('bdcdj');
    sm2Seal = (await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: 'OFD专用章', algorithm: 'SM2' })).id;
  });

  it('seals an uploaded OFD (whatever its name and type) and serves it as application/ofd; both seals pass', async () => {
    const r = await gqlUpload(t.url, APPLY, foreign, { token: tokens.gjjIssuer, variables: { sealId: sm2Seal, placement: { page: 1, x: 15, y: 200 } }, name: 'upload.bin', type: 'application/octet-stream' });
    expect(r.body.errors).toBeUndefined();
    const { format, size, download } = r.body.data!.applySeal;
    expect(format).toBe('ofd');
    expect(download.url).toMatch(/\/downloads\/sealed\/[^/]+\.ofd\?/);
    const res = await fetch(download.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/ofd');
    expect(res.headers.get('content-disposition')).toContain('sealed.ofd');
    const sealed = new Uint8Array(await res.arrayBuffer());
    expect(sealed.length).toBe(size);
    // The PDF route does not serve it under the same id.
    expect((await fetch(download.url.replace('.ofd?', '.pdf?'))).status).toBe(403);

    const { pki: ours } = t.app.services;
    const caId = (await ours.findDepartmentCa('gjj', 'SM2'))!;
    const report = await verifyOfd(sealed, {
      trust: [pki.root.certificate, await ours.sm2RootCertificate()],
      certificates: [await ours.caCertificate(caId)],
      crls: [issueSm2Crl(pki.root, new Date(Date.now() - 3600_000), new Date(Date.now() + 86400_000)), (await ours.currentCrl(caId)).der, (await ours.currentCrl(await ours.sm2RootCertificateId())).der],
    });
    expect(report.signatures.map((s) => [s.indication, s.changes])).toEqual([['TOTAL_PASSED', []], ['TOTAL_PASSED', []]]);
  });

  it('refuses an ECDSA seal on an OFD, a field placement, a damaged package and another department, all typed', async () => {
    const ecSeal = (await t.app.services.seals.activeSealOf('gjj'))!.id;
    const cases: [Uint8Array, Record<string, unknown>, string, string][] = [
      [foreign, { sealId: ecSeal }, tokens.gjjIssuer, 'INVALID_SEAL_FOR_FORMAT'],
      [foreign, { sealId: sm2Seal, placement: { field: 'Seal2' } }, tokens.gjjIssuer, 'INVALID_INPUT'],
      [foreign.subarray(0, foreign.length - 100), { sealId: sm2Seal }, tokens.gjjIssuer, 'OFD_READ'],
      [foreign, { sealId: sm2Seal, placement: { page: 3 } }, tokens.gjjIssuer, 'OFD_SEAL'],
      [foreign, { sealId: sm2Seal }, tokens.bdcdjIssuer, 'FORBIDDEN'],
    ];
    for (const [file, variables, token, code] of cases) {
      const r = await gqlUpload(t.url, APPLY, file, { token, variables });
      expect(r.body.data?.applySeal ?? null, code).toBeNull();
      expect(firstCode(r), code).toBe(code);
    }
    expect(await t.db.prisma.sealedDocument.count()).toBe(1);
  });
});
