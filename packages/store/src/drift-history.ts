import { and, desc, eq, ne } from 'drizzle-orm';
import type { Store } from './open.js';
import { driftReports } from './schema.js';

export interface DriftRecord {
  id: number;
  at: number;
  engine: string;
  repo: string;
  source: string;
  status: 'IN_SYNC' | 'DRIFTED' | 'ERROR';
  differences: number;
  /** the report JSON, or the error message */
  report: string;
}

export function recordDriftReport(store: Store, row: Omit<DriftRecord, 'id'>): number {
  const result = store.db.insert(driftReports).values(row).returning({ id: driftReports.id }).get();
  return result.id;
}

/** The newest report for an engine and repository (errors excluded), to tell what changed since. */
export function latestDriftReport(store: Store, scope: { engine: string; repo: string }): DriftRecord | undefined {
  return store.db
    .select()
    .from(driftReports)
    .where(and(eq(driftReports.engine, scope.engine), eq(driftReports.repo, scope.repo), ne(driftReports.status, 'ERROR')))
    .orderBy(desc(driftReports.at), desc(driftReports.id))
    .limit(1)
    .get() as DriftRecord | undefined;
}

/** The newest reports first. */
export function listDriftHistory(store: Store, options: { limit?: number; engine?: string; repo?: string } = {}): DriftRecord[] {
  const filters = [options.engine ? eq(driftReports.engine, options.engine) : undefined, options.repo ? eq(driftReports.repo, options.repo) : undefined].filter(
    (f) => f !== undefined,
  );
  return store.db
    .select()
    .from(driftReports)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(driftReports.at), desc(driftReports.id))
    .limit(options.limit ?? 20)
    .all() as DriftRecord[];
}
