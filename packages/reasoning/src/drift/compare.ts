import type { ContainerFacts, ImageFacts } from '@bcon/sensor';
import { keyValueList } from '@bcon/sensor';
import type { BindMountFacts, ServiceSpec } from '@bcon/sensor/desired';
import { isCompletedJob } from '../status/assess.js';
import { formatBytes, formatDuration } from '../status/format.js';
import { normalizeImageRef } from './image-ref.js';
import { isSecretName } from '../redact/secret-name.js';
import type { FingerprintKey } from './redact.js';
import { maskDifference, redactSecretPair, secretFingerprint } from './redact.js';
import type { DriftDifference } from './schema.js';

type Diff = Omit<DriftDifference, 'project' | 'service'>;

/** Images the comparison may consult: by container image id, and by the desired reference. */
export interface ImageLookup {
  get(refOrId: string): ImageFacts | undefined;
}

const sameList = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Variables compose itself adds: docker-compose v1 sets `affinity:container==<old id>` when it recreates. */
const ENGINE_ADDED_ENV = /^affinity:/;
/** Variables Podman puts into every container (it marks them with container=podman): not drift unless declared. */
const PODMAN_ADDED_ENV = new Set(['container', 'HOSTNAME', 'HOME', 'TERM']);

const portKey = (p: { hostIp: string; published: string; target: number; protocol: string }) =>
  `${p.hostIp === '0.0.0.0' || p.hostIp === '::' ? '' : p.hostIp}${p.hostIp && p.hostIp !== '0.0.0.0' ? ':' : ''}${p.published ? `${p.published}:` : ''}${p.target}/${p.protocol}`;


function statusOf(c: ContainerFacts): string {
  if (c.state === 'running') return c.health.status === 'unhealthy' ? 'unhealthy' : 'running';
  return c.state;
}

/** Differences that are about the service as a whole: how many replicas exist. */
function compareReplicas(spec: ServiceSpec, containers: ContainerFacts[]): Diff[] {
  if (containers.length === spec.replicas) return [];
  return [{ field: 'replicas', expected: { replicas: spec.replicas }, actual: { replicas: containers.length } }];
}

/**
 * What differs, name by name: a secret-named value never leaves as itself (a keyed fingerprint, or a mark that it
 * changed); other values go out as they are and are masked with the rest of the difference (`maskDifference`).
 */
function differing(out: { expected: Record<string, string | null>; actual: Record<string, string | null> }, name: string, expected: string, actual: string, key: FingerprintKey | undefined): void {
  if (isSecretName(name)) [out.expected[name], out.actual[name]] = redactSecretPair(name, expected, actual, key);
  else {
    out.expected[name] = expected;
    out.actual[name] = actual;
  }
}

function compareEnvironment(spec: ServiceSpec, c: ContainerFacts, image: ImageFacts | undefined, key: FingerprintKey | undefined): Diff | undefined {
  const actual = keyValueList(c.config.env);
  const inherited = keyValueList(image?.env ?? []);
  const out = { expected: {} as Record<string, string | null>, actual: {} as Record<string, string | null> };
  for (const [k, v] of Object.entries(spec.environment)) {
    const a = k in actual ? actual[k] : undefined;
    if (v === null) continue; // a bare KEY takes its value from the shell at `up` time: any value is in sync
    if (a !== v) differing(out, k, v, a ?? '(unset)', key);
  }
  for (const [k, a] of Object.entries(actual)) {
    if (k in spec.environment || ENGINE_ADDED_ENV.test(k)) continue;
    if (actual['container'] === 'podman' && PODMAN_ADDED_ENV.has(k)) continue;
    if (k in inherited && inherited[k] === a) continue;
    if (!image && k === 'PATH') continue;
    differing(out, k, k in inherited ? (inherited[k] ?? '') : '(unset)', a ?? '', key);
  }
  if (Object.keys(out.expected).length === 0) return undefined;
  return { field: 'environment', container: c.name, expected: { environment: out.expected }, actual: { environment: out.actual } };
}

function compareMounts(spec: ServiceSpec, c: ContainerFacts, image: ImageFacts | undefined): Diff | undefined {
  const wanted = spec.volumes.filter((v) => v.type === 'bind' || v.type === 'volume' || v.type === 'tmpfs');
  const describe = (m: { type: string; source: string | undefined; target: string; readOnly: boolean }) =>
    `${m.type === 'tmpfs' ? '(tmpfs)' : m.type === 'volume' && !m.source ? '(anonymous)' : (m.source ?? '')}:${m.target}${m.readOnly ? ':ro' : ''}`;
  const expected: string[] = [];
  const actual: string[] = [];
  for (const w of wanted) {
    const m = c.mounts.find((x) => x.target === w.target);
    const got = m ? { type: m.type, source: m.type === 'volume' ? m.name : m.type === 'tmpfs' ? undefined : m.source, target: m.target, readOnly: m.readOnly } : undefined;
    const same = got && got.type === w.type && got.readOnly === w.readOnly && (w.source === undefined || w.type === 'tmpfs' || got.source === w.source);
    if (!same) {
      expected.push(describe(w));
      actual.push(got ? describe(got) : `(nothing at ${w.target})`);
    }
  }
  for (const m of c.mounts) {
    if (wanted.some((w) => w.target === m.target) || spec.managedMountTargets.includes(m.target)) continue;
    if (spec.volumesFrom) continue; // mounts taken from another container
    if (m.type === 'volume' && (image?.volumes.includes(m.target) || /^[0-9a-f]{64}$/.test(m.name ?? ''))) continue; // anonymous volume from the image
    expected.push(`(nothing at ${m.target})`);
    actual.push(describe({ type: m.type, source: m.type === 'volume' ? m.name : m.source, target: m.target, readOnly: m.readOnly }));
  }
  if (expected.length === 0) return undefined;
  return { field: 'volumes', container: c.name, expected: { volumes: expected }, actual: { volumes: actual } };
}

function compareHealthcheck(spec: ServiceSpec, c: ContainerFacts): Diff | undefined {
  const want = spec.healthcheck;
  if (want === undefined) return undefined;
  const have = c.config.healthcheck;
  if (want === 'disabled') {
    return have?.test?.[0] === 'NONE' || !have ? undefined : { field: 'healthcheck', container: c.name, expected: { healthcheck: 'disabled' }, actual: { healthcheck: have.test ?? [] } };
  }
  const fields: Array<[string, unknown, unknown]> = [
    ['test', want.test, have?.test],
    ['interval', want.intervalNs, have?.intervalNs],
    ['timeout', want.timeoutNs, have?.timeoutNs],
    ['start_period', want.startPeriodNs, have?.startPeriodNs],
    ['retries', want.retries, have?.retries],
  ];
  const expected: Record<string, unknown> = {};
  const actual: Record<string, unknown> = {};
  for (const [name, w, h] of fields) {
    if (w === undefined) continue;
    if (JSON.stringify(w) !== JSON.stringify(h)) {
      const fmt = (v: unknown) => (typeof v === 'number' && name !== 'retries' ? `${v / 1e9}s` : (v ?? '(unset)'));
      expected[name] = fmt(w);
      actual[name] = fmt(h);
    }
  }
  return Object.keys(expected).length ? { field: 'healthcheck', container: c.name, expected: { healthcheck: expected }, actual: { healthcheck: actual } } : undefined;
}

/**
 * Content drift of bind-mounted files from the repository, which compose never sees: the file on this host differs
 * from the one at the ref, or it changed after the container started (the process may still use the old content).
 * Only files the ref holds are compared, so data written into a mounted directory is not drift.
 */
function compareBindFiles(spec: ServiceSpec, c: ContainerFacts, bindFiles: ReadonlyMap<string, BindMountFacts>, key: FingerprintKey | undefined): Diff[] {
  const diffs: Diff[] = [];
  const started = c.startedAt ? Date.parse(c.startedAt) : undefined;
  for (const v of spec.volumes) {
    if (v.type !== 'bind' || !v.source) continue;
    const facts = bindFiles.get(v.source);
    if (!facts || !c.mounts.some((m) => m.type === 'bind' && m.source === v.source)) continue;
    for (const f of facts.files) {
      if (!f.committedBlob) continue;
      // a git blob id is an unsalted hash of the content: a secret-named file's short, guessable content would show
      const secret = isSecretName(f.repoPath);
      const short = (b: string) => (secret ? secretFingerprint(b, key) : `blob ${b.slice(0, 7)}`);
      if (f.hostBlob !== f.committedBlob) {
        diffs.push({
          field: 'config_file',
          container: c.name,
          expected: { file: f.repoPath, content: `${short(f.committedBlob)} (the ref)` },
          actual: { file: f.repoPath, content: f.hostBlob ? `${short(f.hostBlob)}${secret && !key ? ', changed,' : ''} on this host` : 'missing on this host' },
        });
      } else if (started !== undefined && f.hostModifiedAt !== undefined && c.state === 'running' && f.hostModifiedAt > started + 1000) {
        diffs.push({
          field: 'config_file',
          container: c.name,
          expected: { file: f.repoPath, loaded: 'unchanged since the container started' },
          actual: { file: f.repoPath, loaded: `modified ${formatDuration((f.hostModifiedAt - started) / 1000)} after the container started: restart it to load this content` },
        });
      }
    }
  }
  return diffs;
}

/**
 * A replica that exited 0 with restart `no`/`on-failure` reads as a job that completed, except when another replica
 * of the same service still runs: replicas run the same command, so one that ended while its peers go on was stopped
 * (`docker stop` of a process that exits 0 on SIGTERM), not finished. One-off `compose run` containers never count.
 */
function completedAlone(c: ContainerFacts, replicas: readonly ContainerFacts[]): boolean {
  return isCompletedJob(c) && !replicas.some((r) => r !== c && r.state === 'running');
}

/** Differences of one container against the service it should be (`replicas`: the service's replicas, itself included). */
function compareContainer(spec: ServiceSpec, c: ContainerFacts, replicas: readonly ContainerFacts[], images: ImageLookup, bindFiles: ReadonlyMap<string, BindMountFacts>, key: FingerprintKey | undefined): Diff[] {
  const diffs: Diff[] = [];
  const image = images.get(c.imageId);
  const status = statusOf(c);
  if (status !== 'running' && !completedAlone(c, replicas)) {
    diffs.push({ field: 'status', container: c.name, expected: { status: 'running' }, actual: { status: c.state === 'exited' ? `exited (${c.exitCode})` : status } });
  }
  if (spec.image) {
    const want = normalizeImageRef(spec.image);
    const have = normalizeImageRef(c.image);
    if (want !== have) diffs.push({ field: 'image', container: c.name, expected: { image: want }, actual: { image: have } });
    else {
      const current = images.get(spec.image);
      if (current && current.id !== c.imageId) {
        diffs.push({
          field: 'image_id',
          container: c.name,
          expected: { image: want, image_id: current.id.replace(/^sha256:/, '').slice(0, 12) },
          actual: { image: have, image_id: c.imageId.replace(/^sha256:/, '').slice(0, 12) },
        });
      }
    }
  }
  const wantEntrypoint = spec.entrypoint ?? (image ? image.entrypoint : undefined);
  if (wantEntrypoint !== undefined && !sameList(wantEntrypoint, c.config.entrypoint)) {
    diffs.push({ field: 'entrypoint', container: c.name, expected: { entrypoint: wantEntrypoint ?? [] }, actual: { entrypoint: c.config.entrypoint ?? [] } });
  }
  // docker clears the image's CMD when the entrypoint is overridden
  const wantCmd = spec.command ?? (spec.entrypoint ? [] : image ? image.cmd : undefined);
  if (wantCmd !== undefined && !sameList(wantCmd, c.config.cmd)) {
    diffs.push({ field: 'command', container: c.name, expected: { command: wantCmd ?? [] }, actual: { command: c.config.cmd ?? [] } });
  }
  const env = compareEnvironment(spec, c, image, key);
  if (env) diffs.push(env);
  if (spec.networkMode !== 'host') {
    const want = spec.ports.map(portKey).sort();
    const have = c.portBindings.map(portKey).sort();
    if (JSON.stringify(want) !== JSON.stringify(have)) diffs.push({ field: 'ports', container: c.name, expected: { ports: want }, actual: { ports: have } });
  }
  const mounts = compareMounts(spec, c, image);
  if (mounts) diffs.push(mounts);
  diffs.push(...compareBindFiles(spec, c, bindFiles, key));
  if ((spec.memoryBytes ?? 0) !== (c.limits.memoryBytes ?? 0)) {
    const fmt = (b: number | undefined) => (b ? formatBytes(b) : 'unlimited');
    diffs.push({ field: 'memory', container: c.name, expected: { memory: fmt(spec.memoryBytes) }, actual: { memory: fmt(c.limits.memoryBytes) } });
  }
  if ((spec.memoryReservationBytes ?? 0) !== (c.limits.memoryReservationBytes ?? 0)) {
    const fmt = (b: number | undefined) => (b ? formatBytes(b) : 'none');
    diffs.push({ field: 'memory_reservation', container: c.name, expected: { memory_reservation: fmt(spec.memoryReservationBytes) }, actual: { memory_reservation: fmt(c.limits.memoryReservationBytes) } });
  }
  if ((spec.nanoCpus ?? 0) !== (c.limits.nanoCpus ?? 0)) {
    const fmt = (n: number | undefined) => (n ? n / 1e9 : 'unlimited');
    diffs.push({ field: 'cpus', container: c.name, expected: { cpus: fmt(spec.nanoCpus) }, actual: { cpus: fmt(c.limits.nanoCpus) } });
  }
  const wantRestart = spec.restart ?? { name: 'no', maximumRetryCount: 0 };
  const haveRestart = c.restartPolicy;
  if ((wantRestart.name || 'no') !== (haveRestart.name || 'no') || wantRestart.maximumRetryCount !== haveRestart.maximumRetryCount) {
    const fmt = (r: { name: string; maximumRetryCount: number }) => `${r.name || 'no'}${r.maximumRetryCount ? `:${r.maximumRetryCount}` : ''}`;
    diffs.push({ field: 'restart', container: c.name, expected: { restart: fmt(wantRestart) }, actual: { restart: fmt(haveRestart) } });
  }
  const health = compareHealthcheck(spec, c);
  if (health) diffs.push(health);
  const labels = { expected: {} as Record<string, string | null>, actual: {} as Record<string, string | null> };
  for (const [k, v] of Object.entries(spec.labels)) {
    if (c.labels[k] !== v) differing(labels, k, v, c.labels[k] ?? '(unset)', key);
  }
  for (const [k, v] of Object.entries(c.labels)) {
    // the compose tool's own labels (podman-compose adds io.podman.compose.* beside Docker's) are not the file's, nor
    // the mark bcon's executor leaves on a container it made from the files (the commit it was made from)
    if (k.startsWith('com.docker.compose.') || k.startsWith('io.podman.compose.') || k === 'bcon.created-from-commit' || k in spec.labels || image?.labels[k] === v) continue;
    differing(labels, k, '(unset)', v, key);
  }
  if (Object.keys(labels.expected).length) diffs.push({ field: 'labels', container: c.name, expected: { labels: labels.expected }, actual: { labels: labels.actual } });
  return diffs;
}

/**
 * Every difference between a desired service and the containers that run it (one-off runs excluded), with every
 * credential masked: secret-named values fingerprinted with `fingerprintKey` (HMAC) or only marked as changed
 * without one, URL passwords and other recognisable credentials masked in every value.
 */
export function compareService(
  project: string,
  spec: ServiceSpec,
  containers: ContainerFacts[],
  images: ImageLookup,
  bindFiles: ReadonlyMap<string, BindMountFacts> = new Map(),
  options: { fingerprintKey?: FingerprintKey } = {},
): DriftDifference[] {
  const replicas = containers.filter((c) => !c.compose?.oneoff).sort((a, b) => (a.compose?.number ?? 0) - (b.compose?.number ?? 0));
  const diffs = [...compareReplicas(spec, replicas), ...replicas.flatMap((c) => compareContainer(spec, c, replicas, images, bindFiles, options.fingerprintKey))];
  return diffs.map((d) => maskDifference({ project, service: spec.name, ...d }));
}
