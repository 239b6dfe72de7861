import type { ContainerFacts } from '@bcon/sensor';
import { explainExitCode } from '../status/exit-codes.js';
import { formatBytes } from '../status/format.js';
import type { Evidence } from './evidence.js';
import type { AnalyzerContext } from './finding.js';
import type { DependencyGraph } from './graph.js';
import type { LogEntry, PatternHits } from './log-digest.js';

/** Evidence helpers shared by the analyzers: each returns an evidence id. */

export function stateText(c: ContainerFacts): string {
  const parts = [`state ${c.state}`];
  if (c.state !== 'running' || c.exitCode !== 0) {
    const meaning = explainExitCode(c.exitCode);
    parts.push(`exit code ${c.exitCode}${meaning ? ` (${meaning})` : ''}`);
  }
  if (c.oomKilled) parts.push('OOMKilled true');
  if (c.restartCount) parts.push(`restarted ${c.restartCount} times (restart: ${c.restartPolicy.name}${c.restartPolicy.maximumRetryCount ? `:${c.restartPolicy.maximumRetryCount}` : ''})`);
  if (c.limits.memoryBytes) parts.push(`memory limit ${formatBytes(c.limits.memoryBytes)}`);
  if (c.error) parts.push(`engine error: ${c.error}`);
  return parts.join(', ');
}

export function citeState(ctx: AnalyzerContext, c: ContainerFacts): string {
  return ctx.evidence.add('state', c.name, stateText(c));
}

export function citeLine(ctx: AnalyzerContext, entry: LogEntry, prefix = ''): string {
  return ctx.evidence.add('log', entry.container, `${prefix}${entry.text}`);
}

/** A pattern's hits as one piece of evidence: how many lines, and the last one. */
export function citeHits(ctx: AnalyzerContext, hits: PatternHits): string {
  const times = hits.count === 1 ? '' : `${hits.count} lines like: `;
  return ctx.evidence.add('log', hits.last.container, `${times}${hits.last.text}`);
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A time as evidence says it: absolute (UTC, to the second), so the same facts read twice give the same text. */
export function at(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * The service each piece of evidence is about: its source when that is a service, the service of a container
 * (by name or id) when the graph knows it; undefined for evidence about no one service (a git commit).
 */
export function evidenceSubjects(evidence: readonly Evidence[], services: ReadonlySet<string>, graph?: DependencyGraph): Map<string, string | undefined> {
  return new Map(evidence.map((e) => [e.id, services.has(e.source) ? e.source : graph?.resolveName(e.source)]));
}
