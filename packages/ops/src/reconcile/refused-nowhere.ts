import type { DependencyGraph, ServiceSignals } from '@bcon/reasoning';
import { matchLogLine } from '@bcon/reasoning';

/** How many of each container's last lines are read for refusals. */
const LAST_LINES = 200;

/**
 * The address a service is refused at, when no service of the stack that runs is known to listen there while what it
 * depends on runs and is known to listen elsewhere (its own setting names a port nothing serves: a typo in a
 * committed .env), read from its last lines: a restart connects to the same address and is refused again. Undefined
 * when a refused address belongs to a running service of the stack (it may have come back: a restart is how a stuck
 * client reconnects), when no dependency of it is known to run and listen (the graph may not know where it does), or
 * when no refusal names an address.
 */
export function refusedNowhere(service: Pick<ServiceSignals, 'name' | 'logs' | 'spec'>, services: ReadonlyArray<Pick<ServiceSignals, 'name' | 'containers'>>, graph: Pick<DependencyGraph, 'addressOwner' | 'surePorts'>): string | undefined {
  const running = (name: string) => services.find((s) => s.name === name)?.containers.some((c) => c.state === 'running') === true;
  // where what it depends on listens, known for sure and running
  const served = new Set((service.spec?.dependsOn ?? []).filter(running).flatMap((d) => graph.surePorts(d)));
  if (!served.size) return undefined;
  const addresses = new Set<string>();
  for (const lines of Object.values(service.logs)) {
    for (const line of lines.slice(-LAST_LINES)) {
      for (const m of matchLogLine(line.text)) {
        if (m.pattern.cause !== 'connection_refused' || m.target?.port === undefined) continue;
        const owner = graph.addressOwner(service.name, m.target.host, m.target.port);
        // a service of the stack owns it and runs: it may answer now
        if ((owner && running(owner)) || served.has(m.target.port)) return undefined;
        addresses.add(`${m.target.host ?? ''}:${m.target.port}`);
      }
    }
  }
  return addresses.size ? [...addresses].slice(0, 3).join(', ') : undefined;
}
