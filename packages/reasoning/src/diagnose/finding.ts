import type { CauseCode } from './log-patterns.js';
import type { EvidenceBook } from './evidence.js';
import type { DependencyGraph } from './graph.js';
import type { LogDigest } from './log-digest.js';
import type { DiagnosisSignals, ServiceSignals } from './signals.js';
import type { Said } from './text.js';

/** One analyzer's conclusion about one service, with the evidence it rests on. */
export interface Finding {
  cause: CauseCode;
  /** the service (or container outside compose) where the cause lies */
  culprit: string;
  /** the service it was seen on (differs from the culprit when a dependency is to blame) */
  observedOn: string;
  /** 0–1: how strongly the evidence supports it, before ranking */
  confidence: number;
  /** false for a symptom that a deeper finding may explain (a crash loop, an error spike) */
  root: boolean;
  summary: Said;
  /** evidence ids from the EvidenceBook */
  evidence: string[];
  suggestions: Said[];
  /** read from a change within the window (an onset): what must still hold in later logs that begin after it */
  onset?: Onset;
  /** a crash loop: it keeps dying and coming back, or dies again at every start (not one crash) */
  looping?: boolean;
  /** a stopped service that gave up on a service it needs, which answers now (boot-race.ts): why it is down, which
   *  stands above a caller's "dependency down" as a dependency's own root cause does */
  gaveUp?: boolean;
}

/**
 * A fault read from an onset — errors that took a service's output over or jumped (their template), a latency that
 * rose (the usual one, before it) — cannot be read again from logs that begin after the onset; this is what a later
 * reading checks instead (onsetPersists).
 */
export type Onset = { kind: 'errors'; service: string; template: string } | { kind: 'latency'; service: string; usualMs: number };

/** What every analyzer may read. */
export interface AnalyzerContext {
  signals: DiagnosisSignals;
  evidence: EvidenceBook;
  graph: DependencyGraph;
  /** the log digest of every service in scope */
  digests: ReadonlyMap<string, LogDigest>;
  service(name: string): ServiceSignals | undefined;
  /** ms since epoch the signals were read */
  now: number;
}

/** One small unit: reads the signals of one service and returns findings (none when nothing is wrong). */
export interface Analyzer {
  name: string;
  causes: readonly CauseCode[];
  analyze(service: ServiceSignals, ctx: AnalyzerContext): Finding[];
}

export const clamp = (n: number, lo = 0, hi = 0.99): number => Math.min(hi, Math.max(lo, n));
