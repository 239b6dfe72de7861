import type { DependencyGraph } from '@bcon/reasoning';

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
