import type { ContainerFacts } from '@bcon/sensor';
import type { DependencyEdge } from '../diagnose/graph.js';
import { DependencyGraph } from '../diagnose/graph.js';
import type { ServiceSignals } from '../diagnose/signals.js';

/**
 * The direct dependencies of each service of one compose project, inferred as diagnose infers them but from the
 * running containers alone (status reads no compose file): compose's `depends_on` label, `network_mode` of another
 * container, and env values that name another service (as a host, or a loopback port only it listens on).
 */
export function dependenciesOf(services: ReadonlyMap<string, readonly ContainerFacts[]>, project: string): Map<string, DependencyEdge[]> {
  const signals: ServiceSignals[] = [...services.entries()].map(([name, containers]) => ({
    name,
    project,
    kind: 'service',
    containers: [...containers],
    stats: {},
    logs: {},
    logNotes: [],
    events: [],
    spec: undefined,
    drift: [],
    untracked: false,
    baseline: undefined,
  }));
  const graph = new DependencyGraph(signals);
  return new Map(signals.map((s) => [s.name, graph.dependenciesOf(s.name).filter((e) => services.has(e.to))]));
}

/** How an edge reads in a reason: `db (depends_on)`, `db (DATABASE_URL)`. */
export function describeEdge(e: DependencyEdge): string {
  return `${e.to} (${e.via === 'env' && e.detail ? e.detail : e.via})`;
}
