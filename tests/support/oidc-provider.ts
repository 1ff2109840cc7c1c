import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** What a test may change in a token the stand-in provider signs. */
export interface TokenParts {
  readonly claims?: JWTPayload;
  /** Sign with another key (a forgery). @default the provider's own */
  readonly key?: CryptoKey;
  readonly kid?: string;
  readonly iss?: string;
  readonly aud?: string;
  /** Seconds since the epoch. @default ten minutes from now */
  readonly exp?: number;
  readonly nbf?: number;
  readonly alg?: string;
}

export interface OidcProvider {
  /** The `iss` its tokens carry; its discovery document is under it. */
  readonly issuer: string;
  readonly privateKey: CryptoKey;
  /** How often the JWKS was fetched, to show the keys came over HTTP. */
  jwksFetches(): number;
  /** A token as this provider signs it for `audience`, with any part overridden. */
  token(audience: string, parts?: TokenParts): Promise<string>;
  close(): Promise<void>;
}

/**
 * A stand-in OpenID Connect provider: discovery document and JWKS over real HTTP, with a
 * key made here. Start it before the app under test, whose configuration names its URL.
 */
export async function startOidcProvider(): Promise<OidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'RS256', use: 'sig' };
  let jwksFetches = 0;
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    if (req.url === '/jwks') {
      jwksFetches++;
      return res.end(JSON.stringify({ keys: [jwk] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    privateKey,
    jwksFetches: () => jwksFetches,
    token: async (audience, o = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ ...o.claims })
        .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'test-1' })
        .setIssuer(o.iss ?? issuer)
        .setAudience(o.aud ?? audience)
        .setIssuedAt()
        .setExpirationTime(o.exp ?? now + 600);
      if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
      return jwt.sign(o.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
