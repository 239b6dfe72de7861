import { STRERROR_L10N } from './strerror-l10n.js';
import { escapeRegExp } from '../regexp-escape.js';

/**
 * Known log lines of the software people run under Docker Compose, mapped to the cause codes of `bcon diagnose`.
 *
 * A line is untrusted text (it may be huge, binary, or written to mislead): only its first 4096 characters are
 * examined, nothing is evaluated, and every regex is written to run in linear time (no nested or overlapping
 * unbounded quantifiers; patterns that open with a character run carry a look-behind so the run is tried from its
 * start only). Several patterns may match one line, often for the same cause (a specific one and a generic one);
 * a consumer should keep the strongest weight per cause rather than add them up.
 *
 * Formats were checked against real output: glibc and musl (Alpine) `strerror` texts differ ("Address already in
 * use" / "Address in use", "Too many open files" / "No file descriptors available", "Name or service not known" /
 * "Name does not resolve"), and both are covered.
 */

export const CAUSE_CODES = [
  'oom_killed',
  'memory_pressure',
  'cpu_saturation',
  'crash_loop',
  'bad_command',
  'missing_config',
  'dependency_down',
  'dependency_slow',
  'connection_refused',
  'dns_failure',
  'disk_full',
  'port_conflict',
  'healthcheck_failing',
  'permission_denied',
  'too_many_open_files',
  'log_error_spike',
  'replica_drift',
  'image_drift',
  'config_drift',
  'untracked_container',
  'stopped_service',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

/** What a line points at, when it names one. */
export interface LogTarget {
  host?: string;
  port?: number;
  path?: string;
  variable?: string;
  /** a user or database a client asked a server for: the client's configuration, not the server's */
  user?: string;
  database?: string;
}

export interface LogPattern {
  /** stable, e.g. 'econnrefused', 'postgres-fatal-role', 'java-oom' */
  id: string;
  /** what a match suggests */
  cause: CauseCode;
  /** 'generic' | 'nginx' | 'postgres' | 'mysql' | 'redis' | 'node' | 'python' | 'java' | 'go' | 'shell' | 'oci' ... */
  software: string;
  /** never global or sticky (no lastIndex state); linear on any input */
  regex: RegExp;
  /** short English phrase, e.g. `connection refused by 127.0.0.1:5432` */
  describe: (m: RegExpExecArray) => string;
  /** what the line points at, when it names one: host, port, file path, env var name */
  target?: (m: RegExpExecArray) => LogTarget | undefined;
  /** 0..1: how strongly one match implies the cause */
  weight: number;
  /** a line that also matches this is not a match (what the line says is something else) */
  unless?: RegExp;
  /**
   * The line quotes a server's reply to its client (Redis's `-OOM …`): the server, not the service that logged it,
   * is where the cause lies. Names the server software (see reply-owner.ts).
   */
  replyOf?: 'redis';
  /**
   * The path the line names counts only where the container bind-mounts a host path at it (the engine's facts,
   * checked by the analyzer): a file the line's words alone do not show to be configuration (`/etc/caddy/Caddyfile`
   * has no extension), which the person meant to mount.
   */
  mounted?: true;
  /** a later line of the same container matching this says the condition ended (an alarm cleared): history then */
  endedBy?: RegExp;
  /**
   * The server logs the same words when it turns its own clients away (postgres's `[214] FATAL:  sorry, too many
   * clients already`, mysql's `Too many connections`): in the log of a service others need, naming no address, the
   * refusal is that server's of its clients, not one it met (connection-refused.ts).
   */
  refuser?: true;
  /**
   * The line tells how long a piece of work took (`took 2.4s`), no failure: slow work where a slow caller waits on it,
   * never an error the software stated (a crash's cause, an error line, a time-out against a dependency).
   */
  work?: true;
}

export interface LogMatch {
  pattern: LogPattern;
  /** the matched part of the line */
  text: string;
  description: string;
  target?: LogTarget;
}

/** The patterns a line matches that state a failure (not a report of how long some work took). */
export function failuresIn(line: string): LogMatch[] {
  return matchLogLine(line).filter((m) => !m.pattern.work);
}

/** Longest prefix of a line that is examined; the rest of a longer line is data, not a message. */
export const MAX_EXAMINED_LENGTH = 4096;

// ---------------------------------------------------------------------------------------------------------------
// helpers (they run only on a line that matched, already cut to MAX_EXAMINED_LENGTH)

const group = (m: RegExpExecArray, i: number): string => m[i] ?? '';

function portOf(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

const stripBrackets = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** A target with its empty parts left out; undefined when nothing is left. */
function targetOf(parts: { host?: string | undefined; port?: number | undefined; path?: string | undefined; variable?: string | undefined; user?: string | undefined; database?: string | undefined }): LogTarget | undefined {
  const out: LogTarget = {};
  if (parts.host) out.host = stripBrackets(parts.host);
  if (parts.port !== undefined) out.port = parts.port;
  if (parts.path) out.path = parts.path;
  if (parts.variable) out.variable = parts.variable;
  if (parts.user) out.user = parts.user;
  if (parts.database) out.database = parts.database;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `host:port`, `[::1]:6379`, `::1:5432` (the last colon splits), `api` (no port). */
function splitHostPort(text: string): { host?: string; port?: number } {
  const i = text.lastIndexOf(':');
  if (i < 0) return { host: text };
  const port = portOf(text.slice(i + 1));
  if (port === undefined) return { host: text };
  return { host: text.slice(0, i), port };
}

const WILDCARD_HOSTS = new Set(['', '*', '0.0.0.0', '::', '[::]', '::ffff:0.0.0.0']);

/** Where a listener tried to bind: the port matters, a wildcard host does not. */
function listenTarget(host: string | undefined, port: string | undefined): LogTarget | undefined {
  return targetOf({ host: host === undefined || WILDCARD_HOSTS.has(host) ? undefined : host, port: portOf(port) });
}

const HOST = String.raw`[\w.%-]{1,253}|\[[0-9a-fA-F:.%\w]{1,64}\]`;
const ADDRESS_FINDERS: RegExp[] = [
  // go: `dial tcp 127.0.0.1:6379: connect: connection refused`
  new RegExp(String.raw`\bdial (?:tcp|tcp4|tcp6|udp) (${HOST}|[0-9a-fA-F:]{2,39}):(\d{1,5}): `),
  // nginx: `upstream: "http://127.0.0.1:3000/"`
  new RegExp(String.raw`\bupstream: "[a-z]{2,10}://(${HOST})(?::(\d{1,5}))?`),
  // libpq 14+: `connection to server at "db" (172.18.0.2), port 5432 failed`
  /\bconnection to server at "([^"\s]{1,253})"(?: \([^)\s]{1,64}\))?, port (\d{1,5})/,
  // libpq before 14: `Is the server running on host "db" (172.18.0.2) and accepting ... on port 5432?`
  /\bon host "([^"\s]{1,253})"(?:[^?]{0,200}?\bport (\d{1,5}))?/,
  // python urllib3: `HTTPConnectionPool(host='api', port=8000)`
  /\bhost='([^'\s]{1,253})', port=(\d{1,5})/,
  // redis-py: `Error 111 connecting to redis:6379. Connection refused.`
  new RegExp(String.raw`\bconnecting to (${HOST}):(\d{1,5})\b`),
  // netty: `AnnotatedConnectException: Connection refused: localhost/127.0.0.1:6379`
  /\bConnection refused: ([\w.-]{1,253})\/[0-9a-fA-F.:]{0,45}:(\d{1,5})/,
  // node: `connect ECONNREFUSED 127.0.0.1:5432`, `connect ETIMEDOUT ::1:5432`
  /\b(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH) ([\w.:%[\]-]{1,253}):(\d{1,5})\b/,
  // PgJDBC: `Connection to localhost:5432 refused.`
  new RegExp(String.raw`\bConnection to (${HOST}):(\d{1,5}) refused`),
  // mysql: `Can't connect to MySQL server on 'db:3306' (111)`
  /\bserver on '([^'\s]{1,260})'/,
  // a URL: `Get "http://api:8080/health": context deadline exceeded`
  new RegExp(String.raw`\b[a-z][a-z0-9+]{1,15}://(?:[^@/\s"']{1,256}@)?(${HOST})(?::(\d{1,5}))?`),
];

/**
 * Host and port a connection line names, from the formats above; last, a node error serialised as JSON
 * (`"syscall":"connect","address":"127.0.0.1","port":5432`). Never pino's top-level `"hostname"`: that is the logging
 * machine, not the peer.
 */
function findAddress(text: string): LogTarget | undefined {
  return findAddressIn(text) ?? (text.includes('\\"') ? findAddressIn(text.replace(/\\(["\\])/g, '$1').replace(/\\[nrt]/g, ' ')) : undefined);
}

/**
 * findAddress in one form of a line. (A JSON line carries a message's quotes escaped — Hasura's `"internal":"connection
 * to server at \"127.0.0.1\", port 29055 failed: …"` — so an address not found in it is looked for again unescaped.)
 */
function findAddressIn(text: string): LogTarget | undefined {
  for (const finder of ADDRESS_FINDERS) {
    const m = finder.exec(text);
    if (!m) continue;
    const raw = group(m, 1);
    const port = portOf(m[2]);
    const split = port === undefined ? splitHostPort(raw) : { host: raw, port };
    const found = targetOf(split);
    if (found) return found;
  }
  const json = /"address":\s?"([^"\s]{1,253})"(?:,\s?"port":\s?(\d{1,5})\b)?/.exec(text);
  return targetOf({ host: json?.[1], port: portOf(json?.[2]) });
}

const PATH_FINDERS: RegExp[] = [
  // node: `EACCES: permission denied, open '/data/x'`
  /\b(?:open|stat|lstat|mkdir|scandir|access|unlink|rename|chmod|chown|copyfile|rmdir|symlink|write|read|watch|opendir|realpath|mkdtemp|utime),? '([^'\n]{1,512})'/,
  // python: `PermissionError: [Errno 13] Permission denied: '/data/x'`
  /\[Errno -?\d{1,4}\] [\w .-]{1,80}: '([^'\n]{1,512})'/,
  // nginx: `open() "/var/log/nginx/x.log" failed (13: Permission denied)`
  /\b\w{1,20}\(\) "([^"\n]{1,512})" failed/,
  // go: `open /data/x: permission denied`, `mkdir /data: read-only file system`
  /\b(?:open|mkdir|mkdirat|stat|lstat|remove|rename|chmod|chown|write|read|create|openat|unlinkat|symlink|link) (\/[^\s:]{0,511}): /,
  // busybox / coreutils: `sh: can't create /data/x: Permission denied`, `chown: /data: Operation not permitted`
  /\b(?:can't create(?: directory)?|cannot create(?: directory)?|can't open|cannot open|cannot access|cannot touch|cannot remove|changing (?:permissions|ownership) of) [‘'"]?(\/[^\s'"’:]{0,511})/,
  // postgres / mysql: the first quoted absolute path
  /"(\/[^"\n]{0,511})"/,
  /'(\/[^'\n]{0,511})'/,
  // any absolute path, tried from its first slash only
  /(?<![\w.:/-])(\/[\w.@+-]{1,255}(?:\/[\w.@+-]{1,255}){0,64})/,
];

function findPath(text: string): string | undefined {
  for (const finder of PATH_FINDERS) {
    const m = finder.exec(text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

const pathTarget = (m: RegExpExecArray): LogTarget | undefined => targetOf({ path: findPath(m.input) });
const addressTarget = (m: RegExpExecArray): LogTarget | undefined => findAddress(m.input);

/** ` by 127.0.0.1:5432`, ` (db)`, `` — for descriptions. */
function where(t: LogTarget | undefined, joiner = ' '): string {
  if (!t) return '';
  if (t.host && t.port !== undefined) return `${joiner}${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
  if (t.host) return `${joiner}${t.host}`;
  if (t.port !== undefined) return `${joiner}port ${t.port}`;
  if (t.path) return `${joiner}${t.path}`;
  if (t.variable) return `${joiner}${t.variable}`;
  return '';
}

/** Start of a line, also after a compose prefix (`web-1  | `) or a docker `--timestamps` stamp. */
const LINE_START = String.raw`(?:^|\s\|\s*|\dZ\s+)`;

/** Config-file suffixes: a missing one of these is missing configuration. */
const CONFIG_EXT = String.raw`\.(?:conf|cnf|cfg|config|ya?ml|json|toml|ini|env|properties|xml|hcl)`;

// ---------------------------------------------------------------------------------------------------------------
// the patterns, grouped by cause

/** An HTTP method, as request lines write it. */
const METHOD = '(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE|PROPFIND|MKCOL|COPY|MOVE|LOCK|UNLOCK)';

export const LOG_PATTERNS: readonly LogPattern[] = [
  // ===== connection_refused =====

  // node: `Error: connect ECONNREFUSED 127.0.0.1:5432`; pino: `{"err":{"code":"ECONNREFUSED","address":"127.0.0.1","port":5432}}`
  {
    id: 'econnrefused',
    cause: 'connection_refused',
    software: 'node',
    regex: /\bECONNREFUSED\b/,
    describe: (m) => `connection refused${where(findAddress(m.input), ' by ')}`,
    target: addressTarget,
    weight: 0.85,
  },
  // go: `dial tcp 127.0.0.1:6379: connect: connection refused`; python: `ConnectionRefusedError: [Errno 111] Connection refused`;
  // libpq: `could not connect to server: Connection refused`; nginx: `connect() failed (111: Connection refused) while connecting to upstream`
  {
    id: 'connection-refused',
    cause: 'connection_refused',
    software: 'generic',
    regex: /\bconnection refused\b/i,
    describe: (m) => `connection refused${where(findAddress(m.input), ' by ')}`,
    target: addressTarget,
    weight: 0.8,
  },
  // java PgJDBC: `org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct`
  {
    id: 'pgjdbc-connection-refused',
    cause: 'connection_refused',
    software: 'java',
    regex: new RegExp(String.raw`\bConnection to (${HOST}):(\d{1,5}) refused\b`),
    describe: (m) => `postgres connection refused by ${group(m, 1)}:${group(m, 2)}`,
    target: (m) => targetOf({ host: group(m, 1), port: portOf(m[2]) }),
    weight: 0.85,
  },
  // node redis: `Error: Redis connection to 127.0.0.1:6379 failed - connect ECONNREFUSED 127.0.0.1:6379`
  {
    id: 'redis-connection-refused',
    cause: 'connection_refused',
    software: 'redis',
    regex: /\bRedis connection to ([\w.:%[\]-]{1,253}):(\d{1,5}) failed - connect ECONNREFUSED\b/,
    describe: (m) => `redis connection refused by ${group(m, 1)}:${group(m, 2)}`,
    target: (m) => targetOf({ host: group(m, 1), port: portOf(m[2]) }),
    weight: 0.85,
  },
  // mysql client: `ERROR 2003 (HY000): Can't connect to MySQL server on 'db:3306' (111)`; older: `... on 'db' (111 "Connection refused")`
  {
    id: 'mysql-connection-refused',
    cause: 'connection_refused',
    software: 'mysql',
    regex: /\bCan't connect to (?:MySQL )?server on '([^'\s]{1,260})' \(111\b/,
    describe: (m) => `mysql connection refused by ${group(m, 1)}`,
    target: (m) => targetOf(splitHostPort(group(m, 1))),
    weight: 0.85,
  },
  // postgres: `FATAL:  the database system is starting up` (also seen once per start while a healthcheck polls)
  {
    id: 'postgres-not-ready',
    cause: 'connection_refused',
    software: 'postgres',
    regex: /\bFATAL:\s{1,4}the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)\b/,
    describe: (m) => `postgres refuses connections: the database system is ${group(m, 1)}`,
    weight: 0.4,
    refuser: true,
  },
  // postgres: `FATAL:  sorry, too many clients already`; `FATAL:  remaining connection slots are reserved for non-replication superuser connections`
  {
    id: 'postgres-too-many-clients',
    cause: 'connection_refused',
    software: 'postgres',
    regex: /\bFATAL:\s{1,4}(?:sorry, too many clients already|remaining connection slots are reserved)/,
    describe: () => 'postgres refuses connections: too many clients',
    weight: 0.6,
    refuser: true,
  },
  // mysql: `ERROR 1040 (HY000): Too many connections`
  {
    id: 'mysql-too-many-connections',
    cause: 'connection_refused',
    software: 'mysql',
    regex: /\b(?:1040 \(\w{5}\): |\[1040\] )?Too many connections\b/,
    describe: () => 'mysql refuses connections: too many connections',
    weight: 0.6,
    refuser: true,
  },

  // ===== dependency_down =====

  // libpq before 14 (second line): `	Is the server running on host "db" (172.18.0.2) and accepting`
  {
    id: 'postgres-server-not-running',
    cause: 'dependency_down',
    software: 'postgres',
    regex: /\bIs the server running (?:on host "([^"\s]{1,253})"|locally and accepting)/,
    describe: (m) => `postgres server not reachable${m[1] ? ` on ${m[1]}` : ' on the local socket'}`,
    target: (m) => targetOf({ host: m[1], port: portOf(/\bport (\d{1,5})\?/.exec(m.input)?.[1]) }),
    weight: 0.55,
  },
  // mysql client, other errno: `ERROR 2003 (HY000): Can't connect to MySQL server on 'db:3306' (110)`
  {
    id: 'mysql-cant-connect',
    cause: 'dependency_down',
    software: 'mysql',
    regex: /\bCan't connect to (?:MySQL )?server on '([^'\s]{1,260})' \((?!111\b)(-?\d{1,5})/,
    describe: (m) => `cannot connect to mysql on ${group(m, 1)} (errno ${group(m, 2)})`,
    target: (m) => targetOf(splitHostPort(group(m, 1))),
    weight: 0.6,
  },
  // mysql client: `ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)`
  {
    id: 'mysql-local-socket',
    cause: 'dependency_down',
    software: 'mysql',
    regex: /\bCan't connect to local (?:MySQL )?server through socket '([^'\n]{1,512})'/,
    describe: (m) => `no mysql server on the local socket ${group(m, 1)}`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.6,
  },
  // node: `connect EHOSTUNREACH 172.18.0.5:5432`; glibc: `No route to host`; musl: `Host is unreachable`
  {
    id: 'host-unreachable',
    cause: 'dependency_down',
    software: 'generic',
    regex: /\bEHOSTUNREACH\b|\bNo route to host\b|\bHost is unreachable\b/i,
    describe: (m) => `host unreachable${where(findAddress(m.input), ': ')}`,
    target: addressTarget,
    weight: 0.6,
  },
  // nginx: `[error] 29#29: *1 no live upstreams while connecting to upstream, client: 172.18.0.1, ... upstream: "http://backend/"`
  {
    id: 'nginx-no-live-upstreams',
    cause: 'dependency_down',
    software: 'nginx',
    regex: /\bno live upstreams while connecting to upstream\b/,
    describe: (m) => `nginx has no live upstream${where(findAddress(m.input), ': ')}`,
    target: addressTarget,
    weight: 0.7,
  },
  // nginx: `upstream prematurely closed connection while reading response header from upstream, ... upstream: "http://127.0.0.1:3000/"`
  {
    id: 'nginx-upstream-closed',
    cause: 'dependency_down',
    software: 'nginx',
    regex: /\bupstream prematurely closed connection\b/,
    describe: (m) => `upstream closed the connection mid-request${where(findAddress(m.input), ': ')}`,
    target: addressTarget,
    weight: 0.45,
  },

  // wait-for-it: `wait-for-it.sh: timeout occurred after waiting 15 seconds for db:5432`;
  // dockerize: `Timeout after 10s waiting on dependencies to become available: [tcp://db:5432]`
  {
    id: 'wait-for-timeout',
    cause: 'dependency_down',
    software: 'shell',
    regex: new RegExp(
      String.raw`\btimeout occurred after waiting (\d{1,6}) seconds for (${HOST}):(\d{1,5})\b` +
        String.raw`|\bTimeout after (\w{1,16}) waiting on dependencies to become available: \[[a-z]{2,10}://(${HOST}):(\d{1,5})`,
    ),
    describe: (m) => `${m[2] ?? group(m, 5)}:${m[3] ?? group(m, 6)} did not come up within ${m[1] ? `${m[1]} s` : group(m, 4)}`,
    target: (m) => targetOf({ host: m[2] ?? m[5], port: portOf(m[3] ?? m[6]) }),
    weight: 0.7,
  },

  // ===== dns_failure =====

  // node: `Error: getaddrinfo ENOTFOUND db`, `getaddrinfo EAI_AGAIN db`, `querySrv ENOTFOUND _mongodb._tcp.db`; pino: `"code":"ENOTFOUND","hostname":"db"`
  {
    id: 'enotfound',
    cause: 'dns_failure',
    software: 'node',
    regex: /\b(ENOTFOUND|EAI_AGAIN)\b/,
    describe: (m) => {
      const host = dnsHost(m.input);
      return `${group(m, 1) === 'EAI_AGAIN' ? 'temporary DNS failure' : 'host not found'}${host ? ` for ${host}` : ''}`;
    },
    target: (m) => targetOf({ host: dnsHost(m.input) }),
    weight: 0.85,
  },
  // glibc: `socket.gaierror: [Errno -2] Name or service not known`, `Temporary failure in name resolution`,
  // `No address associated with hostname`; musl: `Name does not resolve`, `[Errno -3] Try again`
  // (busybox nslookup's harmless `can't resolve '(null)': Name does not resolve` is left out)
  {
    id: 'name-resolution-failed',
    cause: 'dns_failure',
    software: 'generic',
    regex: /(?<!can't resolve '\(null\)': )(?:\b(?:Name or service not known|Name does not resolve|Temporary failure in name resolution|No address associated with hostname)\b|\[Errno -3\] Try again\b)/i,
    describe: (m) => {
      const host = dnsHost(m.input);
      return `name resolution failed${host ? ` for ${host}` : ''}`;
    },
    target: (m) => targetOf({ host: dnsHost(m.input) }),
    weight: 0.8,
  },
  // go: `dial tcp: lookup db on 127.0.0.11:53: no such host`; `lookup db: server misbehaving`; `lookup db on 127.0.0.11:53: read udp ...: i/o timeout`
  {
    id: 'go-lookup-failed',
    cause: 'dns_failure',
    software: 'go',
    regex: /\blookup ([\w.-]{1,253})(?: on [\w.:[\]%]{1,64})?: (no such host|server misbehaving|Temporary failure in name resolution|read udp [^\s]{1,128}: i\/o timeout|i\/o timeout)/,
    describe: (m) => `cannot resolve ${group(m, 1)}: ${group(m, 2).replace(/^read udp \S+: /, '')}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.85,
  },
  // libpq: `psql: error: could not translate host name "db" to address: Name or service not known`
  {
    id: 'postgres-translate-host',
    cause: 'dns_failure',
    software: 'postgres',
    regex: /\bcould not translate host name "([^"\s]{1,253})" to address/,
    describe: (m) => `postgres client cannot resolve ${group(m, 1)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.9,
  },
  // nginx: `nginx: [emerg] host not found in upstream "api:3000" in /etc/nginx/conf.d/default.conf:10`
  {
    id: 'nginx-host-not-found',
    cause: 'dns_failure',
    software: 'nginx',
    regex: /\bhost not found in (?:upstream|resolver) "([^"\s]{1,260})"/,
    describe: (m) => `nginx cannot resolve upstream ${group(m, 1)}`,
    target: (m) => targetOf(splitHostPort(group(m, 1))),
    weight: 0.9,
  },
  // nginx (resolver at request time): `[error] 32#32: *27 backend-api could not be resolved (3: Host not found)`; `no resolver defined to resolve api`
  {
    id: 'nginx-could-not-be-resolved',
    cause: 'dns_failure',
    software: 'nginx',
    regex: /(?<!\S)([\w.-]{1,253}) could not be resolved \((\d{1,3}): ([^)]{1,64})\)|\bno resolver defined to resolve ([\w.-]{1,253})/,
    describe: (m) => (m[4] ? `nginx has no resolver for ${m[4]}` : `nginx cannot resolve ${group(m, 1)}: ${group(m, 3)}`),
    target: (m) => targetOf({ host: m[1] ?? m[4] }),
    weight: 0.85,
  },
  // busybox: `wget: bad address 'db'`, `ping: bad address 'db'`, `nc: bad address 'db'`
  {
    id: 'busybox-bad-address',
    cause: 'dns_failure',
    software: 'busybox',
    regex: /\bbad address '([^'\s]{1,253})'/,
    describe: (m) => `cannot resolve ${group(m, 1)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.85,
  },
  // busybox: `nslookup: can't resolve 'db'` (not the harmless `can't resolve '(null)'` of old busybox versions)
  {
    id: 'busybox-nslookup',
    cause: 'dns_failure',
    software: 'busybox',
    regex: /\bnslookup: can't resolve '(?!\(null\)')([^'\s]{1,253})'/,
    describe: (m) => `nslookup cannot resolve ${group(m, 1)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.8,
  },
  // nslookup (bind / newer busybox): `** server can't find db: NXDOMAIN` (also printed for search-domain tries, hence the low weight)
  {
    id: 'nslookup-nxdomain',
    cause: 'dns_failure',
    software: 'generic',
    regex: /\*\* server can't find ([\w.-]{1,253}): (NXDOMAIN|SERVFAIL|REFUSED)\b/,
    describe: (m) => `nslookup: ${group(m, 1)} ${group(m, 2)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.5,
  },
  // curl: `curl: (6) Could not resolve host: db`; GNU wget: `wget: unable to resolve host address ‘db’`
  {
    id: 'could-not-resolve-host',
    cause: 'dns_failure',
    software: 'generic',
    regex: /\bCould not resolve host: ([\w.-]{1,253})|\bunable to resolve host address [‘'"`]([\w.-]{1,253})[’'"`]/,
    describe: (m) => `cannot resolve ${m[1] ?? group(m, 2)}`,
    target: (m) => targetOf({ host: m[1] ?? m[2] }),
    weight: 0.85,
  },
  // java: `java.net.UnknownHostException: db: Name or service not known`, `java.net.UnknownHostException: db`
  {
    id: 'java-unknown-host',
    cause: 'dns_failure',
    software: 'java',
    regex: /\bjava\.net\.UnknownHostException: ([\w.-]{1,253})/,
    describe: (m) => `unknown host ${group(m, 1)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.85,
  },
  // mysql client: `ERROR 2005 (HY000): Unknown MySQL server host 'db' (-2)`; mariadb: `Unknown server host 'db' (-3)`
  {
    id: 'mysql-unknown-host',
    cause: 'dns_failure',
    software: 'mysql',
    regex: /\bUnknown (?:MySQL )?server host '([^'\s]{1,253})'/,
    describe: (m) => `mysql client cannot resolve ${group(m, 1)}`,
    target: (m) => targetOf({ host: group(m, 1) }),
    weight: 0.9,
  },

  // ===== port_conflict =====

  // node: `Error: listen EADDRINUSE: address already in use :::3000`; go: `listen tcp :8080: bind: address already in use`;
  // nginx: `bind() to 0.0.0.0:80 failed (98: Address already in use)` (alpine/musl: `(98: Address in use)`);
  // busybox httpd (musl): `httpd: bind: Address in use`; redis: `Could not create server TCP listening socket *:6379: bind: Address already in use`;
  // postgres: `LOG:  could not bind IPv4 address "0.0.0.0": Address already in use`; python: `OSError: [Errno 98] Address already in use`
  {
    id: 'address-in-use',
    cause: 'port_conflict',
    software: 'generic',
    regex: /\bEADDRINUSE\b|\baddress already in use\b|\bAddress in use\b/i,
    describe: (m) => {
      const t = listenAddress(m.input);
      return `address already in use${t?.port !== undefined ? `: port ${t.port}` : ''}`;
    },
    target: (m) => listenAddress(m.input),
    weight: 0.9,
  },
  // postgres: `HINT:  Is another postmaster already running on port 5432? If not, wait a few seconds and retry.`
  {
    id: 'postgres-port-in-use',
    cause: 'port_conflict',
    software: 'postgres',
    regex: /\bIs another postmaster already running on port (\d{1,5})\?/,
    describe: (m) => `postgres port ${group(m, 1)} is taken`,
    target: (m) => targetOf({ port: portOf(m[1]) }),
    weight: 0.8,
  },
  // gunicorn: `[2021-03-29 16:13:10 +0000] [13577] [ERROR] Connection in use: ('0.0.0.0', 8080)`
  {
    id: 'gunicorn-connection-in-use',
    cause: 'port_conflict',
    software: 'python',
    regex: /\bConnection in use: \('([^'\s]{0,253})', (\d{1,5})\)/,
    describe: (m) => `gunicorn cannot bind port ${group(m, 2)}`,
    target: (m) => listenTarget(m[1], m[2]),
    weight: 0.9,
  },
  // spring boot: `Web server failed to start. Port 8080 was already in use.`
  {
    id: 'spring-port-in-use',
    cause: 'port_conflict',
    software: 'java',
    regex: /\bPort (\d{1,5}) was already in use\b/,
    describe: (m) => `port ${group(m, 1)} was already in use`,
    target: (m) => targetOf({ port: portOf(m[1]) }),
    weight: 0.9,
  },

  // ===== disk_full =====

  // node: `Error: ENOSPC: no space left on device, write`; glibc and musl: `write /data/x: no space left on device`
  {
    id: 'no-space-left',
    cause: 'disk_full',
    software: 'generic',
    regex: /\bENOSPC\b|\bNo space left on device\b/i,
    describe: (m) => `no space left on device${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.9,
  },
  // php (its stream layer, for every PHP app: WordPress, Nextcloud, Laravel…): `PHP Warning:  file_put_contents(): Only
  // 0 of 5126 bytes written, possibly out of free disk space in /var/www/html/lib/Cache/File.php on line 131` (the
  // path after "in" is PHP's own source file, not where it wrote)
  {
    id: 'php-short-write',
    cause: 'disk_full',
    software: 'php',
    regex: /\bOnly \d{1,12} of \d{1,12} bytes written, possibly out of free disk space\b/,
    describe: () => 'php could not write a file: possibly out of free disk space',
    weight: 0.8,
  },
  // glibc: `Disk quota exceeded` (EDQUOT)
  {
    id: 'disk-quota-exceeded',
    cause: 'disk_full',
    software: 'generic',
    regex: /\bEDQUOT\b|\bDisk quota exceeded\b/i,
    describe: (m) => `disk quota exceeded${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.8,
  },
  // postgres: `ERROR:  could not extend file "base/16384/16397": No space left on device`
  {
    id: 'postgres-could-not-extend',
    cause: 'disk_full',
    software: 'postgres',
    regex: /\bcould not extend file "([^"\n]{1,512})"/,
    describe: (m) => `postgres cannot grow ${group(m, 1)}`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.9,
  },
  // mysql: `[ERROR] [MY-000035] [Server] Disk is full writing './binlog.000002' (OS errno 28 - No space left on device). Waiting for someone to free space...`;
  // `[ERROR] mysqld: Disk full (/tmp/#sql_1_0)`
  {
    id: 'mysql-disk-full',
    cause: 'disk_full',
    software: 'mysql',
    regex: /\bDisk is full writing '([^'\n]{1,512})'|\bDisk full \(([^)\n]{1,512})\)/,
    describe: (m) => `mysql disk full writing ${m[1] ?? group(m, 2)}`,
    target: (m) => targetOf({ path: m[1] ?? m[2] }),
    weight: 0.9,
  },
  // rabbitmq: `disk resource limit alarm set on node 'rabbit@mq1'.`; `Free disk space is insufficient. Free bytes: 0.
  // Limit: 50000000` (publishers blocked until it clears)
  {
    id: 'rabbitmq-disk-alarm',
    cause: 'disk_full',
    software: 'rabbitmq',
    regex: /\bdisk resource limit alarm set on node\b|\bFree disk space is insufficient\. Free bytes: ?\d+/,
    describe: () => 'rabbitmq disk alarm: publishers blocked',
    weight: 0.85,
    endedBy: /\bdisk resource limit alarm cleared\b/,
  },
  // mysql: `ERROR 1114 (HY000): The table 'orders' is full`
  {
    id: 'mysql-table-full',
    cause: 'disk_full',
    software: 'mysql',
    regex: /\bThe table '([^'\n]{1,256})' is full\b/,
    describe: (m) => `mysql table ${group(m, 1)} is full`,
    weight: 0.6,
  },
  // redis client reply: `MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.` (disk full or not writable)
  {
    id: 'redis-misconf',
    cause: 'disk_full',
    software: 'redis',
    regex: /\bMISCONF Redis is configured to save RDB snapshots\b/,
    describe: () => 'redis cannot persist its snapshot to disk',
    weight: 0.5,
    replyOf: 'redis',
  },

  // ===== permission_denied =====

  // node: `Error: EACCES: permission denied, open '/data/x'`; `Error: listen EACCES: permission denied 0.0.0.0:80`
  {
    id: 'eacces',
    cause: 'permission_denied',
    software: 'node',
    regex: /\bEACCES\b/,
    describe: (m) => {
      const t = eaccesTarget(m);
      return `permission denied${where(t, ': ')}`;
    },
    target: (m) => eaccesTarget(m),
    weight: 0.75,
  },
  // python: `PermissionError: [Errno 13] Permission denied: '/data/x'`; go: `open /data/x: permission denied`;
  // nginx: `open() "/var/log/nginx/x.log" failed (13: Permission denied)`. Not `exec: "x": permission denied` (OCI: bad_command),
  // not node's `EACCES: permission denied` (its own pattern), not SQL privileges (`permission denied for table x`)
  {
    id: 'permission-denied',
    cause: 'permission_denied',
    software: 'generic',
    regex: /(?<!\bEACCES: )(?<!\bexec:? "?[^\s"]{1,256}"?: )\bpermission denied\b(?! for (?:table|relation|schema|database|sequence|function|view|column|tablespace|language|type|large object|procedure)\b)/i,
    describe: (m) => `permission denied${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.6,
  },
  // coreutils/busybox: `chown: /var/lib/postgresql/data: Operation not permitted`; node: `EPERM: operation not permitted, chmod '/x'`
  {
    id: 'operation-not-permitted',
    cause: 'permission_denied',
    software: 'generic',
    regex: /\bEPERM\b|\bOperation not permitted\b/i,
    describe: (m) => `operation not permitted${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.5,
  },
  // a file's access refused in other words: java `java.nio.file.AccessDeniedException: /data/index/segments_1`; MinIO
  // `Unable to use the drive /data: file access denied`; Windows-style `Access to the path '/app/x' is denied`
  // (not a login's `Access denied for user`: credentials, not a file; not Spring Security's or an AWS API's
  // `AccessDeniedException` with no path: a request refused, not a file)
  {
    id: 'file-access-denied',
    cause: 'permission_denied',
    software: 'generic',
    regex: /\bjava\.nio\.file\.AccessDeniedException\b|\bAccessDeniedException: \/|\b(?:file|directory|folder|drive|disk|path) access (?:is )?denied\b|\bAccess to the path ['"][^'"\n]{1,512}['"] is denied\b/i,
    describe: (m) => `access denied${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.6,
  },
  // go: `mkdir /data/cache: read-only file system`; node: `EROFS: read-only file system, open '/app/x'` (a `:ro` mount)
  {
    id: 'read-only-file-system',
    cause: 'permission_denied',
    software: 'generic',
    regex: /\bEROFS\b|\bRead-only file system\b/i,
    describe: (m) => `read-only file system${where(pathTarget(m), ': ')}`,
    target: pathTarget,
    weight: 0.65,
  },
  // postgres: `FATAL:  data directory "/var/lib/postgresql/data" has wrong ownership`; `... has invalid permissions`
  {
    id: 'postgres-data-directory',
    cause: 'permission_denied',
    software: 'postgres',
    regex: /\bdata directory "([^"\n]{1,512})" has (wrong ownership|invalid permissions|group or world access)\b/,
    describe: (m) => `postgres data directory ${group(m, 1)} has ${group(m, 2)}`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.9,
  },

  // ===== too_many_open_files =====

  // node: `Error: EMFILE: too many open files, open '/app/x'`; nginx: `accept4() failed (24: Too many open files)`;
  // java: `java.net.SocketException: Too many open files`; go: `accept tcp [::]:8080: accept4: too many open files`; musl: `No file descriptors available`
  {
    id: 'too-many-open-files',
    cause: 'too_many_open_files',
    software: 'generic',
    regex: /\bE[MN]FILE\b|\bToo many open files\b|\bNo file descriptors available\b/i,
    describe: () => 'too many open files',
    weight: 0.85,
  },

  // ===== missing_config =====

  // `Error: required environment variable DATABASE_URL is not set`; `Environment variable "JWT_SECRET" is required`
  // `DATABASE_URL is not set`; `JWT_SECRET must be set` (not `POSTGRES_USER has not been set, defaulting to 'postgres'`)
  {
    id: 'env-var-not-set',
    cause: 'missing_config',
    software: 'generic',
    regex: /\b(?:[Ee]nvironment variable|[Ee]nv(?:ironment)? var(?:iable)?) ["'`$]?\{?([A-Za-z_][A-Za-z0-9_]{0,127})\}?["'`]? (?:is |was |has )?(?:not set|not been set|not defined|undefined|missing|required|must be (?:set|defined|provided)|empty)\b(?![,;]? ?(?:defaulting|using|falling back))|(?<![\w$])([A-Z][A-Z0-9]{0,63}_[A-Z0-9_]{1,64}|[A-Z]{3,64}) (?:is not set|is not defined|is undefined|is missing|is required|must be set|must be defined|has not been set)\b(?![,;]? ?(?:defaulting|using|falling back))/,
    describe: (m) => `environment variable ${m[1] ?? group(m, 2)} is not set`,
    target: (m) => targetOf({ variable: m[1] ?? m[2] }),
    weight: 0.8,
  },
  // `Missing required environment variable: DATABASE_URL`; envalid: `Missing environment variables:`; t3-env/zod: `❌ Invalid environment variables:`
  {
    id: 'missing-env-vars',
    cause: 'missing_config',
    software: 'generic',
    regex: /\b(?:Missing (?:required )?environment variables?|Invalid environment variables?)\b(?::? ["'`]?([A-Z][A-Z0-9_]{0,127})\b)?/i,
    describe: (m) => (m[1] ? `missing environment variable ${m[1]}` : 'missing or invalid environment variables'),
    target: (m) => targetOf({ variable: m[1] }),
    weight: 0.8,
  },
  // bash: `/entrypoint.sh: line 3: DATABASE_URL: parameter null or not set`, `DB_HOST: unbound variable`; dash: `sh: 1: DB_HOST: parameter not set`
  {
    id: 'shell-unset-variable',
    cause: 'missing_config',
    software: 'shell',
    regex: /(?<![\w$])([A-Za-z_][A-Za-z0-9_]{0,127}): (?:parameter null or not set|parameter not set or null|parameter not set|unbound variable)\b/,
    describe: (m) => `shell variable ${group(m, 1)} is not set`,
    target: (m) => targetOf({ variable: group(m, 1) }),
    weight: 0.75,
  },
  // python os.environ: `KeyError: 'DATABASE_URL'` (upper-case keys only: a lower-case key is a data bug, not configuration)
  {
    id: 'python-keyerror-env',
    cause: 'missing_config',
    software: 'python',
    regex: /\bKeyError: ['"]([A-Z][A-Z0-9]{0,63}(?:_[A-Z0-9]{1,63}){0,16})['"]/,
    describe: (m) => `environment variable ${group(m, 1)} is missing (KeyError)`,
    target: (m) => targetOf({ variable: group(m, 1) }),
    weight: 0.7,
  },
  // pydantic v1: `  field required (type=value_error.missing)`; v2: `  Field required [type=missing, input_value={}, input_type=dict]`
  {
    id: 'pydantic-field-required',
    cause: 'missing_config',
    software: 'python',
    regex: /\b[Ff]ield required \((?:type=value_error\.missing)\)|\b[Ff]ield required \[type=missing\b/,
    describe: () => 'a required settings field is missing',
    weight: 0.6,
  },
  // pydantic-settings: `pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings`
  {
    id: 'pydantic-settings-invalid',
    cause: 'missing_config',
    software: 'python',
    regex: /\b(\d{1,4}) validation errors? for (\w{0,64}(?:Settings|Config)\w{0,64})\b/,
    describe: (m) => `${group(m, 1)} validation error(s) in ${group(m, 2)}`,
    weight: 0.6,
  },
  // django-environ: `django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable`;
  // django: `ImproperlyConfigured: The SECRET_KEY setting must not be empty.`
  {
    id: 'django-improperly-configured',
    cause: 'missing_config',
    software: 'python',
    regex: /\bImproperlyConfigured: (?:Set the ([A-Z_][A-Z0-9_]{0,127}) environment variable|The ([A-Z_][A-Z0-9_]{0,127}) setting must not be empty)?/,
    describe: (m) => (m[1] ?? m[2] ? `django setting ${m[1] ?? group(m, 2)} is not configured` : 'django is improperly configured'),
    target: (m) => targetOf({ variable: m[1] ?? m[2] }),
    weight: 0.75,
  },
  // postgres image: `Error: Database is uninitialized and superuser password is not specified.` /
  // `       You must specify POSTGRES_PASSWORD to a non-empty value for the`
  {
    id: 'postgres-image-no-password',
    cause: 'missing_config',
    software: 'postgres',
    regex: /\bDatabase is uninitialized and superuser password is not specified\b|\bYou must specify POSTGRES_PASSWORD to a non-empty value\b/,
    describe: () => 'postgres image needs POSTGRES_PASSWORD',
    target: () => ({ variable: 'POSTGRES_PASSWORD' }),
    weight: 0.95,
  },
  // mysql image: `[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified` /
  // `    You need to specify one of the following as an environment variable:`; mariadb: `You need to specify one of MARIADB_ROOT_PASSWORD, ...`
  {
    id: 'mysql-image-no-password',
    cause: 'missing_config',
    software: 'mysql',
    regex: /\bdatabase is uninitialized and password option is not specified\b|\bYou need to specify one of (?:the following as an environment variable|(MYSQL|MARIADB)_ROOT_PASSWORD)\b/i,
    describe: (m) => `${mysqlRootVariable(m)} (or an allow-empty/random root password option) is not set`,
    target: (m) => ({ variable: mysqlRootVariable(m) }),
    weight: 0.95,
  },
  // Laravel: `No application encryption key has been specified.`; `No API key was provided`; `no secret key
  // configured`: the program names a credential or setting it was never given (not which variable: the words say what)
  {
    id: 'setting-not-specified',
    cause: 'missing_config',
    software: 'generic',
    regex: /\b[Nn]o (?:[A-Za-z-]{2,24} ){0,3}(?:key|secret|token|password|credentials?|certificate|dsn|connection string)s? (?:has been |have been |was |were |is |are )?(?:specified|configured|provided|given|defined)\b/,
    describe: (m) => m[0].toLowerCase(),
    weight: 0.8,
  },
  // viper: `Config File "config" Not Found in "[/etc/app]"`; `Error: config file not found: /app/config.yml`; `could not load config file`
  {
    id: 'config-file-not-found',
    cause: 'missing_config',
    software: 'generic',
    regex: /\bconfig(?:uration)? file (?:["'`]([^"'`\n]{1,512})["'`] )?(?:was )?not found\b|\b(?:could not|couldn't|cannot|can't|unable to|failed to) (?:find|open|read|load|locate) (?:the )?config(?:uration)? file\b/i,
    describe: (m) => `configuration file not found${m[1] ? `: ${m[1]}` : ''}`,
    target: (m) => targetOf({ path: m[1] ?? findPath(m.input) }),
    weight: 0.7,
  },
  // node: `ENOENT: no such file or directory, open '/app/config.json'`; python: `[Errno 2] No such file or directory: '/app/settings.yaml'`;
  // nginx: `open() "/etc/nginx/conf.d/app.conf" failed (2: No such file or directory)`; go: `open /etc/app/config.yaml: no such file or directory`
  {
    id: 'config-path-missing',
    cause: 'missing_config',
    software: 'generic',
    regex: new RegExp(
      String.raw`\bno such file or directory(?:, [a-z]{2,12}|:)? ['"]([^'"\n]{0,512}${CONFIG_EXT})['"]` +
        String.raw`|(?<![^\s"'(=])["']?([^\s"':]{0,512}${CONFIG_EXT})["']?(?:: | failed \(2: )no such file or directory\b`,
      'i',
    ),
    describe: (m) => `configuration file missing: ${m[1] ?? group(m, 2)}`,
    target: (m) => targetOf({ path: m[1] ?? m[2] }),
    weight: 0.75,
    // a file a web server could not open for a client's request is that client's 404 (a scanner asking for /.env,
    // /config.json), not a file of the server's own configuration: nginx `…, client: 1.2.3.4, server: …, request:
    // "GET /.env HTTP/1.1"`
    unless: /, client: [^,\n]{1,64}, server: [^\n]{0,256}, request: "/,
  },
  // a configuration path that is a directory: the engine makes a bind mount's missing source an empty directory (a
  // file the checkout does not hold, mounted as `./nginx/app.conf:/etc/nginx/nginx.conf`). nginx: `pread()
  // "/etc/nginx/nginx.conf" failed (21: Is a directory)`; python: `IsADirectoryError: [Errno 21] Is a directory:
  // '/app/config.yaml'`; go: `read /etc/app/config.yaml: is a directory`; java: `java.io.FileNotFoundException:
  // /app/application.yml (Is a directory)`; node: `EISDIR: illegal operation on a directory, open '/app/config.json'`.
  // A path with a configuration's extension only: a bare EISDIR (express's sendFile on a directory) is not config
  {
    id: 'config-path-is-directory',
    cause: 'missing_config',
    software: 'generic',
    regex: new RegExp(
      String.raw`\b(?:Is a directory: |EISDIR: illegal operation on a directory, [a-z]{2,12} )['"]([^'"\n]{0,512}${CONFIG_EXT})['"]` +
        String.raw`|(?<![^\s"'(=])["']?([^\s"':]{0,512}${CONFIG_EXT})["']?(?:: | failed \(21: | \()is a directory\b`,
      'i',
    ),
    describe: (m) => `configuration file is a directory: ${m[1] ?? group(m, 2)}`,
    target: (m) => targetOf({ path: m[1] ?? m[2] }),
    weight: 0.7,
    // a path a web server was asked for by a client is that client's, not the server's configuration
    unless: /, client: [^,\n]{1,64}, server: [^\n]{0,256}, request: "/,
  },
  // the same, for a path of any name where the container bind-mounts a host path (caddy: `read
  // /etc/caddy/Caddyfile: is a directory`): the analyzer keeps it only where the engine shows that mount
  {
    id: 'mounted-path-is-directory',
    cause: 'missing_config',
    software: 'generic',
    regex: /\b(?:Is a directory: |EISDIR: illegal operation on a directory, [a-z]{2,12} )['"](\/[^'"\n]{1,512})['"]|(?<![^\s"'(=])["']?(\/[^\s"':]{1,512})["']?(?:: | failed \(21: | \()is a directory\b/i,
    describe: (m) => `a mounted file is a directory: ${m[1] ?? group(m, 2)}`,
    target: (m) => targetOf({ path: m[1] ?? m[2] }),
    weight: 0.7,
    mounted: true,
    unless: /, client: [^,\n]{1,64}, server: [^\n]{0,256}, request: "/,
  },
  // Wrong credentials are configuration too (a changed POSTGRES_USER/PASSWORD after the volume was initialised is the usual cause):
  // postgres: `FATAL:  role "app" does not exist`
  {
    id: 'postgres-fatal-role',
    cause: 'missing_config',
    software: 'postgres',
    regex: /\bFATAL:\s{1,4}role "([^"\n]{1,128})" does not exist\b/,
    describe: (m) => `postgres role "${group(m, 1)}" does not exist`,
    target: (m) => targetOf({ user: m[1] }),
    weight: 0.6,
  },
  // postgres: `FATAL:  database "app" does not exist`
  {
    id: 'postgres-fatal-database',
    cause: 'missing_config',
    software: 'postgres',
    regex: /\bFATAL:\s{1,4}database "([^"\n]{1,128})" does not exist\b/,
    describe: (m) => `postgres database "${group(m, 1)}" does not exist`,
    target: (m) => targetOf({ database: m[1] }),
    weight: 0.6,
  },
  // postgres: `FATAL:  password authentication failed for user "app"`
  {
    id: 'postgres-auth-failed',
    cause: 'missing_config',
    software: 'postgres',
    regex: /\bpassword authentication failed for user "([^"\n]{1,128})"/,
    describe: (m) => `postgres password authentication failed for "${group(m, 1)}"`,
    target: (m) => targetOf({ user: m[1] }),
    weight: 0.6,
  },
  // mysql: `ERROR 1045 (28000): Access denied for user 'app'@'172.18.0.3' (using password: YES)`
  {
    id: 'mysql-access-denied',
    cause: 'missing_config',
    software: 'mysql',
    regex: /\bAccess denied for user '([^'\n]{0,128})'@'([^'\n]{0,255})'/,
    describe: (m) => `mysql access denied for '${group(m, 1)}'@'${group(m, 2)}'`,
    target: (m) => targetOf({ user: m[1] }),
    weight: 0.6,
  },

  // ===== memory_pressure and oom_killed =====

  // java: `Exception in thread "main" java.lang.OutOfMemoryError: Java heap space`; `... GC overhead limit exceeded`
  {
    id: 'java-oom',
    cause: 'memory_pressure',
    software: 'java',
    regex: /\bjava\.lang\.OutOfMemoryError\b(?:: ([^\n]{1,100}))?/,
    describe: (m) => `java out of memory${m[1] ? `: ${m[1].trim()}` : ''}`,
    weight: 0.9,
  },
  // node: `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`
  {
    id: 'node-heap-oom',
    cause: 'memory_pressure',
    software: 'node',
    regex: /\bJavaScript heap out of memory\b/,
    describe: () => 'node ran out of JavaScript heap',
    weight: 0.9,
  },
  // python: `MemoryError`; numpy: `numpy.core._exceptions._ArrayMemoryError: Unable to allocate 7.45 GiB for an array`
  {
    id: 'python-memory-error',
    cause: 'memory_pressure',
    software: 'python',
    regex: /(?<![\w])_?(?:Array)?MemoryError(?::\s|\s*$)/,
    describe: () => 'python MemoryError',
    weight: 0.8,
  },
  // go: `fatal error: runtime: out of memory`
  {
    id: 'go-oom',
    cause: 'memory_pressure',
    software: 'go',
    regex: /\bruntime: out of memory\b/,
    describe: () => 'go runtime out of memory',
    weight: 0.9,
  },
  // redis reply: `OOM command not allowed when used memory > 'maxmemory'.`
  {
    id: 'redis-oom',
    cause: 'memory_pressure',
    software: 'redis',
    regex: /\bOOM command not allowed when used memory > 'maxmemory'/,
    describe: () => 'redis reached maxmemory',
    weight: 0.85,
    replyOf: 'redis',
  },
  // rabbitmq: `memory resource limit alarm set on node 'rabbit@mq1'.` (publishers blocked until it clears); 3.x:
  // `vm_memory_high_watermark set. Memory used:105000000 allowed:100000000`
  {
    id: 'rabbitmq-memory-alarm',
    cause: 'memory_pressure',
    software: 'rabbitmq',
    regex: /\bmemory resource limit alarm set on node\b|\bvm_memory_high_watermark set\. Memory used:\d+ allowed:\d+/,
    describe: () => 'rabbitmq memory alarm: publishers blocked',
    weight: 0.85,
    endedBy: /\bmemory resource limit alarm cleared on node\b|\bvm_memory_high_watermark clear\b/,
  },
  // glibc: `fork: Cannot allocate memory`; redis: `Can't save in background: fork: Cannot allocate memory`; node: `ENOMEM`
  {
    id: 'cannot-allocate-memory',
    cause: 'memory_pressure',
    software: 'generic',
    regex: /\bENOMEM\b|\bCannot allocate memory\b/i,
    // memory that could not be locked (mlock/mlockall: RLIMIT_MEMLOCK, IPC_LOCK) is a limit on locking, not memory that
    // is short: Cassandra's `Unable to lock JVM memory (ENOMEM) … Increase RLIMIT_MEMLOCK`, Elasticsearch's `Unable to
    // lock JVM Memory: error=12, reason=Cannot allocate memory`, Vault's `Failed to lock memory: cannot allocate memory`
    unless: /\bm(?:un)?lock(?:all|2)?\b|memlock\b|\b(?:unable|could not|cannot|can't)(?: to)? lock\b|\bfailed to lock (?:the )?(?:jvm |process )?(?:memory|pages)\b|\block (?:the )?(?:jvm |process )?memory\b/i,
    describe: () => 'cannot allocate memory',
    weight: 0.75,
  },
  // postgres: `ERROR:  out of memory`; musl strerror(ENOMEM): `Out of memory` (not node/go, which have their own, nor the kernel's OOM kill)
  {
    id: 'out-of-memory',
    cause: 'memory_pressure',
    software: 'generic',
    regex: /(?<!heap |runtime: )\bout of memory\b(?!: Kill)/i,
    // a guess, not a statement: gunicorn's `Worker (pid:42) was sent SIGKILL! Perhaps out of memory?` follows its own
    // time-out kill as often as the kernel's
    unless: /\b(?:perhaps|maybe|possibly|probably)\s(?:\w+\s){0,2}out of memory|\bout of memory\s?\?/i,
    describe: () => 'out of memory',
    weight: 0.6,
  },
  // postgres: `DETAIL:  Failed on request of size 8192 in memory context "ExecutorState".`
  {
    id: 'postgres-oom-detail',
    cause: 'memory_pressure',
    software: 'postgres',
    regex: /\bDETAIL:\s{1,4}Failed on request of size (\d{1,20})/,
    describe: (m) => `postgres could not allocate ${group(m, 1)} bytes`,
    weight: 0.8,
  },
  // kernel: `Out of memory: Killed process 1234 (java) total-vm:...`; `Memory cgroup out of memory: Killed process 1234 (node)`
  {
    id: 'kernel-oom-kill',
    cause: 'oom_killed',
    software: 'kernel',
    regex: /\b[Oo]ut of memory: Kill(?:ed)? process (\d{1,10}) \(([^)\n]{1,64})\)/,
    describe: (m) => `the kernel OOM-killed ${group(m, 2)} (pid ${group(m, 1)})`,
    weight: 0.95,
  },
  // kernel: `node invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0`
  {
    id: 'kernel-oom-killer',
    cause: 'oom_killed',
    software: 'kernel',
    regex: /\binvoked oom-killer\b/,
    describe: () => 'the kernel OOM killer ran',
    weight: 0.8,
  },

  // ===== bad_command =====

  // OCI: `OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown`
  {
    id: 'oci-executable-not-found',
    cause: 'bad_command',
    software: 'oci',
    regex: /\bexec: "([^"\n]{1,256})": executable file not found in \$PATH/,
    describe: (m) => `executable ${group(m, 1)} not found in $PATH`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.95,
  },
  // OCI: `unable to start container process: exec: "/docker-entrypoint.sh": stat /docker-entrypoint.sh: no such file or directory: unknown`
  {
    id: 'oci-stat-not-found',
    cause: 'bad_command',
    software: 'oci',
    regex: /\bexec: "([^"\n]{1,256})": stat ([^\s:]{1,256}): no such file or directory/,
    describe: (m) => `command ${group(m, 1)} does not exist in the image`,
    target: (m) => targetOf({ path: group(m, 2) }),
    weight: 0.95,
  },
  // runc (in the container's log): `exec /app/entrypoint.sh: no such file or directory` (a missing file, or a CRLF / missing shebang interpreter)
  {
    id: 'exec-not-found',
    cause: 'bad_command',
    software: 'oci',
    regex: new RegExp(String.raw`${LINE_START}exec ([^\s:]{1,256}): no such file or directory\b`),
    describe: (m) => `cannot exec ${group(m, 1)}: no such file (or its interpreter)`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.85,
  },
  // runc: `exec /usr/local/bin/docker-entrypoint.sh: exec format error`; older: `standard_init_linux.go:228: exec user process caused: exec format error`
  {
    id: 'exec-format-error',
    cause: 'bad_command',
    software: 'oci',
    regex: /\bexec format error\b/i,
    describe: (m) => {
      const path = /\bexec ([^\s:]{1,256}): exec format error/i.exec(m.input)?.[1];
      return `exec format error${path ? ` for ${path}` : ''} (wrong architecture or not an executable)`;
    },
    target: (m) => targetOf({ path: /\bexec ([^\s:]{1,256}): exec format error/i.exec(m.input)?.[1] }),
    weight: 0.9,
  },
  // OCI: `exec: "/app/start.sh": permission denied: unknown`; runc: `exec /app/start.sh: permission denied`; dash: `exec: /app/start.sh: Permission denied`
  {
    id: 'exec-permission-denied',
    cause: 'bad_command',
    software: 'oci',
    regex: /\bexec:? "?([^\s"]{1,256})"?: permission denied\b/i,
    describe: (m) => `${group(m, 1)} is not executable`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.85,
  },
  // dash: `/bin/sh: 1: gunicorn: not found`; busybox: `sh: gunicorn: not found`; bash: `bash: gunicorn: command not found`,
  // `/docker-entrypoint.sh: line 8: gunicorn: command not found`; busybox: `/docker-entrypoint.sh: exec: line 8: gunicorn: not found`
  {
    id: 'shell-command-not-found',
    cause: 'bad_command',
    software: 'shell',
    regex: /(?<!\S)[\w./-]{1,256}: (?:(?:line \d{1,9}|\d{1,9}|exec): ){0,3}([^\s:]{1,256}): (?:command )?not found\b/,
    describe: (m) => `command not found: ${group(m, 1)}`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.85,
  },
  // coreutils env (shebang `#!/usr/bin/env python`): `/usr/bin/env: 'python': No such file or directory`; busybox: `env: can't execute 'python': No such file or directory`
  {
    id: 'env-interpreter-missing',
    cause: 'bad_command',
    software: 'shell',
    regex: /\benv: (?:can't execute )?[‘'"]([^\s'"’]{1,256})[’'"]: No such file or directory\b/,
    describe: (m) => `interpreter ${group(m, 1)} not found`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.85,
  },
  // A missing module is a broken image or a wrong command (not configuration): the build did not install or compile it, or the
  // command points at the wrong file. node: `Error: Cannot find module '/app/dist/main.js'`; ESM: `Cannot find package 'express' imported from /app/x.js`
  {
    id: 'node-cannot-find-module',
    cause: 'bad_command',
    software: 'node',
    regex: /\bCannot find (module|package) '([^'\n]{1,512})'/,
    describe: (m) => `node cannot find ${group(m, 1)} ${group(m, 2)}`,
    target: (m) => targetOf({ path: group(m, 2) }),
    weight: 0.8,
  },
  // python: `ModuleNotFoundError: No module named 'flask'` (same reasoning as node's missing module)
  {
    id: 'python-module-not-found',
    cause: 'bad_command',
    software: 'python',
    regex: /\b(?:ModuleNotFoundError|ImportError): No module named '?([\w.]{1,256})'?/,
    describe: (m) => `python module ${group(m, 1)} is not installed`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.8,
  },
  // python: `python: can't open file '/app/main.py': [Errno 2] No such file or directory`
  {
    id: 'python-cant-open-file',
    cause: 'bad_command',
    software: 'python',
    regex: /\bcan't open file '([^'\n]{1,512})': \[Errno 2\]/,
    describe: (m) => `python script ${group(m, 1)} does not exist`,
    target: (m) => targetOf({ path: group(m, 1) }),
    weight: 0.85,
  },
  // java: `Error: Could not find or load main class com.example.App`; `Error: Unable to access jarfile app.jar`
  {
    id: 'java-main-class',
    cause: 'bad_command',
    software: 'java',
    regex: /\bCould not find or load main class ([\w.$/-]{1,256})|\bUnable to access jarfile (\S{1,512})/,
    describe: (m) => (m[1] ? `java main class ${m[1]} not found` : `java cannot open jar ${group(m, 2)}`),
    target: (m) => targetOf({ path: m[1] ?? m[2] }),
    weight: 0.85,
  },

  // ===== dependency_slow =====

  // postgres (log_min_duration_statement): `LOG:  duration: 2301.412 ms  statement: SELECT ...` (500 ms and over only)
  {
    id: 'postgres-slow-statement',
    cause: 'dependency_slow',
    software: 'postgres',
    regex: /\bLOG:\s{1,4}duration: ((?:[5-9]\d{2}|[1-9]\d{3,12})(?:\.\d{1,6})?) ms\b/,
    describe: (m) => `slow postgres statement: ${group(m, 1)} ms`,
    weight: 0.6,
  },
  // mysql slow query log: `# Query_time: 3.000123  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 0` (0.5 s and over only)
  {
    id: 'mysql-slow-query',
    cause: 'dependency_slow',
    software: 'mysql',
    regex: /#\s?Query_time: (0\.[5-9]\d{0,6}|[1-9]\d{0,9}(?:\.\d{1,6})?)\b/,
    describe: (m) => `slow mysql query: ${Math.round(Number(group(m, 1)) * 1000)} ms`,
    weight: 0.6,
  },
  // mongodb 4.4+: `{"t":{...},"s":"I","c":"COMMAND","id":51803,"ctx":"conn12","msg":"Slow query","attr":{...,"durationMillis":1234}}`
  {
    id: 'mongo-slow-query',
    cause: 'dependency_slow',
    software: 'mongo',
    regex: /"msg":"Slow query"/,
    describe: (m) => {
      const ms = /"durationMillis":(\d{1,12})/.exec(m.input)?.[1];
      return `slow mongodb query${ms ? `: ${ms} ms` : ''}`;
    },
    weight: 0.5,
  },
  // elasticsearch/opensearch search slow log: `[WARN ][i.s.s.query] [node-1] [products][0] took[1.7s], took_millis[1771], total_hits[…]` (500 ms and over only)
  {
    id: 'elasticsearch-slow-query',
    cause: 'dependency_slow',
    software: 'elasticsearch',
    regex: /\btook\[[^\]]{1,20}\], took_millis\[((?:[5-9]\d{2}|[1-9]\d{3,12}))\]/,
    describe: (m) => `slow elasticsearch query: ${group(m, 1)} ms`,
    weight: 0.6,
  },
  // openldap stats log (olcLogLevel stats): `conn=1003 op=2 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=4.201233
  // nentries=1 text=` — etime is the operation's wall time in seconds (1 s and over only)
  {
    id: 'openldap-slow-operation',
    cause: 'dependency_slow',
    software: 'openldap',
    // (under 1000 s: a replication consumer's persistent search ends with the connection's whole life as its etime)
    regex: /\bRESULT tag=\d{1,4} err=\d{1,4}\b[^\n]{0,160}?\betime=([1-9]\d{0,2}(?:\.\d{1,9})?)(?![\d.])/,
    describe: (m) => `slow ldap operation: ${Math.round(Number(group(m, 1)) * 1000)} ms`,
    weight: 0.6,
    work: true,
  },
  // generic: a server's own word of how long one piece of its work took, 1 s and over, with its unit:
  // `query took 2.41s`, `search took 3412 ms`, `took=1.8s`, `elapsed: 2.1 s`, `execution time: 2300 ms` — not a request
  // line (its latency is read as a request's, beside the others)
  {
    id: 'slow-operation',
    cause: 'dependency_slow',
    software: 'generic',
    regex: /\b(?:took|elapsed|duration|execution[ _]time|query[ _]time)"?\s?[=:]?\s{0,2}"?((?:[1-9]\d{3,6})(?:\.\d{1,6})?\s?(?:ms|msec|milliseconds)|[1-9]\d{0,5}(?:\.\d{1,6})?\s?(?:s|secs?|seconds?)|[1-9]\d{0,3}m(?:\d{1,2}(?:\.\d{1,6})?s)?)(?![\w.])/i,
    // a request line (its latency is a request's, beside the others); postgres's own slow statement (its pattern);
    // a wait, not work (a sleep, a back-off, an interval, a time-out setting)
    unless: new RegExp(String.raw`(?<!\S)(?:[\w.]*method|verb)=|"(?:method|http_method)"\s?:|"${METHOD} /|(?:^|\s)${METHOD} /\S* (?:HTTP/\d(?:\.\d)? )?\d{3}\b|\bLOG:\s{1,4}duration:|\b(?:sleep(?:ing)?|back-?off|retry(?:ing)?|interval|timeout|ttl|lease|delay(?:ed|ing)?|wait(?:ed|ing)?|every)\b`, 'i'),
    describe: (m) => `slow operation: ${group(m, 0).replace(/"/g, '')}`,
    weight: 0.5,
    work: true,
  },

  // node: `Error: connect ETIMEDOUT 10.0.0.5:5432`
  {
    id: 'etimedout',
    cause: 'dependency_slow',
    software: 'node',
    regex: /\bETIMEDOUT\b/,
    describe: (m) => `connection timed out${where(findAddress(m.input), ' to ')}`,
    target: addressTarget,
    weight: 0.6,
  },
  // nginx: `upstream timed out (110: Connection timed out) while reading response header from upstream, ... upstream: "http://127.0.0.1:3000/"`
  // (alpine/musl: `(110: Operation timed out)`)
  {
    id: 'nginx-upstream-timed-out',
    cause: 'dependency_slow',
    software: 'nginx',
    regex: /\bupstream timed out \(110: (?:Connection|Operation) timed out\)/,
    describe: (m) => `nginx upstream timed out${where(findAddress(m.input), ': ')}`,
    target: addressTarget,
    weight: 0.75,
  },
  // go: `Get "http://api:8080/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`; `dial tcp 10.0.0.5:5432: i/o timeout`
  {
    id: 'go-deadline-exceeded',
    cause: 'dependency_slow',
    software: 'go',
    regex: /\bcontext deadline exceeded\b|\bClient\.Timeout exceeded\b|\bdial tcp [\w.:[\]%-]{1,260}: i\/o timeout\b/,
    describe: (m) => `deadline exceeded${where(findAddress(m.input), ' waiting for ')}`,
    target: addressTarget,
    weight: 0.45,
  },
  // postgres: `ERROR:  canceling statement due to statement timeout`
  {
    id: 'postgres-statement-timeout',
    cause: 'dependency_slow',
    software: 'postgres',
    regex: /\bcanceling statement due to statement timeout\b/,
    describe: () => 'postgres statement timeout',
    weight: 0.7,
  },
  // mysql: `ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction`
  {
    id: 'mysql-lock-wait-timeout',
    cause: 'dependency_slow',
    software: 'mysql',
    regex: /\bLock wait timeout exceeded\b/,
    describe: () => 'mysql lock wait timeout',
    weight: 0.6,
  },
  // redis: `Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.`
  {
    id: 'redis-aof-fsync-slow',
    cause: 'dependency_slow',
    software: 'redis',
    regex: /\bAsynchronous AOF fsync is taking too long\b/,
    describe: () => 'redis disk is slow (AOF fsync)',
    weight: 0.4,
  },
  // an application server's own word that a request ran too long (what it waits on, if a dependency, says the rest):
  // php-fpm `WARNING: [pool www] child 71, script '/var/www/index.php' (request: "POST /index.php") executing too slow
  // (5.1 sec), logging`; gunicorn `[CRITICAL] WORKER TIMEOUT (pid:42)`; uWSGI `*** HARAKIRI ON WORKER 3 (pid: 42, try: 1) ***`
  {
    id: 'request-ran-too-long',
    cause: 'dependency_slow',
    software: 'generic',
    regex: /\bexecuting too slow \((\d+(?:\.\d+)?) sec\)|\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)|\*\*\* HARAKIRI ON WORKER \d+/,
    describe: (m) => (m[1] ? `a request executing too slow: ${group(m, 1)} s` : 'a worker killed for a request that ran too long'),
    weight: 0.4,
  },
  // generic: `TimeoutError: [Errno 110] Connection timed out`; musl: `Operation timed out`; java: `java.net.SocketTimeoutException: Read timed out`
  {
    id: 'timed-out',
    cause: 'dependency_slow',
    software: 'generic',
    regex: /\btimed out\b|\b\w{0,32}Timeout(?:Error|Exception)\b|\btimeout (?:exceeded|expired)\b/i,
    describe: (m) => `timed out${where(findAddress(m.input), ' waiting for ')}`,
    target: addressTarget,
    weight: 0.3,
  },

  // ===== crash_loop (symptoms: weak unless nothing better matched) =====

  // go: `panic: runtime error: invalid memory address or nil pointer dereference`
  {
    id: 'go-panic',
    cause: 'crash_loop',
    software: 'go',
    regex: new RegExp(String.raw`${LINE_START}panic: (.{0,120})`),
    describe: (m) => `go panic: ${group(m, 1).trim()}`,
    weight: 0.45,
  },
  // go: `goroutine 1 [running]:` (the first line of a panic's stack)
  {
    id: 'go-goroutine-trace',
    cause: 'crash_loop',
    software: 'go',
    regex: /\bgoroutine \d{1,12} \[running\]:/,
    describe: () => 'go stack trace of a crash',
    weight: 0.3,
  },
  // go runtime: `fatal error: concurrent map writes`; `fatal error: all goroutines are asleep - deadlock!`
  {
    id: 'go-fatal-error',
    cause: 'crash_loop',
    software: 'go',
    regex: new RegExp(String.raw`${LINE_START}fatal error: (.{1,120})`),
    describe: (m) => `fatal error: ${group(m, 1).trim()}`,
    weight: 0.45,
  },
  // python: `Traceback (most recent call last):`
  {
    id: 'python-traceback',
    cause: 'crash_loop',
    software: 'python',
    regex: /\bTraceback \(most recent call last\):/,
    describe: () => 'python traceback',
    weight: 0.35,
  },
  // java: `Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext`
  {
    id: 'java-uncaught-exception',
    cause: 'crash_loop',
    software: 'java',
    regex: /\bException in thread "([^"\n]{1,128})" ([\w.$]{1,256})/,
    describe: (m) => `uncaught ${group(m, 2)} in thread ${group(m, 1)}`,
    weight: 0.45,
  },
  // node 15+: `[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, ...]`;
  // older: `UnhandledPromiseRejectionWarning: ...`; `throw er; // Unhandled 'error' event`; loggers: `uncaughtException`
  {
    id: 'node-unhandled',
    cause: 'crash_loop',
    software: 'node',
    regex: /\bUnhandledPromiseRejection(?:Warning)?\b|\bERR_UNHANDLED_REJECTION\b|\buncaughtException\b|\bUnhandled 'error' event\b/,
    describe: () => 'unhandled error in node',
    weight: 0.45,
  },
  // node prints its version after a fatal exception: `Node.js v20.11.1`
  {
    id: 'node-crash-footer',
    cause: 'crash_loop',
    software: 'node',
    regex: new RegExp(String.raw`${LINE_START}Node\.js v\d{1,3}\.\d{1,4}\.\d{1,4}\s*$`),
    describe: () => 'node exited on an uncaught exception',
    weight: 0.35,
  },
  // shell: `Segmentation fault (core dumped)`; go: `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]`
  {
    id: 'segfault',
    cause: 'crash_loop',
    software: 'generic',
    regex: /\bSegmentation fault\b|\bSIGSEGV\b|\(core dumped\)/,
    describe: () => 'the process crashed (segmentation fault or core dump)',
    weight: 0.5,
  },

  // ===== glibc's translations of the strerror() texts above =====
  // a program under a non-English locale (LANG=de_DE.UTF-8) prints them verbatim: PostgreSQL's `PANIK:  konnte nicht
  // in Datei »pg_wal/…« schreiben: Auf dem Gerät ist kein Speicherplatz mehr verfügbar`. Case-sensitive, as printed;
  // a little weaker than the English (a translation may also be an application's own words), and only where glibc's
  // text stands (after `: ` or `(`, last)
  l10n('ENOSPC', 'disk_full', 'no space left on device', 0.85, pathTarget),
  l10n('EDQUOT', 'disk_full', 'disk quota exceeded', 0.75, pathTarget),
  l10n('ECONNREFUSED', 'connection_refused', 'connection refused', 0.75, addressTarget),
  l10n('EACCES', 'permission_denied', 'permission denied', 0.5, pathTarget),
  l10n('EROFS', 'permission_denied', 'read-only file system', 0.6, pathTarget),
  l10n('EMFILE', 'too_many_open_files', 'too many open files', 0.8),
  l10n('ENFILE', 'too_many_open_files', 'too many open files in the system', 0.8),
  l10n('ENOMEM', 'memory_pressure', 'cannot allocate memory', 0.7),
  l10n('EADDRINUSE', 'port_conflict', 'address already in use', 0.85, (m) => listenAddress(m.input)),
];

/** A pattern for glibc's translations of one errno's text (strerror-l10n.ts, generated from glibc's catalogs). */
function l10n(errno: keyof typeof STRERROR_L10N, cause: CauseCode, english: string, weight: number, target?: (m: RegExpExecArray) => LogTarget | undefined): LogPattern {
  const texts = STRERROR_L10N[errno].map((t) => escapeRegExp(t));
  return {
    id: `${errno.toLowerCase()}-translated`,
    cause,
    software: 'generic',
    // as glibc's text is printed: after `: ` or `(`, and last (before the line's end, `)`, `,`, `;` or `.`), so an
    // application's own words that happen to read the same ("Keine Berechtigung" in a sentence) are not taken
    regex: new RegExp(`(?<=: |\\()(?:${texts.join('|')})(?=\\s*(?:[),;.]|$))`, 'u'),
    describe: (m) => `${english} (glibc, translated)${where(target?.(m), ': ')}`,
    ...(target ? { target } : {}),
    weight,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// target helpers used above (declared after the table for readability; they are hoisted function declarations)

/** The host a DNS failure line names. */
function dnsHost(text: string): string | undefined {
  const finders = [
    /\b(?:getaddrinfo|query[A-Za-z]{0,8}) (?:ENOTFOUND|EAI_AGAIN) ([\w.-]{1,253})/,
    // node's error object (`"code":"ENOTFOUND","syscall":"getaddrinfo","hostname":"db"`), not pino's top-level hostname
    /"syscall":\s?"getaddrinfo",\s?"hostname":\s?"([^"\s]{1,253})"/,
    /\bcould not translate host name "([^"\s]{1,253})"/,
    /\bFailed to resolve '([^'\s]{1,253})'/,
    /\bhost='([^'\s]{1,253})'/,
    /\bconnecting to ([\w.-]{1,253}):\d{1,5}/,
    /\bgetaddrinfo for host "([^"\s]{1,253})"/,
    /\bUnknownHostException: ([\w.-]{1,253})/,
    // php: `getaddrinfo for mysql.example.com failed: Name or service not known`; ruby: `Failed to open TCP connection to
    // api.pay.example.com:443 (getaddrinfo: Name or service not known)`
    /\bgetaddrinfo for ([\w.-]{1,253}) failed\b/,
    /\bFailed to open TCP connection to ([\w.-]{1,253}):\d{1,5}/,
    // aiohttp: `Cannot connect to host api.met.no:443 ssl:default [Temporary failure in name resolution]`
    /\bCannot connect to host ([\w.-]{1,253}):\d{1,5}/,
    /\blookup ([\w.-]{1,253})/,
    // (the function that failed is no host: `getaddrinfo: Name or service not known` names none)
    /(?<![\w.-])(?!(?:getaddrinfo|gethostbyname2?|getnameinfo|gaierror|resolve|lookup|failed|error):)([\w.-]{1,253}): (?:Name or service not known|Name does not resolve|Temporary failure in name resolution)/,
  ];
  for (const finder of finders) {
    const host = finder.exec(text)?.[1];
    if (host) return host;
  }
  return undefined;
}

const LISTEN_FINDERS: RegExp[] = [
  // node: `listen EADDRINUSE: address already in use :::3000`, `listen EADDRINUSE :::3000`
  /\bEADDRINUSE(?:: address already in use)? ([\w.:%[\]*-]{0,253}):(\d{1,5})\b/,
  // go: `listen tcp :8080: bind: address already in use`
  /\blisten (?:tcp|tcp4|tcp6|udp|udp4|udp6) ([\w.:%[\]*-]{0,253}):(\d{1,5}): /,
  // nginx: `bind() to 0.0.0.0:80 failed`
  /\bbind\(\) to ([\w.:%[\]*-]{0,253}):(\d{1,5}) failed/,
  // redis: `listening socket *:6379: bind:`
  /\blistening socket ([\w.:%[\]*-]{0,253}):(\d{1,5}):/,
  // python/uvicorn: `error while attempting to bind on address ('0.0.0.0', 8000)`
  /\('([^'\s]{0,253})', (\d{1,5})\)/,
];

/** Where a failed listener tried to bind. */
function listenAddress(text: string): LogTarget | undefined {
  for (const finder of LISTEN_FINDERS) {
    const m = finder.exec(text);
    if (m) return listenTarget(m[1], m[2]);
  }
  const port = /"port":\s?(\d{1,5})\b/.exec(text)?.[1] ?? /\bport (\d{1,5})\b/i.exec(text)?.[1];
  return targetOf({ port: portOf(port) });
}

/** node EACCES: a file (`open '/data/x'`) or a privileged port (`listen EACCES: permission denied 0.0.0.0:80`). */
function eaccesTarget(m: RegExpExecArray): LogTarget | undefined {
  const listen = /\blisten EACCES(?:: permission denied)? ([\w.:%[\]*-]{0,253}):(\d{1,5})\b/.exec(m.input);
  if (listen) return listenTarget(listen[1], listen[2]);
  const jsonPath = /"path":\s?"([^"\n]{1,512})"/.exec(m.input)?.[1];
  return targetOf({ path: findPath(m.input) ?? jsonPath });
}

function mysqlRootVariable(m: RegExpExecArray): string {
  return m[1]?.toUpperCase() === 'MARIADB' || /\bMARIADB_/.test(m.input) ? 'MARIADB_ROOT_PASSWORD' : 'MYSQL_ROOT_PASSWORD';
}

// ---------------------------------------------------------------------------------------------------------------
// matching

/** The examined part of an untrusted line. */
function examined(line: string): string {
  if (typeof line !== 'string') return '';
  return line.length > MAX_EXAMINED_LENGTH ? line.slice(0, MAX_EXAMINED_LENGTH) : line;
}

/** All patterns that match one line (a line longer than 4096 chars is only examined in its first 4096 chars). */
export function matchLogLine(line: string): LogMatch[] {
  const text = examined(line);
  if (text.length === 0) return [];
  const matches: LogMatch[] = [];
  for (const pattern of LOG_PATTERNS) {
    const m = pattern.regex.exec(text);
    if (!m || pattern.unless?.test(text)) continue;
    const target = pattern.target?.(m);
    matches.push({ pattern, text: m[0], description: pattern.describe(m), ...(target ? { target } : {}) });
  }
  return matches;
}

// ---------------------------------------------------------------------------------------------------------------
// request lines: status and latency

/** An unquoted request line (method, path, status) and the first duration after the status, within a few words. */
const STATUS_THEN_DURATION = new RegExp(String.raw`(?:^|\s)${METHOD} /\S{0,2048} (?:HTTP/\d(?:\.\d)? )?[1-5]\d{2}(?!\S)((?:(?!\b(?:timeout|ttl|retry|retries|delay|interval|every|after|expires?|max-age|age|cache)\b)[^\n]){0,80}?)(?<![\w.,/:])(\d{1,9}(?:\.\d{1,6})?) ?(ms|s|µs|us)(?![\w/.-])`, 'i');
/** `"GET /x HTTP/1.1" 200` — combined/common log format, uvicorn, gunicorn, traefik, apache. */
const QUOTED_REQUEST = new RegExp(String.raw`"${METHOD} [^"\s]{1,4096} HTTP/\d(?:\.\d)?" (\d{3})\b`);
/** `[25/Nov/2026:10:00:00 +0000] "-" 400 0` — a common-log line whose request is not a method line. */
const CLF_LINE = /\[\d{1,2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "(?:[^"\\]|\\.){0,4096}" (\d{3}) (?:\d{1,15}|-)/;
/** morgan dev/tiny/short: `GET /products/3 200 38.118 ms - 2048`, `::1 - GET /x HTTP/1.1 200 2048 - 38.118 ms`. */
const MORGAN_LINE = new RegExp(String.raw`(?:^|\s)${METHOD} [^\s"]{1,4096}(?: HTTP/\d(?:\.\d)?)? (\d{3}) (?:\d{1,15}|-|\d{1,9}(?:\.\d{1,6})? ms)\b`);
/** gin: `[GIN] 2026/11/25 - 10:00:00 | 200 |    1.234567ms |      172.18.0.1 | GET      "/ping"`. */
const GIN_LINE = /^\[GIN\] [^|]{1,64}\|\s{0,8}(\d{3})\s{0,8}\|\s{0,16}([\d.hmsuµμn]{1,40})\s{0,16}\|/;

function validStatus(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

const looksJson = (text: string): boolean => /^\s{0,16}\{/.test(text);
/** A JSON or logfmt line that describes a request, not a job or a timer. */
const REQUESTISH_JSON = /"(?:method|url|uri|path|req|request|request_uri|requestURI|http_method|RequestMethod|RequestPath)"\s?:/;

/** HTTP status of an access-log or JSON request line, or undefined (common/combined log format; JSON `statusCode`/`status`/`res.statusCode`). */
export function httpStatus(line: string): number | undefined {
  const text = examined(line);
  if (text.length === 0) return undefined;
  for (const re of [QUOTED_REQUEST, CLF_LINE, GIN_LINE, MORGAN_LINE]) {
    const status = validStatus(re.exec(text)?.[1]);
    if (status !== undefined) return status;
  }
  if (looksJson(text)) {
    // statusCode (pino-http `"res":{"statusCode":200}`), status_code, DownstreamStatus (traefik) name HTTP; `status` alone needs a request key
    const specific = /"(?:statusCode|status_code|DownstreamStatus|http_status|response_status)"\s?:\s?"?(\d{3})(?![\d.])/.exec(text)?.[1];
    if (specific) return validStatus(specific);
    if (REQUESTISH_JSON.test(text)) return validStatus(/"status"\s?:\s?"?(\d{3})(?![\d.])/.exec(text)?.[1]);
    return undefined;
  }
  // logfmt: `level=info msg=request method=GET path=/ status=200 duration=1.2ms`
  if (/(?<!\S)method=/.test(text)) return validStatus(/(?<!\S)status=(\d{3})(?!\S)/.exec(text)?.[1]);
  return undefined;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, μs: 0.001, ns: 0.000001 };

/** `12ms`, `1.2s`, `350µs`, `1m2.5s` (Go's Duration.String()), `12` (ms) → ms; undefined when not a duration. */
function durationMs(text: string): number | undefined {
  const value = text.trim();
  if (value.length === 0 || value.length > 40) return undefined;
  if (/^\d{1,15}(?:\.\d{1,9})?$/.test(value)) return Number(value);
  let total = 0;
  let consumed = 0;
  for (const part of value.matchAll(/(\d{1,15}(?:\.\d{1,9})?)(ms|us|µs|μs|ns|h|m|s)/g)) {
    if (part.index !== consumed) return undefined;
    const unit = UNIT_MS[part[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(part[1]) * unit;
    consumed += part[0].length;
  }
  return consumed === value.length && consumed > 0 ? total : undefined;
}

const finiteMs = (n: number | undefined): number | undefined => (n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined);

/** A JSON value of one of the keys, in key order: number or string, raw. */
function jsonValue(text: string, keys: readonly string[]): { key: string; raw: string; quoted: boolean } | undefined {
  for (const key of keys) {
    const m = new RegExp(String.raw`"${key}"\s?:\s?(?:"([^"\n]{0,40})"|(-?\d{1,15}(?:\.\d{1,9})?(?:[eE][+-]?\d{1,3})?)(?![\w.]))`).exec(text);
    if (m) return m[1] !== undefined ? { key, raw: m[1], quoted: true } : { key, raw: group(m, 2), quoted: false };
  }
  return undefined;
}

const TRACING_REQUEST_CLOSE = /\{[^{}\n]{0,400}\bmethod=[A-Z]{3,7}\b[^{}\n]{0,400}\}[^{}\n]{0,160}\bclose time\.busy=(\d{1,9}(?:\.\d{1,9})?(?:ns|µs|μs|us|ms|s)) time\.idle=(\d{1,9}(?:\.\d{1,9})?(?:ns|µs|μs|us|ms|s))/;

/**
 * Latency a request log line reports, in ms, or undefined: nginx `$request_time` (seconds, last float field when the line is an
 * access log with request_time appended — be conservative), morgan/express `... - 12.345 ms`, JSON logs with
 * `responseTime`/`response_time`/`duration`/`latency`/`elapsed` (numbers in ms; `duration` strings like "12ms" "1.2s"),
 * Go/zap `"latency":"12.3ms"`, pino-http `responseTime`, Rust `tracing` request spans' `close time.busy=… time.idle=…`
 */
export function requestLatencyMs(line: string): number | undefined {
  const text = examined(line);
  if (text.length === 0) return undefined;

  const gin = GIN_LINE.exec(text);
  if (gin) return finiteMs(durationMs(group(gin, 2)));

  if (looksJson(text)) {
    // names that always mean a request's latency (echo's `latency` is in ns, so its `latency_human` is read first)
    const sure = jsonValue(text, ['responseTime', 'response_time', 'latency_human', 'response_time_ms', 'latency_ms', 'duration_ms', 'elapsed_ms']);
    const nginxSeconds = sure ? undefined : jsonValue(text, ['request_time']);
    const general = sure || nginxSeconds || !REQUESTISH_JSON.test(text) ? undefined : jsonValue(text, ['latency', 'duration', 'elapsed', 'took']);
    if (nginxSeconds) return finiteMs(Number(nginxSeconds.raw) * 1000);
    const found = sure ?? general;
    if (!found) return undefined;
    return finiteMs(found.quoted ? durationMs(found.raw) : Number(found.raw));
  }

  // Rust `tracing` (tracing-subscriber's span close events) on a request span: `HTTP request{method=POST …
  // status_code=200}: close time.busy=1.2ms time.idle=35µs` — the span's wall time is busy plus idle (a child span's
  // close, `HTTP request{…}:search{…}: close …`, is part of a request, not one)
  const span = TRACING_REQUEST_CLOSE.exec(text);
  if (span) {
    const busy = durationMs(group(span, 1));
    const idle = durationMs(group(span, 2));
    return busy === undefined || idle === undefined ? undefined : finiteMs(busy + idle);
  }

  // a request line whose duration follows its status amid other words: Metabase's `POST /api/card/21/query 202
  // [ASYNC: completed] 8.5 s (12 DB calls) …`, `GET /health 200 in 12ms` — the first duration after the status
  const after = STATUS_THEN_DURATION.exec(text);
  if (after) return finiteMs(Number(group(after, 2)) * (UNIT_MS[group(after, 3).toLowerCase()] ?? Number.NaN));

  if (httpStatus(text) === undefined) {
    // logfmt request line without a recognised status: still needs a method
    if (!/(?<!\S)method=/.test(text)) return undefined;
  }

  // logfmt: `method=GET path=/ status=200 duration=1.234ms`
  const logfmt = /(?<!\S)(?:duration|latency|elapsed|took|response_time)="?([\d.hmsuµμn]{1,40})"?(?!\S)/.exec(text);
  if (logfmt && /(?<!\S)method=/.test(text)) return finiteMs(durationMs(group(logfmt, 1)));

  // morgan: `... - 38.118 ms`, dev: `... 38.118 ms - 2048`; traefik: `... "http://172.18.0.3:80" 5ms`
  const ms = /(?<![\w.])(\d{1,9}(?:\.\d{1,6})?) ?ms(?: - (?:\d{1,15}|-))?\s{0,8}$/.exec(text);
  if (ms) return finiteMs(Number(ms[1]));

  // nginx `$request_time` (seconds, millisecond resolution) appended after the last quoted field, maybe followed by more timings
  const rt = /"\s{1,8}(\d{1,6}\.\d{3})(?:\s{1,8}(?:\d{1,6}\.\d{3}|-)){0,4}\s{0,8}$/.exec(text);
  if (rt) return finiteMs(Number(rt[1]) * 1000);
  // nginx custom formats: `rt=0.123 uct="0.000" uht="0.120" urt="0.120"`, `request_time=0.123`
  const named = /(?<!\S)(?:rt|request_time)="?(\d{1,6}\.\d{1,6})"?(?!\S)/.exec(text);
  if (named) return finiteMs(Number(named[1]) * 1000);
  return undefined;
}
