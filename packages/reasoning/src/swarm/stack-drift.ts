import type { SwarmServiceFacts } from '@bcon/sensor';
import type { ComposeProject, ServiceSpec } from '@bcon/sensor/desired';
import { normalizeImageRef } from '../drift/image-ref.js';
import type { FingerprintKey } from '../drift/redact.js';
import { maskDifference, redactSecretPair } from '../drift/redact.js';
import type { DriftDifference, DriftReport } from '../drift/schema.js';
import { isSecretName } from '../redact/secret-name.js';
import { formatBytes } from '../status/format.js';

/** What `docker stack deploy` adds to a service's environment by itself: nothing; to its labels: the namespace. */
const ORPHAN_SERVICE = 'its service is no longer in the compose file: remove it (docker stack deploy --prune, or docker service rm)';
const MISSING_SERVICE = 'deploy the stack again (docker stack deploy -c FILE STACK)';

type Diff = Omit<DriftDifference, 'project' | 'service'>;

function env(spec: ServiceSpec, actual: SwarmServiceFacts, key: FingerprintKey | undefined): Diff | undefined {
  const out = { expected: {} as Record<string, string | null>, actual: {} as Record<string, string | null> };
  const put = (name: string, e: string, a: string) => {
    if (isSecretName(name)) [out.expected[name], out.actual[name]] = redactSecretPair(name, e, a, key);
    else [out.expected[name], out.actual[name]] = [e, a];
  };
  for (const [k, v] of Object.entries(spec.environment)) {
    if (v === null) continue; // a bare KEY takes its value from the deploying shell: any value is in sync
    const a = actual.env[k];
    if (a !== v) put(k, v, a ?? '(unset)');
  }
  for (const [k, a] of Object.entries(actual.env)) if (!(k in spec.environment)) put(k, '(unset)', a);
  return Object.keys(out.expected).length ? { field: 'environment', expected: { environment: out.expected }, actual: { environment: out.actual } } : undefined;
}

/** The differences between one compose service and the swarm service deployed from it (its spec, not its containers). */
export function compareSwarmService(spec: ServiceSpec, actual: SwarmServiceFacts, options: { fingerprintKey?: FingerprintKey } = {}): Diff[] {
  const out: Diff[] = [];
  if (actual.mode === 'replicated' && spec.replicas !== actual.desired) out.push({ field: 'replicas', expected: { replicas: spec.replicas }, actual: { replicas: actual.desired } });
  if (spec.image && normalizeImageRef(spec.image) !== normalizeImageRef(actual.image)) out.push({ field: 'image', expected: { image: spec.image }, actual: { image: actual.image } });
  const e = env(spec, actual, options.fingerprintKey);
  if (e) out.push(e);
  // a stack maps compose `command` to the task's Args and `entrypoint` to its Command
  if (spec.command !== null && JSON.stringify(spec.command) !== JSON.stringify(actual.args ?? [])) out.push({ field: 'command', expected: { command: spec.command }, actual: { command: actual.args } });
  if (spec.entrypoint !== null && JSON.stringify(spec.entrypoint) !== JSON.stringify(actual.command ?? [])) out.push({ field: 'entrypoint', expected: { entrypoint: spec.entrypoint }, actual: { entrypoint: actual.command } });
  if ((spec.memoryBytes ?? 0) !== (actual.memoryBytes ?? 0)) {
    out.push({ field: 'memory', expected: { memory: spec.memoryBytes ? formatBytes(spec.memoryBytes) : 'unlimited' }, actual: { memory: actual.memoryBytes ? formatBytes(actual.memoryBytes) : 'unlimited' } });
  }
  if ((spec.nanoCpus ?? 0) !== (actual.nanoCpus ?? 0)) out.push({ field: 'cpus', expected: { cpus: spec.nanoCpus ? spec.nanoCpus / 1e9 : 'unlimited' }, actual: { cpus: actual.nanoCpus ? actual.nanoCpus / 1e9 : 'unlimited' } });
  return out.map((d) => maskDifference(d));
}

/**
 * A stack against its compose file: each service of the file against the swarm service `STACK_NAME` (its spec: the
 * replicas asked for, the image, env, command, limits — the running tasks are status, not drift); a service of the
 * file that is not deployed, and a service of the stack that is not in the file, are differences too. Same report
 * as `bcon drift` (docs/drift.md), `untracked` unused (a swarm service always belongs to its stack or to none).
 */
export function buildStackDriftReport(
  project: Pick<ComposeProject, 'name' | 'services'>,
  stack: string,
  services: readonly SwarmServiceFacts[],
  options: { source: string; now?: Date; fingerprintKey?: FingerprintKey },
): DriftReport {
  const mine = services.filter((s) => s.stack === stack);
  const differences: DriftDifference[] = [];
  const orphans: DriftReport['orphans'] = [];
  for (const spec of Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name))) {
    const actual = mine.find((s) => s.shortName === spec.name);
    if (!actual) {
      differences.push({ project: stack, service: spec.name, field: 'status', expected: { deployed: true }, actual: { deployed: false, recommendation: MISSING_SERVICE } });
      continue;
    }
    for (const d of compareSwarmService(spec, actual, options.fingerprintKey ? { fingerprintKey: options.fingerprintKey } : {})) differences.push({ project: stack, service: spec.name, ...d });
  }
  for (const s of mine) if (!(s.shortName in project.services)) orphans.push({ container: s.name, project: stack, service: s.shortName, recommendation: ORPHAN_SERVICE });
  return {
    timestamp: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    status: differences.length || orphans.length ? 'DRIFTED' : 'IN_SYNC',
    source: options.source,
    projects: [stack],
    differences,
    untracked: [],
    orphans,
  };
}
