import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { ForbiddenError, InvalidInputError, NotFoundError, isZhengyinError, type ZhengyinError } from '../../common/index.ts';
import { NewFieldAfterCertificationError } from '../../signer/index.ts';
import type { Logger } from '../runtime/logger.ts';
import {
  AuthorisationRequiredError,
  LicenceStateError,
  MaterialNotToBeUploadedError,
  NoSm2SealError,
  NotGrantedError,
  ProofOutsideListError,
  RenewalStateError,
  SealStateError,
  SealUnusableError,
} from '../services/index.ts';
import { TokenRefusedError } from '../services/tokens/index.ts';
import { UseCodeRateLimitedError } from '../services/use-codes/index.ts';

/**
 * The one place where domain errors become GraphQL errors. A caller sees the error's
 * stable `code` (the one the service threw) in `extensions.code`, its message, and the
 * safe ids below; every code not listed here is a fault of ours and is masked.
 */
const EXPOSED: ReadonlySet<string> = new Set([
  // The caller's input (common/errors.ts, signer, verifier).
  'INVALID_INPUT', 'INVALID_CODE', 'INVALID_FACE_FIELD', 'INVALID_FACE_DATA', 'INVALID_LICENCE_TYPE', 'INVALID_PKI_INPUT',
  'INVALID_PKCS12', 'INVALID_PKCS12_PASSWORD', 'INVALID_SIGN_OPTION', 'GLYPH_MISSING', 'LAYOUT_OVERFLOW',
  'PDF_MALFORMED', 'PDF_ENCRYPTED', 'PDF_SYNTAX', 'LIMIT_EXCEEDED', 'DOCMDP_FORBIDS', 'UNSUPPORTED_ALGORITHM',
  'NEW_FIELD_AFTER_CERTIFICATION', 'OFD_READ', 'OFD_SEAL', 'INVALID_SEAL_FOR_FORMAT', 'INVALID_EVIDENCE', 'EVIDENCE_CONFLICT', 'STEP_OUT_OF_ORDER',
  'INVALID_NOT_PDF', 'INVALID_INPUT_TOO_LARGE', // gateway/services/verification
  // Refusals and state (common/errors.ts, gateway/services/errors.ts, signer/pki).
  'NOT_FOUND', 'FORBIDDEN', 'LICENCE_STATE', 'NO_SM2_SEAL', 'FORMAT_UNAVAILABLE', 'RENEWAL_STATE', 'SEAL_STATE', 'SEAL_REVOKED', 'SEAL_SUSPENDED', 'SEAL_EXPIRED', 'SEAL_NOT_YET_VALID',
  'CERTIFICATE_REVOKED', 'CERTIFICATE_EXPIRED', 'CERTIFICATE_NOT_YET_VALID',
  // Material reuse (gateway/services/catalogue, gateway/services/reuse).
  'NOT_GRANTED', 'AUTHORISATION_MISSING', 'AUTHORISATION_WITHDRAWN', 'AUTHORISATION_EXPIRED', 'AUTHORISATION_OUT_OF_SCOPE', 'INVALID_USE_CAUSE',
  'MATERIAL_NOT_TO_BE_UPLOADED', 'PROOF_NOT_LISTED', 'APPLICATION_STATE', 'USE_CODE_NOT_APPLICANTS', 'USE_CODE_NOT_IN_PLAN',
  // Credentials (gateway/services/tokens).
  'TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_REVOKED',
  // Use codes (gateway/services/use-codes).
  'USE_CODE_UNKNOWN', 'USE_CODE_EXPIRED', 'USE_CODE_WITHDRAWN', 'RATE_LIMITED',
]);

/** Codes the GraphQL layer itself raises, beside the services' ones. */
export const GATEWAY_CODES = {
  unauthenticated: 'UNAUTHENTICATED',
  badUserInput: 'BAD_USER_INPUT',
  queryTooLarge: 'QUERY_TOO_LARGE',
  csrf: 'CSRF_HEADER_REQUIRED',
} as const;

/** The GraphQL error for a domain error the caller may see, or undefined (mask it). */
export function toGraphQLError(e: unknown): GraphQLError | undefined {
  if (e instanceof GraphQLError) return e;
  if (!isZhengyinError(e) || !EXPOSED.has(e.code)) return undefined;
  return new GraphQLError(e.message, { extensions: { code: e.code, ...safeDetails(e) } });
}

/** Ids and fields a client can act on; never values that may be personal data or secrets. */
function safeDetails(e: ZhengyinError): Record<string, unknown> {
  if (e instanceof InvalidInputError) return { field: e.field, ...(e.standard ? { standard: e.standard } : {}) };
  if (e instanceof NotFoundError) return { entity: e.entity };
  if (e instanceof ForbiddenError) return { action: e.action };
  if (e instanceof TokenRefusedError) return { http: { status: 401 }, ...(e.tokenId ? { tokenId: e.tokenId } : {}) };
  if (e instanceof SealUnusableError || e instanceof SealStateError) return { sealId: e.sealId };
  if (e instanceof NewFieldAfterCertificationError) return { freeFields: [...e.freeFields] };
  if (e instanceof LicenceStateError) return { identifier: e.identifier, status: e.status };
  if (e instanceof NoSm2SealError) return { departmentId: e.departmentId };
  if (e instanceof MaterialNotToBeUploadedError) return { applicationId: e.applicationId, kind: e.kind, resolution: e.resolution, ...(e.source ? { source: e.source } : {}) };
  if (e instanceof AuthorisationRequiredError) return { applicationId: e.applicationId };
  if (e instanceof NotGrantedError) return { departmentId: e.departmentId, matter: e.matter, resourceKind: e.resourceKind, resource: e.resource };
  if (e instanceof ProofOutsideListError) return { matter: e.matter, proof: e.proof };
  if (e instanceof UseCodeRateLimitedError) return { http: { status: 429, headers: { 'retry-after': String(e.retryAfterSeconds) } }, retryAfterSeconds: e.retryAfterSeconds };
  if (e instanceof RenewalStateError) return { identifier: e.identifier, state: e.state };
  return {};
}

/**
 * yoga's `maskedErrors.maskError`: maps domain errors by {@link toGraphQLError}, keeps
 * GraphQL's own (syntax, validation, limits), logs and masks everything else as
 * 'Unexpected error.' with code INTERNAL_SERVER_ERROR.
 */
export function maskErrorWith(log: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const original = rootCause(error);
    // A GraphQLError at the root was raised on purpose (syntax, validation, limits, scalars).
    if (original instanceof GraphQLError) return original === error ? original : locate(original, error as GraphQLError);
    const mapped = toGraphQLError(original);
    if (mapped) return error instanceof GraphQLError ? locate(mapped, error) : mapped;
    // Log the kind and message of a fault of ours; the client sees none of it.
    log.error('GraphQL request failed', {
      error: (original as Error)?.name,
      message: (original as Error)?.message,
      path: error instanceof GraphQLError ? error.path?.join('.') : undefined,
    });
    return yogaMaskError(error, message, isDev);
  };
}

/** The innermost error: graphql-js and Pothos wrap what a resolver threw in GraphQLErrors. */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  return e;
}

/** `mapped` at the place in the document and result where `at` happened. */
function locate(mapped: GraphQLError, at: GraphQLError): GraphQLError {
  return new GraphQLError(mapped.message, { nodes: at.nodes, path: at.path, extensions: { ...at.extensions, ...mapped.extensions } });
}
