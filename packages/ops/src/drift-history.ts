import type { DriftReport } from '@bcon/reasoning';
import type { Logger } from './log.js';

/** Keep a report in the drift history (BCON_HOME/bcon.db). History is a convenience: a failure only logs. */
export async function rememberDrift(
  scope: { engine: string; repo: string },
  outcome: { report: DriftReport } | { error: string; source: string },
  log: Logger,
): Promise<void> {
  try {
    const { openStore, recordDriftReport } = await import('@bcon/store');
    const store = openStore();
    try {
      if ('report' in outcome) {
        recordDriftReport(store, {
          ...scope,
          at: Date.parse(outcome.report.timestamp) || Date.now(),
          source: outcome.report.source,
          status: outcome.report.status,
          differences: outcome.report.differences.length + outcome.report.untracked.length + outcome.report.orphans.length,
          report: JSON.stringify(outcome.report),
        });
      } else {
        recordDriftReport(store, { ...scope, at: Date.now(), source: outcome.source, status: 'ERROR', differences: 0, report: outcome.error });
      }
    } finally {
      store.close();
    }
  } catch (err) {
    log.warn({ err }, 'could not record the drift report');
  }
}

/** The last report of this scope, to tell what changed since. */
export async function lastDrift(scope: { engine: string; repo: string }): Promise<DriftReport | undefined> {
  try {
    const { openStore, latestDriftReport } = await import('@bcon/store');
    const store = openStore();
    try {
      const row = latestDriftReport(store, scope);
      return row ? (JSON.parse(row.report) as DriftReport) : undefined;
    } finally {
      store.close();
    }
  } catch {
    return undefined;
  }
}
