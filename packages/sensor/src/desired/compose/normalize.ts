import { homedir } from 'node:os';
import path from 'node:path';
import { DesiredStateError } from '../errors.js';
import { toMap } from './merge.js';
import type { HealthcheckSpec, MountSpec, PortSpec, ServiceSpec } from './service-spec.js';
import { shellSplit } from './shlex.js';
import { parseBytes, parseCpus, parseDuration } from './units.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface NormalizeContext {
  project: string;
  /** absolute project directory on this host (where compose resolves relative paths) */
  projectDirAbs: string;
  /** repository root on this host */
  repoRootAbs: string;
  file: string;
  /** top-level `volumes:` of the project */
  volumes: Obj;
  /** env from env_file entries, already read and parsed */
  envFromFiles: Record<string, string>;
  /** what of the service the committed files alone do not fix (variables from the shell, optional env files not committed) */
  notFromFiles?: string[];
}

function commandOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String);
  return shellSplit(String(value));
}

function expandRange(text: string): string[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) return [text];
  const out: string[] = [];
  for (let p = Number(m[1]); p <= Number(m[2]); p++) out.push(String(p));
  return out;
}

/** Ports, short (`[IP:][HOST:]CONTAINER[/PROTO]`) and long syntax, expanded and normalised. */
export function normalizePorts(value: unknown, where: string): PortSpec[] {
  if (!Array.isArray(value)) return [];
  const out: PortSpec[] = [];
  for (const item of value) {
    if (isObj(item)) {
      const protocol = String(item['protocol'] ?? 'tcp') as PortSpec['protocol'];
      const published = item['published'] === undefined ? '' : String(item['published']);
      for (const target of expandRange(String(item['target']))) {
        out.push({ hostIp: String(item['host_ip'] ?? ''), published, target: Number(target), protocol });
      }
      continue;
    }
    let text = String(item);
    let protocol: PortSpec['protocol'] = 'tcp';
    const slash = text.lastIndexOf('/');
    if (slash >= 0) {
      protocol = text.slice(slash + 1) as PortSpec['protocol'];
      text = text.slice(0, slash);
    }
    let hostIp = '';
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(text);
    if (ipv6) {
      hostIp = ipv6[1] ?? '';
      text = ipv6[2] ?? '';
    }
    const parts = text.split(':');
    let hostPart = '';
    let containerPart: string;
    if (parts.length === 1) containerPart = parts[0] ?? '';
    else if (parts.length === 2) [hostPart = '', containerPart = ''] = parts;
    else {
      hostIp = parts.slice(0, -2).join(':');
      hostPart = parts.at(-2) ?? '';
      containerPart = parts.at(-1) ?? '';
    }
    const targets = expandRange(containerPart);
    const hosts = hostPart ? expandRange(hostPart) : [];
    if (!targets.every((t) => /^\d+$/.test(t)) || !hosts.every((h) => /^\d+$/.test(h))) {
      throw new DesiredStateError(`${where}: "${String(item)}" is not a port mapping`, 'compose_invalid');
    }
    if (targets.length === 1 && hosts.length > 1) {
      // one container port, a host range: the engine picks a free port in it
      out.push({ hostIp, published: hostPart, target: Number(targets[0]), protocol });
      continue;
    }
    if (hosts.length > 0 && hosts.length !== targets.length) {
      throw new DesiredStateError(`${where}: "${String(item)}": the host and container port ranges differ in length`, 'compose_invalid');
    }
    targets.forEach((t, i) => out.push({ hostIp, published: hosts[i] ?? '', target: Number(t), protocol }));
  }
  return out;
}

function isPathLike(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

function volumeName(name: string, ctx: NormalizeContext): string {
  const declared = ctx.volumes[name];
  if (isObj(declared)) {
    if (typeof declared['name'] === 'string') return declared['name'];
    if (declared['external'] === true || (isObj(declared['external']) && declared['external'])) return name;
  }
  return `${ctx.project}_${name}`;
}

function bind(source: string, ctx: NormalizeContext): { source: string; repoPath: string | undefined } {
  const abs = source === '~' || source.startsWith('~/') ? path.join(homedir(), source.slice(1)) : path.resolve(ctx.projectDirAbs, source);
  const rel = path.relative(ctx.repoRootAbs, abs);
  return { source: abs, repoPath: rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined };
}

/** Volumes, short (`[SOURCE:]TARGET[:MODE]`) and long syntax, as the engine will mount them. */
export function normalizeVolumes(value: unknown, ctx: NormalizeContext): MountSpec[] {
  if (!Array.isArray(value)) return [];
  return value.map((item): MountSpec => {
    if (isObj(item)) {
      const type = String(item['type'] ?? 'volume') as MountSpec['type'];
      const target = String(item['target']);
      const readOnly = item['read_only'] === true;
      const src = item['source'] === undefined ? undefined : String(item['source']);
      if (type === 'bind' && src) return { type, target, readOnly, ...bind(src, ctx) };
      if (type === 'volume') return { type, target, readOnly, source: src ? volumeName(src, ctx) : undefined, repoPath: undefined };
      return { type, target, readOnly, source: src, repoPath: undefined };
    }
    const parts = String(item).split(':');
    if (parts.length === 1) return { type: 'volume', source: undefined, target: parts[0] ?? '', readOnly: false, repoPath: undefined };
    const [source = '', target = '', mode = ''] = parts;
    const readOnly = mode.split(',').includes('ro');
    if (isPathLike(source)) return { type: 'bind', target, readOnly, ...bind(source, ctx) };
    return { type: 'volume', source: volumeName(source, ctx), target, readOnly, repoPath: undefined };
  });
}

function healthcheckOf(value: unknown, where: string): HealthcheckSpec | 'disabled' | undefined {
  if (!isObj(value)) return undefined;
  if (value['disable'] === true) return 'disabled';
  const test = value['test'];
  const dur = (k: string) => (value[k] === undefined ? undefined : parseDuration(value[k] as string, `${where}.${k}`));
  let testList: string[] | undefined;
  if (typeof test === 'string') testList = ['CMD-SHELL', test];
  else if (Array.isArray(test)) testList = test.map(String);
  if (testList?.[0] === 'NONE') return 'disabled';
  return {
    test: testList,
    intervalNs: dur('interval'),
    timeoutNs: dur('timeout'),
    startPeriodNs: dur('start_period'),
    retries: value['retries'] === undefined ? undefined : Number(value['retries']),
  };
}

/** The restart policy; docker compose applies deploy.restart_policy after `restart`, so it wins. */
function restartOf(svc: Obj): ServiceSpec['restart'] {
  const policy = isObj(svc['deploy']) && isObj(svc['deploy']['restart_policy']) ? svc['deploy']['restart_policy'] : undefined;
  if (policy) {
    const condition = String(policy['condition'] ?? 'any');
    const name = condition === 'none' ? 'no' : condition === 'on-failure' ? 'on-failure' : 'always';
    return { name, maximumRetryCount: policy['max_attempts'] === undefined ? 0 : Number(policy['max_attempts']) };
  }
  const restart = svc['restart'];
  if (typeof restart === 'string') {
    const [name = 'no', retries] = restart.split(':');
    return { name, maximumRetryCount: retries ? Number(retries) : 0 };
  }
  return undefined;
}

/** compose refuses two spellings of one setting with different values (scale vs deploy.replicas, …). */
function oneOf(where: string, a: [string, unknown], b: [string, unknown], same: (x: unknown, y: unknown) => boolean): unknown {
  if (a[1] !== undefined && b[1] !== undefined && !same(a[1], b[1])) {
    throw new DesiredStateError(`${where}: can't set distinct values on ${a[0]} (${String(a[1])}) and ${b[0]} (${String(b[1])}): keep one`, 'compose_invalid');
  }
  return a[1] ?? b[1];
}

/** Where compose mounts a service's secrets or configs: `target`, else its default place for the name. */
function mountTargets(value: unknown, byDefault: (name: string) => string): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    if (isObj(item)) {
      const target = item['target'];
      const source = String(item['source'] ?? '');
      return typeof target === 'string' ? (target.startsWith('/') ? target : byDefault(target)) : byDefault(source);
    }
    return byDefault(String(item));
  });
}

/**
 * A CPU limit written as `cpu_quota` (and `cpu_period`, default 100000 µs) in nano-CPUs, the way the engine reports
 * one set so; undefined when the files set none (or not as numbers).
 */
function quotaCpus(svc: Obj): number | undefined {
  const quota = Number(svc['cpu_quota']);
  if (svc['cpu_quota'] === undefined || !Number.isFinite(quota) || quota <= 0) return undefined;
  const period = svc['cpu_period'] === undefined ? 100_000 : Number(svc['cpu_period']);
  return Number.isFinite(period) && period > 0 ? Math.round((quota / period) * 1e9) : undefined;
}


/** Service keys bcon renders into a container of its own (a create from the committed files); `x-` keys are ignored. */
const RENDERED_KEYS = new Set([
  'image', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'network_mode', 'restart', 'healthcheck', 'labels', 'depends_on',
  'mem_limit', 'mem_reservation', 'cpus', 'container_name', 'ulimits', 'extra_hosts', 'cap_add', 'cap_drop', 'read_only', 'shm_size', 'sysctls', 'expose', 'user', 'working_dir', 'hostname', 'stop_signal',
  'stop_grace_period', 'tty', 'stdin_open', 'init', 'tmpfs', 'scale', 'profiles', 'deploy', 'pull_policy', 'build',
]);
const RENDERED_DEPLOY = new Set(['replicas', 'resources', 'restart_policy', 'update_config', 'rollback_config']);

/**
 * What of a service bcon could not render into a create body exactly as compose would: every key outside the ones
 * it renders, deploy settings other than replicas, limits and restart, long volume options, a variable taken from
 * the shell, a build with no image. Listed by name for people; empty when a container can be made from the files.
 */
function unrenderedOf(svc: Obj, environment: Record<string, string | null>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(svc)) if (!RENDERED_KEYS.has(key) && !key.startsWith('x-')) out.push(key);
  if (typeof svc['image'] !== 'string') out.push(svc['build'] === undefined ? 'image (none)' : 'build (no image)');
  const deploy = isObj(svc['deploy']) ? svc['deploy'] : {};
  for (const key of Object.keys(deploy)) if (!RENDERED_DEPLOY.has(key)) out.push(`deploy.${key}`);
  const resources = isObj(deploy['resources']) ? deploy['resources'] : {};
  for (const [key, allowed] of [['limits', ['memory', 'cpus']], ['reservations', ['memory']]] as const) {
    const part = resources[key];
    if (isObj(part)) for (const k of Object.keys(part)) if (!(allowed as readonly string[]).includes(k)) out.push(`deploy.resources.${key}.${k}`);
  }
  for (const key of Object.keys(resources)) if (key !== 'limits' && key !== 'reservations') out.push(`deploy.resources.${key}`);
  const policy = deploy['restart_policy'];
  if (isObj(policy)) for (const k of Object.keys(policy)) if (k !== 'condition' && k !== 'max_attempts') out.push(`deploy.restart_policy.${k}`);
  for (const [k, v] of Object.entries(environment)) if (v === null) out.push(`environment.${k} (from the shell)`);
  if (Array.isArray(svc['volumes'])) {
    for (const item of svc['volumes']) {
      if (isObj(item)) {
        const extra = Object.keys(item).filter((k) => !['type', 'source', 'target', 'read_only'].includes(k));
        const type = String(item['type'] ?? 'volume');
        if (extra.length || (type !== 'bind' && type !== 'volume') || (type === 'bind' && item['source'] === undefined)) out.push(`volumes (${[type, ...extra].join(', ')})`);
      } else {
        const mode = String(item).split(':')[2];
        if (mode !== undefined && !mode.split(',').every((m) => m === 'ro' || m === 'rw')) out.push(`volumes (mode ${mode})`);
      }
    }
  }
  const ulimits = svc['ulimits'];
  if (ulimits !== undefined && ulimitsOf(ulimits) === undefined) out.push('ulimits');
  for (const key of ['cap_add', 'cap_drop', 'expose']) {
    const v = svc[key];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))) out.push(key);
  }
  const tmpfs = svc['tmpfs'];
  if (tmpfs !== undefined && typeof tmpfs !== 'string' && !(Array.isArray(tmpfs) && tmpfs.every((t) => typeof t === 'string'))) out.push('tmpfs');
  return out;
}

/** `ulimits:` as the engine takes them (one number for soft and hard, or both); undefined when one is not a number. */
function ulimitsOf(value: unknown): Array<{ name: string; soft: number; hard: number }> | undefined {
  if (!isObj(value)) return undefined;
  const out: Array<{ name: string; soft: number; hard: number }> = [];
  for (const [name, v] of Object.entries(value)) {
    const soft = Number(isObj(v) ? v['soft'] : v);
    const hard = Number(isObj(v) ? v['hard'] : v);
    if (!Number.isInteger(soft) || !Number.isInteger(hard)) return undefined;
    out.push({ name, soft, hard });
  }
  return out;
}

/** `extra_hosts:` as `host:ip` lines (the list form, with `=` or `:`, or the mapping form, one line per address). */
function extraHostsOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map((x) => String(x).replace(/^([^=:]+)=/, '$1:'));
  if (isObj(value)) return Object.entries(value).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((a) => `${host}:${String(a)}`));
  return undefined;
}

/**
 * Binds written relative to the project (`../shared`) or to the home directory (`~/certs`) that land outside the
 * repository: resolved against this checkout and this user's home, they name other paths than compose's on the host.
 */
function bindsOutside(value: unknown, ctx: NormalizeContext): string[] {
  if (!Array.isArray(value)) return [];
  const written = value.flatMap((item) => {
    if (isObj(item)) return item['type'] === 'bind' && typeof item['source'] === 'string' ? [item['source']] : [];
    const source = String(item).split(':')[0] ?? '';
    return String(item).includes(':') && isPathLike(source) ? [source] : [];
  });
  return written.filter((w) => !path.isAbsolute(w) && bind(w, ctx).repoPath === undefined).map((w) => `volumes (${w}: outside the repository)`);
}

const stringOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const boolOf = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Turn one merged, interpolated, validated compose service into the form bcon compares. */
export function normalizeService(name: string, svc: Obj, ctx: NormalizeContext): ServiceSpec {
  const where = `${ctx.file}: services.${name}`;
  const deploy = isObj(svc['deploy']) ? svc['deploy'] : {};
  const resources = isObj(deploy['resources']) ? deploy['resources'] : {};
  const limits = isObj(resources['limits']) ? resources['limits'] : {};
  const reservations = isObj(resources['reservations']) ? resources['reservations'] : {};
  const bytes = (w: string) => (x: unknown, y: unknown) => parseBytes(x as string, w) === parseBytes(y as string, w);
  const memory = oneOf(where, ['mem_limit', svc['mem_limit']], ['deploy.resources.limits.memory', limits['memory']], bytes(`${where}.mem_limit`));
  const reservation = oneOf(where, ['mem_reservation', svc['mem_reservation']], ['deploy.resources.reservations.memory', reservations['memory']], bytes(`${where}.mem_reservation`));
  const cpus = oneOf(where, ['cpus', svc['cpus']], ['deploy.resources.limits.cpus', limits['cpus']], (x, y) => Number(x) === Number(y));
  const replicas = oneOf(where, ['deploy.replicas', deploy['replicas']], ['scale', svc['scale']], (x, y) => Number(x) === Number(y)) ?? 1;
  const environment: Record<string, string | null> = { ...ctx.envFromFiles, ...toMap(svc['environment']) };
  const dependsOn = Array.isArray(svc['depends_on']) ? svc['depends_on'].map(String) : isObj(svc['depends_on']) ? Object.keys(svc['depends_on']) : [];
  const dependsOnMap = isObj(svc['depends_on']) ? svc['depends_on'] : {};
  const healthyDependencies = Object.entries(dependsOnMap).filter(([, how]) => isObj(how) && how['condition'] === 'service_healthy').map(([dep]) => dep);
  const volumes = normalizeVolumes(svc['volumes'], ctx);
  return {
    name,
    image: typeof svc['image'] === 'string' ? svc['image'] : undefined,
    hasBuild: svc['build'] !== undefined,
    containerName: typeof svc['container_name'] === 'string' ? svc['container_name'] : undefined,
    command: commandOf(svc['command']),
    entrypoint: commandOf(svc['entrypoint']),
    environment,
    ports: normalizePorts(svc['ports'], `${where}.ports`),
    volumes,
    managedMountTargets: [
      ...mountTargets(svc['secrets'], (name) => `/run/secrets/${name}`),
      ...mountTargets(svc['configs'], (name) => `/${name}`),
    ],
    volumesFrom: Array.isArray(svc['volumes_from']) && svc['volumes_from'].length > 0,
    replicas: Number(replicas),
    memoryBytes: memory === undefined ? undefined : parseBytes(memory as string, `${where}.mem_limit`),
    memoryReservationBytes: reservation === undefined ? undefined : parseBytes(reservation as string, `${where}.mem_reservation`),
    nanoCpus: cpus === undefined ? quotaCpus(svc) : parseCpus(cpus as string, `${where}.cpus`),
    restart: restartOf(svc),
    healthcheck: healthcheckOf(svc['healthcheck'], `${where}.healthcheck`),
    labels: Object.fromEntries(Object.entries(toMap(svc['labels'])).map(([k, v]) => [k, v ?? ''])),
    dependsOn,
    ...(healthyDependencies.length ? { healthyDependencies } : {}),
    networkMode: typeof svc['network_mode'] === 'string' ? svc['network_mode'] : undefined,
    profiles: Array.isArray(svc['profiles']) ? svc['profiles'].map(String) : [],
    ...(stringOf(svc['user']) !== undefined ? { user: stringOf(svc['user']) as string } : {}),
    ...(typeof svc['working_dir'] === 'string' ? { workingDir: svc['working_dir'] } : {}),
    ...(typeof svc['hostname'] === 'string' ? { hostname: svc['hostname'] } : {}),
    ...(typeof svc['stop_signal'] === 'string' ? { stopSignal: svc['stop_signal'] } : {}),
    ...(svc['stop_grace_period'] !== undefined ? { stopGraceNs: parseDuration(svc['stop_grace_period'] as string, `${where}.stop_grace_period`) } : {}),
    ...(boolOf(svc['tty']) !== undefined ? { tty: svc['tty'] as boolean } : {}),
    ...(boolOf(svc['stdin_open']) !== undefined ? { stdinOpen: svc['stdin_open'] as boolean } : {}),
    ...(boolOf(svc['init']) !== undefined ? { init: svc['init'] as boolean } : {}),
    ...(typeof svc['tmpfs'] === 'string' ? { tmpfs: [svc['tmpfs']] } : Array.isArray(svc['tmpfs']) ? { tmpfs: svc['tmpfs'].map(String) } : {}),
    ...(ulimitsOf(svc['ulimits']) ? { ulimits: ulimitsOf(svc['ulimits']) as NonNullable<ServiceSpec['ulimits']> } : {}),
    ...(extraHostsOf(svc['extra_hosts']) ? { extraHosts: extraHostsOf(svc['extra_hosts']) as string[] } : {}),
    ...(Array.isArray(svc['cap_add']) ? { capAdd: svc['cap_add'].map(String) } : {}),
    ...(Array.isArray(svc['cap_drop']) ? { capDrop: svc['cap_drop'].map(String) } : {}),
    ...(boolOf(svc['read_only']) !== undefined ? { readOnly: svc['read_only'] as boolean } : {}),
    ...(svc['shm_size'] !== undefined ? { shmSizeBytes: parseBytes(svc['shm_size'] as string, `${where}.shm_size`) } : {}),
    ...(svc['sysctls'] !== undefined ? { sysctls: Object.fromEntries(Object.entries(toMap(svc['sysctls'])).map(([k, v]) => [k, v ?? ''])) } : {}),
    ...(Array.isArray(svc['expose']) ? { expose: svc['expose'].map(String) } : {}),
    unrendered: [...unrenderedOf(svc, environment), ...bindsOutside(svc['volumes'], ctx), ...(ctx.notFromFiles ?? [])],
    ...(isObj(deploy['update_config']) ? { updateConfig: deploy['update_config'] } : {}),
    ...(isObj(deploy['rollback_config']) ? { rollbackConfig: deploy['rollback_config'] } : {}),
  };
}
