import { InvalidInputError } from '../../common/index.ts';

/** What is wrong with one face field. */
export type FaceFieldProblem =
  | 'REQUIRED'
  | 'UNKNOWN_FIELD'
  | 'NOT_A_STRING'
  | 'TOO_LONG'
  | 'LINE_BREAK'
  | 'NOT_A_DATE'
  | 'NOT_A_NUMBER'
  | 'OUT_OF_RANGE'
  | 'NOT_AN_OPTION'
  | 'ORDER';

/**
 * One face field's value breaks the licence type's schema (照面信息, GB/T 36903). Codes with
 * check characters fail as `InvalidCodeError` instead, which also names the field.
 */
export class FaceFieldError extends InvalidInputError {
  override readonly code = 'INVALID_FACE_FIELD';
  readonly problem: FaceFieldProblem;

  constructor(p: Readonly<{ field: string; problem: FaceFieldProblem; message: string }>) {
    super({ field: p.field, message: `${p.field}: ${p.message}`, standard: 'GB/T 36903' });
    this.problem = p.problem;
  }
}

/**
 * Face data failed its schema. `problems` lists every failing field (one error each, in
 * schema order), so a form can mark them all at once.
 */
export class FaceDataError extends InvalidInputError {
  override readonly code = 'INVALID_FACE_DATA';
  readonly licenceType: string;
  readonly problems: readonly InvalidInputError[];

  constructor(p: Readonly<{ licenceType: string; problems: readonly InvalidInputError[] }>) {
    super({
      field: 'face',
      standard: 'GB/T 36903',
      message: `face data of ${p.licenceType} has ${p.problems.length} problem(s): ${p.problems.map((e) => e.message).join('; ')}`,
    });
    this.licenceType = p.licenceType;
    this.problems = p.problems;
  }
}
