import type { Store } from './open.js';

export interface CpuSampleRow {
  containerId: string;
  at: number;
  totalUsage: number;
  systemUsage: number;
  onlineCpus: number;
  memoryBytes?: number | undefined;
  memoryLimitBytes?: number | undefined;
}

/** How long samples are kept for baselines. */
export const SAMPLE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Append samples of one engine, in one transaction, and drop those past retention. */
export function recordSamples(store: Store, engine: string, rows: readonly CpuSampleRow[], now = Date.now()): void {
  const insert = store.sqlite.prepare(
    'INSERT INTO metric_samples (engine, container_id, at, cpu_total, cpu_system, online_cpus, memory_bytes, memory_limit_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const prune = store.sqlite.prepare('DELETE FROM metric_samples WHERE engine = ? AND at < ?');
  store.sqlite.transaction(() => {
    for (const r of rows) {
      insert.run(engine, r.containerId, r.at, r.totalUsage, r.systemUsage, r.onlineCpus, r.memoryBytes ?? null, r.memoryLimitBytes ?? null);
    }
    prune.run(engine, now - SAMPLE_RETENTION_MS);
  })();
}

/** The newest sample of each given container on one engine. */
export function latestSamples(store: Store, engine: string, containerIds: readonly string[]): Map<string, CpuSampleRow> {
  const select = store.sqlite.prepare(
    'SELECT at, cpu_total, cpu_system, online_cpus, memory_bytes, memory_limit_bytes FROM metric_samples WHERE engine = ? AND container_id = ? ORDER BY at DESC LIMIT 1',
  );
  const out = new Map<string, CpuSampleRow>();
  for (const id of containerIds) {
    const row = select.get(engine, id) as
      | { at: number; cpu_total: number; cpu_system: number; online_cpus: number; memory_bytes: number | null; memory_limit_bytes: number | null }
      | undefined;
    if (row) {
      out.set(id, {
        containerId: id,
        at: row.at,
        totalUsage: row.cpu_total,
        systemUsage: row.cpu_system,
        onlineCpus: row.online_cpus,
        memoryBytes: row.memory_bytes ?? undefined,
        memoryLimitBytes: row.memory_limit_bytes ?? undefined,
      });
    }
  }
  return out;
}
