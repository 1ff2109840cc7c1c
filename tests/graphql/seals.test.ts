import { beforeAll, describe, expect, it } from 'vitest';
import { issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { OPERATOR } from '../../gateway/services/index.ts';
import { BUSINESS_LICENCE, SEED_EXAMPLES } from '../../signer/index.ts';
import { verifyPdf } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';
import { firstCode, gql, gqlUpload } from './support.ts';

const SEAL_FIELDS = 'id departmentId name state stateReason';
const MAKE = `mutation($input: MakeSealInput!) { makeSeal(input: $input) { ${SEAL_FIELDS} } }`;
const SUSPEND = `mutation($id: String!, $reason: String!) { suspendSeal(id: $id, reason: $reason) { ${SEAL_FIELDS} } }`;
const RESUME = `mutation($id: String!) { resumeSeal(id: $id) { ${SEAL_FIELDS} } }`;
const REVOKE = `mutation($id: String!, $reason: String!) { revokeSeal(id: $id, reason: $reason) { ${SEAL_FIELDS} } }`;
const APPLY = `mutation($file: Upload!, $sealId: String!, $placement: SealPlacementInput) {
  applySeal(file: $file, sealId: $sealId, placement: $placement) { sealId size download { url expiresAt } }
}`;

describe('GraphQL: seals', () => {
  const t = useTestApp();
  const tokens = {} as Record<'bdcdjAdmin' | 'bdcdjIssuer' | 'gjjAdmin' | 'gjjIssuer', string>;
  beforeAll(async () => {
    await t.app.seedDemo();
    const mint = async (departmentId: string, role: 'admin' | 'issuer') => (await t.app.tokens.mint(OPERATOR, { departmentId, role })).token;
    tokens.bdcdjAdmin = await mint('bdcdj', 'admin');
    tokens.bdcdjIssuer = await mint('bdcdj', 'issuer');
    tokens.gjjAdmin = await mint('gjj', 'admin');
    tokens.gjjIssuer = await mint('gjj', 'issuer');
  });

  /** Every seal with its state, to show a refused call changed nothing. */
  const registry = () => t.db.prisma.seal.findMany({ select: { id: true, state: true, stateReason: true }, orderBy: { id: 'asc' } });

  it("lets a department admin make, suspend, resume and revoke its own department's seal", async () => {
    const made = await gql(t.url, MAKE, { token: tokens.bdcdjAdmin, variables: { input: { title: '不动产登记专用章' } } });
    expect(made.body.errors).toBeUndefined();
    const seal = made.body.data!.makeSeal;
    expect(seal).toMatchObject({ departmentId: 'bdcdj', name: '厦门市不动产登记中心不动产登记专用章', state: 'ACTIVE' });

    const listed = await gql(t.url, `{ seals { id state } }`, { token: tokens.bdcdjAdmin });
    expect(listed.body.data!.seals).toContainEqual({ id: seal.id, state: 'ACTIVE' });

    const suspended = await gql(t.url, SUSPEND, { token: tokens.bdcdjAdmin, variables: { id: seal.id, reason: '印章送检' } });
    expect(suspended.body.data!.suspendSeal).toMatchObject({ state: 'SUSPENDED', stateReason: '印章送检' });
    const resumed = await gql(t.url, RESUME, { token: tokens.bdcdjAdmin, variables: { id: seal.id } });
    expect(resumed.body.data!.resumeSeal).toMatchObject({ state: 'ACTIVE' });
    const revoked = await gql(t.url, REVOKE, { token: tokens.bdcdjAdmin, variables: { id: seal.id, reason: '印章遗失' } });
    expect(revoked.body.data!.revokeSeal).toMatchObject({ state: 'REVOKED', stateReason: '印章遗失' });
    expect((await t.app.services.seals.get(seal.id)).state).toBe('revoked');
  });

  it("refuses another department's admin and an issuer-role token, changing nothing", async () => {
    const seal = (await t.app.services.seals.activeSealOf('bdcdj'))!;
    const before = await registry();

    const refusals = [
      await gql(t.url, SUSPEND, { token: tokens.gjjAdmin, variables: { id: seal.id, reason: '越权' } }),
      await gql(t.url, REVOKE, { token: tokens.gjjAdmin, variables: { id: seal.id, reason: '越权' } }),
      await gql(t.url, MAKE, { token: tokens.gjjAdmin, variables: { input: { departmentId: 'bdcdj', title: '越权章' } } }),
      await gql(t.url, `query($d: String) { seals(departmentId: $d) { id } }`, { token: tokens.gjjAdmin, variables: { d: 'bdcdj' } }),
      await gql(t.url, SUSPEND, { token: tokens.bdcdjIssuer, variables: { id: seal.id, reason: '无权' } }),
      await gql(t.url, REVOKE, { token: tokens.bdcdjIssuer, variables: { id: seal.id, reason: '无权' } }),
      await gql(t.url, MAKE, { token: tokens.bdcdjIssuer, variables: { input: { title: '无权章' } } }),
    ];
    for (const r of refusals) expect(firstCode(r)).toBe('FORBIDDEN');
    const anonymous = await gql(t.url, SUSPEND, { variables: { id: seal.id, reason: '匿名' } });
    expect(firstCode(anonymous)).toBe('UNAUTHENTICATED');
    expect(await registry()).toEqual(before);
  });

  it('applies a seal to an uploaded PDF and hands the sealed PDF back by a signed download link, with one more valid signature', async () => {
    const { pdf } = await t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, reservedSeals: 1 });
    const seal = (await t.app.services.seals.activeSealOf('gjj'))!;

    const applied = await gqlUpload(t.url, APPLY, pdf, { token: tokens.gjjIssuer, variables: { sealId: seal.id, placement: { field: 'Seal2' } } });
    expect(applied.body.errors).toBeUndefined();
    const { download, size } = applied.body.data!.applySeal;
    expect(JSON.stringify(applied.body)).not.toMatch(/JVBERi0/); // no base64 PDF in the JSON
    const res = await fetch(download.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const sealed = new Uint8Array(await res.arrayBuffer());
    expect(sealed.length).toBe(size);
    // An incremental update: the uploaded bytes are untouched at the front.
    expect(Buffer.from(sealed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);

    // Online: the seal is PAdES B-T, so its revocation status comes from this installation's OCSP responder.
    const options = { trust: [await t.app.services.pki.rootCertificate()], online: { allowUrl: (url: URL) => url.origin === t.url.origin } };
    const passed = async (bytes: Uint8Array) =>
      (await verifyPdf(bytes, options)).signatures.filter((s) => s.kind === 'SIGNATURE' && s.indication === 'TOTAL_PASSED');
    const [before, after] = [await passed(pdf), await passed(sealed)];
    expect(after).toHaveLength(before.length + 1);
    expect(after.map((s) => s.fieldName)).toContain('Seal2');
    expect((await verifyPdf(sealed, options)).document.verdict).toBe('VALID');

    const forged = new URL(download.url);
    forged.searchParams.set('signature', '0'.repeat(64));
    expect((await fetch(forged)).status).toBe(403);
  });

  it('refuses a revoked or suspended seal, a new field on a certified document, a non-PDF and a seal of another department, all typed', async () => {
    const { pdf } = await issueDemoLicence(t.app.services);
    const suspended = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '暂停测试章' });
    await t.app.services.seals.suspend(OPERATOR, suspended.id, '送检');
    const revoked = await t.app.services.seals.create(OPERATOR, { departmentId: 'gjj', title: '注销测试章' });
    await t.app.services.seals.revoke(OPERATOR, revoked.id, '遗失');
    const active = (await t.app.services.seals.activeSealOf('gjj'))!;
    const at = { page: 1, x: 60, y: 60 };

    const cases: [Uint8Array, Record<string, unknown>, string, string][] = [
      [pdf, { sealId: revoked.id, placement: at }, tokens.gjjIssuer, 'SEAL_REVOKED'],
      [pdf, { sealId: suspended.id, placement: at }, tokens.gjjIssuer, 'SEAL_SUSPENDED'],
      [pdf, { sealId: active.id }, tokens.gjjIssuer, 'NEW_FIELD_AFTER_CERTIFICATION'],
      [new TextEncoder().encode('not a pdf at all'), { sealId: active.id }, tokens.gjjIssuer, 'INVALID_INPUT'],
      [pdf, { sealId: active.id, placement: { ...at, allowNewField: true } }, tokens.bdcdjAdmin, 'FORBIDDEN'],
    ];
    for (const [file, variables, token, code] of cases) {
      const r = await gqlUpload(t.url, APPLY, file, { token, variables });
      expect(r.body.data?.applySeal ?? null, code).toBeNull();
      expect(firstCode(r), code).toBe(code);
    }
    const certified = await gqlUpload(t.url, APPLY, pdf, { token: tokens.gjjIssuer, variables: { sealId: active.id } });
    expect(certified.body.errors![0]!.extensions).toMatchObject({ freeFields: [] });
  });

  it('refuses an oversize upload before sealing it', async () => {
    const seal = (await t.app.services.seals.activeSealOf('gjj'))!;
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const res = await fetch(new URL('graphql', t.url), {
      method: 'POST',
      headers: { 'x-zhengyin-csrf': '1', authorization: `Bearer ${tokens.gjjIssuer}` },
      body: (() => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query: APPLY, variables: { file: null, sealId: seal.id } }));
        form.set('map', JSON.stringify({ 0: ['variables.file'] }));
        form.set('0', new Blob([big], { type: 'application/pdf' }), 'big.pdf');
        return form;
      })(),
    }).catch((e: Error) => e);
    // The route answers 413 from the length, or closes the connection once the limit is passed.
    if (res instanceof Response) expect(res.status).toBe(413);
    else expect(res).toBeInstanceOf(Error);
  });
});
