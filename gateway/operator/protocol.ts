import { InvalidInputError } from '../../common/index.ts';

// What the CLI and the running service say to each other when a command is handed over
// (see gateway/runtime/service-file.ts). Kept free of the services: the CLI imports it.

export const OPERATOR_ISSUE_PATH = '/operator/v1/issue';
/** The licence's summary rides in this header (base64url of its JSON) beside the PDF body. */
export const LICENCE_HEADER = 'x-zhengyin-licence';
/**
 * When the licence was issued as OFD too, the body is the PDF followed by the OFD, and this
 * header gives the OFD's size in bytes (absent: the body is the PDF alone).
 */
export const OFD_SIZE_HEADER = 'x-zhengyin-ofd-size';

/** The formats `zhengyin issue --format` takes (the licence service's LicenceFormat). */
export const ISSUE_FORMATS = ['pdf', 'ofd', 'both'] as const;
export type IssueFormat = (typeof ISSUE_FORMATS)[number];

/** `zhengyin issue`'s request, the same whether the CLI runs it or hands it to the running service. */
export interface OperatorIssueRequest {
  /** The demo 营业执照 with its joint seal (seeds the demo first); the other fields are then ignored. */
  readonly demo?: boolean;
  readonly type?: string;
  readonly departmentId?: string;
  readonly face?: Readonly<Record<string, unknown>>;
  readonly number?: string;
  readonly issueDate?: string;
  readonly jointSealIds?: readonly string[];
  readonly reservedSeals?: number;
  /** @default 'pdf' */
  readonly format?: IssueFormat;
}

/**
 * The request as it arrives over the wire from the CLI: checked field by field, so that a
 * malformed body is a typed error and never reaches the services half-understood.
 * @throws {@link InvalidInputError}
 */
export function parseOperatorIssueRequest(body: unknown): OperatorIssueRequest & { readonly actorName: string } {
  const o = body as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InvalidInputError({ field: 'body', message: 'expected a JSON object' });
  const text = (name: string, max = 200): string | undefined => {
    const v = o[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.length > max) throw new InvalidInputError({ field: name, message: `${name} must be a string of at most ${max} characters` });
    return v;
  };
  const face = o.face;
  if (face !== undefined && (typeof face !== 'object' || face === null || Array.isArray(face))) {
    throw new InvalidInputError({ field: 'face', message: 'face must be a JSON object' });
  }
  const joint = o.jointSealIds;
  if (joint !== undefined && (!Array.isArray(joint) || joint.length > 16 || !joint.every((s) => typeof s === 'string' && s.length <= 100))) {
    throw new InvalidInputError({ field: 'jointSealIds', message: 'jointSealIds must be a list of at most 16 seal ids' });
  }
  const reserved = o.reservedSeals;
  if (reserved !== undefined && !Number.isInteger(reserved)) throw new InvalidInputError({ field: 'reservedSeals', message: 'reservedSeals must be an integer' });
  const format = text('format', 10);
  if (format !== undefined && !(ISSUE_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidInputError({ field: 'format', message: `format: one of ${ISSUE_FORMATS.join(', ')}` });
  }
  const actorName = text('actorName', 100);
  if (!actorName) throw new InvalidInputError({ field: 'actorName', message: 'actorName is required: who runs the command' });
  const pick = <T>(key: string, v: T | undefined) => (v === undefined ? {} : { [key]: v });
  return {
    actorName,
    demo: o.demo === true,
    ...pick('type', text('type')),
    ...pick('departmentId', text('departmentId')),
    ...pick('face', face as Record<string, unknown> | undefined),
    ...pick('number', text('number', 40)),
    ...pick('issueDate', text('issueDate', 10)),
    ...pick('jointSealIds', joint as string[] | undefined),
    ...pick('reservedSeals', reserved as number | undefined),
    ...pick('format', format as IssueFormat | undefined),
  };
}
