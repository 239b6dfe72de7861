import type { Store } from './open.js';
import { SAMPLE_RETENTION_MS } from './samples.js';

export interface ServiceSampleRow {
  project: string;
  service: string;
  /** ms since epoch */
  at: number;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  restarts: number;
  errorsPerMinute: number | undefined;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
}

/** Medians of earlier samples: what "usual" means for one service. */
export interface ServiceBaselineRow {
  samples: number;
  since: number;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  restarts: number | undefined;
  errorsPerMinute: number | undefined;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
}

/** Append one sample per service, in one transaction, and drop those past retention. */
export function recordServiceSamples(store: Store, engine: string, rows: readonly ServiceSampleRow[], now = Date.now()): void {
  const insert = store.sqlite.prepare(
    'INSERT INTO service_samples (engine, project, service, at, cpu_percent, memory_bytes, restarts, errors_per_minute, latency_p50_ms, latency_p95_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const prune = store.sqlite.prepare('DELETE FROM service_samples WHERE engine = ? AND at < ?');
  store.sqlite.transaction(() => {
    for (const r of rows) {
      insert.run(engine, r.project, r.service, r.at, r.cpuPercent ?? null, r.memoryBytes ?? null, r.restarts, r.errorsPerMinute ?? null, r.latencyP50Ms ?? null, r.latencyP95Ms ?? null);
    }
    prune.run(engine, now - SAMPLE_RETENTION_MS);
  })();
}

function median(values: Array<number | null>): number | undefined {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/**
 * The baseline of a service: medians of its samples taken before `before` (default: 10 minutes ago, so that the
 * incident being diagnosed does not become its own "usual"), within retention. Undefined under `minSamples` (3).
 */
export function serviceBaseline(
  store: Store,
  engine: string,
  project: string,
  service: string,
  options: { before?: number; minSamples?: number; now?: number } = {},
): ServiceBaselineRow | undefined {
  const now = options.now ?? Date.now();
  const before = options.before ?? now - 10 * 60_000;
  const rows = store.sqlite
    .prepare(
      'SELECT at, cpu_percent, memory_bytes, restarts, errors_per_minute, latency_p50_ms, latency_p95_ms FROM service_samples WHERE engine = ? AND project = ? AND service = ? AND at < ? AND at >= ? ORDER BY at DESC LIMIT 500',
    )
    .all(engine, project, service, before, now - SAMPLE_RETENTION_MS) as Array<{
    at: number;
    cpu_percent: number | null;
    memory_bytes: number | null;
    restarts: number;
    errors_per_minute: number | null;
    latency_p50_ms: number | null;
    latency_p95_ms: number | null;
  }>;
  if (rows.length < (options.minSamples ?? 3)) return undefined;
  return {
    samples: rows.length,
    since: Math.min(...rows.map((r) => r.at)),
    cpuPercent: median(rows.map((r) => r.cpu_percent)),
    memoryBytes: median(rows.map((r) => r.memory_bytes)),
    restarts: median(rows.map((r) => r.restarts)),
    errorsPerMinute: median(rows.map((r) => r.errors_per_minute)),
    latencyP50Ms: median(rows.map((r) => r.latency_p50_ms)),
    latencyP95Ms: median(rows.map((r) => r.latency_p95_ms)),
  };
}
