import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { DeferredSocket } from './deferred-socket.js';
import { SshHostError } from './errors.js';
import type { HostFiles } from './host-files.js';
import { knownHostsPath, verifyHostKey } from './known-hosts.js';
import { RemoteShell } from './remote-shell.js';

/** ssh2's words for a connection that closed under a channel request. */
const LOST = /\bNo response from server\b|\bNot connected\b|\bconnection (?:was )?(?:closed|lost)\b/i;

/**
 * Why `docker system dial-stdio` could not be run on the host: the connection went away before its channel opened
 * (sshd killed, the host gone: ssh2 says "No response from server" or "Not connected") is a lost connection, to try
 * again; any other refusal is the host's.
 */
export function dialStdioError(label: string, err: Error): SshHostError {
  if (LOST.test(err.message)) return new SshHostError(label, 'the SSH connection to the engine was lost mid-command (the connection was closed): is the host still up, and sshd running? Then try again', 'ssh_unreachable', { cause: err });
  return new SshHostError(label, `cannot run docker system dial-stdio: ${err.message}`, 'ssh_remote', { cause: err });
}

export interface SshTarget {
  host: string;
  port: number;
  user: string | undefined;
}

/** How long an SSH handshake may take: BCON_SSH_TIMEOUT seconds (default 10). */
export function sshTimeoutMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env['BCON_SSH_TIMEOUT']);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : 10_000;
}

/** How a host is named in messages: ssh://user@host[:port]. */
export function sshLabel(target: SshTarget): string {
  return `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
}

/** The key file to offer: BCON_SSH_KEY, else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exists. */
export function sshKeyFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env['BCON_SSH_KEY'] || ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => path.join(homedir(), '.ssh', f)).find((f) => existsSync(f));
}

/**
 * Read a private key file, refusing it as OpenSSH does ("UNPROTECTED PRIVATE KEY FILE") when its group or others
 * may read or write it (mode & 077): such a key may already be someone else's. The mode is taken from the file
 * opened, not from its name (no check-then-read race). `label` names the host in the error.
 */
export function readSshPrivateKey(file: string, label: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new SshHostError(label, `cannot read the private key ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): set BCON_SSH_KEY to a readable key file, or use an ssh agent (SSH_AUTH_SOCK)`, 'ssh_auth', { cause: err });
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SshHostError(
        label,
        `UNPROTECTED PRIVATE KEY FILE: permissions 0${mode.toString(8).padStart(3, '0')} for ${file} are too open (its group or others ` +
          `may read or write it); like ssh, bcon refuses to use such a key: chmod 600 ${file}`,
        'ssh_auth',
      );
    }
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof SshHostError) throw err;
    throw new SshHostError(label, `cannot read the private key ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): set BCON_SSH_KEY to a readable key file, or use an ssh agent (SSH_AUTH_SOCK)`, 'ssh_auth', { cause: err });
  } finally {
    closeSync(fd);
  }
}

/** The identity to offer: the key file (refused when others may read it), plus the agent. */
function identity(env: NodeJS.ProcessEnv, label: string): { privateKey?: Buffer; agent?: string } {
  const keyFile = sshKeyFile(env);
  const privateKey = keyFile ? readSshPrivateKey(keyFile, label) : undefined;
  if (!privateKey && !env['SSH_AUTH_SOCK']) {
    throw new SshHostError(label, `no SSH key to offer: no BCON_SSH_KEY, none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa (in ${homedir()}), and no ssh agent (SSH_AUTH_SOCK): set BCON_SSH_KEY to your key file, or start an agent and ssh-add the key`, 'ssh_auth');
  }
  return { ...(privateKey ? { privateKey } : {}), ...(env['SSH_AUTH_SOCK'] ? { agent: env['SSH_AUTH_SOCK'] } : {}) };
}

/**
 * One SSH connection to a host, reused by every request of a command: each request is a `docker system dial-stdio`
 * channel (what the docker CLI does), so nothing is installed on the host. The host key is checked against
 * known_hosts before anything is sent; errors name the host and what to do.
 */
export class SshTunnel {
  // sshd allows 10 sessions per connection by default (MaxSessions): up to CONNECTIONS connections of 8 channels each
  static readonly CHANNELS_PER_CONNECTION = 8;
  static readonly CONNECTIONS = 3;
  private readonly pool: Array<{ client: Promise<Client>; open: number }> = [];
  private readonly opened: Client[] = [];
  private readonly waiting: Array<() => void> = [];
  private shell: Promise<RemoteShell> | undefined;
  /** the engine's socket on the node (its DOCKER_HOST for this login, else /var/run/docker.sock); null: dial-stdio only */
  private engineSocket: Promise<string | null> | undefined;
  /** called when an established connection closes (the host went away, or close()) */
  lost: (() => void) | undefined;

  /** The host's counter files (cgroupfs, /proc), read with `head -v` in one kept-open shell. */
  readonly hostFiles: HostFiles = {
    remote: true,
    readMany: (paths) => this.readFiles(paths),
    prepare: () => {
      this.shell ??= this.openShell();
      this.shell.catch(() => undefined); // a failure shows when the shell is used
    },
  };

  constructor(
    readonly target: SshTarget,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly timeoutMs = sshTimeoutMs(env),
  ) {}

  get label(): string {
    return sshLabel(this.target);
  }

  /** A connection with a free channel (opening another when all are busy and the pool allows), or a wait. */
  private async slot(): Promise<{ client: Promise<Client>; open: number }> {
    for (;;) {
      const free = this.pool.find((p) => p.open < SshTunnel.CHANNELS_PER_CONNECTION);
      if (free) {
        free.open++;
        return free;
      }
      if (this.pool.length < SshTunnel.CONNECTIONS) {
        const entry = { client: this.connect(), open: 1 };
        this.pool.push(entry);
        return entry;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(entry: { open: number }): void {
    entry.open--;
    this.waiting.shift()?.();
  }

  private connect(): Promise<Client> {
    return (async () => {
      const { Client } = await import('ssh2');
      const conn = new Client();
      let refusal: SshHostError | undefined;
      const file = knownHostsPath(this.env);
      const id = identity(this.env, this.label);
      return new Promise<Client>((resolve, reject) => {
        conn.on('ready', () => {
          this.opened.push(conn);
          conn.on('close', () => this.lost?.());
          resolve(conn);
        });
        conn.on('error', (err: Error & { level?: string; code?: string }) => {
          if (refusal) return reject(refusal);
          if (err.level === 'client-authentication') return reject(new SshHostError(this.label, `the host refused every key offered (${this.env['BCON_SSH_KEY'] ? `BCON_SSH_KEY=${this.env['BCON_SSH_KEY']}` : 'ssh agent and ~/.ssh/id_*'}): add your public key to the host's authorized_keys, or set BCON_SSH_KEY`, 'ssh_auth', { cause: err }));
          if (err.code === 'ECONNREFUSED') return reject(new SshHostError(this.label, `nothing accepts SSH connections on port ${this.target.port} (connection refused): is sshd running, and is the port right?`, 'ssh_unreachable', { cause: err }));
          if (err.level === 'client-timeout' || /timed out/i.test(err.message)) return reject(new SshHostError(this.label, `no SSH answer within ${this.timeoutMs / 1000} s`, 'ssh_unreachable', { cause: err }));
          reject(new SshHostError(this.label, err.message, 'ssh_unreachable', { cause: err }));
        });
        conn.connect({
          host: this.target.host,
          port: this.target.port,
          username: this.target.user ?? userInfo().username,
          readyTimeout: this.timeoutMs,
          ...id,
          hostVerifier: (key: Buffer) => {
            const v = verifyHostKey(this.target.host, this.target.port, key, file);
            if (!v.ok) refusal = new SshHostError(this.label, v.message, v.kind === 'changed' ? 'ssh_changed_host_key' : v.kind === 'revoked' ? 'ssh_revoked_host_key' : 'ssh_unknown_host_key');
            return v.ok;
          },
        });
      });
    })();
  }

  /** A stream to the remote engine's API (synchronous for node:http; the channel opens behind it). */
  dial(): Duplex {
    const socket = new DeferredSocket();
    void (async () => {
      // the first connection decides whether the host is usable at all (host key, key, port)
      await this.ready();
      const entry = await this.slot();
      let released = false;
      const free = () => {
        if (!released) {
          released = true;
          this.release(entry);
        }
      };
      try {
        const conn = await entry.client;
        if (socket.destroyed) return free();
        // the engine's unix socket forwarded over the SSH connection itself (like `ssh -L`): no process on the node
        // per stream; where that is refused (AllowStreamLocalForwarding no, permissions, a tcp DOCKER_HOST), the docker
        // CLI's dial-stdio as before. Either way the read-only transport filters every request before it is sent.
        // BCON_SSH_CHANNEL=dial-stdio: always the docker CLI's dial-stdio (a process per stream on the node)
        const path = this.env['BCON_SSH_CHANNEL'] === 'dial-stdio' ? null : await (this.engineSocket ??= this.remoteEngineSocket(conn));
        if (path) {
          const forwarded = await new Promise<boolean>((resolve) =>
            conn.openssh_forwardOutStreamLocal(path, (err, channel) => {
              if (err) return resolve(false);
              channel.once('close', free);
              socket.attach(channel, () => undefined);
              resolve(true);
            }),
          );
          if (forwarded) return;
          this.engineSocket = Promise.resolve(null);
        }
        await new Promise<void>((resolve, reject) =>
          conn.exec('docker system dial-stdio', (err, channel) => {
            if (err) return reject(dialStdioError(this.label, err));
            channel.once('close', free);
            let stderr = '';
            let exitCode: number | null = null;
            channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            channel.on('exit', (code: number | null) => (exitCode = code));
            // a dial-stdio that failed (no docker, no engine) says why on stderr
            socket.attach(channel, () => (exitCode && stderr.trim() ? new Error(`docker system dial-stdio on the host failed: ${stderr.trim().split('\n')[0]}`) : undefined));
            resolve();
          }),
        );
      } catch (err) {
        free();
        throw err;
      }
    })().catch((err: Error) => socket.destroy(err));
    return socket;
  }

  /** Where the engine listens on the node for this login: DOCKER_HOST as the login sets it (unix:// only), else the default socket. */
  private remoteEngineSocket(conn: Client): Promise<string | null> {
    return new Promise((resolve) =>
      conn.exec('echo "${DOCKER_HOST:-unix:///var/run/docker.sock}"', (err, channel) => {
        if (err) return resolve(null);
        let out = '';
        channel.on('data', (d: Buffer) => (out += d.toString()));
        channel.stderr.on('data', () => undefined);
        channel.on('close', () => {
          const m = /^unix:\/\/(\/[^\s'"]+)\s*$/.exec(out.trim());
          resolve(m ? (m[1] as string) : null);
        });
      }),
    );
  }

  /** Start loading the SSH library now (~40 ms), while the command does other work; it is needed first thing. */
  preload(): void {
    import('ssh2').catch(() => undefined);
  }

  /** Connect now (host key, client key, port are checked): rejects with the SshHostError that says what is wrong. */
  async ready(): Promise<void> {
    if (!this.pool.length) this.pool.push({ client: this.connect(), open: 0 });
    await (this.pool[0] as { client: Promise<Client> }).client;
  }

  async readFiles(paths: readonly string[]): Promise<Map<string, string | undefined>> {
    if (!paths.length) return new Map();
    this.shell ??= this.openShell();
    return (await this.shell).readFiles(paths);
  }

  private async openShell(): Promise<RemoteShell> {
    await this.ready();
    const entry = await this.slot();
    try {
      const conn = await entry.client;
      return await new Promise<RemoteShell>((resolve, reject) =>
        conn.exec('sh', (err, channel) => {
          if (err) return reject(new SshHostError(this.label, `cannot start a shell to read counters: ${err.message}`, 'ssh_remote', { cause: err }));
          channel.once('close', () => this.release(entry));
          resolve(new RemoteShell(channel, this.label));
        }),
      );
    } catch (err) {
      this.release(entry);
      this.shell = undefined;
      throw err;
    }
  }

  close(): void {
    void this.shell?.then((s) => s.close()).catch(() => undefined);
    for (const c of this.opened) c.end();
  }
}
