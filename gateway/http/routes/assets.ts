import fs from 'node:fs';
import { send } from '../respond.ts';
import type { Router } from '../router.ts';

/** The public pages' script and stylesheet: a fixed list, so no request path ever reaches the file system. */
const ASSETS = {
  'site.css': 'text/css; charset=utf-8',
  'verify.js': 'text/javascript; charset=utf-8',
} as const;

/**
 * Serves `/assets/<name>` for the files of gateway/http/static, read once here. They are
 * same-origin so that the pages' CSP can say `script-src 'self'; style-src 'self'`.
 */
export function assetRoutes(router: Router): void {
  for (const [name, type] of Object.entries(ASSETS)) {
    const body = fs.readFileSync(new URL(`../static/${name}`, import.meta.url));
    router.get(`/assets/${name}`, (_req, res) => {
      send(res, 200, body, type, { 'cache-control': 'no-cache' });
    });
  }
}

/** The CSP of the public pages: nothing but this origin's own script, style and requests. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
