import http from 'node:http';
import { chmodSync, unlinkSync } from 'node:fs';
import { KEEPER_ERROR_HEADER, ReadOnlyTransport, factoryAgent } from './readonly-transport.js';
import type { SshTarget } from './ssh-tunnel.js';
import { SshTunnel } from './ssh-tunnel.js';

/**
 * The SSH connection keeper (like OpenSSH's ControlPersist): one background process per host that keeps the SSH
 * connection and its `docker system dial-stdio` streams open between commands, so a command after the first pays
 * neither the SSH handshake nor a process start on the host. Commands reach it on a unix socket in BCON_HOME
 * (owner only). It forwards GET and HEAD to the engine and refuses everything else, reads only the allow-listed
 * counter files (`/_bcon/files`), and exits after `idleMs` without requests or when the connection is lost.
 */
export interface KeeperOptions {
  target: SshTarget;
  socketPath: string;
  idleMs: number;
  env?: NodeJS.ProcessEnv;
}


const STATS_PATH = /\/containers\/[^/]+\/stats(\?|$)/;

export async function runKeeper(options: KeeperOptions, onReady: () => void): Promise<void> {
  const tunnel = new SshTunnel(options.target, options.env ?? process.env);
  await tunnel.ready(); // host key, client key, port: a refusal is reported by the caller
  const quick = factoryAgent(() => tunnel.dial(), 2);
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
    try {
      ReadOnlyTransport.assertReadOnly(method, url);
    } catch (err) {
      return fail(res, 405, `the bcon connection keeper forwards only reads: ${(err as Error).message}`);
    }
    if (url === '/_bcon/keeper') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ pid: process.pid, host: tunnel.label }));
    }
    if (url.startsWith('/_bcon/files?')) {
      const paths = new URLSearchParams(url.slice(url.indexOf('?') + 1)).getAll('p');
      tunnel.readFiles(paths).then(
        (files) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(Object.fromEntries(files)));
        },
        (err: Error) => fail(res, 502, err.message),
      );
      return;
    }
    const upstream = http.request({ agent: STATS_PATH.test(url) ? slow : quick, method, path: url, headers: { ...req.headers, host: 'docker' } }, (up) => {
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
