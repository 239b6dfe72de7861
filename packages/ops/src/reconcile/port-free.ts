import type { DependencyGraph, ServiceSignals } from '@bcon/reasoning';

/** What the check reads of a service: its name and its containers' states. */
export type PortService = Pick<ServiceSignals, 'name'> & { containers: ReadonlyArray<{ state: string }> };

const up = (s: PortService) => s.containers.some((c) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused');

/**
 * The services whose port conflict may have passed: bcon knows where they may listen (a listen flag, a published port, a
 * variable of a listening kind), and no running container it sees is known to listen there — no other service, and no
 * replica of their own (replicas on one fixed host port take it from each other). What holds a port outside the
 * engine (a process on the host) cannot be seen: the one start that follows is verified, and not retried if it fails.
 */
export function portFreeServices(services: readonly PortService[], graph: Pick<DependencyGraph, 'surePorts' | 'namedPorts'>): Set<string> {
  const out = new Set<string>();
  for (const s of services) {
    // (every port its definition names: one it is not known to listen on only makes a holder likelier to be found)
    const mine = graph.namedPorts(s.name);
    if (!mine.length) continue;
    const held = services.some((o) => up(o) && (o.name === s.name || graph.surePorts(o.name).some((p) => mine.includes(p))));
    if (!held) out.add(s.name);
  }
  return out;
}
