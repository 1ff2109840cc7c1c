/**
 * The callers of the authorisation matrix. Department X (不动产登记中心 `bdcdj`) issued
 * applicant A's licence and writes 不动产 evidence; department Y (市场监管局 `scjg`) issued
 * applicant B's and writes no 不动产 evidence.
 */
export const ROLES = {
  anonymous: 'no Authorization header (a verifier, a bank clerk)',
  applicantA: 'person 林美华 by 居民身份证号码 (OpenID Connect token), holder of X\'s 不动产权证书',
  applicantB: 'company by 统一社会信用代码 (OpenID Connect token), holder of Y\'s 营业执照',
  xIssuer: 'department X (bdcdj), API token role issuer',
  xHandler: 'department X (bdcdj), API token role handler',
  xAdmin: 'department X (bdcdj), API token role admin',
  yIssuer: 'department Y (scjg), API token role issuer',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/**
 * Roles the gateway cannot be called as, with the reason. The operator acts through the
 * CLI on the server (`zhengyin …`, the actor `operator`); no credential sent over HTTP
 * computes that actor (gateway/auth/request-actor.ts: no header → public, `zy_…` →
 * department, JWT → applicant), so the `operator` auth scope on GraphQL fields is never met
 * over the network.
 */
export const UNREACHABLE = {
  operator: 'no HTTP credential maps to the operator actor; the operator uses the CLI on the server',
} as const;

export const X = 'bdcdj';
export const Y = 'scjg';
