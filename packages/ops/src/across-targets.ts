import type { Target } from './target.js';

/** One host's outcome when a command reads several at once: its value, or the error that stopped it. */
export type HostOutcome<T> = { name: string; address: string; value: T } | { name: string; address: string; error: { code: string; message: string } };

/**
 * Run `read` on every target at the same time. A host that fails is reported in its place with the error's code
 * and message; it never stops the others.
 */
export async function acrossTargets<T>(targets: readonly Target[], read: (target: Target) => Promise<T>): Promise<Array<HostOutcome<T>>> {
  return Promise.all(
    targets.map(async (t) => {
      const name = t.name ?? t.address;
      try {
        return { name, address: t.address, value: await read(t) };
      } catch (err) {
        return { name, address: t.address, error: { code: (err as { code?: string }).code ?? 'internal', message: (err as Error).message } };
      }
    }),
  );
}
