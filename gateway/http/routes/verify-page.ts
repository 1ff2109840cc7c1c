import type { IncomingMessage } from 'node:http';
import { PUBLIC, type VerificationService } from '../../services/index.ts';
import { limited, RateLimiter, type RouteLimits } from '../rate-limit.ts';
import { HttpError, readBody, send, sendJson } from '../respond.ts';
import type { Router } from '../router.ts';
import { PAGE_CSP } from './assets.ts';

/**
 * The public verification page. `GET /verify` serves the page (its script is
 * /assets/verify.js); `POST /verify` takes the raw PDF or OFD (`Content-Type:
 * application/pdf` or `application/ofd`; the format is told by the bytes, not the type),
 * read with a cap and never stored, and answers the {@link VerificationService}'s result
 * as JSON: `{ report, licence, signatures, ledger }`. Errors are `{ error: { code, message } }`:
 * 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, 400 INVALID_NOT_PDF, 429 RATE_LIMITED
 * (per client address, and when the verifications running and waiting are full: verifying
 * is CPU-bound, so a slot is taken only once the body is read).
 */
export function verifyPageRoutes(router: Router, verification: VerificationService, limits: Readonly<RouteLimits>): void {
  const limiter = new RateLimiter(limits);
  router.get('/verify', (_req, res) => {
    send(res, 200, page(verification.maxBytes), 'text/html; charset=utf-8', { 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP });
  });
  router.post('/verify', limited(limiter, async (req, res) => {
    // Only a raw document body: a cross-site form cannot send these types without a CORS preflight.
    if (!DOCUMENT_TYPES.has(mediaType(req))) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the PDF or OFD itself as the body, with Content-Type: application/pdf or application/ofd');
    }
    const document = await readBody(req, verification.maxBytes);
    const result = await limiter.slot(() => verification.verify(PUBLIC, document));
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, result);
  }));
}

/** `application/ofd` is what OFD readers and seal systems send (no IANA registration exists). */
const DOCUMENT_TYPES = new Set(['application/pdf', 'application/ofd']);

const mediaType = (req: IncomingMessage): string => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

function page(maxBytes: number): string {
  const mib = Math.floor(maxBytes / (1024 * 1024));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>验证电子证照与签章 · Verify a signed PDF or OFD</title>
<link rel="stylesheet" href="assets/site.css">
<script src="assets/verify.js" defer></script>
</head><body data-max-bytes="${maxBytes}">
<p><a href="./">证印 zhengyin</a></p>
<h1>验证电子证照与签章</h1>
<p class="en">Verify a signed PDF or OFD: its signatures and seals, and the licence's status in the registry.</p>
<div id="drop">
<p>把 PDF 或 OFD 文件拖到这里，或 <label for="file">选择文件</label></p>
<p class="en">Drop a PDF or OFD here, or choose a file (up to ${mib > 0 ? `${mib} MiB` : `${maxBytes} bytes`}).</p>
<p class="note">OFD 电子印章（GB/T 38540、GM/T 0031）使用国密 SM2/SM3 验证。<span class="en">OFD seals (GB/T 38540, GM/T 0031) are checked with SM2 and SM3.</span></p>
<input type="file" id="file" accept="application/pdf,.pdf,application/ofd,.ofd">
</div>
<p id="busy" hidden>正在验证… <span class="en">verifying…</span></p>
<div id="result" aria-live="polite"></div>
<p class="note">文件只用于本次验证，不会被保存。验证依据本平台的根证书；其他机构签发的签名会显示为“无法确定”。<br>
<span class="en">The file is read for this verification only and never kept. Signatures are checked against this service's root CA.</span></p>
</body></html>
`;
}
