import type { RequestActor } from '../auth/request-actor.ts';
import type { DownloadLinks } from '../auth/download-links.ts';
import type { SealedDocuments } from '../auth/sealed-documents.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Actor } from '../services/index.ts';
import type { Services } from '../services/index.ts';
import type { TokenService } from '../services/tokens/index.ts';

/** What the GraphQL layer calls: the composed services and the token service. */
export interface GraphQLServices
  extends Pick<
    Services,
    'licences' | 'seals' | 'pki' | 'ledger' | 'verification' | 'useCodes' | 'accessLog' | 'catalogue' | 'grants' | 'applications' | 'authorisations' | 'materials' | 'sharing' | 'supervision'
  > {
  readonly tokens: TokenService;
}

/** Per-request context: who is calling (computed once), what they may call, and the download signer. */
export interface GraphQLContext {
  readonly caller: RequestActor;
  /** The client's address as rate limits key it (`clientKey`); 'in-process' without a socket. */
  readonly client: string;
  readonly services: GraphQLServices;
  readonly downloads: DownloadLinks;
  /** Where `applySeal` keeps a sealed PDF until its download link expires. */
  readonly sealed: SealedDocuments;
  readonly log: Logger;
}

/**
 * The scopes a field may require (Pothos scope-auth). They only gate the schema early and
 * document it; every service checks the same actor again.
 */
export interface AuthScopes {
  /** Staff of some department, any role. */
  department: boolean;
  /** Staff of some department who may issue and revoke (role issuer or admin). */
  issuer: boolean;
  /** Staff of some department who work applications at the window (role handler or admin). */
  handler: boolean;
  /** The operator of this installation. */
  operator: boolean;
  /** A person or company signed in through OpenID Connect, reading their own licences. */
  applicant: boolean;
}

export function authScopesOf(context: GraphQLContext): AuthScopes {
  const { actor } = context.caller;
  const department = actor.kind === 'department';
  return {
    department,
    issuer: department && (actor.role === undefined || actor.role === 'issuer' || actor.role === 'admin'),
    handler: department && (actor.role === undefined || actor.role === 'handler' || actor.role === 'admin'),
    operator: actor.kind === 'operator',
    applicant: actor.kind === 'applicant',
  };
}

/** The caller's own department, for arguments that default to it; the operator must name one. */
export const ownDepartment = (actor: Actor): string | undefined => (actor.kind === 'department' ? actor.departmentId : undefined);
