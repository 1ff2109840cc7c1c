import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { parseIdNumber, parseUscc } from '../../signer/index.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Actor } from '../services/index.ts';
import { TokenRefusedError } from '../services/tokens/index.ts';

/** One OpenID Connect issuer whose ID tokens (or access tokens as JWTs) sign applicants in. */
export interface TrustedIssuer {
  /** The `iss` its tokens carry, exactly. */
  readonly issuer: string;
  readonly audience: string;
  /** Its signing keys: a JWKS URL, or undefined to read `jwks_uri` from its discovery document. */
  readonly jwks: URL | JWTVerifyGetKey | undefined;
}

export interface ApplicantTokensOptions {
  readonly issuers: readonly TrustedIssuer[];
  /** The claim carrying a person's 居民身份证号码. */
  readonly idClaim: string;
  /** The claim carrying a company's 统一社会信用代码. */
  readonly usccClaim: string;
  readonly log: Logger;
}

/**
 * Asymmetric algorithms only: `none` and HMAC (whose key would be the JWKS itself, public)
 * must never verify a token.
 */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A JWT is three base64url parts; department tokens start with `zy_`. */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

/**
 * Turns an applicant's bearer JWT into an `applicant` actor: the signature against the
 * issuer's JWKS, then issuer, audience, expiry and not-before (jose), then the claimed ID
 * number or USCC with its check character. A refusal names its reason in the log, never
 * the token or the code it carried.
 */
export class ApplicantTokens {
  readonly #issuers: Map<string, TrustedIssuer>;
  readonly #keys = new Map<string, Promise<JWTVerifyGetKey>>();
  readonly #options: ApplicantTokensOptions;

  constructor(options: Readonly<ApplicantTokensOptions>) {
    this.#options = options;
    this.#issuers = new Map(options.issuers.map((i) => [i.issuer, i]));
  }

  /** Whether any issuer is configured; without one every JWT is refused. */
  get enabled(): boolean {
    return this.#issuers.size > 0;
  }

  /** @throws {@link TokenRefusedError} TOKEN_EXPIRED past `exp`; TOKEN_INVALID for everything else. */
  async authenticate(token: string): Promise<Actor> {
    try {
      return await this.#authenticate(token);
    } catch (e) {
      const refused =
        e instanceof TokenRefusedError
          ? e
          : e instanceof joseErrors.JWTExpired
            ? new TokenRefusedError({ code: 'TOKEN_EXPIRED', message: 'the applicant token has expired; sign in again' })
            : new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'the applicant token is not valid here' });
      // The jose error's code says which check failed; its message may quote claims, so it is left out.
      this.#options.log.warn('applicant token refused', { code: refused.code, reason: (e as { code?: string }).code ?? refused.message });
      throw refused;
    }
  }

  async #authenticate(token: string): Promise<Actor> {
    // The issuer is read unverified only to pick whose keys verify it; jwtVerify checks it again.
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'the bearer token is neither a department token (zy_…) nor a JWT' });
    }
    const trusted = iss === undefined ? undefined : this.#issuers.get(iss);
    if (!trusted) throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'the applicant token is from an issuer this service does not trust' });
    const { payload } = await jwtVerify(token, await this.#keysOf(trusted), {
      issuer: trusted.issuer,
      audience: trusted.audience,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp'],
      clockTolerance: 30,
    });
    const uscc = payload[this.#options.usccClaim];
    const idNumber = payload[this.#options.idClaim];
    try {
      if (typeof uscc === 'string' && uscc) return { kind: 'applicant', holderCodeType: '001', holderCode: parseUscc(uscc, this.#options.usccClaim) };
      if (typeof idNumber === 'string' && idNumber) {
        return { kind: 'applicant', holderCodeType: '111', holderCode: parseIdNumber(idNumber, { field: this.#options.idClaim }) };
      }
    } catch {
      throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'the applicant token carries an ID number or USCC whose check character is wrong' });
    }
    throw new TokenRefusedError({
      code: 'TOKEN_INVALID',
      message: `the applicant token carries neither a "${this.#options.idClaim}" nor a "${this.#options.usccClaim}" claim`,
    });
  }

  #keysOf(trusted: TrustedIssuer): Promise<JWTVerifyGetKey> {
    if (typeof trusted.jwks === 'function') return Promise.resolve(trusted.jwks);
    let keys = this.#keys.get(trusted.issuer);
    if (!keys) {
      keys = (trusted.jwks ? Promise.resolve(trusted.jwks) : discoverJwksUri(trusted.issuer)).then((url) => createRemoteJWKSet(url));
      // A failed discovery is tried again by the next request rather than remembered.
      keys.catch(() => this.#keys.delete(trusted.issuer));
      this.#keys.set(trusted.issuer, keys);
    }
    return keys;
  }
}

/** `jwks_uri` from the issuer's OpenID Connect discovery document. */
async function discoverJwksUri(issuer: string): Promise<URL> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`OpenID Connect discovery answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error('OpenID Connect discovery names no jwks_uri');
  return new URL(doc.jwks_uri);
}
