import { citeHits, citeState } from '../cite.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import { clamp } from '../finding.js';
import type { CauseCode, LogMatch } from '../log-patterns.js';
import type { ServiceSignals } from '../signals.js';
import type { Said } from '../text.js';

export interface PatternCauseSpec {
  name: string;
  cause: CauseCode;
  /** the summary, from the strongest match */
  summary: (service: string, match: LogMatch) => Said;
  suggestions: (service: string, match: LogMatch) => Said[];
  /** extra evidence and confidence from engine facts (e.g. an engine error, a tmpfs size) */
  corroborate?: (service: ServiceSignals, ctx: AnalyzerContext, match: LogMatch) => { evidence: string[]; boost: number };
}

/**
 * An analyzer for a cause that software states in its logs (ENOSPC, EADDRINUSE, EACCES, EMFILE, a missing
 * variable): the strongest pattern sets the confidence; a container that failed with it, or more lines, raise it.
 */
export function patternCause(spec: PatternCauseSpec): Analyzer {
  return {
    name: spec.name,
    causes: [spec.cause],
    analyze(service, ctx): Finding[] {
      const digest = ctx.digests.get(service.name);
      if (!digest) return [];
      const all = [...digest.hits.values()].filter((h) => h.matches[0]?.pattern.cause === spec.cause);
      if (!all.length) return [];
      all.sort((a, b) => (b.matches[0]?.pattern.weight ?? 0) - (a.matches[0]?.pattern.weight ?? 0) || b.count - a.count);
      const best = all[0] as (typeof all)[number];
      const match = best.matches[best.matches.length - 1] as LogMatch;
      const evidence = all.slice(0, 3).map((h) => citeHits(ctx, h));
      // a container that stopped or restarts with it is the error that matters, not a passing line
      const failing = service.containers.filter((c) => c.state !== 'running' || c.restartCount > 0 || c.exitCode !== 0);
      for (const c of failing.slice(0, 2)) evidence.push(citeState(ctx, c));
      const extra = spec.corroborate?.(service, ctx, match) ?? { evidence: [], boost: 0 };
      evidence.push(...extra.evidence);
      const weight = match.pattern.weight;
      const confidence = clamp(0.45 + 0.4 * weight + (failing.length ? 0.1 : 0) + (best.count >= 3 ? 0.03 : 0) + extra.boost);
      return [
        {
          cause: spec.cause,
          culprit: service.name,
          observedOn: service.name,
          confidence,
          root: true,
          summary: spec.summary(service.name, match),
          evidence,
          suggestions: spec.suggestions(service.name, match),
        },
      ];
    },
  };
}
