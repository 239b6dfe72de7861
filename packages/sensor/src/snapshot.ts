import type { EngineClient } from './engine/client.js';
import type { ContainerFacts } from './collect/containers.js';
import { collectContainers } from './collect/containers.js';
import type { CpuCounters, StatsFacts, StatsSource } from './collect/stats.js';
import { collectStats } from './collect/stats.js';
import type { EngineEventFact } from './collect/events.js';
import { collectEvents } from './collect/events.js';
import type { LogLine } from './collect/logs.js';
import { engineRuntime } from './engine/api-types.js';
import { collectLogs } from './collect/logs.js';
import { mapLimit } from './util/pool.js';

export interface EngineFacts {
  address: string;
  /** Docker, or Podman serving the Docker-compatible API */
  runtime: 'Docker' | 'Podman';
  version: string;
  apiVersion: string;
  negotiatedApiVersion: string;
  os: string;
  arch: string;
  name: string | undefined;
  cpus: number | undefined;
  memoryBytes: number | undefined;
  cgroupVersion: string | undefined;
}

/** Everything the sensor read in one pass, typed. */
export interface Snapshot {
  collectedAt: string;
  durationMs: number;
  engine: EngineFacts;
  containers: ContainerFacts[];
  stats: Record<string, StatsFacts>;
  events?: EngineEventFact[];
  logs?: Record<string, LogLine[]>;
}

export interface SnapshotOptions {
  /** Read one-shot stats of running containers (default true). */
  stats?: boolean;
  /** Earlier CPU counters (a map, or a lookup by the running containers' ids) so CPU% needs no second sample. */
  cpuBaseline?: ReadonlyMap<string, CpuCounters> | ((ids: readonly string[]) => ReadonlyMap<string, CpuCounters>);
  /** Where CPU and memory figures come from (default `auto`: cgroup files on the engine's own host). */
  statsSource?: 'auto' | StatsSource;
  /** Also read container events of the last N seconds. */
  eventsWindowSeconds?: number;
  /** Also read the last N log lines of every container. */
  logTail?: number;
  concurrency?: number;
}

export async function collectEngineFacts(client: EngineClient): Promise<EngineFacts> {
  const [version, info] = await Promise.all([client.connect(), client.info()]);
  return {
    address: client.endpoint.address,
    runtime: engineRuntime(version),
    version: version.Version,
    apiVersion: version.ApiVersion,
    negotiatedApiVersion: client.apiVersion ?? version.ApiVersion,
    os: version.Os,
    arch: version.Arch,
    name: info.Name,
    cpus: info.NCPU,
    memoryBytes: info.MemTotal,
    cgroupVersion: info.CgroupVersion,
  };
}

/** Read the engine: containers, then stats (and optionally events and logs) concurrently. */
export async function collectSnapshot(client: EngineClient, options: SnapshotOptions = {}): Promise<Snapshot> {
  const started = performance.now();
  const concurrency = options.concurrency ?? 16;
  // a remote host's counter files are read through a shell: it opens while the containers are listed
  if (options.stats !== false && options.statsSource !== 'engine') client.hostFiles?.prepare?.();
  await client.connect();
  const [engine, containers] = await Promise.all([collectEngineFacts(client), collectContainers(client, { concurrency })]);
  const running = containers.filter((c) => c.state === 'running').map((c) => ({ id: c.id, pid: c.pid }));
  const baseline = typeof options.cpuBaseline === 'function' ? options.cpuBaseline(running.map((r) => r.id)) : options.cpuBaseline;
  const [stats, events, logs] = await Promise.all([
    options.stats === false
      ? Promise.resolve(new Map<string, StatsFacts>())
      : collectStats(client, running, { ...(options.statsSource ? { source: options.statsSource } : {}), ...(baseline ? { baseline } : {}) }),
    options.eventsWindowSeconds ? collectEvents(client, { windowSeconds: options.eventsWindowSeconds }) : Promise.resolve(undefined),
    options.logTail
      ? mapLimit(containers, concurrency, (c) => collectLogs(client, c, { tail: options.logTail })).then((all) =>
          Object.fromEntries(containers.map((c, i) => [c.id, all[i] ?? []])),
        )
      : Promise.resolve(undefined),
  ]);
  return {
    collectedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    engine,
    containers,
    stats: Object.fromEntries(stats),
    ...(events ? { events } : {}),
    ...(logs ? { logs } : {}),
  };
}
