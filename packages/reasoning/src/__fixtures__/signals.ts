import type { ContainerFacts, EngineEventFact, LogLine, StatsFacts } from '@bcon/sensor';
import type { ServiceSpec } from '@bcon/sensor/desired';
import type { DiagnosisSignals, ServiceSignals } from '../diagnose/signals.js';
import { NOW, container } from './facts.js';

/** Log lines stamped one `stepMs` apart, ending at NOW. */
export function logLines(texts: readonly string[], stepMs = 1000, stream: LogLine['stream'] = 'stdout'): LogLine[] {
  return texts.map((text, i) => ({ stream, timestamp: new Date(NOW - (texts.length - 1 - i) * stepMs).toISOString(), text }));
}

export function spec(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    image: 'busybox:1',
    hasBuild: false,
    containerName: undefined,
    command: null,
    entrypoint: null,
    environment: {},
    ports: [],
    volumes: [],
    managedMountTargets: [],
    volumesFrom: false,
    replicas: 1,
    memoryBytes: undefined,
    memoryReservationBytes: undefined,
    nanoCpus: undefined,
    restart: undefined,
    healthcheck: undefined,
    labels: {},
    dependsOn: [],
    networkMode: undefined,
    profiles: [],
    unrendered: [],
    ...over,
  };
}

export interface ServiceFixture {
  containers?: Array<Partial<ContainerFacts>>;
  logs?: LogLine[];
  stats?: Array<Partial<StatsFacts['cpu']> & { memory?: number }>;
  events?: Array<Partial<EngineEventFact>>;
  spec?: Partial<ServiceSpec> | false;
  drift?: ServiceSignals['drift'];
  untracked?: boolean;
  baseline?: ServiceSignals['baseline'];
}

/** A compose service of project `shop` with one running container unless told otherwise. */
export function service(name: string, f: ServiceFixture = {}): ServiceSignals {
  const containers = (f.containers ?? [{}]).map((over, i) => container({ service: name, number: i + 1, ...over }));
  const stats: Record<string, StatsFacts> = {};
  (f.stats ?? []).forEach((s, i) => {
    const c = containers[i] as ContainerFacts;
    const { memory, ...cpu } = s;
    stats[c.id] = {
      containerId: c.id,
      at: new Date(NOW).toISOString(),
      source: 'cgroup',
      cpu: { percent: 1, windowSeconds: 1, onlineCpus: 2, throttledPeriods: 0, periods: 0, throttledTimeNs: 0, ...cpu },
      memory: { usageBytes: memory ?? 10 * 1024 * 1024, limitBytes: c.limits.memoryBytes ?? 8e9 },
      pids: 1,
      counters: { containerId: c.id, at: NOW, totalUsage: 1, systemUsage: 1, onlineCpus: 2 },
    };
  });
  const first = containers[0];
  return {
    name,
    project: 'shop',
    kind: 'service',
    containers,
    stats,
    logs: f.logs && first ? { [first.name]: f.logs } : {},
    logNotes: [],
    events: (f.events ?? []).map((e) => ({ at: NOW - 1000, type: 'container', action: 'die', containerId: first?.id ?? 'x', containerName: first?.name, exitCode: undefined, attributes: {}, ...e })),
    spec: f.spec === false ? undefined : spec(name, f.spec ?? {}),
    drift: f.drift ?? [],
    untracked: f.untracked ?? false,
    baseline: f.baseline,
  };
}

export function signals(services: ServiceSignals[], target?: string, complaint?: string): DiagnosisSignals {
  return {
    collectedAt: new Date(NOW).toISOString(),
    windowSeconds: 1800,
    target,
    complaint,
    services,
    recentChanges: [],
    desiredSource: 'HEAD@abc1234',
    notices: [],
  };
}
