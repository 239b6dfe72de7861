import type { ContainerFacts, Snapshot, StatsFacts } from '@bcon/sensor';

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

/** A running, healthy-by-default container of a compose service; override what a test needs. */
export function container(over: Partial<ContainerFacts> & { project?: string; service?: string; number?: number; oneoff?: boolean } = {}): ContainerFacts {
  const { project = 'shop', service = 'api', number = 1, oneoff = false, ...rest } = over;
  const id = rest.id ?? `${project}-${service}-${number}-id`;
  return {
    id,
    name: `${project}-${service}-${number}`,
    image: 'busybox:1',
    imageId: 'sha256:1',
    createdAt: ago(3600),
    state: 'running',
    pid: 100,
    startedAt: ago(3600),
    finishedAt: undefined,
    exitCode: 0,
    oomKilled: false,
    error: undefined,
    restartCount: 0,
    restartPolicy: { name: 'no', maximumRetryCount: 0 },
    health: { status: 'none', failingStreak: 0, log: [] },
    limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: undefined },
    networkMode: 'none',
    tty: false,
    labels: {},
    compose: { project, service, number, oneoff, configHash: undefined, composeMajor: 2, workingDir: undefined, configFiles: [] },
    config: { cmd: ['sleep', '3600'], entrypoint: null, env: ['PATH=/bin'], healthcheck: undefined },
    portBindings: [],
    mounts: [],
    tmpfs: [],
    ...rest,
  };
}

export function stats(id: string, memoryBytes: number, cpu = 1): StatsFacts {
  return {
    containerId: id,
    at: new Date(NOW).toISOString(),
    source: 'cgroup',
    cpu: { percent: cpu, windowSeconds: 0.2, onlineCpus: 2, throttledPeriods: 0, periods: 0, throttledTimeNs: 0 },
    memory: { usageBytes: memoryBytes, limitBytes: 0 },
    pids: 1,
    counters: { containerId: id, at: NOW, totalUsage: 1, systemUsage: 1, onlineCpus: 2 },
  };
}

export function snapshot(containers: ContainerFacts[], statsList: StatsFacts[] = []): Snapshot {
  return {
    collectedAt: new Date(NOW).toISOString(),
    durationMs: 12,
    engine: {
      runtime: 'Docker',
      address: 'unix:///var/run/docker.sock',
      version: '20.10.24',
      apiVersion: '1.41',
      negotiatedApiVersion: '1.41',
      os: 'linux',
      arch: 'amd64',
      name: 'host',
      cpus: 2,
      memoryBytes: 8 * 1024 ** 3,
      cgroupVersion: '1',
    },
    containers,
    stats: Object.fromEntries(statsList.map((s) => [s.containerId, s])),
  };
}
