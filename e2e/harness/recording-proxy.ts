import http from 'node:http';
import { rmSync } from 'node:fs';

export interface RecordedRequest {
  method: string;
  url: string;
}

/**
 * A small HTTP proxy on a unix socket in front of the engine's socket that records every request's method
 * and path, so a test can show what a bcon run really sent.
 */
export async function startRecordingProxy(upstreamSocket: string, listenSocket: string) {
  const records: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    records.push({ method: req.method ?? '?', url: req.url ?? '?' });
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
    dockerHost: `unix://${listenSocket}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
