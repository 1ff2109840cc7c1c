import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../../common/index.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { ChangeFeed } from '../../runtime/change-feed.ts';
import { ReadCache } from '../../runtime/read-cache.ts';
import { DEPARTMENT_ROLES, requireDepartment, type Actor, type DepartmentRole } from '../actor.ts';
import { TokenRefusedError } from './errors.ts';

/** A department API token as listed: never its secret, which is not stored. */
export interface ApiTokenInfo {
  readonly id: string;
  readonly departmentId: string;
  readonly role: DepartmentRole;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export interface MintTokenInput {
  readonly departmentId: string;
  readonly role: DepartmentRole;
  /** Absent: the token does not expire (revoke it when it is no longer needed). */
  readonly expiresAt?: Date;
}

/** The actor a token stands for, with the id to log. */
export type TokenActor = Extract<Actor, { kind: 'department' }> & { readonly role: DepartmentRole; readonly tokenId: string };

export interface TokenServiceOptions {
  readonly prisma: PrismaClient;
  readonly log: Logger;
  /** The clock, for expiry. @default () => new Date() */
  readonly now?: () => Date;
  /** The database's change feed: with it, a token's row is read once and kept until it is revoked or changed (by any process). */
  readonly feed?: ChangeFeed;
  /** Longest a token's row is kept besides the feed. @default 60000 */
  readonly readCacheTtlMs?: number;
}

type TokenRow = NonNullable<Awaited<ReturnType<PrismaClient['apiToken']['findUnique']>>>;

const PREFIX = 'zy';
// 60 bits of id (not secret, it is logged) and 256 bits of secret.
const ID_BYTES = 8;
const SECRET_BYTES = 32;
const TOKEN = /^zy_([a-z2-7]{13})_([A-Za-z0-9_-]{43})$/;
/** Writing last_used_at on every request would make each read a write; once a minute tells enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Department API tokens for the GraphQL gateway: `zy_<id>_<secret>`. Only the SHA-256 of
 * the secret is stored (the secret has 256 bits of entropy, so a plain hash suffices and
 * a slow password hash would only cost time on every request); the id is what logs show.
 */
export class TokenService {
  readonly #prisma: PrismaClient;
  readonly #log: Logger;
  readonly #now: () => Date;
  // Unknown ids are not kept: a probe for them goes to the database each time, as before.
  readonly #rows: ReadCache<TokenRow | null>;

  constructor(options: Readonly<TokenServiceOptions>) {
    this.#rows = new ReadCache({ prefix: 'token', feed: options.feed, ttlMs: options.readCacheTtlMs ?? 60_000 });
    this.#prisma = options.prisma;
    this.#log = options.log;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Mints a token. The returned `token` is the only copy of its secret.
   * The operator, or an admin token of the same department, may mint.
   * @throws {@link InvalidInputError} unknown role or an expiry in the past; {@link NotFoundError} department
   */
  async mint(actor: Actor, input: MintTokenInput): Promise<{ token: string; info: ApiTokenInfo }> {
    requireDepartment(actor, input.departmentId, 'mint an API token', ['admin']);
    if (!DEPARTMENT_ROLES.includes(input.role)) {
      throw new InvalidInputError({ field: 'role', message: `role: '${String(input.role)}' is not one of ${DEPARTMENT_ROLES.join(', ')}` });
    }
    if (input.expiresAt && input.expiresAt.getTime() <= this.#now().getTime()) {
      throw new InvalidInputError({ field: 'expiresAt', message: 'expiresAt: must be in the future' });
    }
    const department = await this.#prisma.department.findUnique({ where: { id: input.departmentId }, select: { id: true } });
    if (!department) throw new NotFoundError({ entity: 'department', id: input.departmentId });
    const id = base32(randomBytes(ID_BYTES));
    const secret = randomBytes(SECRET_BYTES).toString('base64url');
    const row = await this.#prisma.apiToken.create({
      data: { id, departmentId: department.id, role: input.role, secretSha256: sha256(secret), expiresAt: input.expiresAt ?? null },
    });
    this.#log.info('minted an API token', { tokenId: id, department: department.id, role: input.role });
    return { token: `${PREFIX}_${id}_${secret}`, info: toInfo(row) };
  }

  /** Tokens of one department (or, for the operator, of every department when none is named), newest first. */
  async list(actor: Actor, departmentId?: string): Promise<ApiTokenInfo[]> {
    if (departmentId !== undefined || actor.kind !== 'operator') {
      requireDepartment(actor, departmentId ?? '', 'list API tokens', ['admin']);
    }
    const rows = await this.#prisma.apiToken.findMany({
      where: departmentId === undefined ? {} : { departmentId },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(toInfo);
  }

  /**
   * Revokes a token: refused from the next request on. Revoking a revoked token is a no-op.
   * @throws {@link NotFoundError}
   */
  async revoke(actor: Actor, id: string): Promise<ApiTokenInfo> {
    const row = await this.#prisma.apiToken.findUnique({ where: { id } });
    if (!row) throw new NotFoundError({ entity: 'API token', id });
    requireDepartment(actor, row.departmentId, 'revoke an API token', ['admin']);
    const revoked = row.revokedAt ? row : await this.#prisma.apiToken.update({ where: { id }, data: { revokedAt: this.#now() } });
    this.#rows.evict(id);
    this.#log.info('revoked an API token', { tokenId: id, department: row.departmentId });
    return toInfo(revoked);
  }

  /**
   * The actor a presented token stands for. Logs the use by token id, never the token.
   * @throws {@link TokenRefusedError} malformed, unknown, forged, expired or revoked
   */
  async authenticate(token: string): Promise<TokenActor> {
    const m = TOKEN.exec(token);
    if (!m) throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'not a zhengyin API token (zy_<id>_<secret>)' });
    const [, id, secret] = m as unknown as [string, string, string];
    const row = await this.#rows.get(id, () => this.#prisma.apiToken.findUnique({ where: { id } }), (found) => found !== null);
    // An unknown id and a wrong secret answer alike, so ids cannot be probed.
    if (!row || !timingSafeEqual(Buffer.from(row.secretSha256, 'hex'), Buffer.from(sha256(secret), 'hex'))) {
      this.#log.warn('refused an API token', { tokenId: id, reason: row ? 'secret mismatch' : 'unknown id' });
      throw new TokenRefusedError({ code: 'TOKEN_INVALID', message: 'unknown or forged API token' });
    }
    const now = this.#now();
    if (row.revokedAt) throw new TokenRefusedError({ code: 'TOKEN_REVOKED', message: `API token ${id} was revoked`, tokenId: id });
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
      throw new TokenRefusedError({ code: 'TOKEN_EXPIRED', message: `API token ${id} expired at ${row.expiresAt.toISOString()}`, tokenId: id });
    }
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.#prisma.apiToken.update({ where: { id }, data: { lastUsedAt: now } });
      this.#rows.update(id, (kept) => kept && { ...kept, lastUsedAt: now });
    }
    this.#log.info('API token used', { tokenId: id, department: row.departmentId, role: row.role });
    return { kind: 'department', departmentId: row.departmentId, role: row.role as DepartmentRole, tokenId: id };
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const toInfo = (row: { id: string; departmentId: string; role: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null; lastUsedAt: Date | null }): ApiTokenInfo => ({
  id: row.id,
  departmentId: row.departmentId,
  role: row.role as DepartmentRole,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  revokedAt: row.revokedAt,
  lastUsedAt: row.lastUsedAt,
});

/** RFC 4648 base32, lower case, no padding: an id that survives shells, URLs and logs unquoted. */
function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
