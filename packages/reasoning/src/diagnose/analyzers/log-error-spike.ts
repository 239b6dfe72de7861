import { citeLine } from '../cite.js';
import type { Analyzer } from '../finding.js';
import type { ErrorTemplate, LogDigest } from '../log-digest.js';
import { said } from '../text.js';

const MIN_PER_MINUTE = 10;
const MIN_LINES = 10;

/**
 * An error template that appeared inside the window (not at its start) and has since been logged at least
 * 10/min and 3× the error rate before it appeared (or the stored baseline's error rate).
 */
function spikeOf(t: ErrorTemplate, d: LogDigest, baselinePerMinute: number | undefined): { now: number; usual: number } | undefined {
  if (t.count < MIN_LINES || t.firstAt === undefined || t.lastAt === undefined || d.startAt === undefined || d.endAt === undefined) return undefined;
  const span = d.endAt - d.startAt;
  const beforeMs = t.firstAt - d.startAt;
  // it must be new: absent from at least the first fifth of the window (and 30 s)
  if (beforeMs < Math.max(30_000, span * 0.2)) return undefined;
  const activeMinutes = Math.max((d.endAt - t.firstAt) / 60_000, 1 / 60);
  const now = t.count / activeMinutes;
  const usual = baselinePerMinute ?? t.errorsBefore / (beforeMs / 60_000);
  return now >= MIN_PER_MINUTE && now >= 3 * Math.max(usual, 1) ? { now, usual } : undefined;
}

/**
 * Errors the service logs now far more often than before: an error template new in the window and logged at a
 * high rate since (against the errors before it, or the stored baseline). A symptom: any analyzer that says why
 * outranks it.
 */
export const logErrorSpike: Analyzer = {
  name: 'log-error-spike',
  causes: ['log_error_spike'],
  analyze(service, ctx) {
    const d = ctx.digests.get(service.name);
    if (!d || d.errors < MIN_LINES) return [];
    const base = service.baseline?.errorsPerMinute;
    const spikes = d.errorTemplates.flatMap((t) => {
      const s = spikeOf(t, d, base);
      return s ? [{ t, ...s }] : [];
    });
    // with a baseline, the whole error rate can spike without a new template
    const overall = base !== undefined && d.spanMinutes >= 1 ? d.errors / d.spanMinutes : undefined;
    const overallSpike = overall !== undefined && base !== undefined && overall >= MIN_PER_MINUTE && overall >= 3 * Math.max(base, 1);
    if (!spikes.length && !overallSpike) return [];
    const top = spikes[0];
    const now = top?.now ?? (overall as number);
    const usual = top?.usual ?? (base as number);
    const evidence = [
      ctx.evidence.add(base !== undefined ? 'baseline' : 'log', service.name, `${Math.round(now)} error lines per minute; before: ${usual.toFixed(1)} per minute (${base !== undefined ? 'baseline' : 'earlier in the window'})`),
      ...(spikes.length ? spikes.map((s) => s.t) : d.errorTemplates).slice(0, 2).map((t) => citeLine(ctx, t.example, `${t.count} lines, new in the window: `)),
    ];
    const template = (top?.t ?? d.errorTemplates[0])?.template ?? '';
    return [
      {
        cause: 'log_error_spike',
        culprit: service.name,
        observedOn: service.name,
        confidence: spikes.length && now >= 10 * Math.max(usual, 1) ? 0.7 : 0.6,
        root: false,
        summary: said(
          `${service.name} started logging errors at ${Math.round(now)}/min (before: ${usual.toFixed(1)}/min): ${template.slice(0, 100)}`,
          `${service.name}의 오류 로그가 분당 ${Math.round(now)}건으로 급증했습니다 (이전 ${usual.toFixed(1)}건): ${template.slice(0, 100)}`,
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
