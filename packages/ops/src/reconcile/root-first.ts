import type { ProposalOption } from '@bcon/decision';
import type { DependencyGraph } from '@bcon/reasoning';

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

/** A repair that brings a service's containers up: a start, a scale up (a service made again from its files). */
export function bringsUp(option: Pick<ProposalOption, 'action' | 'params'>): boolean {
  const p = option.params as { from?: number; to?: number };
  return option.action === 'container.start' || (option.action === 'service.scale' && Number(p.to) > Number(p.from));
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
