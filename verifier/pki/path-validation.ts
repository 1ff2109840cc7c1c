/**
 * Certificate paths (RFC 5280 §6; ETSI EN 319 102-1 §5.2.6 X.509 certificate validation).
 * Paths are built by verifying signatures: a name (or key identifier) only nominates a
 * candidate issuer, the issuer's key must verify the certificate. A chain that copies the
 * names of trusted certificates therefore leads nowhere.
 */
import type { Budget } from '../limits.ts';
import { failed, indeterminate, PASSED } from '../report/outcome.ts';
import type { Outcome, RevocationCheck } from '../report/types.ts';
import type { Cert } from './certificate.ts';
import type { CertPool } from './cert-pool.ts';
import { caProblem, keyUsageProblem, type CertificateRole } from './key-usage-policy.ts';
import { derOrPem, type OnlineFetcher } from './online.ts';
import type { RevocationStore } from './revocation-store.ts';

export type RevocationPolicy = 'require' | 'soft-fail';

export interface PathContext {
  readonly pool: CertPool;
  readonly anchors: readonly Cert[];
  readonly revocation: RevocationStore;
  /** Validation time. */
  readonly at: Date;
  readonly budget: Budget;
  readonly online: OnlineFetcher | undefined;
  readonly revocationPolicy: RevocationPolicy;
}

export type PathResult = Outcome & PathDetails;

interface PathDetails {
  /** Target first; ends with the trust anchor when one was reached. */
  readonly path: readonly Cert[];
  readonly anchored: boolean;
  readonly problems: readonly string[];
  readonly revocation: readonly RevocationCheck[];
}

const MAX_PATH_LENGTH = 12;
const MAX_PATHS = 4;

/**
 * Builds paths from `target` to a trust anchor and validates them for `role` at the
 * proven time `poe` (else at `ctx.at`). Resolves to the first path that passes, or the
 * first path's failure.
 */
export async function validatePath(target: Cert, role: CertificateRole, poe: Date | null, ctx: PathContext): Promise<PathResult> {
  let paths = buildPaths(target, ctx);
  for (let round = 0; paths.complete.length === 0 && ctx.online && round < 2; round++) {
    if (!(await fetchIssuers(paths.reached, ctx))) break;
    paths = buildPaths(target, ctx);
  }
  if (paths.complete.length === 0) {
    return {
      path: paths.longest,
      anchored: false,
      ...indeterminate('NO_CERTIFICATE_CHAIN_FOUND'),
      problems: [`no path from ${target.subject} to a trust anchor${paths.exhausted ? ' (search budget exhausted)' : ''}`],
      revocation: [],
    };
  }
  let first: PathResult | undefined;
  for (const path of paths.complete) {
    const result = await checkPath(path, role, poe, ctx);
    if (result.indication === 'TOTAL_PASSED') return result;
    first ??= result;
  }
  return first!;
}

interface Built {
  readonly complete: Cert[][];
  readonly longest: Cert[];
  readonly reached: Cert[];
  readonly exhausted: boolean;
}

function buildPaths(target: Cert, ctx: PathContext): Built {
  const anchorSha = new Set(ctx.anchors.map((a) => a.sha256));
  const complete: Cert[][] = [];
  const reached = new Set<Cert>();
  let longest: Cert[] = [target];
  let checks = ctx.budget.limits.maxPathChecks;
  let exhausted = false;
  const linked = (child: Cert, parent: Cert): boolean => {
    if (checks <= 0) {
      exhausted = true;
      return false;
    }
    checks--;
    ctx.budget.tick();
    return child.issuedBy(parent);
  };
  const dfs = (cert: Cert, chain: readonly Cert[]): void => {
    if (complete.length >= MAX_PATHS) return;
    const here = [...chain, cert];
    reached.add(cert);
    if (here.length > longest.length) longest = here;
    if (anchorSha.has(cert.sha256)) {
      complete.push(here);
      return;
    }
    for (const anchor of ctx.anchors) {
      if (cert.namedIssuer(anchor) && linked(cert, anchor)) {
        complete.push([...here, anchor]);
        return;
      }
    }
    if (here.length >= MAX_PATH_LENGTH) return;
    for (const candidate of ctx.pool.issuerCandidates(cert)) {
      if (here.some((c) => c.sha256 === candidate.sha256)) continue;
      if (linked(cert, candidate)) dfs(candidate, here);
    }
  };
  dfs(target, []);
  return { complete, longest, reached: [...reached], exhausted };
}

async function fetchIssuers(reached: readonly Cert[], ctx: PathContext): Promise<boolean> {
  let added = false;
  for (const cert of reached) {
    for (const url of cert.caIssuerUrls) {
      const body = await ctx.online!.get(url);
      if (!body) continue;
      for (const der of derOrPem(body)) {
        const c = ctx.pool.add(der, 'ONLINE');
        if (c && ctx.pool.sourceOf(c) === 'ONLINE') added = true;
      }
    }
  }
  return added;
}

async function checkPath(path: readonly Cert[], role: CertificateRole, poe: Date | null, ctx: PathContext): Promise<PathResult> {
  const time = poe ?? ctx.at;
  const revocation: RevocationCheck[] = [];
  const problems: string[] = [];
  const result = (outcome: Outcome, problem?: string): PathResult => ({
    ...outcome, path, anchored: true, problems: problem ? [problem, ...problems] : problems, revocation,
  });
  // The anchor (last) is trusted as configured: its own validity and revocation are not checked.
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    ctx.budget.checkTime();
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const isTarget = i === 0;
    const what = isTarget ? `the ${role === 'signer' ? 'signer' : role === 'tsa' ? 'time-stamping' : 'OCSP responder'} certificate` : `CA certificate ${cert.subject}`;
    if (cert.unknownCritical.length > 0) {
      return result(indeterminate('CHAIN_CONSTRAINTS_FAILURE'), `${what} has unsupported critical extensions ${cert.unknownCritical.join(', ')}`);
    }
    const usage = isTarget ? keyUsageProblem(cert, role) : caProblem(cert);
    if (usage) return result(indeterminate('CHAIN_CONSTRAINTS_FAILURE'), usage);
    if (!isTarget && cert.pathLen !== undefined && i - 1 > cert.pathLen) {
      return result(indeterminate('CHAIN_CONSTRAINTS_FAILURE'), `${what} allows ${cert.pathLen} intermediate certificate(s) below it`);
    }
    if (time < cert.notBefore || time > cert.notAfter) {
      const window = `valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}`;
      if (poe && time < cert.notBefore) {
        return result(failed('NOT_YET_VALID'), `${what} (${window}) was not yet valid at the proven time ${time.toISOString()}`);
      }
      return result(indeterminate('OUT_OF_BOUNDS_NO_POE'), `${what} (${window}) is not valid at ${time.toISOString()} and no proof of existence within its validity`);
    }
    if (role === 'ocsp' && isTarget && cert.ocspNoCheck) continue;
    let status = ctx.revocation.status(cert, issuer, time, ctx.at, ctx.pool.all());
    if (status.status === 'UNKNOWN' && ctx.online) {
      await fetchRevocation(cert, issuer, ctx);
      status = ctx.revocation.status(cert, issuer, time, ctx.at, ctx.pool.all());
    }
    if (status.status === 'UNKNOWN') {
      const problem = `no ${status.why === 'NONE' ? '' : 'fresh '}revocation information for ${what} at ${time.toISOString()}`;
      if (ctx.revocationPolicy === 'require') return result(indeterminate('TRY_LATER'), problem);
      problems.push(`${problem} (accepted: revocation policy soft-fail)`);
      continue;
    }
    revocation.push(status.check);
    if (status.status === 'REVOKED') {
      const revokedAt = status.answer.revocationTime!;
      const reason = status.answer.reason ? ` (${status.answer.reason})` : '';
      if (poe && poe < revokedAt) {
        problems.push(`${what} was revoked at ${revokedAt.toISOString()}${reason}, after the proven time ${poe.toISOString()}`);
        continue;
      }
      if (poe) return result(failed('REVOKED'), `${what} was revoked at ${revokedAt.toISOString()}${reason}, before the proven time ${poe.toISOString()}`);
      return result(indeterminate(isTarget ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE'), `${what} was revoked at ${revokedAt.toISOString()}${reason} and nothing proves the signature existed before`);
    }
  }
  return result(PASSED);
}

async function fetchRevocation(cert: Cert, issuer: Cert, ctx: PathContext): Promise<void> {
  for (const url of cert.ocspUrls) {
    const body = await ctx.online!.ocsp(url, cert, issuer);
    if (body) ctx.revocation.addOcsp(body, 'ONLINE');
  }
  if (ctx.revocation.status(cert, issuer, ctx.at, ctx.at, ctx.pool.all()).status !== 'UNKNOWN') return;
  for (const url of cert.crlUrls) {
    const body = await ctx.online!.get(url);
    if (body) for (const der of derOrPem(body)) ctx.revocation.addCrl(der, 'ONLINE');
  }
}
