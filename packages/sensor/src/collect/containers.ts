import type { EngineClient } from '../engine/client.js';
import type { ApiContainerInspect } from '../engine/api-types.js';
import type { ComposeIdentity } from '../compose/labels.js';
import { composeIdentity } from '../compose/labels.js';
import { engineRuntime } from '../engine/api-types.js';
import { mapLimit } from '../util/pool.js';
import { markHealthNotRun } from './health-not-run.js';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
/** `not_run`: the container has a healthcheck the runtime does not run (Podman without systemd; see health-not-run.ts). */
export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy' | 'not_run';
const HEALTH_STATES = new Set(['starting', 'healthy', 'unhealthy']);

export interface HealthProbe {
  start: string;
  end: string;
  exitCode: number;
  /** The probe's output, as the engine kept it (untrusted text). */
  output: string;
}

/** What the engine says about one container: the facts status, drift and diagnosis work from. */
export interface ContainerFacts {
  id: string;
  name: string;
  image: string;
  imageId: string;
  createdAt: string;
  state: ContainerState;
  /** Main process id on the engine's host (0 when not running). */
  pid: number;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  exitCode: number;
  oomKilled: boolean;
  error: string | undefined;
  restartCount: number;
  restartPolicy: { name: string; maximumRetryCount: number };
  health: { status: HealthStatus; failingStreak: number; log: HealthProbe[] };
  limits: { memoryBytes: number | undefined; memoryReservationBytes: number | undefined; nanoCpus: number | undefined };
  networkMode: string | undefined;
  tty: boolean;
  labels: Record<string, string>;
  compose: ComposeIdentity | undefined;
  /** What the container was created with (env values are untrusted and may hold secrets: never print them raw). */
  config: {
    cmd: string[] | null;
    entrypoint: string[] | null;
    env: string[];
    healthcheck: { test: string[] | undefined; intervalNs: number | undefined; timeoutNs: number | undefined; startPeriodNs: number | undefined; retries: number | undefined } | undefined;
  };
  portBindings: Array<{ hostIp: string; published: string; target: number; protocol: string }>;
  mounts: Array<{ type: string; source: string; name: string | undefined; target: string; readOnly: boolean }>;
  /** The tmpfs mount points of its own (`tmpfs:`, `--mount type=tmpfs`): emptied at every start of the container. */
  tmpfs: string[];
}

const KNOWN_STATES = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function toContainerFacts(raw: ApiContainerInspect): ContainerFacts {
  const labels = raw.Config.Labels ?? {};
  const health = raw.State.Health;
  const quota = raw.HostConfig.CpuQuota ?? 0;
  const period = raw.HostConfig.CpuPeriod || 100_000;
  const nanoCpus = raw.HostConfig.NanoCpus || (quota > 0 ? Math.round((quota / period) * 1e9) : 0);
  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ''),
    image: raw.Config.Image,
    imageId: raw.Image,
    createdAt: raw.Created,
    pid: raw.State.Pid ?? 0,
    state: (KNOWN_STATES.has(raw.State.Status) ? raw.State.Status : 'dead') as ContainerState,
    startedAt: raw.State.StartedAt && !raw.State.StartedAt.startsWith('0001') ? raw.State.StartedAt : undefined,
    finishedAt: raw.State.FinishedAt && raw.State.FinishedAt !== ZERO_TIME && !raw.State.FinishedAt.startsWith('0001') ? raw.State.FinishedAt : undefined,
    exitCode: raw.State.ExitCode,
    oomKilled: raw.State.OOMKilled,
    error: raw.State.Error || undefined,
    restartCount: raw.RestartCount ?? 0,
    restartPolicy: {
      name: raw.HostConfig.RestartPolicy?.Name || 'no',
      maximumRetryCount: raw.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0,
    },
    health: {
      // Podman answers an empty status for a container without a healthcheck
      status: (HEALTH_STATES.has(health?.Status ?? '') ? health?.Status : 'none') as HealthStatus,
      failingStreak: health?.FailingStreak ?? 0,
      log: (health?.Log ?? []).map((p) => ({ start: p.Start, end: p.End, exitCode: p.ExitCode, output: p.Output })),
    },
    limits: {
      memoryBytes: raw.HostConfig.Memory || undefined,
      memoryReservationBytes: raw.HostConfig.MemoryReservation || undefined,
      nanoCpus: nanoCpus || undefined,
    },
    networkMode: raw.HostConfig.NetworkMode,
    tty: raw.Config.Tty,
    labels,
    compose: composeIdentity(labels),
    config: {
      cmd: raw.Config.Cmd ?? null,
      entrypoint: raw.Config.Entrypoint ?? null,
      env: raw.Config.Env ?? [],
      healthcheck: raw.Config.Healthcheck
        ? {
            test: raw.Config.Healthcheck.Test,
            intervalNs: raw.Config.Healthcheck.Interval || undefined,
            timeoutNs: raw.Config.Healthcheck.Timeout || undefined,
            startPeriodNs: raw.Config.Healthcheck.StartPeriod || undefined,
            retries: raw.Config.Healthcheck.Retries || undefined,
          }
        : undefined,
    },
    portBindings: Object.entries(raw.HostConfig.PortBindings ?? {}).flatMap(([key, bindings]) => {
      const [port = '0', protocol = 'tcp'] = key.split('/');
      return (bindings ?? [{ HostIp: '', HostPort: '' }]).map((b) => ({ hostIp: b.HostIp ?? '', published: b.HostPort ?? '', target: Number(port), protocol }));
    }),
    mounts: (raw.Mounts ?? []).map((m) => ({ type: m.Type, source: m.Source, name: m.Name, target: m.Destination, readOnly: !m.RW })),
    tmpfs: [...new Set([...Object.keys(raw.HostConfig.Tmpfs ?? {}), ...(raw.Mounts ?? []).filter((m) => m.Type === 'tmpfs').map((m) => m.Destination)])],
  };
}

/** List every container (running or not) and inspect each, concurrently. */
export async function collectContainers(client: EngineClient, options: { concurrency?: number } = {}): Promise<ContainerFacts[]> {
  const summaries = await client.listContainers({ all: true });
  const inspected = await mapLimit(summaries, options.concurrency ?? 16, (s) => client.inspectContainer(s.Id));
  const runtime = engineRuntime(await client.connect());
  const now = Date.now();
  return inspected.filter((c): c is ApiContainerInspect => c !== undefined).map((raw) => markHealthNotRun(toContainerFacts(raw), runtime, now));
}
