import ansis from 'ansis';
import { maskDifference } from '../drift/redact.js';
import type { DriftDifference, DriftReport } from '../drift/schema.js';
import { printable } from '../status/format.js';
import { renderTable } from './table.js';

function value(v: unknown): string {
  if (v === null || v === undefined) return '(unset)';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '(none)';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${value(x)}`).join(', ');
  return String(v);
}

/** `expected → actual` for what differs; keys equal on both sides (e.g. the file concerned) lead as context. */
function change(d: DriftDifference): string {
  const keys = [...new Set([...Object.keys(d.expected), ...Object.keys(d.actual)])];
  const same = keys.filter((k) => JSON.stringify(d.expected[k]) === JSON.stringify(d.actual[k]));
  const differ = keys.filter((k) => !same.includes(k));
  const context = same.map((k) => `${value(d.expected[k])}: `).join('');
  return (
    context +
    differ.map((k) => (differ.length === 1 ? '' : `${k}: `) + `${value(d.expected[k])} ${ansis.dim('→')} ${ansis.yellow(value(d.actual[k]))}`).join('; ')
  );
}

/**
 * Drifted services first, each difference as `field: expected → actual`; then untracked and orphan containers.
 * Credentials are masked again here (a no-op on a report drift made; it covers one read back from older history).
 */
export function renderDriftText(given: DriftReport): string {
  const report = { ...given, differences: given.differences.map(maskDifference) };
  const lines: string[] = [];
  const verdict = report.status === 'IN_SYNC' ? ansis.green('IN_SYNC') : ansis.red.bold('DRIFTED');
  lines.push(`${verdict}  ${report.projects.join(', ') || '(no project)'} at ${report.source} vs the engine, ${report.timestamp}`);
  if (report.differences.length) {
    const rows = [['SERVICE', 'CONTAINER', 'FIELD', 'EXPECTED → ACTUAL'].map((h) => ansis.dim(h))];
    for (const d of report.differences) {
      rows.push([
        printable(report.projects.length > 1 ? `${d.project}/${d.service}` : d.service),
        printable(d.container ?? ''),
        d.field,
        printable(change(d)),
      ]);
    }
    lines.push('', renderTable(rows));
  }
  if (report.orphans.length) {
    lines.push('', ansis.bold('Orphans') + ansis.dim(' (their service is no longer in the compose file)'));
    for (const o of report.orphans) lines.push(`  ${printable(o.container)}  ${ansis.dim(`${o.project}/${o.service}: ${o.recommendation}`)}`);
  }
  if (report.untracked.length) {
    lines.push('', ansis.bold('Untracked') + ansis.dim(' (not from any project in the repository)'));
    for (const u of report.untracked) lines.push(`  ${printable(u.container)}${u.project ? ansis.dim(` (project ${printable(u.project)})`) : ''}  ${ansis.dim(u.recommendation)}`);
  }
  if (report.status === 'IN_SYNC') lines.push('', 'Every service runs as the repository says.');
  return lines.join('\n');
}
