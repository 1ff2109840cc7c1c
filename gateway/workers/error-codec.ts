import { ZhengyinError } from '../../common/index.ts';
import * as common from '../../common/index.ts';
import * as signer from '../../signer/index.ts';
import * as verifier from '../../verifier/index.ts';

/**
 * An error as it crosses between a worker thread and the main thread. Structured cloning
 * keeps only an Error's message and stack, so the class (by name) and its own fields (the
 * stable `code`, `field`, `sealId` …) travel beside it and are put back on the other side.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable fields that survive structured cloning (code, field, standard …). */
  readonly fields: Record<string, unknown>;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every error class that code run in a worker (signer, verifier, the shared errors) or a host callback may throw, by class name. */
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map(
  [common, signer, verifier]
    .flatMap((m) => Object.values(m))
    .filter((v): v is ErrorClass => typeof v === 'function' && v.prototype instanceof Error)
    .map((c) => [c.name, c]),
);

export function encodeError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), stack: undefined, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    if (key === 'cause' || typeof value === 'function') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // A field that cannot be cloned (a KeyObject, a socket) is left behind: it is never one a caller switches on.
    }
  }
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/**
 * The error `encodeError` saw, as an instance of the same class when that class is one of
 * ours (so `instanceof` and the GraphQL error mapping work unchanged), built without its
 * constructor; otherwise a {@link WorkerTaskError} that keeps the `code`, or a plain Error.
 */
export function decodeError(w: WireError): Error {
  const cls = CLASSES.get(w.name);
  const code = typeof w.fields.code === 'string' ? w.fields.code : undefined;
  let e: Error;
  if (cls) e = Object.create(cls.prototype) as Error;
  else if (code) e = Object.create(WorkerTaskError.prototype) as Error;
  else e = new Error();
  Object.assign(e, w.fields);
  Object.defineProperty(e, 'message', { value: w.message, writable: true, configurable: true });
  Object.defineProperty(e, 'name', { value: w.name, writable: true, configurable: true });
  if (w.stack) Object.defineProperty(e, 'stack', { value: w.stack, writable: true, configurable: true });
  return e;
}

/** An error with a stable code, thrown in a worker by a class the main thread does not know. */
export class WorkerTaskError extends ZhengyinError {
  readonly code: string = 'WORKER_TASK';
}
