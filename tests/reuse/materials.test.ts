import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDENT_FUND_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { gql } from '../graphql/support.ts';
import { applicantToken, BUYER, departmentToken, ok, OPEN, plan, REQUEST, UNIT, upload } from './support.ts';

const TRANSFER = '350200-BDC-0001';
const LOAN = '350200-GJJ-0002';

describe('materials handed in once are reused by later applications: verified, unexpired, the latest', () => {
  const t = useTestApp({ DATABASE_URL: '' });
  const tokens: Record<string, string> = {};
  let buyer = '';
  let signedPdf: Uint8Array;

  beforeAll(async () => {
    await t.app.seedDemo();
    for (const d of ['gjj', 'bdcdj']) tokens[d] = await departmentToken(t, d);
    buyer = await applicantToken(t, BUYER);
    const licence = await t.db.prisma.licence.findFirstOrThrow({ where: { typeCode: PROVIDENT_FUND_CERTIFICATE.code }, include: { document: true } });
    signedPdf = licence.document!.pdf;
  }, 180_000);

  const open = async (token: string, matter: string) => ok(await gql(t.url, OPEN, { token, variables: { input: { applicant: BUYER, matter, unitNumber: UNIT } } })).openApplication.id as string;
  const lineOf = async (id: string, kind: string) => (await plan(t, tokens.gjj!, id)).find((l) => l.kind === kind)!;

  it('reuses what the window checked and what was signed and verified; an unsigned upload by the applicant is asked for again', async () => {
    const transfer = await open(tokens.bdcdj!, TRANSFER);
    ok(await gql(t.url, REQUEST, { token: tokens.bdcdj!, variables: { id: transfer, kinds: ['applicant-identity', 'property-sale-contract'] } }));
    const identity = ok(await upload(t, tokens.bdcdj!, transfer, 'applicant-identity')).uploadMaterial;
    const contract = ok(await upload(t, buyer, transfer, 'property-sale-contract')).uploadMaterial;
    expect(identity.verified).toBe(true);
    expect(contract.verified).toBe(false);

    const loan = await open(tokens.gjj!, LOAN);
    expect(await lineOf(loan, 'applicant-identity')).toMatchObject({ resolution: 'REUSED_MATERIAL', material: { id: identity.id } });
    expect((await lineOf(loan, 'property-sale-contract')).resolution).toBe('UPLOAD');

    // The same contract, signed: verified by the verifier, so the next application reuses it.
    const signed = ok(await upload(t, buyer, loan, 'property-sale-contract', Buffer.from(signedPdf))).uploadMaterial;
    expect(signed.verified).toBe(true);
    const later = await open(tokens.gjj!, LOAN);
    expect(await lineOf(later, 'property-sale-contract')).toMatchObject({ resolution: 'REUSED_MATERIAL', material: { id: signed.id } });
  });

  it('takes the latest material after a change, and never falls back to a superseded one', async () => {
    const first = await t.db.prisma.material.findFirstOrThrow({ where: { kind: 'applicant-identity' }, orderBy: { givenAt: 'desc' } });
    await t.db.prisma.material.update({ where: { id: first.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const loan = await open(tokens.gjj!, LOAN);
    expect((await lineOf(loan, 'applicant-identity')).resolution).toBe('UPLOAD');

    // A new ID card is handed in at the window: it is the one later applications reuse.
    ok(await gql(t.url, REQUEST, { token: tokens.gjj!, variables: { id: loan, kinds: ['applicant-identity'] } }));
    const changed = ok(await upload(t, tokens.gjj!, loan, 'applicant-identity', Buffer.from('%新身份证\n'))).uploadMaterial;
    const next = await open(tokens.gjj!, LOAN);
    expect(await lineOf(next, 'applicant-identity')).toMatchObject({ resolution: 'REUSED_MATERIAL', material: { id: changed.id } });

    // Once the latest lapses, the older one does not count again, even if it had not.
    await t.db.prisma.material.update({ where: { id: first.id }, data: { expiresAt: null } });
    await t.db.prisma.material.update({ where: { id: changed.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await lineOf(await open(tokens.gjj!, LOAN), 'applicant-identity')).resolution).toBe('UPLOAD');
  });
});
