import type { IncomingMessage } from 'node:http';
import type { EngineEndpoint } from './endpoint.js';
import { endpointFromEnv } from './endpoint.js';
import { EngineApiTooOldError, EngineResponseError, SensorError } from './errors.js';
import type { ApiContainerInspect, ApiContainerSummary, ApiEvent, ApiImageInspect, ApiInfo, ApiNode, ApiService, ApiStats, ApiTask, ApiVersionInfo } from './api-types.js';
import { engineRuntime } from './api-types.js';
import type { Query, TransportOptions } from './readonly-transport.js';
import { ReadOnlyTransport, readBody } from './readonly-transport.js';
import { SshTunnel, sshLabel } from './ssh-tunnel.js';
import { KeeperLink, keeperIdleSeconds, keeperSocketPath } from './ssh-keeper-client.js';
import type { HostFiles } from './host-files.js';
import { localHostFiles } from './host-files.js';

/** The oldest engine API bcon reads (Docker 20.10): one-shot stats arrived in 1.41. */
export const MIN_API_VERSION = '1.41';
/** The newest API version bcon asks for; newer engines answer in this dialect. */
export const MAX_API_VERSION = '1.47';

export function compareApiVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  return amaj - bmaj || amin - bmin;
}

/**
 * A read-only client of one Docker engine. Every method is a read; there is deliberately no way to send
 * anything else (the transport refuses it as well).
 */
export class EngineClient {
  readonly transport: ReadOnlyTransport;
  private api: string | undefined;
  private versionInfo: ApiVersionInfo | undefined;
  /** the counter files of the engine's host, when bcon can read them (local socket, SSH); not over TCP */
  readonly hostFiles: HostFiles | undefined;

  constructor(endpoint: EngineEndpoint = endpointFromEnv(), options: TransportOptions = {}) {
    if (endpoint.kind === 'ssh' && !options.createConnection) {
      // agentless: the engine's API over SSH (docker system dial-stdio), still through the read-only transport;
      // through the host's connection keeper when BCON_SSH_PERSIST asks for one, else directly
      const env = options.env ?? process.env;
      const target = { host: endpoint.host, port: endpoint.port, user: endpoint.user };
      const idle = keeperIdleSeconds(env);
      const socketPath = idle > 0 ? keeperSocketPath(target, env) : undefined;
      if (socketPath) {
        const link = new KeeperLink(target, sshLabel(target), env, socketPath, idle);
        // a connection to the keeper is cheap (its dial-stdio streams are already open)
        options = { quickConnections: 4, ...options, createConnection: () => link.dial() };
        this.hostFiles = link.hostFiles;
      } else {
        const tunnel = new SshTunnel(target, env);
        // each connection starts docker system dial-stdio on the host (~0.1 s of its CPU): quick requests take
        // turns on one (~1 ms each), slow ones (stats endpoint) get their own
        options = { quickConnections: 4, ...options, createConnection: () => tunnel.dial(), onClose: () => tunnel.close() };
        this.hostFiles = tunnel.hostFiles;
        tunnel.preload();
      }
    } else if (endpoint.kind === 'unix') this.hostFiles = localHostFiles;
    this.transport = new ReadOnlyTransport(endpoint, options);
  }

  get endpoint(): EngineEndpoint {
    return this.transport.endpoint;
  }

  /** Ask the engine its version and settle the API dialect (like the docker CLI's negotiation). */
  async connect(): Promise<ApiVersionInfo> {
    if (this.versionInfo) return this.versionInfo;
    const info = await this.transport.getJson<ApiVersionInfo>('/version');
    if (!info.ApiVersion || compareApiVersions(info.ApiVersion, MIN_API_VERSION) < 0) {
      throw new EngineApiTooOldError(this.endpoint.address, info.ApiVersion ?? 'unknown', MIN_API_VERSION);
    }
    this.api = compareApiVersions(info.ApiVersion, MAX_API_VERSION) > 0 ? MAX_API_VERSION : info.ApiVersion;
    this.versionInfo = info;
    return info;
  }

  /** The negotiated API version (after connect). */
  get apiVersion(): string | undefined {
    return this.api;
  }

  private async path(p: string): Promise<string> {
    if (!this.api) await this.connect();
    return `/v${this.api}${p}`;
  }

  async ping(): Promise<boolean> {
    const { status } = await this.transport.head('/_ping');
    return status === 200;
  }

  async info(): Promise<ApiInfo> {
    return this.transport.getJson<ApiInfo>(await this.path('/info'));
  }

  async listContainers(options: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ApiContainerSummary[]> {
    const query: Query = { all: options.all ?? true };
    if (options.filters) query['filters'] = JSON.stringify(options.filters);
    return this.transport.getJson<ApiContainerSummary[]>(await this.path('/containers/json'), query);
  }

  /** Inspect one container; undefined when it disappeared meanwhile. */
  async inspectContainer(id: string): Promise<ApiContainerInspect | undefined> {
    try {
      return await this.transport.getJson<ApiContainerInspect>(await this.path(`/containers/${encodeURIComponent(id)}/json`));
    } catch (err) {
      if (err instanceof EngineResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Inspect an image by id or reference; undefined when the engine has no such image. */
  async inspectImage(ref: string): Promise<ApiImageInspect | undefined> {
    try {
      return await this.transport.getJson<ApiImageInspect>(await this.path(`/images/${encodeURIComponent(ref)}/json`));
    } catch (err) {
      if (err instanceof EngineResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** One stats sample, taken at once (no 1-2 s wait for a second sample). Undefined when the container is gone. */
  async statsOnce(id: string): Promise<ApiStats | undefined> {
    try {
      const statsPath = await this.path(`/containers/${encodeURIComponent(id)}/stats`);
      return await this.transport.getJson<ApiStats>(statsPath, { stream: false, 'one-shot': true }, undefined, 'slow');
    } catch (err) {
      if (err instanceof EngineResponseError && (err.status === 404 || err.status === 409)) return undefined;
      // Podman answers 200 with an empty body for a container that stopped between the listing and this request
      // (a crash loop restarts many times a second there): no figures for it, like a 409 from Docker
      if (err instanceof SensorError && err.code === 'engine_not_json') return undefined;
      throw err;
    }
  }

  /**
   * Engine events in a closed window [since, until] (unix seconds; `until` to the millisecond); the engine ends the
   * stream at `until`. Docker cuts at the very instant given: a whole second would drop everything of the second
   * under way (a `docker rm -f` just before the read), so it is sent with its fraction.
   */
  async events(options: { since: number; until: number; filters?: Record<string, string[]> }): Promise<ApiEvent[]> {
    // Podman (4.3) answers /events with nothing at all when `until` is not in the future, and waits for it when it
    // is: its own endpoint with stream=false returns what happened since `since` at once; `until` is applied here
    const podman = engineRuntime(await this.connect()) === 'Podman';
    const query: Query = podman ? { since: options.since, stream: false } : { since: options.since, until: options.until.toFixed(3) };
    if (options.filters) query['filters'] = JSON.stringify(options.filters);
    const res = await this.transport.open({ method: 'GET', path: await this.path(podman ? '/libpod/events' : '/events'), query, timeoutMs: 30_000 });
    const text = await readBody(res);
    const events = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ApiEvent);
    return podman ? events.filter((e) => (e.timeNano ? e.timeNano / 1e9 : e.time) <= options.until) : events;
  }

  /** The raw log stream of a container (multiplexed unless the container has a TTY). */
  async logStream(
    id: string,
    options: { tail?: number; since?: number; until?: number; timestamps?: boolean } = {},
  ): Promise<IncomingMessage> {
    return this.transport.open({
      method: 'GET',
      path: await this.path(`/containers/${encodeURIComponent(id)}/logs`),
      query: {
        stdout: true,
        stderr: true,
        timestamps: options.timestamps ?? true,
        tail: options.tail ?? 'all',
        since: options.since,
        until: options.until,
      },
      timeoutMs: 30_000,
    });
  }

  /** A swarm manager's services (an engine outside a swarm answers 503). */
  async listServices(filters?: Record<string, string[]>): Promise<ApiService[]> {
    return this.transport.getJson<ApiService[]>(await this.path('/services'), filters ? { filters: JSON.stringify(filters) } : {});
  }

  /** One swarm service by id or name; undefined when there is none. */
  async inspectService(id: string): Promise<ApiService | undefined> {
    try {
      return await this.transport.getJson<ApiService>(await this.path(`/services/${encodeURIComponent(id)}`));
    } catch (err) {
      if (err instanceof EngineResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** A swarm manager's tasks (filters: service, desired-state, node …). */
  async listTasks(filters?: Record<string, string[]>): Promise<ApiTask[]> {
    return this.transport.getJson<ApiTask[]>(await this.path('/tasks'), filters ? { filters: JSON.stringify(filters) } : {});
  }

  /** A swarm manager's nodes. */
  async listNodes(): Promise<ApiNode[]> {
    return this.transport.getJson<ApiNode[]>(await this.path('/nodes'));
  }

  /** The raw log stream of a swarm service (every task's lines, multiplexed; the service logs endpoint). */
  async serviceLogStream(id: string, options: { tail?: number; since?: number } = {}): Promise<IncomingMessage> {
    return this.transport.open({
      method: 'GET',
      path: await this.path(`/services/${encodeURIComponent(id)}/logs`),
      query: { stdout: true, stderr: true, timestamps: true, tail: options.tail ?? 'all', since: options.since },
      timeoutMs: 30_000,
    });
  }

  close(): void {
    this.transport.close();
  }
}
