import type { ServiceSignals } from '@bcon/reasoning';
import { keyValueList } from '@bcon/sensor';
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
export function refusedNowhere(service: Pick<ServiceSignals, 'name' | 'logs' | 'spec' | 'containers'>, services: ReadonlyArray<Pick<ServiceSignals, 'name' | 'containers' | 'logs'>>, graph: Pick<DependencyGraph, 'addressOwner' | 'surePorts'>): string | undefined {
  const deps = service.spec?.dependsOn ?? [];
  const of = (name: string) => services.find((s) => s.name === name);
  const running = (name: string) => of(name)?.containers.some((c) => c.state === 'running') === true;
  // where what it depends on listens: its definition's sure ports, and the ports its current run says it listens on
  // (postgres's `listening on IPv4 address "127.0.0.1", port 29051` with nothing in its definition)
  const listens = new Map(deps.map((d) => {
    const s = of(d);
    return [d, [...graph.surePorts(d), ...(s ? saidListening(s) : [])]];
  }));
  if (!deps.length || !deps.every((d) => running(d) && (listens.get(d)?.length ?? 0) > 0)) return undefined;
  const served = new Set([...listens.values()].flat());
  const addresses = new Set<string>();
  let nameless = false;
  for (const lines of Object.values(service.logs)) {
    for (const line of lines.slice(-LAST_LINES)) {
      for (const m of matchLogLine(line.text)) {
        if (m.pattern.cause !== 'connection_refused') continue;
        if (m.target?.port === undefined) {
          nameless ||= m.target?.host === undefined;
          continue;
        }
        const host = m.target.host;
        if (host !== undefined && !DependencyGraph.isLoopback(host)) return undefined;
        if (graph.addressOwner(service.name, host, m.target.port) || served.has(m.target.port)) return undefined;
        addresses.add(`${host ?? ''}:${m.target.port}`);
      }
    }
  }
  if (addresses.size) return [...addresses].slice(0, 3).join(', ');
  if (!nameless) return undefined;
  // refusals that name no address (PHP's `SQLSTATE[HY000] [2002] Connection refused`): where its settings tell it to
  // connect on this machine, when nothing of the stack serves there (Invoice Ninja's DB_HOST=127.0.0.1, DB_PORT=29414,
  // MySQL on 29441); one of its settings served there, the refusal may be that one's: not known
  const told = settingAddresses(service);
  // an address elsewhere in its settings (another host, the engine's host alias: a database outside the stack) may be
  // the one that refused: not known
  if (told.elsewhere || !told.here.length || told.here.some((p) => graph.addressOwner(service.name, '127.0.0.1', p) || served.has(p))) return undefined;
  return told.here.slice(0, 3).map((p) => `127.0.0.1:${p} (its settings)`).join(', ');
}

/** A service's own address, not one it connects to: APP_URL, BASE_URL, PUBLIC_URL, SERVER_URL… */
const SELF_URL = /(?:^|_)(?:APP|BASE|PUBLIC|SITE|EXTERNAL|SELF|ROOT|SERVER|WEB|CALLBACK|REDIRECT)_?UR[LI]$/i;
/** A variable that says where the service itself listens. */
const OWN_LISTEN = /^(?:PORT|HTTP_PORT|HTTPS_PORT|SERVER_PORT|LISTEN_PORT|APP_PORT|WEB_PORT)$|(?:^|_)(?:LISTEN|BIND)(?:_|$)/i;

/** Where a process connects on this machine (not `0.0.0.0`, a listen address; not the engine's host alias, a host service). */
const HERE = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * The addresses a service's settings tell it to connect to: `here`, the ports on this machine — a `<X>_HOST` with its
 * `<X>_PORT` (DB_HOST=127.0.0.1, DB_PORT=29414), or a URL or host:port on this machine; `elsewhere`, whether any
 * names another host. Not its own address (APP_URL…), its listen settings (PORT, HOSTNAME=0.0.0.0, *_LISTEN*), nor a
 * prefix-less HOST/HOSTNAME (the container's own name or bind address).
 */
export function settingAddresses(service: Pick<ServiceSignals, 'containers'>): { here: number[]; elsewhere: boolean } {
  const ports = new Set<number>();
  let elsewhere = false;
  for (const c of service.containers) {
    const env = keyValueList(c.config.env);
    for (const [key, value] of Object.entries(env)) {
      if (value === null || value === '' || SELF_URL.test(key) || OWN_LISTEN.test(key)) continue;
      const host = /^(.+?)_?HOST(?:NAME)?$/i.exec(key);
      if (host) {
        const portKey = `${host[1]}_PORT`;
        const port = env[portKey] ?? null;
        if (port === null || !/^\d{2,5}$/.test(port) || OWN_LISTEN.test(portKey)) continue;
        if (HERE.test(value)) ports.add(Number(port));
        else if (!/^0\.0\.0\.0$|^::$/.test(value)) elsewhere = true;
        continue;
      }
      for (const m of value.matchAll(/(?:^|[/@\s,;=])\[?([a-z0-9][a-z0-9_.-]*|::1)\]?:(\d{2,5})(?!\d)/gi)) {
        if (HERE.test(m[1] ?? '')) ports.add(Number(m[2]));
        else if (!/^0\.0\.0\.0$/.test(m[1] ?? '')) elsewhere = true;
      }
    }
  }
  return { here: [...ports], elsewhere };
}

/** Refused at this many distinct ports or more, none its settings name: a service that looks around, not one that needs them. */
const PROBING_PORTS = 3;

/** How long after a container's start its refusals are remembered as what it probed (auto-detection runs at the start). */
const START_MS = 5 * 60_000;

/**
 * The ports a service's last lines say it was refused at (each container's); with `nearStart`, only those refused
 * within START_MS of that container's start.
 */
export function refusedPorts(service: Pick<ServiceSignals, 'logs'> & Partial<Pick<ServiceSignals, 'containers'>>, options: { nearStart?: boolean } = {}): number[] {
  const ports = new Set<number>();
  for (const [name, lines] of Object.entries(service.logs)) {
    const started = Date.parse(service.containers?.find((c) => c.name === name)?.startedAt ?? '');
    if (options.nearStart && !Number.isFinite(started)) continue;
    for (const line of lines.slice(-LAST_LINES)) {
      const since = Date.parse(line.timestamp ?? '') - started;
      // (a line before the run's start is the run before's)
      if (options.nearStart && !(since >= -1000 && since <= START_MS)) continue;
      for (const m of matchLogLine(line.text)) if (m.pattern.cause === 'connection_refused' && m.target?.port !== undefined) ports.add(m.target.port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** A service's current run: its containers and when each started. A restart or a re-create is a new run. */
export function runOf(service: Pick<ServiceSignals, 'containers'>): string {
  return service.containers.map((c) => `${c.id.slice(0, 12)}@${c.startedAt ?? ''}`).sort().join(',');
}

/** The refused ports remembered for a service over its run (the reconciler's state, `probing`). */
export interface ProbingMemory {
  run: string;
  ports: number[];
}

/** At most this many remembered ports a service. */
const MAX_REMEMBERED = 32;

/**
 * The memory after this pass: the ports refused within START_MS of the containers' start (what it probed at its start),
 * with those remembered earlier in the same run. Refusals later in a run are not remembered: a client refused at one
 * dependency one day and another the next is not one that looks around.
 */
export function rememberRefusals(service: Pick<ServiceSignals, 'logs' | 'containers'>, earlier: ProbingMemory | undefined): ProbingMemory | undefined {
  const run = runOf(service);
  const ports = new Set([...(earlier?.run === run ? earlier.ports : []), ...refusedPorts(service, { nearStart: true })]);
  return ports.size ? { run, ports: [...ports].sort((a, b) => a - b).slice(0, MAX_REMEMBERED) } : undefined;
}

/**
 * The ports a service is refused at when they read as discovery, not dependencies: at least PROBING_PORTS distinct
 * ones (its last lines, with `remembered`: those refused near its start, read by earlier passes while the same
 * containers ran), and none of them named by its settings (a monitoring agent trying MySQL, Postgres, Redis and
 * Apache on this machine in turn at its start, finding none, and then retrying two of them: the start drops out of
 * the log window, the discovery stays what it was). A client of a misconfigured address is refused at that one
 * address; undefined then, and for fewer or named ports.
 */
export function probedPorts(service: Pick<ServiceSignals, 'logs' | 'containers'>, remembered: ProbingMemory | undefined = undefined): number[] | undefined {
  // (the ports refused near the start now are among its last lines' already: the memory adds only earlier passes')
  const earlier = remembered?.run === runOf(service) ? remembered.ports : [];
  const ports = [...new Set([...refusedPorts(service), ...earlier])].sort((a, b) => a - b);
  if (ports.length < PROBING_PORTS) return undefined;
  const named = new Set(settingAddresses(service).here);
  return ports.some((p) => named.has(p)) ? undefined : ports;
}
