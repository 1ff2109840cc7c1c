import { isZhengyinError } from '../../../common/index.ts';
import type { DownloadLinks } from '../../auth/download-links.ts';
import { UseCodeRateLimitedError, type UseCodePresentation, type UseCodeService } from '../../services/use-codes/index.ts';
import { clientKey } from '../rate-limit.ts';
import { escapeHtml, readBody, send } from '../respond.ts';
import type { Router } from '../router.ts';

/** A form of two short fields: anything longer is not a presentation. */
const FORM_LIMIT = 4096;
const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STATUS_WORDS: Record<UseCodePresentation['status']['status'], string> = {
  valid: '有效 valid',
  revoked: '已注销 revoked',
  superseded: '已变更 superseded',
  expired: '已过期 expired',
};

/**
 * The page behind a use code's URL (`/use-codes/<code>`, the URL its QR code carries), for
 * a presenter without a GraphQL client. `GET` only shows a form asking who receives the
 * copy and for what: opening the URL looks nothing up and records nothing. `POST` (an
 * HTML form) presents the code as GraphQL `presentUseCode` does (same service, same rate
 * per address, same record for the holder) and answers the licence's public status and a
 * short-lived link to the annotated copy.
 */
export function useCodePageRoutes(router: Router, useCodes: UseCodeService, links: DownloadLinks): void {
  router.get('/use-codes/:code', (_req, res, params) => {
    page(res, 200, form(params.code!));
  });
  router.post('/use-codes/:code', async (req, res, params) => {
    const fields = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    try {
      const shown = await useCodes.present({ code: params.code!, recipient: fields.get('recipient') ?? '', purpose: fields.get('purpose') ?? '' }, clientKey(req));
      page(res, 200, result(shown, shown.copyId ? links.annotatedCopy(shown.copyId) : undefined));
    } catch (e) {
      if (!isZhengyinError(e)) throw e;
      const status = e instanceof UseCodeRateLimitedError ? 429 : e.code.startsWith('INVALID') ? 400 : e.code.startsWith('USE_CODE_') ? 404 : undefined;
      if (status === undefined) throw e;
      page(res, status, `<p class="error">${escapeHtml(e.message)}</p><p class="en">${escapeHtml(e.code)}</p>${form(params.code!)}`, e instanceof UseCodeRateLimitedError ? { 'retry-after': String(e.retryAfterSeconds) } : {});
    }
  });
}

function form(code: string): string {
  return `<form method="post">
<p>用证码 Use code: <strong>${escapeHtml(code)}</strong></p>
<p><label>接收方 Recipient<br><input name="recipient" required maxlength="100" size="40"></label></p>
<p><label>用途 Purpose<br><input name="purpose" required maxlength="200" size="40"></label></p>
<p><button type="submit">出示并取得加注件 · Present and get the annotated copy</button></p>
<p class="note">接收方和用途将印在加注件上，持证人可以看到每一次出示。<br><span class="en">The recipient and purpose are printed on the annotated copy; the holder sees every presentation.</span></p>
</form>`;
}

function result(shown: UseCodePresentation, copy: { url: string; expiresAt: Date } | undefined): string {
  const s = shown.status;
  const row = (label: string, value: string) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`;
  return `<p class="verdict status-${s.status}">${escapeHtml(s.typeName)} · ${STATUS_WORDS[s.status]}</p>
<table>
${row('证照标识 Identifier', s.identifier)}
${row('持证主体 Holder', s.holderMasked)}
${row('颁发机构 Issuer', s.issuer)}
${row('有效期 Validity', `${s.validFrom} – ${s.validUntil ?? '长期 long-term'}`)}
${row('原件 SHA-256', s.documentSha256)}
</table>
${copy ? `<p><a href="${escapeHtml(copy.url)}">下载加注件 Download the annotated copy</a> <span class="en">(link valid until ${copy.expiresAt.toISOString()})</span></p>` : '<p class="note">证照当前无效，不出具加注件。 <span class="en">The licence is not valid: no annotated copy.</span></p>'}
<p><a href="../verify">验证 PDF · Verify a PDF</a></p>`;
}

function page(res: Parameters<typeof send>[0], status: number, body: string, headers: Record<string, string> = {}): void {
  send(res, status, `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>出示用证码 · Present a use code</title>
<link rel="stylesheet" href="../assets/site.css">
</head><body>
<h1>出示用证码</h1>
<p class="en">Present a use code: see the licence's status and get an annotated copy (加注件) naming you.</p>
${body}
</body></html>
`, 'text/html; charset=utf-8', { 'cache-control': 'no-store', 'content-security-policy': CSP, ...headers });
}
