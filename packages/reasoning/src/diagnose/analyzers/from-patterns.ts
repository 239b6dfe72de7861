import { citeHits, citeState } from '../cite.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import { clamp } from '../finding.js';
import type { CauseCode, LogMatch } from '../log-patterns.js';
import type { ServiceSignals } from '../signals.js';
import type { Said } from '../text.js';

/** The most a cause stated only on lines the software wrote as informational may claim: a lead, below 0.5. */
const INFORMATIONAL_CAP = 0.4;

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
      const found = [...digest.hits.values()].filter((h) => h.matches[0]?.pattern.cause === spec.cause);
      if (!found.length) return [];
      // what the software wrote as informational (`info: can not modify … (read-only file system?)`) is a passing
      // fact it coped with: a lead at most, unless it also said so louder
      const loud = found.filter((h) => h.count > h.informational);
      const all = loud.length ? loud : found;
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
      const claimed = clamp(0.45 + 0.4 * weight + (failing.length ? 0.1 : 0) + (best.count >= 3 ? 0.03 : 0) + extra.boost);
      const confidence = loud.length ? claimed : Math.min(claimed, INFORMATIONAL_CAP);
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
