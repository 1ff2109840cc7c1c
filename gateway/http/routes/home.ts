import { send } from '../respond.ts';
import type { Router } from '../router.ts';
import { PAGE_CSP } from './assets.ts';

export interface HomeRouteOptions {
  /** Link GraphiQL at /graphql: in development only. */
  readonly graphiql: boolean;
}

/** `GET /`: what this service offers the public, and where. Links are relative, so a path prefix in the public URL keeps working. */
export function homeRoutes(router: Router, options: Readonly<HomeRouteOptions>): void {
  const body = homePage(options);
  router.get('/', (_req, res) => {
    send(res, 200, body, 'text/html; charset=utf-8', { 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP });
  });
}

function homePage({ graphiql }: Readonly<HomeRouteOptions>): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>证印 zhengyin · 电子证照与电子印章服务</title>
<link rel="stylesheet" href="assets/site.css">
</head><body>
<h1>证印 zhengyin</h1>
<p>电子证照、电子印章与签名验证服务。 <span class="en">Electronic licences, seals and signature verification.</span></p>
<ul class="links">
<li><a href="verify">验证电子证照或签章文件</a> <span class="en">— verify a signed PDF: drop it on the page, read the verdict</span></li>
<li>证照状态页：扫描证照上的二维码即可打开（地址为 <code>licences/&lt;证照标识&gt;</code>），显示证照是否有效、文件摘要与区块链存证。
<span class="en">— status pages: each licence's QR code opens its own page (whether it is valid, its document hash, its ledger anchor)</span></li>
${graphiql ? '<li><a href="graphql">GraphQL (GraphiQL)</a> <span class="en">— the API for departments and applicants (development only)</span></li>\n' : ''}<li><a href="pki/root.pem">根证书 root CA</a> (<a href="pki/root.crt">DER</a>) <span class="en">— trust it to verify our signatures in other software</span></li>
<li>文档 docs: <code>README.md</code>、<code>docs/</code>（architecture, verifier, ledger, operations） <span class="en">in the source distribution</span></li>
</ul>
</body></html>
`;
}
