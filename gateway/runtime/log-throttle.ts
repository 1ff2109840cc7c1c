import type { Logger } from './logger.ts';

/** Repeated events (client errors, stray rejections) logged without flooding the log. */
export interface ThrottledLog {
  /** Logs the first event of `kind` in a window as one warning; later ones in that window are only counted. */
  note(kind: string, message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Writes the pending "N more" summaries now (at shutdown). */
  flush(): void;
}

export interface ThrottledLogOptions {
  /** @default 60000 */
  readonly windowMs?: number;
  /** @default 'warn' */
  readonly level?: 'warn' | 'error';
}

/**
 * Logs the first event of each kind per window and, when the window closes, one line
 * saying how many more of that kind there were. A client that aborts ten thousand uploads
 * writes two lines a minute, not ten thousand. Kinds are a few fixed codes, so the map
 * stays small; callers never put client input (addresses, paths) into a kind.
 */
export function createThrottledLog(log: Logger, options: Readonly<ThrottledLogOptions> = {}): ThrottledLog {
  const windowMs = options.windowMs ?? 60_000;
  const write = (message: string, fields?: Readonly<Record<string, unknown>>) =>
    options.level === 'error' ? log.error(message, fields) : log.warn(message, fields);
  const windows = new Map<string, { message: string; suppressed: number; timer: NodeJS.Timeout }>();
  const close = (kind: string) => {
    const w = windows.get(kind);
    if (!w) return;
    clearTimeout(w.timer);
    windows.delete(kind);
    if (w.suppressed > 0) write(`${w.message} (${w.suppressed} more in the last ${Math.round(windowMs / 1000)} s)`, { kind, suppressed: w.suppressed });
  };
  return {
    note(kind, message, fields) {
      const open = windows.get(kind);
      if (open) {
        open.suppressed++;
        return;
      }
      write(message, { kind, ...fields });
      const timer = setTimeout(() => close(kind), windowMs);
      timer.unref();
      windows.set(kind, { message, suppressed: 0, timer });
    },
    flush() {
      for (const kind of [...windows.keys()]) close(kind);
    },
  };
}
