import net from 'node:net';

/**
 * Sends `request` bytes as they are on a new TCP connection and resolves to everything
 * the server wrote before it closed (or before `idleMs` of silence): for requests fetch()
 * refuses to send (malformed request lines, raw NUL, oversize headers).
 */
export function rawRequest(url: URL, request: string | Uint8Array, idleMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.setTimeout(idleMs, done);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? done() : reject(e)));
    socket.write(request);
  });
}

/** The status code of the first response in `text`, or undefined when there is none. */
export const statusOf = (text: string): number | undefined => {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
};
