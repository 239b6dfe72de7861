import type { EngineClient } from '../engine/client.js';
import type { ApiStats } from '../engine/api-types.js';
import { mapLimit } from '../util/pool.js';
import type { CgroupPaths, CgroupSample } from './cgroup-stats.js';
import { cgroupPathsOf, readCgroupSample, systemCpu } from './cgroup-stats.js';
import type { HostFiles } from '../engine/host-files.js';
import { withHostFiles } from '../engine/host-files.js';

/** The raw CPU counters of one sample: kept so the next run can compute CPU% without waiting. */
export interface CpuCounters {
  containerId: string;
  /** ms since epoch, when the sample was read. */
  at: number;
  /** Container CPU time, ns. */
  totalUsage: number;
  /** Host CPU time, ns (all CPUs). */
  systemUsage: number;
  onlineCpus: number;
}

/** Where the figures came from: the container's cgroup files on this host, or the engine's stats endpoint. */
export type StatsSource = 'cgroup' | 'engine';

export interface StatsFacts {
  containerId: string;
  at: string;
  source: StatsSource;
  cpu: {
    /** Percent of one CPU (100 = one full core), like `docker stats`; undefined when no window was available. */
    percent: number | undefined;
    /** The window the percentage covers, in seconds. */
    windowSeconds: number | undefined;
    onlineCpus: number;
    throttledPeriods: number;
    periods: number;
    throttledTimeNs: number;
  };
  memory: {
    /** Working set: usage minus inactive file cache, as `docker stats` shows it. */
    usageBytes: number;
    /** The kernel's limit figure (a huge number or the host's memory when the container has no limit). */
    limitBytes: number;
  };
  pids: number | undefined;
  counters: CpuCounters;
}

export interface StatsOptions {
  /** Earlier counters (e.g. from bcon's store), used when recent enough instead of a second sample. */
  baseline?: ReadonlyMap<string, CpuCounters>;
  /** Oldest baseline accepted, in ms (default 120 000). */
  maxBaselineAgeMs?: number;
  /** Gap between the two samples when no baseline is usable, in ms (default 150). */
  settleMs?: number;
  /** `auto` (default): cgroup files when the engine runs on this host, else the engine. */
  source?: 'auto' | StatsSource;
  concurrency?: number;
}

/** A container to sample: its id and, for the cgroup source, its main process id as the engine reported it. */
export interface StatsTarget {
  id: string;
  pid: number;
}

interface RawSample {
  source: StatsSource;
  counters: CpuCounters;
  memoryUsageBytes: number;
  memoryLimitBytes: number;
  throttledPeriods: number;
  periods: number;
  throttledTimeNs: number;
  pids: number | undefined;
}

/**
 * How far the host's CPU counter may stray from CPUs × the wall-clock time between two samples and still be the
 * same counter: /proc/stat counts in 10 ms ticks, a sample's time is taken beside it, not with it (over SSH, after the
 * round trips that read it), and steal time is not in it. Counters of another kind miss by orders of magnitude.
 */
const SYSTEM_CLOCK_SLACK = { low: 0.2, high: 5 } as const;
/** The shortest window a figure is given for: /proc/stat moves in 10 ms ticks per CPU. */
const MIN_WINDOW_MS = 100;
/** A figure above the host's CPUs by more than this share is a measuring artefact, not a measurement. */
const OVER_CAPACITY = 1.05;

/**
 * CPU% between two samples, the docker CLI's formula: container delta / system delta × CPUs × 100. No figure when
 * the two samples are not of the same counters: the container's went backwards (it restarted between them), or the
 * host's did not advance about as the wall clock did (cgroup files beside an engine that counts otherwise, as
 * Podman's endpoint does), or the window is too short for /proc/stat's ticks, or the result exceeds the host's CPUs.
 */
export function cpuPercent(before: CpuCounters, after: CpuCounters): number | undefined {
  const cpuDelta = after.totalUsage - before.totalUsage;
  const systemDelta = after.systemUsage - before.systemUsage;
  if (cpuDelta < 0 || systemDelta <= 0) return undefined;
  if (!(after.at - before.at >= MIN_WINDOW_MS)) return undefined;
  const wallNs = (after.at - before.at) * 1e6 * after.onlineCpus;
  if (systemDelta < wallNs * SYSTEM_CLOCK_SLACK.low || systemDelta > wallNs * SYSTEM_CLOCK_SLACK.high) return undefined;
  const percent = (cpuDelta / systemDelta) * after.onlineCpus * 100;
  return percent > after.onlineCpus * 100 * OVER_CAPACITY ? undefined : percent;
}

/** Memory as `docker stats` shows it: usage minus inactive file cache (cgroup v1 and v2 names). */
export function workingSet(s: ApiStats): number {
  const usage = s.memory_stats.usage ?? 0;
  const st = s.memory_stats.stats ?? {};
  const inactive = st['total_inactive_file'] ?? st['inactive_file'] ?? 0;
  return inactive < usage ? usage - inactive : usage;
}

function fromApi(id: string, s: ApiStats): RawSample {
  const throttling = s.cpu_stats.throttling_data;
  return {
    source: 'engine',
    counters: {
      containerId: id,
      at: Date.parse(s.read),
      totalUsage: s.cpu_stats.cpu_usage.total_usage,
      systemUsage: s.cpu_stats.system_cpu_usage ?? 0,
      onlineCpus: s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1,
    },
    memoryUsageBytes: workingSet(s),
    memoryLimitBytes: s.memory_stats.limit ?? 0,
    throttledPeriods: throttling?.throttled_periods ?? 0,
    periods: throttling?.periods ?? 0,
    throttledTimeNs: throttling?.throttled_time ?? 0,
    pids: s.pids_stats?.current,
  };
}

function toFacts(id: string, now: RawSample, before: CpuCounters | undefined): StatsFacts {
  const percent = before ? cpuPercent(before, now.counters) : undefined;
  return {
    containerId: id,
    at: new Date(now.counters.at).toISOString(),
    source: now.source,
    cpu: {
      percent,
      windowSeconds: before && percent !== undefined ? (now.counters.at - before.at) / 1000 : undefined,
      onlineCpus: now.counters.onlineCpus,
      throttledPeriods: now.throttledPeriods,
      periods: now.periods,
      throttledTimeNs: now.throttledTimeNs,
    },
    memory: { usageBytes: now.memoryUsageBytes, limitBytes: now.memoryLimitBytes },
    pids: now.pids,
    counters: now.counters,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One sample of the given containers: cgroup files of the engine's host where they can be trusted (read in one
 * go: locally, or in a few round trips to an SSH host), the engine's stats endpoint for the others.
 */
async function sampleRound(
  client: EngineClient,
  files: HostFiles | undefined,
  targets: readonly StatsTarget[],
  paths: ReadonlyArray<CgroupPaths | undefined>,
  indices: readonly number[],
  concurrency: number,
  /** the first round: when no container could be read, the engine's endpoint itself failed — said, not hidden */
  throwWhenNone: boolean,
): Promise<Array<RawSample | undefined>> {
  const viaCgroup =
    files && indices.some((i) => paths[i])
      ? await withHostFiles(files, async (read) => {
          const system = await systemCpu(read);
          return Promise.all(indices.map((i) => (paths[i] && system ? readCgroupSample((targets[i] as StatsTarget).id, paths[i] as CgroupPaths, system, read) : Promise.resolve(undefined))));
        }).catch(() => [] as Array<CgroupSample | undefined>)
      : [];
  const failures: unknown[] = [];
  const results = await mapLimit([...indices.keys()], concurrency, async (k) => {
    const c = viaCgroup[k];
    if (c) return { source: 'cgroup' as const, ...c };
    const id = (targets[indices[k] as number] as StatsTarget).id;
    // one container's figures that cannot be read (Podman, asked about a crash loop between two of its runs, answers
    // with an error) are missing for it alone, not for every container of the round
    const s = await client.statsOnce(id).catch((err: unknown) => {
      failures.push(err);
      return undefined;
    });
    return s ? fromApi(id, s) : undefined;
  });
  // …but when none of the first round could be read, the engine's endpoint itself failed: that is said, not an empty
  // answer (a second round keeps what the first read)
  if (throwWhenNone && failures.length && results.every((r) => r === undefined)) throw failures[0];
  return results;
}

/**
 * CPU and memory of running containers, concurrently. CPU% needs two samples: a recent baseline is used when
 * given; otherwise the containers without one are sampled a second time after `settleMs`, all together.
 */
export async function collectStats(client: EngineClient, targets: readonly StatsTarget[], options: StatsOptions = {}): Promise<Map<string, StatsFacts>> {
  const concurrency = options.concurrency ?? 64;
  const maxAge = options.maxBaselineAgeMs ?? 120_000;
  const settleMs = options.settleMs ?? 150;
  // the engine's host's files, unless the engine's endpoint was asked for (or the host's files cannot be read)
  let files = (options.source ?? 'auto') === 'engine' ? undefined : client.hostFiles;
  // a host whose files cannot be read (no shell, no cgroupfs) still has the engine's endpoint
  const paths: Array<CgroupPaths | undefined> = files
    ? await withHostFiles(files, (read) => Promise.all(targets.map((t) => cgroupPathsOf(t.id, t.pid, undefined, read)))).catch(() => {
        files = undefined;
        return [];
      })
    : [];
  const first = await sampleRound(client, files, targets, paths, [...targets.keys()], concurrency, true);
  // the second round waits `settleMs` from the end of the first, not its start: a first round slowed by a busy host
  // would otherwise leave a window of a few ms for the last containers it read (a crash loop's start read as 180%)
  const firstDone = Date.now();
  const result = new Map<string, StatsFacts>();
  const needSecond: Array<{ index: number; first: RawSample }> = [];
  first.forEach((now, index) => {
    const id = (targets[index] as StatsTarget).id;
    if (!now) return;
    const base = options.baseline?.get(id);
    // a baseline too old, or whose counters give no figure with these (too recent, another source's, a restart
    // between: cpuPercent's checks), is no baseline
    if (base && now.counters.at - base.at <= maxAge && cpuPercent(base, now.counters) !== undefined) result.set(id, toFacts(id, now, base));
    else needSecond.push({ index, first: now });
  });
  if (needSecond.length > 0) {
    const wait = settleMs - (Date.now() - firstDone);
    if (wait > 0) await sleep(wait);
    const second = await sampleRound(client, files, targets, paths, needSecond.map((n) => n.index), concurrency, false);
    second.forEach((now, i) => {
      const { index, first: before } = needSecond[i] as { index: number; first: RawSample };
      const id = (targets[index] as StatsTarget).id;
      // not read the second time (it stopped between, Podman answered with an error): the first reading, no CPU%
      result.set(id, now ? toFacts(id, now, before.counters) : toFacts(id, before, undefined));
    });
  }
  return result;
}
