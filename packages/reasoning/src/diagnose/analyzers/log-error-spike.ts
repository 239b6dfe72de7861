import { citeLine } from '../cite.js';
import type { Analyzer } from '../finding.js';
import type { ErrorTemplate, LogDigest } from '../log-digest.js';
import { said } from '../text.js';

const MIN_PER_MINUTE = 10;
const MIN_LINES = 10;
const MIN_SIDE_MS = 5_000;

/** How many values of a sorted list are below x. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Spike {
  template: ErrorTemplate;
  /** ms since epoch the spike began */
  onset: number;
  /** lines of this template per minute since the onset */
  now: number;
  /** error lines (any template) per minute before the onset, or the baseline's rate */
  usual: number;
}

/**
 * The strongest onset of an error template: the moment after which it is logged at the highest rate compared with
 * all the errors before it (or the stored baseline rate). A spike is ≥ 10 lines, ≥ 10/min since the onset, ≥ 5× the
 * rate before, with at least 5 s (and a tenth of the window) on each side of the onset.
 */
export function spikeOf(t: ErrorTemplate, d: LogDigest, baselinePerMinute: number | undefined): Spike | undefined {
  if (t.count < MIN_LINES || d.startAt === undefined || d.endAt === undefined || t.times.length < MIN_LINES) return undefined;
  const start = d.startAt;
  const end = d.endAt;
  const margin = Math.max(MIN_SIDE_MS, (end - start) / 10);
  let best: Spike | undefined;
  let bestRatio = 0;
  // candidate onsets: up to 200 of the template's own lines
  const step = Math.max(1, Math.floor(t.times.length / 200));
  for (let i = 0; i < t.times.length; i += step) {
    const onset = t.times[i] as number;
    if (onset - start < margin || end - onset < margin) continue;
    const after = t.times.length - i;
    if (after < MIN_LINES) break;
    const now = after / ((end - onset) / 60_000);
    const usual = baselinePerMinute ?? countBelow(d.errorTimes, onset) / ((onset - start) / 60_000);
    const ratio = now / Math.max(usual, 1);
    if (now >= MIN_PER_MINUTE && ratio >= 5 && ratio > bestRatio) {
      bestRatio = ratio;
      best = { template: t, onset, now, usual };
    }
  }
  return best;
}

/**
 * Errors the service logs now far more often than before: an error template whose rate jumped at some moment of
 * the window (against the errors before it, or the stored baseline). A symptom: any analyzer that says why
 * outranks it.
 */
export const logErrorSpike: Analyzer = {
  name: 'log-error-spike',
  causes: ['log_error_spike'],
  analyze(service, ctx) {
    const d = ctx.digests.get(service.name);
    if (!d || d.errors < MIN_LINES) return [];
    const base = service.baseline?.errorsPerMinute;
    const spikes = d.errorTemplates.flatMap((t) => spikeOf(t, d, base) ?? []).sort((a, b) => b.now / Math.max(b.usual, 1) - a.now / Math.max(a.usual, 1));
    const top = spikes[0];
    if (!top) return [];
    const fresh = top.template.firstAt !== undefined && top.template.firstAt >= top.onset;
    const evidence = [
      ctx.evidence.add(
        base !== undefined ? 'baseline' : 'log',
        service.name,
        `${Math.round(top.now)} lines per minute since ${new Date(top.onset).toISOString()}; before: ${top.usual.toFixed(1)} error lines per minute (${base !== undefined ? 'baseline' : 'earlier in the window'})`,
      ),
      ...spikes.slice(0, 2).map((s) => citeLine(ctx, s.template.example, `${s.template.count} lines${fresh ? ', new in the window' : ''}: `)),
    ];
    return [
      {
        cause: 'log_error_spike',
        culprit: service.name,
        observedOn: service.name,
        confidence: top.now >= 20 * Math.max(top.usual, 1) ? 0.7 : 0.6,
        root: false,
        summary: said(
          `${service.name} logs errors at ${Math.round(top.now)}/min since ${new Date(top.onset).toISOString().slice(11, 19)} (before: ${top.usual.toFixed(1)}/min): ${top.template.template.slice(0, 100)}`,
          `${service.name}의 오류 로그가 ${new Date(top.onset).toISOString().slice(11, 19)}부터 분당 ${Math.round(top.now)}건으로 급증했습니다 (이전 ${top.usual.toFixed(1)}건): ${top.template.template.slice(0, 100)}`,
        ),
        evidence,
        suggestions: [
          said(`see the new and spiking templates: bcon logs ${service.name} --since 30m`, `새로 생기거나 급증한 로그 템플릿을 확인하세요: bcon logs ${service.name} --since 30m`),
          said(`check what changed just before the spike (a deploy, a dependency, traffic)`, `급증 직전에 무엇이 바뀌었는지 확인하세요 (배포, 의존 서비스, 트래픽)`),
        ],
      },
    ];
  },
};
