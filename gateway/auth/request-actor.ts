import { PUBLIC, type Actor } from '../services/index.ts';
import { TokenRefusedError, type TokenService } from '../services/tokens/index.ts';

/** Who sent a request: the actor the services judge, and the token id that logs name. */
export interface RequestActor {
  readonly actor: Actor;
  /** The department API token's id (not its value), when one authenticated the request. */
  readonly tokenId?: string;
}

/** Anyone without credentials: may verify PDFs and read public licence status. */
export const ANONYMOUS: RequestActor = { actor: PUBLIC };

/**
 * The actor for a request, computed once from its Authorization header:
 * no header → public; `Bearer zy_…` → the department and role of that API token.
 * Applicants' OpenID Connect tokens will be told apart here by their form (a JWT).
 *
 * @throws {@link TokenRefusedError} a header that does not carry a token we accept; a bad
 *   credential is refused rather than downgraded to anonymous, so a client learns at once.
 */
export async function requestActor(authorization: string | null | undefined, tokens: TokenService): Promise<RequestActor> {
  if (!authorization) return ANONYMOUS;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!m) throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'Authorization must be "Bearer <token>"' });
  const actor = await tokens.authenticate(m[1]!);
  return { actor, tokenId: actor.tokenId };
}
