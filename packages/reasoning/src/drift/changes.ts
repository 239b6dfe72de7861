import { maskCredentials } from './redact.js';
import type { DriftReport } from './schema.js';

/** One thing out of sync, keyed so that two reports can be compared. */
export interface DriftItem {
  key: string;
  /** e.g. `api/api-2 memory: 64 MiB → 96 MiB`, `untracked test-nginx-temp` */
  summary: string;
}

const show = (v: Record<string, unknown>) =>
  Object.values(v)
    .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
    .join(', ');

/** The items as stored: what tells two reports apart (a change inside a masked credential is a change). */
function rawItems(report: DriftReport): DriftItem[] {
  return [
    ...report.differences.map((d) => ({
      key: `diff:${d.project}/${d.service}/${d.container ?? ''}/${d.field}`,
      summary: `${d.project}/${d.service}${d.container ? ` (${d.container})` : ''} ${d.field}: ${show(d.expected)} → ${show(d.actual)}`,
    })),
    ...report.untracked.map((u) => ({ key: `untracked:${u.container}`, summary: `untracked container ${u.container}` })),
    ...report.orphans.map((o) => ({ key: `orphan:${o.container}`, summary: `orphan container ${o.container} (${o.project}/${o.service})` })),
  ];
}

/**
 * One line per thing out of sync, credentials masked (a report stored before drift masked them, read back from
 * the history, is printed masked too).
 */
export function driftItems(report: DriftReport): DriftItem[] {
  return rawItems(report).map(masked);
}

const masked = (i: DriftItem): DriftItem => ({ key: i.key, summary: maskCredentials(i.summary) });

/** What appeared and what was resolved between two reports (everything appears when there is no previous one). */
export function driftChanges(previous: DriftReport | undefined, current: DriftReport): { appeared: DriftItem[]; resolved: DriftItem[] } {
  const before = new Map((previous ? rawItems(previous) : []).map((i) => [i.key, i]));
  const now = new Map(rawItems(current).map((i) => [i.key, i]));
  return {
    appeared: [...now.values()].filter((i) => !before.has(i.key) || before.get(i.key)?.summary !== i.summary).map(masked),
    resolved: [...before.values()].filter((i) => !now.has(i.key)).map(masked),
  };
}
