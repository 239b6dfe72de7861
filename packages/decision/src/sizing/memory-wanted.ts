import type { ContainerFacts } from '@bcon/sensor';

const MiB = 1024 * 1024;
const UNIT: Record<string, number> = { '': 1, k: 1024, m: MiB, g: 1024 * MiB, t: 1024 * 1024 * MiB };
/** No heap read above this (1 TiB): a number past it is no setting a limit should follow. */
const HEAP_CAP = 1024 * 1024 * MiB;

/** Rounded up to a whole step (64 MiB): limits people write. */
export const roundUpMemory = (bytes: number, step = 64 * MiB): number => Math.ceil(bytes / step) * step;

/**
 * The heap a runtime is told to take, read from the container's command, entrypoint and environment values: a JVM's
 * `-Xmx`/`-Xms` (JAVA_OPTS, JAVA_TOOL_OPTIONS, OPENSEARCH_JAVA_OPTS, …) or Node's `--max-old-space-size` (MiB). Only
 * a number is taken from these untrusted texts; undefined when none sets one.
 */
export function configuredHeapBytes(c: Pick<ContainerFacts, 'config'>): number | undefined {
  const texts = [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? []), ...c.config.env.map((e) => e.slice(e.indexOf('=') + 1))];
  let heap: number | undefined;
  for (const t of texts) {
    for (const m of t.matchAll(/(?:^|\s)-Xm[xs](\d{1,7})([kmgt]?)(?=\s|$)/gi)) heap = Math.max(heap ?? 0, Number(m[1]) * (UNIT[(m[2] ?? '').toLowerCase()] ?? 1));
    for (const m of t.matchAll(/(?:^|\s)--max[-_]old[-_]space[-_]size[=\s](\d{1,7})(?=\s|$)/g)) heap = Math.max(heap ?? 0, Number(m[1]) * MiB);
  }
  return heap && heap > 0 && heap <= HEAP_CAP ? heap : undefined;
}

/**
 * The memory limit to propose for a service its limit OOM-kills: twice the limit it has (rounded up to 64 MiB), or
 * 512 MiB when it has none — and never less than a configured heap with half again for the runtime around it (a JVM's
 * metaspace, threads and buffers; Node's code and buffers): a heap the limit cannot hold is killed at every start.
 */
export function memoryWanted(c: Pick<ContainerFacts, 'config' | 'limits'>): { bytes: number; heapBytes?: number; byHeap?: boolean } {
  const now = c.limits.memoryBytes ?? 0;
  const base = now > 0 ? roundUpMemory(now * 2) : 512 * MiB;
  const heap = configuredHeapBytes(c);
  if (heap === undefined) return { bytes: base };
  const room = roundUpMemory(heap * 1.5);
  return room > base ? { bytes: room, heapBytes: heap, byHeap: true } : { bytes: base, heapBytes: heap, byHeap: false };
}
