import { ZhengyinError } from '../../../common/index.ts';

/**
 * A bearer token the gateway refuses. The message never repeats the token; `tokenId` is
 * set only when the token named a stored id (an id is not a secret).
 *
 * - `TOKEN_INVALID`: malformed, unknown id, or a secret that does not match (forged).
 * - `TOKEN_EXPIRED`: past its expiry.
 * - `TOKEN_REVOKED`: revoked by `zhengyin dept revoke`.
 */
export class TokenRefusedError extends ZhengyinError {
  readonly code: 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED';
  readonly tokenId: string | undefined;

  constructor(p: Readonly<{ code: TokenRefusedError['code']; message: string; tokenId?: string }>) {
    super(p.message);
    this.code = p.code;
    this.tokenId = p.tokenId;
  }
}
