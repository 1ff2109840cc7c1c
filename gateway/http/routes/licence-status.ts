import type { LicenceService, PublicLicenceStatus } from '../../services/licences/index.ts';
import { escapeHtml, send, sendJson } from '../respond.ts';
import { limited, RateLimiter, type RouteLimits } from '../rate-limit.ts';
import type { Router } from '../router.ts';

const STATUS_TEXT: Record<PublicLicenceStatus['status'], { zh: string; en: string; colour: string }> = {
  valid: { zh: '有效', en: 'valid', colour: '#1a7f37' },
  revoked: { zh: '已注销', en: 'revoked', colour: '#cf222e' },
  superseded: { zh: '已变更（有新版本）', en: 'superseded by a newer version', colour: '#9a6700' },
  expired: { zh: '已过期', en: 'expired', colour: '#9a6700' },
};

/**
/**
 * The public status page of a licence (the URL in its QR code, keyed by the licence's
 * unguessable page token): whether the registry holds it as valid, revoked, superseded
 * or expired, the SHA-256 of the issued PDF and its ledger anchor. No face data; a
 * person's name is masked. A bare identifier, existing or not, gets the same 404. JSON
 * with `Accept: application/json` or `?format=json`. Limited per client address (a page
 * is a database read).
 */
export function licenceStatusRoutes(router: Router, licences: LicenceService, limits: Readonly<RouteLimits>): void {
  const limiter = new RateLimiter(limits);
  router.get('/licences/:token', limited(limiter, async (req, res, params, url) => {
    const status = await limiter.slot(() => licences.publicStatus(params.token!));
    const wantsJson = url.searchParams.get('format') === 'json' || (req.headers.accept ?? '').includes('application/json');
    if (wantsJson) {
      sendJson(res, 200, status);
      return;
    }
    send(res, 200, statusPage(status), 'text/html; charset=utf-8', {
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  }));
}

function statusPage(s: PublicLicenceStatus): string {
  const t = STATUS_TEXT[s.status];
  const row = (label: string, value: string) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(s.typeName)} · 证照状态</title>
<style>
body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
.status{font-size:1.6rem;font-weight:700;color:${t.colour}}
table{border-collapse:collapse;width:100%;margin-top:1rem}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{width:9rem;color:#57606a;font-weight:500}td{word-break:break-all}
</style></head><body>
<h1>${escapeHtml(s.typeName)}</h1>
<p class="status">${t.zh} <small>(${t.en})</small></p>
<table>
${row('证照标识', s.identifier)}
${row('持证主体', s.holderMasked)}
${row('颁发机构', s.issuer)}
${row('颁证时间', s.issuedAt.toISOString())}
${row('有效期', `${s.validFrom} 至 ${s.validUntil ?? '长期'}`)}
${row('文件摘要 SHA-256', s.documentSha256)}
${row('区块链存证', s.anchor ? `交易 ${s.anchor.transactionId}${s.anchor.blockNumber ? `，区块 ${s.anchor.blockNumber}` : ''}` : '待上链')}
</table>
<p><a href="/verify">验证您持有的 PDF 文件 · Verify the PDF you hold</a></p>
<p><small>Compare the SHA-256 of the PDF you hold with the one above; a signature validator tells you whether its signatures are intact.</small></p>
</body></html>
`;
}
