import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per container per sample: the raw counters behind CPU% (so the next `bcon status` needs no second
 * sample) and the memory working set, kept for baselines.
 */
export const metricSamples = sqliteTable(
  'metric_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    engine: text('engine').notNull(),
    containerId: text('container_id').notNull(),
    /** ms since epoch, as the engine read the sample */
    at: integer('at').notNull(),
    cpuTotal: real('cpu_total').notNull(),
    cpuSystem: real('cpu_system').notNull(),
    onlineCpus: integer('online_cpus').notNull(),
    memoryBytes: integer('memory_bytes'),
    memoryLimitBytes: integer('memory_limit_bytes'),
  },
  (t) => [index('metric_samples_container_at').on(t.engine, t.containerId, t.at)],
);
