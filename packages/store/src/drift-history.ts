import type { Store } from './open.js';

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

const COLUMNS = 'id, at, engine, repo, source, status, differences, report';

export function recordDriftReport(store: Store, row: Omit<DriftRecord, 'id'>): number {
  const result = store.sqlite
    .prepare('INSERT INTO drift_reports (at, engine, repo, source, status, differences, report) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(row.at, row.engine, row.repo, row.source, row.status, row.differences, row.report);
  return Number(result.lastInsertRowid);
}

/** The newest report for an engine and repository (errors excluded), to tell what changed since. */
export function latestDriftReport(store: Store, scope: { engine: string; repo: string }): DriftRecord | undefined {
  return store.sqlite
    .prepare(`SELECT ${COLUMNS} FROM drift_reports WHERE engine = ? AND repo = ? AND status != 'ERROR' ORDER BY at DESC, id DESC LIMIT 1`)
    .get(scope.engine, scope.repo) as DriftRecord | undefined;
}

/** The newest reports first. */
export function listDriftHistory(store: Store, options: { limit?: number; engine?: string; repo?: string } = {}): DriftRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (options.engine) {
    where.push('engine = ?');
    args.push(options.engine);
  }
  if (options.repo) {
    where.push('repo = ?');
    args.push(options.repo);
  }
  return store.sqlite
    .prepare(`SELECT ${COLUMNS} FROM drift_reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`)
    .all(...args, options.limit ?? 20) as DriftRecord[];
}
