import type { LicenceService, PublicLicenceStatus } from '../../services/licences/index.ts';
import { isoDateOf } from '../../../signer/index.ts';
import { escapeHtml, send, sendJson } from '../respond.ts';
import { limited, RateLimiter, type RouteLimits } from '../rate-limit.ts';
import type { Router } from '../router.ts';

/** How each licence status reads on a page, in Chinese and English; the colour of its badge. */
export const STATUS_TEXT: Record<PublicLicenceStatus['status'], { zh: string; en: string; colour: string }> = {
  valid: { zh: '有效', en: 'valid', colour: '#1a7f37' },
  revoked: { zh: '已注销', en: 'revoked', colour: '#cf222e' },
  superseded: { zh: '已变更（有新版本）', en: 'superseded by a newer version', colour: '#9a6700' },
  suspended: { zh: '已暂扣', en: 'suspended', colour: '#9a6700' },
  expired: { zh: '已过期', en: 'expired', colour: '#9a6700' },
};

/** How a renewal (延续) reads on the page; 视为准予延续 with the day the time limit ran out. */
const RENEWAL_TEXT: Record<NonNullable<PublicLicenceStatus['renewal']>['state'], string> = {
  pending: '延续申请审查中',
  granted: '准予延续',
  refused: '不予延续',
  deemed: '视为准予延续',
};

/**
 * The public status page of a licence (the URL in its QR code, keyed by the licence's
 * unguessable page token): whether the registry holds it as valid, suspended, revoked,
 * superseded (with a link to the new version's page) or expired, its renewal (e.g.
 * 视为准予延续 and the date), the SHA-256 of each issued format (PDF, and OFD when issued as OFD too) and its ledger anchor. No face data; a
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
${s.supersededBy ? `<p id="successor">本证照已变更，请以新版本为准：<a href="${escapeHtml(s.supersededBy.statusUrl)}">${escapeHtml(s.supersededBy.identifier)}</a> <small>(superseded by version ${s.supersededBy.version})</small></p>` : ''}
<table>
${row('证照标识', s.identifier)}
${row('持证主体', s.holderMasked)}
${row('颁发机构', s.issuer)}
${row('颁证时间', s.issuedAt.toISOString())}
${row('有效期', `${s.validFrom} 至 ${s.validUntil ?? '长期'}`)}
${s.renewal ? row('延续', renewalText(s.renewal)) : ''}
${s.statusChangedAt ? row('状态变更时间', s.statusChangedAt.toISOString()) : ''}
${s.files.map((f) => row(`${f.format.toUpperCase()} 文件摘要 SHA-256`, f.sha256)).join('\n')}
${row('区块链存证', s.anchor ? `交易 ${s.anchor.transactionId}${s.anchor.blockNumber ? `，区块 ${s.anchor.blockNumber}` : ''}` : '待上链')}
</table>
<p><a href="/verify">验证您持有的 PDF 或 OFD 文件 · Verify the PDF or OFD you hold</a></p>
<p><small>Compare the SHA-256 of the file you hold (PDF or OFD) with the one above; a signature validator tells you whether its signatures are intact.</small></p>
</body></html>
`;
}

/** '视为准予延续（2026-12-26）, 有效期至 2027-03-31': the decision, its day in China Standard Time, the validity it gave. */
function renewalText(r: NonNullable<PublicLicenceStatus['renewal']>): string {
  const day = r.decidedAt ? `（${isoDateOf(r.decidedAt)}）` : `（应于 ${isoDateOf(r.decideBy)} 前决定）`;
  return RENEWAL_TEXT[r.state] + day + (r.grantedUntil ? `，有效期至 ${r.grantedUntil}` : '');
}
