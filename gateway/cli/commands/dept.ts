import { InvalidInputError } from '../../../common/index.ts';
// The actor module alone: `help` loads every command file, and the services' front door loads the service.
import { DEPARTMENT_ROLES, OPERATOR, type DepartmentRole } from '../../services/actor.ts';
import type { ApiTokenInfo } from '../../services/tokens/index.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { withApp } from '../with-app.ts';

export const deptToken: Command = {
  name: 'dept token',
  summary: 'mint a department API token for the GraphQL gateway (shown once; only its hash is kept)',
  usage: `--department D --role ${DEPARTMENT_ROLES.join('|')} [--expires 30d|12h|90m]`,
  options: { department: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' } },
  async run(ctx) {
    const v = ctx.values as Record<string, string | undefined>;
    if (!v.department) throw new UsageError('--department is required');
    if (!v.role || !DEPARTMENT_ROLES.includes(v.role as DepartmentRole)) throw new UsageError(`--role must be one of ${DEPARTMENT_ROLES.join(', ')}`);
    const expiresAt = v.expires === undefined ? undefined : new Date(Date.now() + parseDuration(v.expires));
    const { token, info } = await withApp(ctx, (app) =>
      app.tokens.mint(OPERATOR, { departmentId: v.department!, role: v.role as DepartmentRole, ...(expiresAt ? { expiresAt } : {}) }),
    );
    // The token goes to stdout alone on its first line so that `| head -1` or `$(…)` captures it.
    ctx.stdout.write(`${token}\n`);
    ctx.stdout.write(`# id ${info.id}, ${info.departmentId} ${info.role}, ${info.expiresAt ? `expires ${info.expiresAt.toISOString()}` : 'no expiry'}; shown once, store it now\n`);
    return ExitCode.ok;
  },
};

export const deptTokens: Command = {
  name: 'dept tokens',
  summary: 'list department API tokens (ids, roles, expiry, last use; never the tokens)',
  usage: '[--department D]',
  options: { department: { type: 'string' } },
  async run(ctx) {
    const list = await withApp(ctx, (app) => app.tokens.list(OPERATOR, ctx.values.department as string | undefined));
    for (const t of list) ctx.stdout.write(`${describeToken(t)}\n`);
    if (list.length === 0) ctx.stdout.write('no API tokens (zhengyin dept token --department D --role issuer)\n');
    return ExitCode.ok;
  },
};

export const deptRevoke: Command = {
  name: 'dept revoke',
  summary: 'revoke a department API token: refused from the next request on',
  usage: 'TOKEN_ID',
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const info = await withApp(ctx, (app) => app.tokens.revoke(OPERATOR, ctx.positionals[0]!));
    ctx.stdout.write(`${describeToken(info)}\n`);
    return ExitCode.ok;
  },
};

function describeToken(t: ApiTokenInfo): string {
  const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
  const date = (d: Date | null, none: string) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : none);
  return `${t.id}  ${t.departmentId}  ${t.role.padEnd(7)}  ${state.padEnd(7)}  expires ${date(t.expiresAt, 'never')}  last used ${date(t.lastUsedAt, 'never')}`;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '30d', '12h', '90m' → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,5})([mhd])$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new InvalidInputError({ field: 'expires', message: `--expires: '${text}' is not a duration such as 30d, 12h or 90m` });
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export const commands: readonly Command[] = [deptToken, deptTokens, deptRevoke];
