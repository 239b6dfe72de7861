import http from 'node:http';
import { chmodSync, unlinkSync } from 'node:fs';
import { ReadOnlyViolationError } from './errors.js';
import { upgradeHeader } from './read-paths.js';
import { KEEPER_ERROR_HEADER, READ_METHODS, ReadOnlyTransport, factoryAgent } from './readonly-transport.js';
import type { SshTarget } from './ssh-tunnel.js';
import { SshTunnel } from './ssh-tunnel.js';

/**
 * The SSH connection keeper (like OpenSSH's ControlPersist): one background process per host that keeps the SSH
 * connection and its `docker system dial-stdio` streams open between commands, so a command after the first pays
 * neither the SSH handshake nor a process start on the host. Commands reach it on a unix socket in BCON_HOME
 * (owner only). It forwards to the engine only what the sensor's transport would send (GET or HEAD, to the read
 * endpoints of read-paths.ts, no Upgrade), refuses everything else with 405, reads only the allow-listed counter
 * files (`/_bcon/files`), and exits after `idleMs` without requests or when the connection is lost.
 */
export interface KeeperOptions {
  target: SshTarget;
  socketPath: string;
  idleMs: number;
  env?: NodeJS.ProcessEnv;
}

const STATS_PATH = /\/containers\/[^/]+\/stats(\?|$)/;
/** Request headers passed on to the engine (the transport sends no others). */
const FORWARDED_HEADERS = ['accept', 'user-agent'] as const;

/** What the keeper does with a request: refuses it (405), answers it itself, or forwards it to the engine. */
export type KeeperRoute =
  | { refuse: string }
  | { local: 'keeper' }
  | { local: 'files'; paths: string[] }
  | { local?: undefined; forward: true; headers: http.OutgoingHttpHeaders };

/**
 * The keeper's policy for one request: GET or HEAD only and no protocol switch (websocket attach, h2c), whatever
 * the path; its own two endpoints; else only what the sensor's transport would send the engine (the read endpoints
 * of read-paths.ts, written canonically), with none of the client's hop-by-hop headers (Connection, Upgrade, …).
 */
export function routeKeeperRequest(method: string, url: string, requestHeaders: http.IncomingHttpHeaders): KeeperRoute {
  const refuse = (err: ReadOnlyViolationError) => ({ refuse: `the bcon connection keeper forwards only reads: ${err.message}` });
  const upper = method.toUpperCase();
  if (!READ_METHODS.has(upper)) return refuse(new ReadOnlyViolationError(upper, url));
  const upgrade = upgradeHeader(requestHeaders);
  if (upgrade) return refuse(new ReadOnlyViolationError(upper, url, `it asks for a protocol switch (${upgrade})`));
  if (url === '/_bcon/keeper') return { local: 'keeper' };
  if (url.startsWith('/_bcon/files?')) return { local: 'files', paths: new URLSearchParams(url.slice(url.indexOf('?') + 1)).getAll('p') };
  try {
    ReadOnlyTransport.assertReadOnly(upper, url, requestHeaders);
  } catch (err) {
    if (err instanceof ReadOnlyViolationError) return refuse(err);
    throw err;
  }
  const headers: http.OutgoingHttpHeaders = { host: 'docker' };
  for (const name of FORWARDED_HEADERS) if (requestHeaders[name] !== undefined) headers[name] = requestHeaders[name];
  return { forward: true, headers };
}

export async function runKeeper(options: KeeperOptions, onReady: () => void): Promise<void> {
  const tunnel = new SshTunnel(options.target, options.env ?? process.env);
  await tunnel.ready(); // host key, client key, port: a refusal is reported by the caller
  const quick = factoryAgent(() => tunnel.dial(), 6);
  const slow = factoryAgent(() => tunnel.dial(), 8);
  let active = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const fail = (res: http.ServerResponse, status: number, message: string) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'application/json', [KEEPER_ERROR_HEADER]: '1' });
    res.end(JSON.stringify({ message }));
  };

  const server = http.createServer({ maxHeaderSize: 1 << 20, keepAliveTimeout: options.idleMs }, (req, res) => {
    active++;
    clearTimeout(idleTimer);
    res.on('close', () => {
      active--;
      armIdle();
    });
    const method = (req.method ?? '').toUpperCase();
    const url = req.url ?? '/';
    const route = routeKeeperRequest(method, url, req.headers);
    if ('refuse' in route) return fail(res, 405, route.refuse);
    if (route.local === 'keeper') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ pid: process.pid, host: tunnel.label }));
    }
    if (route.local === 'files') {
      tunnel.readFiles(route.paths).then(
        (files) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(Object.fromEntries(files)));
        },
        (err: Error) => fail(res, 502, err.message),
      );
      return;
    }
    const headers = route.headers;
    const upstream = http.request({ agent: STATS_PATH.test(url) ? slow : quick, method, path: url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => fail(res, 502, err.message));
    // the command gave up (its time-out): the engine's request goes too
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  });

  const shutdown = () => {
    clearTimeout(idleTimer);
    server.close();
    try {
      unlinkSync(options.socketPath);
    } catch {
      // already gone
    }
    quick.destroy();
    slow.destroy();
    tunnel.lost = undefined;
    tunnel.close();
    done();
  };
  const armIdle = () => {
    clearTimeout(idleTimer);
    if (active === 0) idleTimer = setTimeout(shutdown, options.idleMs);
  };
  // the host went away: the next command connects afresh and reports what it finds
  tunnel.lost = shutdown;
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(options.socketPath, 0o600);
  armIdle();
  onReady();
  return finished;
}
