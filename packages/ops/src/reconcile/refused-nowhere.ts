import type { ServiceSignals } from '@bcon/reasoning';
import { DependencyGraph, matchLogLine, saidListening } from '@bcon/reasoning';

/** How many of each container's last lines are read for refusals. */
const LAST_LINES = 200;

/**
 * The address on this machine (loopback: host networking) a service is refused at, when every service it depends on
 * runs and is known to listen, none of them there (its own setting names a port nothing serves: a typo in a committed
 * .env), read from its last lines: a restart connects to the same address and is refused again. Undefined when a
 * refused address is a stack service's (by name or port: it may come back, and a restart is how a stuck client
 * reconnects), is not on this machine (a container IP or another host: not known whose), when a dependency is down or
 * not known to listen anywhere, or when no refusal names an address.
 */
export function refusedNowhere(service: Pick<ServiceSignals, 'name' | 'logs' | 'spec'>, services: ReadonlyArray<Pick<ServiceSignals, 'name' | 'containers' | 'logs'>>, graph: Pick<DependencyGraph, 'addressOwner' | 'surePorts'>): string | undefined {
  const deps = service.spec?.dependsOn ?? [];
  const of = (name: string) => services.find((s) => s.name === name);
  const running = (name: string) => of(name)?.containers.some((c) => c.state === 'running') === true;
  // where what it depends on listens: its definition's sure ports, and the ports its current run says it listens on
  // (postgres's `listening on IPv4 address "127.0.0.1", port 29051` with nothing in its definition)
  const listens = (name: string) => {
    const s = of(name);
    return [...graph.surePorts(name), ...(s ? saidListening(s) : [])];
  };
  if (!deps.length || !deps.every((d) => running(d) && listens(d).length > 0)) return undefined;
  const served = new Set(deps.flatMap(listens));
  const addresses = new Set<string>();
  for (const lines of Object.values(service.logs)) {
    for (const line of lines.slice(-LAST_LINES)) {
      for (const m of matchLogLine(line.text)) {
        if (m.pattern.cause !== 'connection_refused' || m.target?.port === undefined) continue;
        const host = m.target.host;
        if (host !== undefined && !DependencyGraph.isLoopback(host)) return undefined;
        if (graph.addressOwner(service.name, host, m.target.port) || served.has(m.target.port)) return undefined;
        addresses.add(`${host ?? ''}:${m.target.port}`);
      }
    }
  }
  return addresses.size ? [...addresses].slice(0, 3).join(', ') : undefined;
}

