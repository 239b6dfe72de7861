import http from 'node:http';
import { rmSync } from 'node:fs';

export interface RecordedRequest {
  method: string;
  url: string;
}

/**
 * A small HTTP proxy on a unix socket in front of the engine's socket that records every request's method
 * and path, so a test can show what a bcon run really sent. With `hold`, a request whose path matches is never
 * answered (`held` resolves when the first one arrives): a test can then cut a connection mid-request, however busy
 * the machine.
 */
export async function startRecordingProxy(upstreamSocket: string, listenSocket: string, options: { hold?: RegExp } = {}) {
  const records: RecordedRequest[] = [];
  let onHeld: (url: string) => void = () => undefined;
  const held = new Promise<string>((resolve) => (onHeld = resolve));
  const server = http.createServer((req, res) => {
    records.push({ method: req.method ?? '?', url: req.url ?? '?' });
    if (options.hold?.test(req.url ?? '')) {
      req.resume();
      onHeld(req.url ?? '');
      return;
    }
    const upstream = http.request(
      { socketPath: upstreamSocket, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.statusCode = 502;
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  rmSync(listenSocket, { force: true });
  await new Promise<void>((resolve) => server.listen(listenSocket, resolve));
  return {
    records,
    held,
    dockerHost: `unix://${listenSocket}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
