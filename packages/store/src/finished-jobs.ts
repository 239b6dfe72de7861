import type { Store } from './open.js';

/** How long a judged finish is remembered (a container removed since is forgotten with it at the latest then). */
export const FINISHED_JOB_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** One container's exit: its id and the engine's `FinishedAt` (a later exit of the same container differs). */
export interface ContainerExit {
  containerId: string;
  finishedAt: string;
}

/**
 * Remember exits judged to be jobs that finished by themselves, as seen now (each pass that judges one again keeps
 * it), and forget those not seen for the retention (a removed container).
 */
export function recordFinishedJobs(store: Store, engine: string, exits: readonly ContainerExit[], now = Date.now()): void {
  const upsert = store.sqlite.prepare(
    'INSERT INTO finished_jobs (engine, container_id, finished_at, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (engine, container_id) DO UPDATE SET finished_at = excluded.finished_at, seen_at = excluded.seen_at',
  );
  const prune = store.sqlite.prepare('DELETE FROM finished_jobs WHERE engine = ? AND seen_at < ?');
  store.sqlite.transaction(() => {
    for (const e of exits) upsert.run(engine, e.containerId, e.finishedAt, now);
    prune.run(engine, now - FINISHED_JOB_RETENTION_MS);
  })();
}

/** The containers among `exits` remembered as finished jobs at that very exit. */
export function finishedJobsSeen(store: Store, engine: string, exits: readonly ContainerExit[]): string[] {
  if (!exits.length) return [];
  const get = store.sqlite.prepare('SELECT finished_at AS finishedAt FROM finished_jobs WHERE engine = ? AND container_id = ?');
  return exits.filter((e) => (get.get(engine, e.containerId) as { finishedAt: string } | undefined)?.finishedAt === e.finishedAt).map((e) => e.containerId);
}
