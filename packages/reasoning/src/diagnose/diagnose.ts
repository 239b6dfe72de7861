import { ANALYZERS } from './analyzers/index.js';
import { at } from './cite.js';
import { complaintTopics } from './complaint.js';
import { EvidenceBook } from './evidence.js';
import type { AnalyzerContext, Finding, Onset } from './finding.js';
import { DependencyGraph } from './graph.js';
import type { LogDigest } from './log-digest.js';
import { digestLogs, quantile } from './log-digest.js';
import { rankFindings } from './rank.js';
import { allFinished } from './service-state.js';
import type { DiagnosisReport } from './schema.js';
import type { DiagnosisSignals } from './signals.js';
import type { Symptom } from './symptoms.js';
import { symptomsOf } from './symptoms.js';
import type { Said } from './text.js';

function recentChangeEvidence(ctx: AnalyzerContext, culprit: string): string[] {
  const out: string[] = [];
  const since = ctx.now - ctx.signals.windowSeconds * 1000;
  const s = ctx.service(culprit);
  for (const c of s?.containers ?? []) {
    const created = Date.parse(c.createdAt);
    if (created >= since) out.push(ctx.evidence.add('change', c.name, `container created ${at(created)} from ${c.image}`));
  }
  for (const change of ctx.signals.recentChanges.slice(0, 2)) out.push(ctx.evidence.add('change', 'git', `commit ${change.commit} at ${at(change.at)}: ${change.message}`));
  return out.slice(0, 3);
}

/** A diagnosis: the JSON report, and the same hypotheses and symptoms in every language of the text view. */
export interface Diagnosis {
  report: DiagnosisReport;
  localized: { hypotheses: Array<{ cause: string; culprit: string; summary: Said; suggestions: Said[] }>; symptoms: Symptom[] };
  /** what the logs measured per service (the baseline store, the reconciler's sweep): error lines per minute, request latency, and the lines read, the error lines and the minutes they span */
  measurements: Record<string, { errorsPerMinute: number | undefined; latencyP50Ms: number | undefined; latencyP95Ms: number | undefined; lines: number; errors: number; spanMinutes: number }>;
  /** the signals judged (not part of the JSON): what level 2 proposes from */
  signals: DiagnosisSignals;
  /** the error templates of each service checked (most frequent first, at most 5), for an LLM's digest */
  errorTemplates: Record<string, Array<{ template: string; count: number; sample: string }>>;
  /** `cause|culprit` → the onset a hypothesis was read from, for a later reading to check (onsetPersists) */
  onsets: Record<string, Onset>;
}

/** What a finished job can still be: not what its files declare, or not declared at all. */
const STILL_DRIFT = new Set(['image_drift', 'config_drift', 'untracked_container']);

/** Below this, a hypothesis is a hint, not a claim: the text view shows it apart, and a healthy service has none above. */
export const CLAIM_THRESHOLD = 0.5;

/**
 * Judge the signals: digest each service's logs once, run every analyzer over every service in view, then rank
 * the findings (rank.ts) into hypotheses that cite evidence ids. Deterministic: no network, no model.
 */
export function diagnose(signals: DiagnosisSignals, options: { durationMs?: number; maxHypotheses?: number } = {}): Diagnosis {
  const evidence = new EvidenceBook();
  const graph = new DependencyGraph(signals.services);
  const digests = new Map<string, LogDigest>(signals.services.map((s) => [s.name, digestLogs(s)]));
  const byName = new Map(signals.services.map((s) => [s.name, s]));
  const ctx: AnalyzerContext = { signals, evidence, graph, digests, service: (n) => byName.get(n), now: Date.parse(signals.collectedAt) };
  const findings: Finding[] = [];
  // a job that finished (exit 0, on the evidence service-state.ts asks for) overcame whatever its logs went through
  // (retries while a dependency started): what was observed on it is history, not a fault — only drift stays
  const finished = new Set(signals.services.filter((s) => allFinished(s, ctx)).map((s) => s.name));
  for (const service of signals.services) for (const analyzer of ANALYZERS) findings.push(...analyzer.analyze(service, ctx).filter((f) => !finished.has(f.observedOn) || STILL_DRIFT.has(f.cause)));
  // with no target every service that is not OK gets its say: up to two hypotheses each
  const limit = options.maxHypotheses ?? (signals.target ? 8 : Math.max(8, 2 * signals.services.length));
  const ranked = rankFindings(findings, ctx, complaintTopics(signals.complaint)).slice(0, limit);
  // recent changes are evidence for the leading claims: a commit to the stack, a container re-created in the window
  for (const h of ranked.filter((x) => x.confidence >= CLAIM_THRESHOLD).slice(0, 3)) h.evidence.push(...recentChangeEvidence(ctx, h.culprit));

  const symptoms = signals.services.filter((s) => !signals.target || s.name === signals.target).flatMap((s) => symptomsOf(s, ctx));
  const cited = new Set(ranked.flatMap((h) => h.evidence));
  // the evidence the report keeps, numbered e1, e2… in the order it was read: the same facts give the same ids,
  // whatever else was read and left out (a neighbour's findings dropped, a flapping container's extra lines)
  const kept = evidence.cited(cited);
  const renamed = new Map(kept.map((e, i) => [e.id, `e${i + 1}`]));
  let extra = kept.length;
  const id = (old: string) => {
    if (!renamed.has(old)) renamed.set(old, `e${++extra}`);
    return renamed.get(old) as string;
  };
  for (const h of ranked) h.evidence = h.evidence.map(id);
  for (const s of symptoms) s.evidence = s.evidence.map(id);
  return {
    report: {
      target: signals.target ?? null,
      complaint: signals.complaint ?? null,
      hypotheses: ranked.map((h) => ({ cause: h.cause, culprit: h.culprit, confidence: h.confidence, summary: h.summary.en, evidence: h.evidence, suggestions: h.suggestions.map((s) => s.en) })),
      evidence: kept.map((e) => ({ ...e, id: id(e.id) })),
      durationMs: options.durationMs ?? 0,
      symptoms: symptoms.map((s) => ({ service: s.service, text: s.text.en, evidence: s.evidence })),
      checked: signals.services.map((s) => s.name),
      notices: [...signals.notices, ...signals.services.flatMap((s) => s.logNotes.map((n) => `${s.name}: ${n}`))],
    },
    localized: { hypotheses: ranked.map((h) => ({ cause: h.cause, culprit: h.culprit, summary: h.summary, suggestions: h.suggestions })), symptoms },
    signals,
    onsets: Object.fromEntries(ranked.flatMap((h) => (h.onset ? [[`${h.cause}|${h.culprit}`, h.onset]] : []))),
    errorTemplates: Object.fromEntries([...digests].map(([name, d]) => [name, d.errorTemplates.slice(0, 5).map((t) => ({ template: t.template, count: t.count, sample: t.example.text.slice(0, 300) }))])),
    measurements: Object.fromEntries(
      [...digests].map(([name, d]) => {
        const latencies = [...d.latency.earlier, ...d.latency.recent];
        return [name, { errorsPerMinute: d.spanMinutes >= 1 ? d.errors / d.spanMinutes : undefined, latencyP50Ms: quantile(d.latency.recent, 0.5), latencyP95Ms: latencies.length ? quantile(d.latency.recent, 0.95) : undefined, lines: d.lines, errors: d.errors, spanMinutes: d.spanMinutes }];
      }),
    ),
  };
}
