import fs from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { KeyEncryptionKey } from '../../signer/index.ts';
import { sendJson } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { publicRoute } from '../runtime/config.ts';
import type { TrustedIssuer } from './applicant-tokens.ts';

/** Where the demo issuer lives, under the public URL. */
export const DEMO_OIDC_PATH = 'demo/oidc';
/** The audience the demo issuer's tokens name. */
export const DEMO_OIDC_AUDIENCE = 'zhengyin-demo';
const ALG = 'ES256';
const KEY_FILE = path.join('demo-oidc', 'signing-key.sealed');
const AAD = new TextEncoder().encode('zhengyin demo oidc signing key');

/**
 * A tiny OpenID Connect issuer for the embedded demo, so the seeded applicants can sign
 * in without a real provider: a discovery document and a JWKS over HTTP, and tokens minted
 * by the operator at start. Its key is made at first start and kept sealed under the KEK
 * in the data folder. Config never enables it beside an external database or in production.
 */
export class DemoOidcIssuer {
  readonly issuer: string;
  readonly #privateKey: CryptoKey;
  readonly #jwk: JWK;

  private constructor(issuer: string, privateKey: CryptoKey, jwk: JWK) {
    this.issuer = issuer;
    this.#privateKey = privateKey;
    this.#jwk = jwk;
  }

  static async open(options: { dataDir: string; kek: KeyEncryptionKey; publicUrl: URL }): Promise<DemoOidcIssuer> {
    const file = path.join(options.dataDir, KEY_FILE);
    let pem: string;
    if (fs.existsSync(file)) {
      pem = options.kek.open(fs.readFileSync(file), AAD).toString('utf8');
    } else {
      const { privateKey } = await generateKeyPair(ALG, { extractable: true });
      pem = await exportPKCS8(privateKey);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, options.kek.seal(new TextEncoder().encode(pem), AAD), { mode: 0o600 });
    }
    const privateKey = await importPKCS8(pem, ALG, { extractable: true });
    const { d: _private, ...publicJwk } = await exportJWK(privateKey);
    const jwk: JWK = { ...publicJwk, alg: ALG, use: 'sig', kid: 'demo-1' };
    return new DemoOidcIssuer(publicRoute(options.publicUrl, DEMO_OIDC_PATH), privateKey, jwk);
  }

  /** Trusted in-process: the gateway need not fetch its own JWKS over HTTP. */
  trusted(): TrustedIssuer {
    return { issuer: this.issuer, audience: DEMO_OIDC_AUDIENCE, jwks: createLocalJWKSet({ keys: [this.#jwk] }) };
  }

  /** A token for an applicant: the claim named `claim` carries their ID number or USCC. */
  mint(subject: { claim: string; code: string; name: string }, ttlSeconds = 24 * 3600): Promise<string> {
    return new SignJWT({ [subject.claim]: subject.code, name: subject.name })
      .setProtectedHeader({ alg: ALG, kid: this.#jwk.kid!, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(DEMO_OIDC_AUDIENCE)
      .setSubject(`demo:${subject.code.slice(0, 6)}`)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.#privateKey);
  }

  /** GET /demo/oidc/.well-known/openid-configuration and /demo/oidc/jwks. */
  routes(router: Router): void {
    const jwksUri = `${this.issuer}/jwks`;
    router.get(`/${DEMO_OIDC_PATH}/.well-known/openid-configuration`, async (_req, res) => {
      sendJson(res, 200, {
        issuer: this.issuer,
        jwks_uri: jwksUri,
        id_token_signing_alg_values_supported: [ALG],
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
      });
    });
    router.get(`/${DEMO_OIDC_PATH}/jwks`, async (_req, res) => sendJson(res, 200, { keys: [this.#jwk] }));
  }
}
