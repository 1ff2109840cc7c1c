import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { DEMO_APPLICANTS } from '../../gateway/services/demo-data.ts';
import { checkCharacter } from '../../gateway/services/use-codes/code-format.ts';
import { ORIGINAL_ATTACHMENT_NAME } from '../../signer/index.ts';
import { readAttachments } from '../../verifier/index.ts';
import { useTestApp } from '../support/app.ts';
import { run, tempPdf } from '../support/pdf-tools.ts';
import { nssDatabase, pdfsig, PDFSIG } from '../support/pdfsig.ts';
import { hasTool, hasTools } from '../support/tools.ts';
import { firstCode, gql } from '../graphql/support.ts';

const [PERSON, COMPANY] = DEMO_APPLICANTS;

const MINT = `mutation($input: MintUseCodeInput!) { mintUseCode(input: $input) { code url useCode { id identifier hint state expiresAt } } }`;
const PRESENT = `mutation($input: PresentUseCodeInput!) {
  presentUseCode(input: $input) { status { identifier status holderMasked typeName } copy { url expiresAt } copyValidUntil }
}`;
const MINE = `{ myUseCodes { edges { node { id hint state presentationCount presentations { edges { node { recipient purpose copySha256 } } } } } } }`;

describe('GraphQL: use codes (用证码) and annotated copies (加注件)', () => {
  // The embedded default's configuration, for the demo sign-in's applicant tokens.
  const t = useTestApp({ DATABASE_URL: '' });
  let company: string;
  let person: string;
  let department: string;
  let identifier: string;
  let minted: { code: string; useCode: { id: string } };
  let nss: { dir: string; dispose(): void } | undefined;

  beforeAll(async () => {
    await t.app.seedDemo();
    company = await t.app.demoIssuer!.mint({ claim: t.config.oidc.usccClaim, code: COMPANY.code, name: COMPANY.name });
    person = await t.app.demoIssuer!.mint({ claim: t.config.oidc.idClaim, code: PERSON.code, name: PERSON.name });
    department = (await t.app.tokens.mint(OPERATOR, { departmentId: 'scjg', role: 'issuer' })).token;
    const mine = await gql(t.url, `{ myLicences { edges { node { identifier } } } }`, { token: company });
    identifier = mine.body.data!.myLicences.edges[0].node.identifier;
    if (hasTools(...PDFSIG)) nss = nssDatabase(await (await fetch(new URL('pki/root.pem', t.url))).text());
  }, 120_000);
  afterAll(() => nss?.dispose());

  const expiresAt = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

  it('lets only the holder mint: another applicant, a department and anyone are refused, nothing written', async () => {
    const before = await t.db.prisma.useCode.count();
    const input = { identifier, expiresAt: expiresAt() };
    expect(firstCode(await gql(t.url, MINT, { token: person, variables: { input } }))).toBe('NOT_FOUND');
    expect(firstCode(await gql(t.url, MINT, { token: department, variables: { input } }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, MINT, { variables: { input } }))).toBe('UNAUTHENTICATED');
    expect(await t.db.prisma.useCode.count()).toBe(before);

    const r = await gql(t.url, MINT, { token: company, variables: { input: { ...input, purpose: '银行开户' } } });
    expect(r.body.errors).toBeUndefined();
    minted = r.body.data!.mintUseCode;
    expect(minted).toMatchObject({ useCode: { identifier, state: 'ACTIVE' } });
    expect(await t.db.prisma.useCode.count()).toBe(before + 1);
  });

  it('lets anyone present the code: the public status and a link to an annotated copy that verifies and names them', async () => {
    const r = await gql(t.url, PRESENT, { variables: { input: { code: minted.code, recipient: '厦门国际银行湖里支行', purpose: '对公开户核验' } } });
    expect(r.body.errors).toBeUndefined();
    const shown = r.body.data!.presentUseCode;
    expect(shown.status).toEqual({ identifier, status: 'VALID', holderMasked: COMPANY.name, typeName: '营业执照' });
    expect(JSON.stringify(r.body)).not.toMatch(/JVBER|%PDF/); // never base64 in JSON

    const download = await fetch(shown.copy.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const copy = new Uint8Array(await download.arrayBuffer());
    const original = readAttachments(copy, { names: [ORIGINAL_ATTACHMENT_NAME], maxBytes: 16 << 20 }).attachments[0]!.data;
    const licence = await t.app.services.licences.document(OPERATOR, identifier);
    expect(Buffer.from(original).equals(Buffer.from(licence))).toBe(true);

    if (hasTool('pdftotext')) {
      const text = run('pdftotext', ['-enc', 'UTF-8', tempPdf(copy, 'copy.pdf'), '-']).stdout.replace(/\s+/g, '');
      expect(text).toContain('接收方Recipient：厦门国际银行湖里支行');
      expect(text).toContain('此件仅用于“对公开户核验”');
      expect(text).toContain(`编号Reference：${minted.useCode.id}/`);
    }
    if (nss) {
      for (const pdf of [copy, original]) {
        const { output, signatures } = await pdfsig(pdf, nss.dir);
        const seals = signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
        expect(seals.length, output).toBeGreaterThan(0);
        for (const s of seals) expect([s.signatureValid, s.certificateTrusted], s.block).toEqual([true, true]);
      }
    }

    // A changed link opens nothing.
    const forged = new URL(shown.copy.url);
    forged.searchParams.set('signature', '0'.repeat(64));
    expect((await fetch(forged)).status).toBe(403);
  });

  it('shows the holder every presentation, and no one else', async () => {
    const mine = await gql(t.url, MINE, { token: company });
    expect(mine.body.errors).toBeUndefined();
    const code = mine.body.data!.myUseCodes.edges.find((e: any) => e.node.id === minted.useCode.id).node;
    expect(code).toMatchObject({ state: 'ACTIVE', presentationCount: 1 });
    expect(code.presentations.edges.map((e: any) => [e.node.recipient, e.node.purpose])).toEqual([['厦门国际银行湖里支行', '对公开户核验']]);

    expect((await gql(t.url, MINE, { token: person })).body.data!.myUseCodes.edges).toEqual([]);
    expect(firstCode(await gql(t.url, MINE, { token: department }))).toBe('FORBIDDEN');
    expect(firstCode(await gql(t.url, MINE))).toBe('UNAUTHENTICATED');
  });

  it('refuses a withdrawn, forged or mistyped code with its own code, writing nothing', async () => {
    const WITHDRAW = `mutation($id: ID!) { withdrawUseCode(id: $id) { state } }`;
    expect(firstCode(await gql(t.url, WITHDRAW, { token: person, variables: { id: minted.useCode.id } }))).toBe('NOT_FOUND');
    expect(firstCode(await gql(t.url, WITHDRAW, { variables: { id: minted.useCode.id } }))).toBe('UNAUTHENTICATED');
    expect((await gql(t.url, WITHDRAW, { token: company, variables: { id: minted.useCode.id } })).body.data!.withdrawUseCode.state).toBe('WITHDRAWN');

    const before = await t.db.prisma.useCodePresentation.count();
    const present = (code: string) => gql(t.url, PRESENT, { variables: { input: { code, recipient: '某银行', purpose: '开户' } } });
    const forged = '0000000000A' + checkCharacter('0000000000A');
    expect(firstCode(await present(minted.code))).toBe('USE_CODE_WITHDRAWN');
    expect(firstCode(await present(forged))).toBe('USE_CODE_UNKNOWN');
    const typo = await present(minted.code.slice(0, -1) + (minted.code.endsWith('0') ? '1' : '0'));
    expect(typo.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_CODE', field: 'code' });
    expect(await t.db.prisma.useCodePresentation.count()).toBe(before);
  });

  it('rate-limits presentations per address: 429 RATE_LIMITED with Retry-After', async () => {
    const forged = '0000000000B' + checkCharacter('0000000000B');
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await fetch(new URL('graphql', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: PRESENT, variables: { input: { code: forged, recipient: '某银行', purpose: '开户' } } }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') limited = res;
      else expect(body.errors?.[0]?.extensions?.code).toBe('USE_CODE_UNKNOWN');
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
