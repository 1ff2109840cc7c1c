/**
 * The public verification over plain HTTP (issue 11, item 5): POST /verify answers the
 * verifier's report enriched from the registries, refuses what is not a bounded PDF with
 * a typed error, and GET / and GET /verify serve pages under a strict CSP.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, issueDemoLicence, OPERATOR } from '../../gateway/services/index.ts';
import { REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { flipByte, offsetOf } from '../verifier/support/bytes.ts';

const MAX_BYTES = 1024 * 1024;

interface Answer {
  report: { document: { verdict: string; sha256: string }; signatures: { fieldName: string; indication: string; subIndication: string | null }[] };
  licence: { identifier: string; status: string; match: string; holderMasked: string; statusUrl: string } | null;
  signatures: { fieldName: string; knownCertificate: boolean; seal: { id: string; state: string; departmentId: string } | null }[];
  ledger: { evidenceId: string }[] | null;
  error?: { code: string; message: string };
}

describe('POST /verify', () => {
  const t = useTestApp({ ZHENGYIN_VERIFY_MAX_BYTES: String(MAX_BYTES), ZHENGYIN_VERIFY_RATE: '1000' });
  let pdf: Uint8Array;
  let identifier: string;
  beforeAll(async () => {
    await t.app.seedDemo();
    ({ pdf, licence: { identifier } } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code));
  });

  const post = async (body: Uint8Array | string, type = 'application/pdf') => {
    const res = await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': type }, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
  };

  it('verifies a licence it issued: valid, the registry entry of this very file, the seal behind the signature', async () => {
    const { status, headers, body } = await post(pdf);

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.report.document.verdict).toBe('VALID');
    expect(body.licence).toMatchObject({ identifier, status: 'valid', match: 'document', holderMasked: '林**' });
    expect(body.licence!.statusUrl).toBe((await t.app.services.licences.get(OPERATOR, identifier)).statusUrl);
    const seal = await t.app.services.seals.activeSealOf('bdcdj');
    expect(body.signatures[0]).toMatchObject({ fieldName: 'Seal1', knownCertificate: true, seal: { id: seal!.id, state: 'active', departmentId: 'bdcdj' } });
    // The TSA's certificate is ours but binds no seal.
    expect(body.signatures[1]).toMatchObject({ fieldName: 'DocTimeStamp1', knownCertificate: true, seal: null });
    const text = JSON.stringify(body);
    expect(text).not.toContain('林美华');
    expect(text).not.toContain('350203198507151235');
  });

  it('says a tampered copy is invalid, and tells nothing of the registry for a file it did not issue', async () => {
    const tampered = flipByte(pdf, offsetOf(pdf, '/MediaBox') + 1);

    const { status, body } = await post(tampered);

    expect(status).toBe(200);
    expect(body.report.document.verdict).toBe('INVALID');
    expect(body.report.signatures[0]).toMatchObject({ fieldName: 'Seal1', indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    expect(body.licence).toBeNull();
    expect(body.ledger).toEqual([]);
  });

  it('shows a revoked licence as revoked in the registry, though its signatures stay valid', async () => {
    const { licence, pdf: revokedPdf } = await issueDemoLicence(t.app.services, REAL_ESTATE_CERTIFICATE.code);
    await t.app.services.licences.revoke(asDepartment('bdcdj'), licence.identifier, '权利人申请注销');

    const { body } = await post(revokedPdf);

    expect(body.report.document.verdict).toBe('VALID');
    expect(body.licence).toMatchObject({ identifier: licence.identifier, status: 'revoked', match: 'document' });
  });

  it('answers an upload over the limit with 413 and a typed error', async () => {
    const big = new Uint8Array(MAX_BYTES + 1).fill(0x20);
    big.set(Buffer.from('%PDF-1.7\n'));

    const { status, body } = await post(big);

    expect(status).toBe(413);
    expect(body.error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('stops reading a body sent without a length (chunked) at the limit: 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit: the server must answer without reading it all.
        if (sent > 64 * MAX_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(sent === chunk.length ? Buffer.concat([Buffer.from('%PDF-1.7\n'), chunk]) : chunk);
      },
    });

    const res = await fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body, duplex: 'half' } as RequestInit);

    expect(res.status).toBe(413);
    expect(((await res.json()) as Answer).error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(sent).toBeLessThan(64 * MAX_BYTES);
  });

  it.each([
    ['a text file', 'hello, this is not a PDF\n'],
    ['an empty body', ''],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
  ])('answers %s sent as a PDF with 400 INVALID_NOT_PDF', async (_name, body) => {
    const answer = await post(typeof body === 'string' ? body : new Uint8Array(body));

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'INVALID_NOT_PDF' });
  });

  it('reports a damaged PDF as UNREADABLE rather than failing', async () => {
    const { status, body } = await post(pdf.slice(0, 2000));

    expect(status).toBe(200);
    expect(body.report.document.verdict).toBe('UNREADABLE');
    expect(body.licence).toBeNull();
  });

  it('refuses any body that is not sent as application/pdf (415): a cross-site form cannot post one', async () => {
    const answer = await post(pdf, 'application/x-www-form-urlencoded');

    expect(answer.status).toBe(415);
    expect(answer.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps nothing of an upload', async () => {
    const count = async () => ({
      documents: await t.db.prisma.licenceDocument.count(),
      outbox: await t.db.prisma.outbox.count(),
      certificates: await t.db.prisma.certificate.count(),
    });
    const before = await count();

    await post(flipByte(pdf, offsetOf(pdf, '/MediaBox') + 1));

    expect(await count()).toEqual(before);
    expect((await t.app.services.licences.get(OPERATOR, identifier)).status).toBe('valid');
  });
});

describe('the public pages', () => {
  const t = useTestApp({ ZHENGYIN_VERIFY_RATE: '1' });

  it('GET / links the verification page, the status pages, GraphiQL and the root CA', async () => {
    const res = await fetch(t.url);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const href of ['verify', 'graphql', 'pki/root.pem', 'pki/root.crt']) expect(html).toContain(`href="${href}"`);
    expect(html).toContain('二维码');
  });

  it('GET /verify serves the page with its same-origin script under script-src self', async () => {
    const res = await fetch(new URL('verify', t.url));
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;

    expect(res.status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).toContain('<script src="assets/verify.js" defer></script>');
    expect(html).not.toMatch(/<script>|https?:\/\//);
    const script = await fetch(new URL('assets/verify.js', t.url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("fetch('verify'");
  });

  it('limits uploads per client address: 429 with Retry-After once its burst is spent', async () => {
    const post = () => fetch(new URL('verify', t.url), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: 'not a PDF' });

    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 4 && !refused; i++) {
      const res = await post();
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      else await res.body?.cancel();
    }

    // ZHENGYIN_VERIFY_RATE 1: a burst of two, then refused.
    expect(statuses).toEqual([400, 400, 429]);
    expect(refused!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(((await refused!.json()) as Answer).error?.code).toBe('RATE_LIMITED');
  });

  it('the QR status page links to /verify', async () => {
    await t.app.seedDemo();
    const [licence] = await t.app.services.licences.listByDepartment(OPERATOR, 'bdcdj', { limit: 1 });

    const html = await (await fetch(licence!.statusUrl)).text();

    expect(html).toContain('href="/verify"');
  });
});
