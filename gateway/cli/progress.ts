/** A progress line, rewritten in place, for a command working through many items. */
export interface Progress {
  /** Shows that item `done` of the total (from 1) is `label`. */
  update(done: number, label: string): void;
  /** Erases the line, so that what follows starts on a clean line. */
  end(): void;
}

/**
 * A progress line on `stream` when it is a terminal and there are more than `minItems`
 * items; otherwise one that writes nothing, so that pipes, files and logs never see it.
 */
export function progressLine(stream: NodeJS.WriteStream, total: number, minItems = 4): Progress {
  if (!stream.isTTY || total <= minItems) return { update() {}, end() {} };
  const width = Math.max((stream.columns || 80) - 1, 20);
  let shown = false;
  return {
    update(done, label) {
      const head = `[${done}/${total}] `;
      const room = width - head.length;
      const tail = label.length > room ? `…${label.slice(label.length - room + 1)}` : label;
      // \r back to the start, \x1b[K erase the rest of the line (ECMA-48 EL).
      stream.write(`\r${head}${tail}\x1b[K`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
