import { keyValueList } from '@bcon/sensor';
import type { ServiceSignals } from './signals.js';

/** Why one service needs another. */
export interface DependencyEdge {
  from: string;
  to: string;
  via: 'depends_on' | 'network_mode' | 'links' | 'env';
  /** for `env`: the variable whose value names the other service (the value itself is never kept) */
  detail: string | undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', 'host.docker.internal']);
// host:port pairs and URLs inside an env value: postgres://u:p@db:5432/x, redis://cache, db:5432, http://127.0.0.1:8080
const HOST_PORT = /(?:^|[/@\s,;=])\[?([a-z0-9][a-z0-9_.-]*|::1)\]?:(\d{2,5})\b/gi;
const URL_HOST = /[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?\[?([a-z0-9_.-]+|::1)\]?/gi;

// a server told where to listen: `-p 127.0.0.1:8080`, `--port 8080`, `listen 8080`, `-b 0.0.0.0:8000` (gunicorn),
// `--address 127.0.0.1:9000` (minio), `:8080`
const LISTEN_FLAGS = /(?:(?:^|\s)(?:-p|--port|--listen|-l|listen|--bind|-b|--address|--addr|port)[\s=]+(?:[\w.:-]*:)?|(?:^|\s):)(\d{2,5})\b/gi;
// a bare address in a command, `127.0.0.1:8080`: a listen argument (`server 127.0.0.1:8080`) or an address the
// script connects to and prints (`connect ECONNREFUSED 127.0.0.1:8080`) — weaker; one inside a URL
// (`http://127.0.0.1:8080/x`, `user@127.0.0.1:8080`) is where a client connects, never a listen
// (`shop-db-1:5432` is a host name's end, `12:30` a time: an IPv4 literal only, not after a name or a URL's `//`, `@`)
/** Variables that hold a service's own public address (where it is reached), not one it connects to. */
const SELF_URL = /^(?:BASE|APP|PUBLIC|SITE|ROOT|EXTERNAL|SERVER|ADVERTISED?|CANONICAL)_?(?:URL|URI|ADDR|ADDRESS)$/i;
const BARE_ADDRESS = /(?<![\w.:/@-])\d{1,3}(?:\.\d{1,3}){3}:(\d{2,5})\b/g;

// a healthcheck probes the service itself: `redis-cli -p 6379 ping`, `curl -f http://localhost:8080/health`, `nc -z 127.0.0.1 5432`
const PROBE_WORDS = /(?:^|[\s/@])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::|\s+)(\d{2,5})\b/gi;

const PROBE_PORT_FLAG = /(?:^|\s)(?:-p|--port)[\s=]+(\d{2,5})\b/g;
const PROBE_HOST = /(?:(?:^|\s)(?:-h|--host|--hostname)[\s=]+|:\/\/(?:[^@/\s]*@)?)\[?([a-z0-9_.:-]+?)\]?(?=[\s:/]|$)/gi;

/** The ports a service's healthcheck probes on this machine (weaker than what its definition says it listens on). */
function probedPorts(s: ServiceSignals): Set<number> {
  const ports = new Set<number>();
  const tests = [...s.containers.map((c) => c.config.healthcheck?.test), s.spec?.healthcheck && s.spec.healthcheck !== 'disabled' ? s.spec.healthcheck.test : undefined];
  for (const test of tests) {
    const words = (test ?? []).join(' ');
    for (const m of words.matchAll(PROBE_WORDS)) ports.add(Number(m[1]));
    // `redis-cli -p 6379 ping`: a port with no host is this machine, unless the probe names another host
    const hosts = [...words.matchAll(PROBE_HOST)].map((m) => (m[1] ?? '').toLowerCase());
    if (hosts.every((h) => LOOPBACK.has(h))) for (const m of words.matchAll(PROBE_PORT_FLAG)) ports.add(Number(m[1]));
  }
  return ports;
}

/** The ports a service listens on, by how surely its definition says so. */
interface Listening {
  /** published ports, and a listen flag in its command: `-p 8080`, `--bind 127.0.0.1:8080` */
  declared: Set<number>;
  /** of those, the published ports and the flags of the argv itself (`-b 0.0.0.0:8000`), not words of a script */
  published: Set<number>;
  /**
   * a variable that says where this service listens: PORT, LISTEN_*, *_BIND, or one named after the service itself
   * (MINIO_ADDRESS in service minio, PGPORT is not: see `other`)
   */
  env: Set<number>;
  /** a bare address in its command (a listen argument, or an address its script connects to) */
  bare: Set<number>;
  /** another variable of a listening kind (DB_ADDR, REDIS_PORT): as often a client's address of another service */
  other: Set<number>;
}

/** A name compared loosely: lower case, letters and digits only (MINIO_ADDRESS's MINIO is service minio). */
const norm = (v: string): string => v.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whether a variable of a listening kind says where its own service listens (else it may name another's address). */
function ownListenVariable(service: string, key: string): boolean {
  if (/^(?:PORT|ADDR|ADDRESS)$/i.test(key) || /(?:^|_)(?:LISTEN|BIND)(?:_|$)/i.test(key)) return true;
  const prefix = key.replace(/_?(?:PORT|ADDR|ADDRESS)$/i, '');
  return prefix !== '' && norm(prefix) === norm(service);
}

function listeningPorts(s: ServiceSignals): Listening {
  const l: Listening = { declared: new Set(), published: new Set(), env: new Set(), bare: new Set(), other: new Set() };
  const readCommand = (argv: string[]) => {
    const words = argv.join(' ');
    for (const m of words.matchAll(LISTEN_FLAGS)) l.declared.add(Number(m[1]));
    for (const m of words.matchAll(BARE_ADDRESS)) l.bare.add(Number(m[1]));
    // the argv's own flags (its words with no space in them), as surely a listen as a published port; a flag-like word
    // inside a script (`sh -c "… echo port 26682 failed"`) may be what a client prints
    for (const m of argv.filter((w) => !/\s/.test(w)).join(' ').matchAll(LISTEN_FLAGS)) l.published.add(Number(m[1]));
  };
  for (const c of s.containers) {
    for (const p of c.portBindings) {
      if (p.published) l.declared.add(Number(p.published));
      l.declared.add(p.target);
      for (const n of [p.published ? Number(p.published) : undefined, p.target]) if (n !== undefined) l.published.add(n);
    }
    readCommand([...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]);
    for (const [k, v] of Object.entries(keyValueList(c.config.env))) {
      if (!/(?:^|_)(?:PORT|LISTEN|BIND|ADDR(?:ESS)?)$/i.test(k) || v === null) continue;
      for (const m of v.matchAll(/(?:^|:)(\d{2,5})$/g)) (ownListenVariable(s.name, k) ? l.env : l.other).add(Number(m[1]));
    }
  }
  if (s.spec) readCommand([...(s.spec.entrypoint ?? []), ...(s.spec.command ?? [])]);
  for (const p of s.spec?.ports ?? []) {
    if (p.published) l.declared.add(Number(p.published));
    l.declared.add(p.target);
    for (const n of [p.published ? Number(p.published) : undefined, p.target]) if (n !== undefined) l.published.add(n);
  }
  return l;
}

/**
 * The dependency graph of the services in view: compose `depends_on` and `links`, `network_mode: service:x` or
 * `container:x`, the v2 `depends_on` label, and env values that name another service (as a host, or a loopback
 * address on a port only that service listens on).
 */
export class DependencyGraph {
  readonly edges: DependencyEdge[] = [];
  private readonly ports = new Map<string, Listening>();
  /** ports each service's healthcheck probes on this machine: an owner only where no definition names the port */
  private readonly probed = new Map<string, Set<number>>();
  private readonly names = new Map<string, string>();
  private readonly clients = new Map<string, Set<number>>();

  constructor(private readonly services: readonly ServiceSignals[]) {
    for (const s of services) {
      this.names.set(s.name.toLowerCase(), s.name);
      for (const c of s.containers) {
        this.names.set(c.name.toLowerCase(), s.name);
        this.names.set(c.id.slice(0, 12), s.name);
        this.names.set(c.id, s.name);
      }
      this.ports.set(s.name, listeningPorts(s));
      this.probed.set(s.name, probedPorts(s));
    }
    for (const s of services) this.readEdges(s);
  }

  /** The service a name, container name or id refers to. */
  resolveName(name: string): string | undefined {
    return this.names.get(name.toLowerCase());
  }

  /** The service an address points at, seen from `from`: by host name, or a loopback port only one other service listens on. */
  addressOwner(from: string, host: string | undefined, port: number | undefined): string | undefined {
    if (host && !LOOPBACK.has(host.toLowerCase())) {
      const byName = this.resolveName(host);
      if (byName && byName !== from) return byName;
      if (!host.includes('.') || !/^\d/.test(host)) return undefined;
    }
    if (port === undefined) return undefined;
    const owners = this.listeners(from, port);
    return owners.length === 1 ? owners[0] : undefined;
  }

  /**
   * The services other than `from` that listen on a port, the surest claim first: a listen flag or a published port,
   * or a variable that says where the service itself listens; else a bare address in a command; else another variable
   * of a listening kind (DB_ADDR may be a client's); else (a port no definition names) the service whose healthcheck
   * probes it on this machine (a service that crashed at start may be known by its probe alone).
   */
  listeners(from: string, port: number): string[] {
    const claim = (has: (l: Listening) => boolean) => [...this.ports].filter(([name, l]) => name !== from && has(l)).map(([name]) => name);
    const tiers = [(l: Listening) => l.declared.has(port) || l.env.has(port), (l: Listening) => l.bare.has(port), (l: Listening) => l.other.has(port)];
    for (const [i, tier] of tiers.entries()) {
      // a bare address in a script, or a variable of a listening kind, of a service whose environment tells it to
      // connect to that port on this machine is a client's, not a listen (a worker's script that prints the
      // database address it is refused at)
      const named = claim(tier).filter((name) => {
        const l = this.ports.get(name);
        return (i === 0 && (l?.published.has(port) || l?.env.has(port))) || !this.clientPorts(name).has(port);
      });
      if (named.length) return named;
    }
    return [...this.probed].filter(([name, ports]) => name !== from && ports.has(port)).map(([name]) => name);
  }

  /**
   * Whether a service's own definition says it listens on a port: a flag, a published port, a variable that says
   * where it listens, or a bare address no other service's definition claims.
   */
  private listensSurely(name: string, port: number): boolean {
    const own = this.ports.get(name);
    if (!own) return false;
    return own.declared.has(port) || own.env.has(port) || (own.bare.has(port) && this.listeners(name, port).length === 0);
  }

  /** The loopback ports a service's environment tells it to connect to (URLs, host:port), its own listen variables aside. */
  private clientPorts(name: string): Set<number> {
    const cached = this.clients.get(name);
    if (cached) return cached;
    const out = new Set<number>();
    const own = this.ports.get(name);
    for (const c of this.services.find((x) => x.name === name)?.containers ?? []) {
      for (const [key, value] of Object.entries(keyValueList(c.config.env))) {
        // its own address, not a client's: BASE_URL, PUBLIC_URL…, or a variable named after the service (REDIS_URL in redis)
        if (value === null || SELF_URL.test(key) || norm(key.replace(/_?(?:URL|URI|ADDR|ADDRESS|HOST|ENDPOINT)$/i, '')) === norm(name)) continue;
        for (const m of value.matchAll(HOST_PORT)) {
          const port = Number(m[2]);
          if (LOOPBACK.has((m[1] ?? '').toLowerCase()) && !own?.published.has(port) && !own?.env.has(port)) out.add(port);
        }
      }
    }
    this.clients.set(name, out);
    return out;
  }

  /** The ports a service's own definition surely listens on: a listen flag, a published port, a variable that says where it listens. */
  surePorts(name: string): number[] {
    const own = this.ports.get(name);
    return own ? [...new Set([...own.declared, ...own.env])] : [];
  }

  /**
   * Every port a service's definition names where something may listen: a listen flag, a published port, and any
   * variable of a listening kind (ND_PORT, not known to be its own: it may be a client's address of another service).
   */
  namedPorts(name: string): number[] {
    const own = this.ports.get(name);
    return own ? [...new Set([...own.declared, ...own.env, ...own.published, ...own.other])] : [];
  }

  /** The services whose environment tells them to connect to this machine (loopback) on a port, not to listen there. */
  configuredWith(port: number): string[] {
    return this.services.filter((s) => this.clientPorts(s.name).has(port)).map((s) => s.name);
  }

  /** Whether a host is this machine (loopback, any address, the engine's host alias). */
  static isLoopback(host: string): boolean {
    return LOOPBACK.has(host.toLowerCase()) || /^127\./.test(host);
  }

  /** Whether a host is this machine (loopback) or an IP literal: it names no service, a port may. */
  static isAddressLiteral(host: string | undefined): boolean {
    if (host === undefined) return true;
    const h = host.toLowerCase();
    return LOOPBACK.has(h) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(h) || h.includes(':');
  }

  private add(from: string, to: string | undefined, via: DependencyEdge['via'], detail?: string): void {
    if (!to || to === from) return;
    if (this.edges.some((e) => e.from === from && e.to === to)) return;
    this.edges.push({ from, to, via, detail });
  }

  private readEdges(s: ServiceSignals): void {
    for (const d of s.spec?.dependsOn ?? []) this.add(s.name, this.resolveName(d) ?? d, 'depends_on');
    const mode = s.spec?.networkMode ?? s.containers[0]?.networkMode;
    const shared = mode && /^(?:service|container):(.+)$/.exec(mode);
    if (shared?.[1]) this.add(s.name, this.resolveName(shared[1]), 'network_mode');
    for (const c of s.containers) {
      // compose v2: com.docker.compose.depends_on = "db:service_healthy:false,cache:service_started:true"
      for (const part of (c.labels['com.docker.compose.depends_on'] ?? '').split(',')) {
        const name = part.split(':')[0];
        if (name) this.add(s.name, this.resolveName(name) ?? name, 'depends_on');
      }
      for (const [key, value] of Object.entries(keyValueList(c.config.env))) {
        if (!value) continue;
        for (const m of value.matchAll(HOST_PORT)) {
          // a loopback address on a port its own command or ports say it listens on is the service's own
          // (LISTEN_ADDRESS=127.0.0.1:9000 beside `--address 127.0.0.1:9000`), not whoever else names that port
          if (LOOPBACK.has((m[1] ?? '').toLowerCase()) && this.listensSurely(s.name, Number(m[2]))) continue;
          this.add(s.name, this.addressOwner(s.name, m[1], Number(m[2])), 'env', key);
        }
        for (const m of value.matchAll(URL_HOST)) this.add(s.name, this.addressOwner(s.name, m[1], undefined), 'env', key);
        // a bare service name as the whole value: DB_HOST=db
        if (/^[a-z][a-z0-9_-]*$/i.test(value) && /HOST|ADDR|SERVER|URL|ENDPOINT|UPSTREAM/i.test(key)) this.add(s.name, this.addressOwner(s.name, value, undefined), 'env', key);
      }
    }
  }

  /** The direct dependencies of a service. */
  dependenciesOf(name: string): DependencyEdge[] {
    return this.edges.filter((e) => e.from === name);
  }

  /**
   * Every service a service needs, nearest first, with its distance (1 = direct); with `declaredOnly`, by what the
   * files declare alone (depends_on, links, a shared network namespace), not by addresses read in the environment.
   */
  closure(name: string, options: { declaredOnly?: boolean } = {}): Map<string, number> {
    const seen = new Map<string, number>([[name, 0]]);
    const queue = [name];
    while (queue.length) {
      const cur = queue.shift() as string;
      for (const e of this.dependenciesOf(cur)) {
        if (options.declaredOnly && e.via === 'env') continue;
        if (!seen.has(e.to)) {
          seen.set(e.to, (seen.get(cur) ?? 0) + 1);
          queue.push(e.to);
        }
      }
    }
    seen.delete(name);
    return seen;
  }

  /** The services that need this one (directly). */
  dependentsOf(name: string): string[] {
    return this.edges.filter((e) => e.to === name).map((e) => e.from);
  }

  /** The path of edges from one service to another (shortest), or undefined. */
  path(from: string, to: string): DependencyEdge[] | undefined {
    const prev = new Map<string, DependencyEdge>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length) {
      const cur = queue.shift() as string;
      if (cur === to) break;
      for (const e of this.dependenciesOf(cur)) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        prev.set(e.to, e);
        queue.push(e.to);
      }
    }
    if (!prev.has(to)) return undefined;
    const out: DependencyEdge[] = [];
    for (let cur = to; cur !== from; ) {
      const e = prev.get(cur) as DependencyEdge;
      out.unshift(e);
      cur = e.from;
    }
    return out;
  }

  /** The services of the graph. */
  get serviceNames(): string[] {
    return this.services.map((s) => s.name);
  }
}
