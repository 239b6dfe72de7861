import { and, desc, eq, lt } from 'drizzle-orm';
import type { Store } from './open.js';
import { metricSamples } from './schema.js';

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
  store.db.transaction((tx) => {
    for (const r of rows) {
      tx.insert(metricSamples)
        .values({
          engine,
          containerId: r.containerId,
          at: r.at,
          cpuTotal: r.totalUsage,
          cpuSystem: r.systemUsage,
          onlineCpus: r.onlineCpus,
          memoryBytes: r.memoryBytes ?? null,
          memoryLimitBytes: r.memoryLimitBytes ?? null,
        })
        .run();
    }
    tx.delete(metricSamples)
      .where(and(eq(metricSamples.engine, engine), lt(metricSamples.at, now - SAMPLE_RETENTION_MS)))
      .run();
  });
}

/** The newest sample of each given container on one engine. */
export function latestSamples(store: Store, engine: string, containerIds: readonly string[]): Map<string, CpuSampleRow> {
  const out = new Map<string, CpuSampleRow>();
  for (const id of containerIds) {
    const row = store.db
      .select()
      .from(metricSamples)
      .where(and(eq(metricSamples.engine, engine), eq(metricSamples.containerId, id)))
      .orderBy(desc(metricSamples.at))
      .limit(1)
      .get();
    if (row) {
      out.set(id, {
        containerId: id,
        at: row.at,
        totalUsage: row.cpuTotal,
        systemUsage: row.cpuSystem,
        onlineCpus: row.onlineCpus,
        memoryBytes: row.memoryBytes ?? undefined,
        memoryLimitBytes: row.memoryLimitBytes ?? undefined,
      });
    }
  }
  return out;
}
