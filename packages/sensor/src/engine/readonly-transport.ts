import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { EngineEndpoint } from './endpoint.js';
import {
  EngineAddressError,
  EnginePermissionError,
  EngineResponseError,
  EngineTimeoutError,
  EngineUnreachableError,
  ReadOnlyViolationError,
  SensorError,
  SshHostError,
} from './errors.js';
import { checkReadPath, upgradeHeader } from './read-paths.js';

/** Response header that marks an error of the SSH connection keeper itself (not of the engine). */
export const KEEPER_ERROR_HEADER = 'x-bcon-keeper-error';

/** The only HTTP methods the sensor ever sends. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export type Query = Record<string, string | number | boolean | undefined>;

export interface TransportRequest {
  method: string;
  path: string;
  query?: Query;
  timeoutMs?: number;
  /**
   * `slow`: a request the engine answers late (stats: up to 1 s). Over a connection factory (SSH), where every
   * new connection starts a process on the host, quick requests share a couple of kept-alive connections and
   * slow ones get their own, so they neither wait behind each other nor hold the quick ones up.
   */
  lane?: 'quick' | 'slow';
  /** extra request headers; one that asks for a protocol switch (Upgrade, Connection: upgrade) is refused */
  headers?: Record<string, string>;
}

export interface TransportOptions {
  /** Per-request time-out in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Concurrent connections to the engine (default 64). */
  maxSockets?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * A connection factory for endpoints that are not a socket or a TCP port (the SSH stream of a remote engine).
   * Whatever carries the bytes, every request still passes the method check below first.
   */
  createConnection?: () => Duplex;
  /** Kept-alive connections for quick requests through createConnection (default 2). */
  quickConnections?: number;
  /** called by close(): the SSH connection behind createConnection */
  onClose?: () => void;
}

/** How long to wait before asking again after a process race (ms): two more tries. */
const RACE_RETRIES = [100, 300];

/** A 500 whose message says a process the engine was reading went away meanwhile (see getJson). */
function isProcessRace(err: unknown): boolean {
  return err instanceof EngineResponseError && err.status === 500 && /\/proc\/\d+\/\S*: no such (?:process|file or directory)/.test(err.message);
}

/** A reused kept-alive connection closed before any answer: the request may go again on a new one. */
class StaleSocket extends Error {
  constructor(override readonly cause: unknown) {
    super('a kept-alive connection was closed before it answered');
  }
}

function closedUnderfoot(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || /socket hang up/i.test(e?.message ?? '');
}

/** A request the transport refused or failed to deliver never leaves a half-open socket behind. */
export class ReadOnlyTransport {
  readonly endpoint: EngineEndpoint;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent;
  /** requests in the slow lane (the same agent unless connections are costly: SSH) */
  private readonly slowAgent: http.Agent;
  private readonly createConnection: (() => Duplex) | undefined;
  private readonly onClose: (() => void) | undefined;

  constructor(endpoint: EngineEndpoint, options: TransportOptions = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.createConnection = options.createConnection;
    this.onClose = options.onClose;
    if (endpoint.kind === 'ssh' && !this.createConnection) {
      throw new EngineAddressError(endpoint.address, 'ssh:// engines are not supported by this version of bcon yet');
    }
    const maxSockets = options.maxSockets ?? 64;
    if (this.createConnection) {
      // kept-alive connections over the caller's streams (an SSH channel each): few channels, reused
      const connect = this.createConnection;
      // a connection may be costly (over SSH, a docker system dial-stdio process on the host): a few kept-alive
      // connections carry the quick requests one after the other (~1 ms each); slow ones get up to 8 more
      this.agent = factoryAgent(connect, Math.min(maxSockets, options.quickConnections ?? 2));
      this.slowAgent = factoryAgent(connect, Math.min(maxSockets, 8));
    } else if (endpoint.kind === 'tcp' && endpoint.tls) {
      this.agent = this.slowAgent = new https.Agent({ keepAlive: true, maxSockets, ...tlsFromEnv(options.env ?? process.env) });
    } else {
      this.agent = this.slowAgent = new http.Agent({ keepAlive: true, maxSockets });
    }
  }

  /**
   * Check a request against the read-only policy: GET or HEAD, to one of the engine's read endpoints the sensor
   * uses (an allow-list, on the path written canonically: see read-paths.ts), without a protocol upgrade.
   * `requestPath` is the request target as sent (path and query). Throws before anything is sent.
   */
  static assertReadOnly(method: string, requestPath: string, headers?: Record<string, string | string[] | number | undefined>): void {
    const upper = method.toUpperCase();
    if (!READ_METHODS.has(upper)) throw new ReadOnlyViolationError(upper, requestPath);
    const checked = checkReadPath(requestPath);
    if (!checked.ok) throw new ReadOnlyViolationError(upper, requestPath, checked.reason);
    const upgrade = upgradeHeader(headers);
    if (upgrade) throw new ReadOnlyViolationError(upper, requestPath, `it asks for a protocol switch (${upgrade})`);
  }

  /** Send a GET or HEAD and resolve with the response once its status is known to be 2xx/3xx. */
  async open(request: TransportRequest): Promise<http.IncomingMessage> {
    const method = request.method.toUpperCase();
    const fullPath = withQuery(request.path, request.query);
    // the whole request target as it goes on the wire (the query too), and the headers
    ReadOnlyTransport.assertReadOnly(method, fullPath, request.headers);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const options: http.RequestOptions = {
      method,
      path: fullPath,
      agent: request.lane === 'slow' ? this.slowAgent : this.agent,
      headers: { ...request.headers, Host: 'docker' },
    };
    // (an ssh:// endpoint has neither: its agent's createConnection opens the streams)
    if (this.endpoint.kind === 'unix') {
      options.socketPath = this.endpoint.socketPath;
    } else if (this.endpoint.kind === 'tcp') {
      options.host = this.endpoint.host;
      options.port = this.endpoint.port;
    }
    const send = this.endpoint.kind === 'tcp' && this.endpoint.tls ? https.request : http.request;

    // One timer per request until its headers arrive (a socket timeout would be re-armed on every chunk of every
    // pooled connection, which costs more than the requests themselves when hundreds are in flight).
    const deadline = Date.now() + timeoutMs;
    const attempt = () =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = send(options, (res) => {
          clearTimeout(timer);
          resolve(res);
        });
        // one deadline for the request and its one repeat: a repeat never doubles the time a caller waits
        const timer = setTimeout(() => req.destroy(new EngineTimeoutError(this.endpoint.address, request.path, timeoutMs)), Math.max(0, deadline - Date.now()));
        req.on('error', (err) => {
          clearTimeout(timer);
          reject(req.reusedSocket && closedUnderfoot(err) ? new StaleSocket(err) : this.translate(err));
        });
        req.end();
      });
    // a kept-alive connection the other end closed while idle (an engine's or an SSH channel's idle close racing the
    // next request) fails a request that was never read: it is sent again once, on a new connection — GET and HEAD
    // only ever go out, so a repeat changes nothing
    const response = await attempt().catch((err: unknown) => {
      if (!(err instanceof StaleSocket)) throw err;
      return attempt().catch((again: unknown) => {
        throw again instanceof StaleSocket ? this.translate(again.cause) : again;
      });
    });

    const status = response.statusCode ?? 0;
    if (status >= 400 && response.headers[KEEPER_ERROR_HEADER]) {
      // the SSH connection keeper could not reach the engine (the host went away, dial-stdio failed)
      throw this.translate(new Error(engineMessage(await readBody(response).catch(() => '')) || 'the SSH connection keeper failed'));
    }
    if (status >= 400) {
      if (method === 'HEAD') response.resume(); // release the pooled socket
      const body = method === 'HEAD' ? '' : await readBody(response).catch(() => '');
      throw new EngineResponseError(status, method, request.path, engineMessage(body) || response.statusMessage || 'no message');
    }
    return response;
  }

  /**
   * GET a JSON document. A 500 that says a container's process vanished while the engine read it (Podman lists
   * containers by reading each one's `/proc/PID/cgroup`: one that exits at that moment, like a crash loop Podman
   * restarts without backoff, fails the whole list with "read /proc/22986/cgroup: no such process") is asked again,
   * twice at most: the answer a moment later is the truth, the race is not.
   */
  async getJson<T>(requestPath: string, query?: Query, timeoutMs?: number, lane?: 'quick' | 'slow'): Promise<T> {
    const request = { method: 'GET', path: requestPath, query, ...(timeoutMs ? { timeoutMs } : {}), ...(lane ? { lane } : {}) };
    let res: http.IncomingMessage;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await this.open(request);
        break;
      } catch (err) {
        if (attempt >= RACE_RETRIES.length || !isProcessRace(err)) throw err;
        await new Promise((r) => setTimeout(r, RACE_RETRIES[attempt]));
      }
    }
    const text = await readBody(res);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SensorError(
        `the Docker engine at ${this.endpoint.address} answered GET ${requestPath} with something that is not JSON ` +
          `(${text.slice(0, 80)}…): is DOCKER_HOST pointing at a Docker engine?`,
        'engine_not_json',
        { cause: err },
      );
    }
  }

  /** HEAD a path; resolves with the status and headers. */
  async head(requestPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
    const res = await this.open({ method: 'HEAD', path: requestPath });
    res.resume();
    return { status: res.statusCode ?? 0, headers: res.headers };
  }

  /** Close pooled connections. */
  close(): void {
    this.agent.destroy();
    this.slowAgent.destroy();
    this.onClose?.();
  }

  private translate(err: unknown): Error {
    if (err instanceof SensorError) return err;
    if (this.endpoint.kind === 'ssh') return sshFailure(this.endpoint.address, err);
    const e = err as NodeJS.ErrnoException;
    const where = this.endpoint.address;
    switch (e.code) {
      case 'EACCES':
      case 'EPERM':
        return new EnginePermissionError(where, { cause: err });
      case 'ENOENT':
        return new EngineUnreachableError(where, 'no socket at that path', { cause: err });
      case 'ECONNREFUSED':
        return new EngineUnreachableError(where, 'connection refused', { cause: err });
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new EngineUnreachableError(where, 'host name not found', { cause: err });
      case 'ECONNRESET':
      case 'EPIPE':
        return new EngineUnreachableError(where, 'the connection was closed by the other side', { cause: err });
      default:
        return new EngineUnreachableError(where, e.message || String(err), { cause: err });
    }
  }
}

/** What went wrong on an SSH host once connected, and what to check there. */
function sshFailure(address: string, err: unknown): SshHostError {
  const e = err as NodeJS.ErrnoException;
  const message = e?.message || String(err);
  if (/dial-stdio/.test(message)) {
    return new SshHostError(address, `${message}: on the host, is dockerd running, and may this user use it (the docker group, or DOCKER_HOST in its environment)?`, 'ssh_remote', { cause: err });
  }
  const why = e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || /socket hang up|closed|not connected/i.test(message) ? 'the connection was closed' : message;
  return new SshHostError(address, `the SSH connection to the engine was lost mid-command (${why}): is the host still up, and sshd running? Then try again`, 'ssh_unreachable', { cause: err });
}

/**
 * A kept-alive HTTP agent whose connections are streams from `connect` (an SSH channel each). node:http ignores a
 * createConnection request option when an agent is given, so the agent's own is replaced.
 */
export function factoryAgent(connect: () => Duplex, maxSockets: number): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () => connect();
  return agent;
}

function withQuery(requestPath: string, query: Query | undefined): string {
  if (!query) return requestPath;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const qs = params.toString();
  return qs ? `${requestPath}?${qs}` : requestPath;
}

/** The whole body as text (plain events: cheaper than async iteration when hundreds of responses arrive at once). */
export function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}

function engineMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200);
}

/** The client TLS files of DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem), as the docker CLI reads them. */
export function tlsFromEnv(env: NodeJS.ProcessEnv): https.AgentOptions {
  const dir = env['DOCKER_CERT_PATH'];
  if (!dir) return {};
  const read = (name: string) => {
    try {
      return readFileSync(path.join(dir, name));
    } catch {
      return undefined;
    }
  };
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
