import type { ProposalOption } from '@bcon/decision';
import type { DependencyGraph, ServiceSignals } from '@bcon/reasoning';

/** Causes a failing dependency can produce in the services that call it. */
const EXPLAINED_BY_A_DEPENDENCY = new Set(['log_error_spike', 'connection_refused', 'dependency_down', 'dependency_slow', 'healthcheck_failing', 'crash_loop', 'dns_failure']);

/**
 * Why a service's repair may wait for a dependency repaired in the same pass: `fault` when what it shows may be the
 * dependency's doing (errors, refused connections, failed probes, a crash) — it waits for any repair of it; `up` when
 * the repair brings its containers up (a start, a scale up — a service made again from its files) whatever the cause —
 * it waits for a dependency that is down (no container running): made before the dependency is up, it may die at
 * once, fail its verify, be undone and be left to a person as failed at that commit. A cause a dependency cannot
 * produce (an OOM kill, a missing file) answered otherwise (a re-create, a limit) does not wait: undefined.
 */
export function mayWaitForDependency(option: Pick<ProposalOption, 'action' | 'params' | 'cause'>): 'fault' | 'up' | undefined {
  if (EXPLAINED_BY_A_DEPENDENCY.has(option.cause)) return 'fault';
  return bringsUp(option) ? 'up' : undefined;
}

/** A repair that brings a service's containers up: a start, an unpause, a scale up (a service made again from its files). */
export function bringsUp(option: Pick<ProposalOption, 'action' | 'params'>): boolean {
  const p = option.params as { from?: number; to?: number };
  return option.action === 'container.start' || option.action === 'container.unpause' || (option.action === 'service.scale' && Number(p.to) > Number(p.from));
}

/** What the root-first hold reads of the dependency graph. */
export type Reach = Pick<DependencyGraph, 'closure'>;

/**
 * The dependency a service waits for in this pass, if any: the nearest service it needs (compose's depends_on, a
 * shared network namespace, links, an address in its environment) whose own repair runs in the same pass. Never both
 * ways — services that need each other are not held for one another — unless the files declare one way only (the
 * other read from addresses in the environment): what the files declare decides which waits.
 */
export function dependencyRepairedFirst(graph: Reach, service: string, repairing: ReadonlySet<string>): string | undefined {
  const declared = graph.closure(service, { declaredOnly: true });
  const oneWay = (d: string) => !graph.closure(d).has(service) || (declared.has(d) && !graph.closure(d, { declaredOnly: true }).has(service));
  return [...graph.closure(service).keys()].find((d) => d !== service && repairing.has(d) && oneWay(d));
}

/**
 * A candidate's hold: the dependency it waits for; when that dependency is not repaired now but not ready, how; and
 * whether it is down (it waits for it whether or not the dependency's repair runs).
 */
export interface Hold {
  dependency: string;
  notReady?: string;
  down?: boolean;
  /** the wait ends by itself within seconds (a dependency starting, or within its min_ready): worth a pass soon */
  soon?: boolean;
}

/** What the holds read of a service: its containers' state and health, and its files' depends_on conditions. */
export type HeldService = Pick<ServiceSignals, 'name'> & { containers: ReadonlyArray<{ state: string; health: { status: string }; exitCode?: number; startedAt?: string | undefined }>; spec?: { healthyDependencies?: string[] } | undefined };

/**
 * How long a dependency with no healthcheck (or one the runtime does not run: Podman without systemd) is given to
 * accept connections after its start before its dependents are brought up or restarted — Kubernetes' minReadySeconds
 * for a dependency nothing else says is ready: `reconcile.min_ready`, at `now`.
 */
export interface MinReady {
  now: number;
  minReadyMs: number;
}

/** How far ahead of the reconciler's clock an engine's may be read as the same moment. */
const SKEW_MS = 2_000;

/** How long ago a running dependency with no healthcheck result started, when that is under `ready`'s grace. */
export function startedUnready(s: HeldService | undefined, ready: MinReady | undefined): number | undefined {
  if (!s || !ready || ready.minReadyMs <= 0) return undefined;
  const running = s.containers.filter((x) => x.state === 'running');
  if (running.length === 0 || running.some((x) => x.health.status !== 'none' && x.health.status !== 'not_run')) return undefined;
  // a start time ahead of this clock by more than a little is another host's clock (an engine over SSH): unknown, no hold
  const ages = running.map((x) => ready.now - Date.parse(x.startedAt ?? '')).filter((a) => Number.isFinite(a) && a > -SKEW_MS);
  // the youngest replica: a replica that started a moment ago may be the one a dependent's connection reaches
  const age = ages.length ? Math.max(0, Math.min(...ages)) : undefined;
  return age !== undefined && age < ready.minReadyMs ? age : undefined;
}

/**
 * The root first, for one host's candidates (in their order): which repairs wait this pass, and for which dependency.
 * - as the files say: a repair that brings a service up waits for a `depends_on` dependency with `condition:
 *   service_healthy` until it is healthy, whether or not that dependency's repair runs now (Podman's unrun
 *   healthchecks, `not_run`, excepted);
 * - for a dependency still starting (running, its healthcheck not passed yet): every repair that may wait
 *   (mayWaitForDependency), whether or not its own repair runs now (one in its start_period or backoff is refused);
 * - for a dependency that is down — no container of it runs, and a repair in this pass brings it up (a start, an
 *   unpause, made again) or it failed (restarting, paused, exited with an error, dead, a start that failed): every
 *   repair that may wait, whether or not the dependency's own repair runs now (a start or restart into it fails the
 *   same way: the crash loop of a worker whose Redis cannot start is Redis's). A dependency that finished (a job, exit
 *   0), whose repair does not bring it up (a drift of a finished job), or that is not meant to run (no container,
 *   nothing repairs it: a profile) is not down for this;
 * - for a dependency repaired in this pass (it runs: a restart, a limit): a repair whose cause it may explain — that
 *   hold ends when its repair does not run (the pass decides).
 * - for a dependency with no healthcheck (or an unrun one) that started less than `ready.minReadyMs` ago: like one still
 *   starting (nothing tells when it accepts connections; a dependent made at once may die, fail its verify and be left
 *   to a person as a start that failed at that commit).
 * An unpause is not held by a service_healthy condition: that is compose's start order, and the container was started.
 */
export function dependencyHolds(
  candidates: ReadonlyArray<Pick<ProposalOption, 'action' | 'params' | 'cause' | 'culprit'>>,
  services: readonly HeldService[],
  graph: Reach,
  /** services caught running between two crashes: not running, for the holds */
  flapping: ReadonlySet<string> = new Set(),
  /** the grace a dependency with no healthcheck gets after its start (none: not held for it) */
  ready?: MinReady,
): Array<Hold | undefined> {
  const repairing = new Set(candidates.map((c) => c.culprit));
  const runningOf = (d: string) => (flapping.has(d) ? undefined : services.find((s) => s.name === d)?.containers.find((x) => x.state === 'running'));
  const health = (d: string) => runningOf(d)?.health.status;
  const down = new Set([...repairing].filter((d) => !runningOf(d)));
  const starting = new Set(services.filter((s) => s.containers.some((x) => x.state === 'running' && x.health.status === 'starting')).map((s) => s.name));
  const young = new Map(services.filter((s) => !flapping.has(s.name)).map((s) => [s.name, startedUnready(s, ready)] as const).filter((e): e is readonly [string, number] => e[1] !== undefined));
  const failed = (x: HeldService['containers'][number]) =>
    x.state === 'restarting' || x.state === 'paused' || x.state === 'dead' || ((x.state === 'exited' || x.state === 'created') && x.exitCode !== undefined && x.exitCode !== 0);
  const broughtUp = new Set(candidates.filter(bringsUp).map((c) => c.culprit));
  const broken = new Set(services.filter((s) => (flapping.has(s.name) || !s.containers.some((x) => x.state === 'running')) && (broughtUp.has(s.name) || flapping.has(s.name) || s.containers.some(failed))).map((s) => s.name));
  return candidates.map((c) => {
    const own = c.culprit;
    if (bringsUp(c) && c.action !== 'container.unpause') {
      const spec = services.find((s) => s.name === own)?.spec;
      const dep = spec?.healthyDependencies?.find((d) => d !== own && health(d) !== 'healthy' && health(d) !== 'not_run');
      if (dep) {
        return {
          dependency: dep,
          notReady:
            health(dep) === 'none'
              ? 'has no healthcheck, and the files start it only once it is healthy (depends_on condition: service_healthy): give it a healthcheck or drop the condition'
              : 'is not healthy, and the files start it only once it is (depends_on condition: service_healthy)',
        };
      }
    }
    const why = mayWaitForDependency(c);
    if (!why) return undefined;
    const notReady = dependencyRepairedFirst(graph, own, starting);
    if (notReady) return { dependency: notReady, notReady: 'is starting (its healthcheck has not passed yet)', soon: true };
    const gone = dependencyRepairedFirst(graph, own, broken);
    if (gone) return { dependency: gone, down: true };
    // a dependency down comes first (the nearest wait): its own start gives it the grace below in its turn
    const fresh = dependencyRepairedFirst(graph, own, new Set(young.keys()));
    if (fresh && ready) {
      return { dependency: fresh, notReady: `started ${((young.get(fresh) ?? 0) / 1000).toFixed(1)} s ago and has no healthcheck to say when it accepts connections: given ${Math.round(ready.minReadyMs / 1000)} s first (reconcile.min_ready)`, soon: true };
    }
    const dep = dependencyRepairedFirst(graph, own, why === 'fault' ? repairing : down);
    return dep ? { dependency: dep } : undefined;
  });
}
