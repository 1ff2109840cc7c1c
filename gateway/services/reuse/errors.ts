import { InvalidInputError, ZhengyinError } from '../../../common/index.ts';

/**
 * Why no live authorisation covers a fetch: never given, withdrawn, past its end, or given
 * before the plan drew this material from someone else (the applicant never saw it).
 */
export type AuthorisationState = 'missing' | 'withdrawn' | 'expired' | 'out-of-scope';

/**
 * Shared content was asked for without the applicant's live authorisation of the
 * application, or one that does not list it. Nothing was released. Codes:
 * AUTHORISATION_MISSING, AUTHORISATION_WITHDRAWN, AUTHORISATION_EXPIRED, AUTHORISATION_OUT_OF_SCOPE.
 */
export class AuthorisationRequiredError extends ZhengyinError {
  readonly code: 'AUTHORISATION_MISSING' | 'AUTHORISATION_WITHDRAWN' | 'AUTHORISATION_EXPIRED' | 'AUTHORISATION_OUT_OF_SCOPE';
  readonly applicationId: string;
  readonly state: AuthorisationState;

  constructor(p: Readonly<{ applicationId: string; state: AuthorisationState }>) {
    const why = {
      missing: 'has not authorised',
      withdrawn: 'withdrew the authorisation of',
      expired: 'authorisation has expired for',
      'out-of-scope': 'authorisation does not list this material for',
    }[p.state];
    super(`the applicant ${why} application ${p.applicationId}`);
    this.code = `AUTHORISATION_${p.state.toUpperCase().replace(/-/g, '_')}` as AuthorisationRequiredError['code'];
    this.applicationId = p.applicationId;
    this.state = p.state;
  }
}

/** 用证事由: every fetch states why, in 1 to 200 characters. */
export class UseCauseError extends InvalidInputError {
  override readonly code = 'INVALID_USE_CAUSE';

  constructor(message: string) {
    super({ field: 'useCause', message });
  }
}

/**
 * A department asked the applicant for a material the plan does not say "to be uploaded"
 * (不得重复索要): it comes from sharing, an earlier material, the applicant's commitment, a
 * tolerated gap or this matter itself. `resolution` and `source` say where from.
 */
export class MaterialNotToBeUploadedError extends ZhengyinError {
  readonly code = 'MATERIAL_NOT_TO_BE_UPLOADED';
  readonly applicationId: string;
  readonly kind: string;
  /** The plan's resolution, e.g. SHARED_LICENCE. */
  readonly resolution: string;
  /** Where it comes from: a licence identifier, a material id, a matter code; absent when not listed at all. */
  readonly source: string | undefined;

  constructor(p: Readonly<{ applicationId: string; kind: string; resolution: string; source?: string; detail: string }>) {
    super(`material ${p.kind} is not to be uploaded for application ${p.applicationId}: ${p.detail}`);
    this.applicationId = p.applicationId;
    this.kind = p.kind;
    this.resolution = p.resolution;
    this.source = p.source;
  }
}

/** A proof (证明) that is not on the current proof list (证明事项清单), or not for this department: it may not be asked for. */
export class ProofOutsideListError extends ZhengyinError {
  readonly code = 'PROOF_NOT_LISTED';
  readonly matter: string;
  readonly proof: string;

  constructor(p: Readonly<{ matter: string; proof: string; departmentId: string }>) {
    super(`matter ${p.matter} asks for proof ${p.proof}, which the proof list does not give department ${p.departmentId} (证明事项清单之外不得索要)`);
    this.matter = p.matter;
    this.proof = p.proof;
  }
}

/** An application step that its state does not allow (finishing a finished matter, uploading to a finished application). */
export class ApplicationStateError extends ZhengyinError {
  readonly code = 'APPLICATION_STATE';
  readonly applicationId: string;

  constructor(p: Readonly<{ applicationId: string; message: string }>) {
    super(p.message);
    this.applicationId = p.applicationId;
  }
}

/** An uploaded material larger than the configured limit; nothing stored. */
export class MaterialTooLargeError extends InvalidInputError {
  override readonly code = 'LIMIT_EXCEEDED';
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super({ field: 'file', message: `file: larger than the ${maxBytes} bytes a material may have` });
    this.maxBytes = maxBytes;
  }
}

/**
 * A live use code that cannot authorise this application: minted by someone other than its
 * applicant (USE_CODE_NOT_APPLICANTS), or for a licence its material plan does not share
 * (USE_CODE_NOT_IN_PLAN). Nothing was written.
 */
export class UseCodeNotForApplicationError extends ZhengyinError {
  readonly code: 'USE_CODE_NOT_APPLICANTS' | 'USE_CODE_NOT_IN_PLAN';
  readonly applicationId: string;

  constructor(p: Readonly<{ applicationId: string; reason: 'not-applicants' | 'not-in-plan' }>) {
    super(
      p.reason === 'not-applicants'
        ? `this use code was not minted by the applicant of application ${p.applicationId}`
        : `application ${p.applicationId}'s material plan shares no material from the licence this use code opens`,
    );
    this.code = p.reason === 'not-applicants' ? 'USE_CODE_NOT_APPLICANTS' : 'USE_CODE_NOT_IN_PLAN';
    this.applicationId = p.applicationId;
  }
}
