import { createThrottledLog } from './log-throttle.ts';
import { errorSummary, type Logger } from './logger.ts';

export interface ProcessGuardOptions {
  readonly log: Logger;
  /** Called once on an uncaught exception, before the exit: stop the service cleanly. */
  readonly stop?: () => Promise<void>;
  /** How long `stop` may take before the process exits anyway. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** @default process.exit */
  readonly exit?: (code: number) => void;
}

/**
 * Installs the service's own last-resort handlers, so that what happens to a stray error
 * does not depend on whichever dependency happened to register one (the embedded ledger's
 * chaincode logger does; with a Fabric ledger nothing does, and Node exits on the first
 * unhandled rejection).
 *
 * - An unhandled rejection is one operation that failed without a caller to tell: it is
 *   logged on one line (repeats counted, see {@link createThrottledLog}) and the service
 *   keeps running.
 * - An uncaught exception means a callback was cut off halfway and state may be
 *   inconsistent (Node's own advice): it is logged, the service is stopped within
 *   `stopTimeoutMs`, and the process exits with status 70 (EX_SOFTWARE) for the supervisor
 *   to restart it; an embedded PostgreSQL left running is adopted at the next start.
 *
 * @returns A function that removes the handlers.
 */
export function installProcessGuards(options: Readonly<ProcessGuardOptions>): () => void {
  const { log, stopTimeoutMs = 10_000, exit = (code: number) => process.exit(code) } = options;
  const rejections = createThrottledLog(log, { level: 'error' });
  let stopping = false;
  const onRejection = (reason: unknown) => {
    rejections.note('UNHANDLED_REJECTION', 'an operation failed with nobody waiting for it; the service continues', { error: errorSummary(reason) });
  };
  const onException = (error: unknown) => {
    log.error('uncaught exception; stopping the service', { error: errorSummary(error) });
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => exit(70), stopTimeoutMs);
    timer.unref();
    void Promise.resolve()
      .then(() => options.stop?.())
      .catch((e: unknown) => log.error('stopping after an uncaught exception failed', { error: errorSummary(e) }))
      .finally(() => {
        clearTimeout(timer);
        exit(70);
      });
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    rejections.flush();
  };
}
