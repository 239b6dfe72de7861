import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { DeferredSocket } from './deferred-socket.js';
import { SshHostError } from './errors.js';
import type { HostFiles } from './host-files.js';
import { knownHostsPath } from './known-hosts.js';
import type { SshTarget } from './ssh-tunnel.js';
import { sshKeyFile } from './ssh-tunnel.js';

/**
 * Seconds a connection keeper stays after its last request: BCON_SSH_PERSIST. Unset or 0: no keeper — each
 * command's connections are closed when it ends, as the docker CLI does.
 */
export function keeperIdleSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env['BCON_SSH_PERSIST'];
  if (raw === undefined || raw.trim() === '') return 0;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 86_400) : 0;
}

/** What a keeper and a command say to each other (/_bcon/files, /_bcon/keeper): a bcon that changes it gets keepers of its own. */
const KEEPER_PROTOCOL = 1;

const fileStamp = (file: string | undefined) => {
  if (!file) return '';
  try {
    const st = statSync(file);
    // the mode too: a key made readable by others gets a new keeper, which refuses it
    return `${file}:${st.size}:${st.mtimeMs}:${st.mode}`;
  } catch {
    return `${file}:absent`;
  }
};

/**
 * The keeper's socket for this host and these credentials: the key file, the known_hosts file (its content) and
 * the agent are part of the name, so a changed known_hosts or key gets a new keeper that checks again.
 * Undefined when the path would be too long for a unix socket (then commands connect directly).
 */
export function keeperSocketPath(target: SshTarget, env: NodeJS.ProcessEnv): string | undefined {
  const home = env['BCON_HOME'] || path.join(homedir(), '.bcon');
  const known = knownHostsPath(env);
  let knownText: string;
  try {
    knownText = existsSync(known) ? readFileSync(known, 'utf8') : '';
  } catch {
    knownText = 'unreadable';
  }
  const id = createHash('sha256')
    .update(JSON.stringify([KEEPER_PROTOCOL, target.user ?? '', target.host, target.port, fileStamp(sshKeyFile(env)), known, knownText, env['SSH_AUTH_SOCK'] ?? '']))
    .digest('hex')
    .slice(0, 16);
  const socket = path.join(home, 'ssh', `${id}.sock`);
  return socket.length <= 100 ? socket : undefined;
}

/** Is a keeper answering on this socket? */
function alive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_bcon/keeper', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Where the keeper's program is (beside this module in @bcon/sensor, also when a command bundles the sensor). */
function keeperMain(): string {
  return new URL(import.meta.resolve('@bcon/sensor/ssh-keeper')).pathname;
}

/**
 * A live keeper's socket for the host: the one running, or a new one (started detached; it connects first, so a
 * refused host key or client key is reported here as the SshHostError it is).
 */
export async function ensureKeeper(target: SshTarget, label: string, env: NodeJS.ProcessEnv, socketPath: string, idleSeconds: number): Promise<string> {
  if (await alive(socketPath)) return socketPath;
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  try {
    unlinkSync(socketPath); // a keeper that died without cleaning up
  } catch {
    // none
  }
  const child = spawn(process.execPath, [keeperMain(), JSON.stringify({ target, socketPath, idleMs: idleSeconds * 1000 })], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env,
  });
  const line = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.stdout?.on('close', () => resolve(out));
    child.on('error', (err) => resolve(JSON.stringify({ error: { code: 'ssh_unreachable', detail: `cannot start the connection keeper: ${err.message}` } })));
  });
  child.stdout?.destroy();
  child.unref();
  let parsed: { ready?: boolean; error?: { code: string; detail: string } } = {};
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    parsed = { error: { code: 'ssh_unreachable', detail: `the connection keeper stopped before it was ready${line ? `: ${line.slice(0, 200)}` : ''}` } };
  }
  if (parsed.ready) return socketPath;
  // two commands started a keeper at once: the other one won
  if (await alive(socketPath)) return socketPath;
  const e = parsed.error ?? { code: 'ssh_unreachable', detail: 'the connection keeper did not start' };
  throw new SshHostError(label, e.detail, e.code as ConstructorParameters<typeof SshHostError>[2]);
}

/**
 * A command's side of the keeper: streams to the engine (each a connection to the keeper's socket) and the
 * host's counter files, once the keeper is there (started on first use).
 */
export class KeeperLink {
  private ready: Promise<string> | undefined;

  constructor(
    private readonly target: SshTarget,
    readonly label: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly socketPath: string,
    private readonly idleSeconds: number,
  ) {}

  private socket(): Promise<string> {
    this.ready ??= ensureKeeper(this.target, this.label, this.env, this.socketPath, this.idleSeconds);
    return this.ready;
  }

  /** A stream to the engine's API through the keeper (synchronous for node:http). */
  dial(): Duplex {
    const out = new DeferredSocket();
    const open = async (retry: boolean): Promise<void> => {
      const sock = await this.socket();
      const conn = net.connect(sock);
      await new Promise<void>((resolve, reject) => {
        conn.once('connect', resolve);
        conn.once('error', reject);
      }).catch(async (err: NodeJS.ErrnoException) => {
        // the keeper left (idle) just now: start another, once
        if (retry && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED')) {
          this.ready = undefined;
          return open(false);
        }
        throw err;
      });
      if (!conn.destroyed) out.attach(conn);
    };
    open(true).catch((err: Error) => out.destroy(err));
    return out;
  }

  /** The host's counter files, read by the keeper's kept-open shell. */
  readonly hostFiles: HostFiles = {
    remote: true,
    readMany: async (paths) => {
      if (!paths.length) return new Map();
      const sock = await this.socket();
      const query = new URLSearchParams(paths.map((p): [string, string] => ['p', p])).toString();
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.get({ socketPath: sock, path: `/_bcon/files?${query}`, agent: false, timeout: 10_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new SshHostError(this.label, `reading counter files on the host failed: ${body.slice(0, 200)}`, 'ssh_remote'))));
        });
        req.on('timeout', () => req.destroy(new SshHostError(this.label, 'no answer from the connection keeper within 10 s', 'ssh_remote')));
        req.on('error', reject);
      });
      const files = JSON.parse(text) as Record<string, string | null>;
      return new Map(paths.map((p) => [p, files[p] ?? undefined]));
    },
    prepare: () => {
      this.socket().catch(() => undefined); // a failure shows on first use
    },
  };
}
