import { citeLine } from '../cite.js';
import { commandError } from '../command-error.js';
import { configuredAccounts } from '../configured-accounts.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import type { ErrorTemplate, LogDigest } from '../log-digest.js';
import { EXCEPTION_LINE, writtenLevel } from '../log-level.js';
import { failuresIn, matchLogLine } from '../log-patterns.js';
import type { ServiceSignals } from '../signals.js';
import { said } from '../text.js';

const MIN_PER_MINUTE = 10;
const MIN_LINES = 10;
const MIN_SIDE_MS = 5_000;
/** a takeover: the fewest lines of the new template, the most errors before it, the least errors since */
const MIN_TAKEOVER_LINES = 6;
const MAX_SHARE_BEFORE = 0.2;
const MIN_SHARE_SINCE = 0.5;
const MIN_TEMPLATE_SHARE = 0.25;
/** The most a rise of a server's errors about its clients' commands may claim of the server: a lead. */
const COMMANDS_CAP = 0.4;

/**
 * Lines a server writes about what a client asked, not about itself: a command it aborted (Postgres `ERROR:`), or a
 * login for a user or database no service here is configured with (a probe's `role "root" does not exist`).
 */
function aboutClients(text: string, ctx: AnalyzerContext): boolean {
  if (commandError(text)) return true;
  const asked = matchLogLine(text).flatMap((m) => [m.target?.user, m.target?.database]).filter((x): x is string => x !== undefined);
  if (!asked.length) return false;
  const accounts = configuredAccounts(ctx.signals.services);
  return !asked.some((a) => accounts.users.has(a) || accounts.databases.has(a));
}

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
 * A line that states a failure: an error level the software wrote, an exception's shape, or a known failure pattern
 * (a line whose words only mention one, such as `0 failed`, does not).
 */
function statedError(text: string): boolean {
  return writtenLevel(text) === 'error' || EXCEPTION_LINE.test(text) || failuresIn(text).length > 0;
}

export interface Takeover {
  template: ErrorTemplate;
  /** ms since epoch of the template's first line */
  onset: number;
  /** the service's own lines before it, and how many of them were errors */
  linesBefore: number;
  errorsBefore: number;
  /** lines since it first appeared, and how many of them are errors (any template) */
  linesSince: number;
  errorsSince: number;
}

/**
 * An error template that took the output over, measured against the service's own first lines rather than a rate
 * (it needs no baseline and works on a history of seconds, and at a few requests a minute): it first appeared
 * after lines that were (nearly) clean, its lines state an error (statedError), at least half of the lines since are errors and a quarter are this
 * template, and it is still logged (its last line in the last fifth of the time since it appeared).
 */
export function takeoverOf(t: ErrorTemplate, d: LogDigest): Takeover | undefined {
  if (!statedError(t.example.text)) return undefined;
  if (t.count < MIN_TAKEOVER_LINES || t.linesBefore < 1 || t.firstAt === undefined || t.lastAt === undefined || d.endAt === undefined) return undefined;
  const linesSince = d.lines - t.linesBefore;
  const errorsSince = d.errors - t.errorsBefore;
  if (linesSince <= 0) return undefined;
  const shareBefore = t.errorsBefore / t.linesBefore;
  const shareSince = errorsSince / linesSince;
  if (shareBefore > MAX_SHARE_BEFORE || shareSince < MIN_SHARE_SINCE || shareSince < 3 * shareBefore || t.count / linesSince < MIN_TEMPLATE_SHARE) return undefined;
  if (d.endAt - t.lastAt > (d.endAt - t.firstAt) / 5) return undefined;
  return { template: t, onset: t.firstAt, linesBefore: t.linesBefore, errorsBefore: t.errorsBefore, linesSince, errorsSince };
}

/**
 * Every container of the service has run since it started: none restarted or died (events of containers that are
 * gone, such as the ones a redeploy replaced, do not count).
 */
function runsCleanly(service: ServiceSignals): boolean {
  const ids = new Set(service.containers.map((c) => c.id));
  return service.containers.length > 0 && service.containers.every((c) => c.state === 'running' && c.restartCount === 0) && !service.events.some((e) => e.action === 'die' && ids.has(e.containerId));
}

const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

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
    if (!d || d.errors < Math.min(MIN_LINES, MIN_TAKEOVER_LINES)) return [];
    const base = service.baseline?.errorsPerMinute;
    const spikes = d.errors < MIN_LINES ? [] : d.errorTemplates.flatMap((t) => spikeOf(t, d, base) ?? []).sort((a, b) => b.now / Math.max(b.usual, 1) - a.now / Math.max(a.usual, 1));
    const top = spikes[0];
    if (!top) return runsCleanly(service) ? takeoverFindings(service, ctx, d) : [];
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
        confidence: aboutClients(top.template.example.text, ctx) ? COMMANDS_CAP : top.now >= 20 * Math.max(top.usual, 1) ? 0.7 : 0.6,
        root: false,
        onset: { kind: 'errors', service: service.name, template: top.template.template },
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

/** The takeover of a service's output by a new error template, as a finding (a symptom, like a spike). */
function takeoverFindings(service: ServiceSignals, ctx: AnalyzerContext, d: LogDigest): Finding[] {
  const all = d.errorTemplates.flatMap((t) => takeoverOf(t, d) ?? []).sort((a, b) => b.template.count - a.template.count);
  const top = all[0];
  if (!top) return [];
  const share = top.errorsSince / top.linesSince;
  const pct = Math.round(share * 100);
  const evidence = [
    ctx.evidence.add(
      'log',
      service.name,
      `since ${new Date(top.onset).toISOString()}: ${top.errorsSince} of ${top.linesSince} lines are errors (${pct}%); before it: ${top.errorsBefore} errors in the ${top.linesBefore} lines the service logged first`,
    ),
    ...all.slice(0, 2).map((t) => citeLine(ctx, t.template.example, `${t.template.count} lines, new in the window: `)),
  ];
  return [
    {
      cause: 'log_error_spike',
      culprit: service.name,
      observedOn: service.name,
      confidence: aboutClients(top.template.example.text, ctx) ? COMMANDS_CAP : share >= 0.8 && top.template.count >= MIN_LINES ? 0.7 : 0.6,
      root: false,
      onset: { kind: 'errors', service: service.name, template: top.template.template },
      summary: said(
        `${service.name} logs errors for almost everything it does since ${hhmmss(top.onset)} (${pct}% of ${top.linesSince} lines; ${top.errorsBefore} in the ${top.linesBefore} before): ${top.template.template.slice(0, 100)}`,
        `${service.name}이(가) ${hhmmss(top.onset)}부터 거의 모든 작업에서 오류를 남깁니다 (${top.linesSince}줄 중 ${pct}%, 그 전 ${top.linesBefore}줄에는 ${top.errorsBefore}줄): ${top.template.template.slice(0, 100)}`,
      ),
      evidence,
      suggestions: [
        said(`read the new error template and the lines around its first occurrence: bcon logs ${service.name} --since 30m`, `새 오류 템플릿과 처음 나타난 곳 주변 로그를 확인하세요: bcon logs ${service.name} --since 30m`),
        said(`check what ${service.name} started to receive or use at ${hhmmss(top.onset)} (a release, its input, a setting, a dependency)`, `${hhmmss(top.onset)}에 ${service.name}이(가) 새로 받거나 쓰기 시작한 것을 확인하세요 (배포, 입력, 설정, 의존 서비스)`),
      ],
    },
  ];
}

/** The words of a template that are not wildcards. */
function templateWords(template: string): Set<string> {
  return new Set(template.split(/\s+/).filter((w) => w && !w.includes('<*>')));
}

/** Two templates of the same kind of line: at least two words (wildcards aside) and half of all their words in common. */
export function sameTemplate(a: string, b: string): boolean {
  if (a === b) return true;
  const x = templateWords(a);
  const y = templateWords(b);
  const shared = [...x].filter((w) => y.has(w)).length;
  const all = new Set([...x, ...y]).size;
  return shared >= 2 && shared / all >= 0.5;
}

/** What later logs of a service measured: its error templates (most frequent first), lines, error lines, minutes. */
export interface LaterLogs {
  templates: ReadonlyArray<{ template: string; count: number }>;
  lines: number;
  errors: number;
  spanMinutes: number;
}

/**
 * Does an error onset found earlier (a spike or a takeover of `template`) still hold in later logs that hold no
 * onset of their own (they begin after it)? The same template still logged with what made it one: at least half of
 * the lines errors and a quarter this template (a takeover), or at least 10 lines a minute (a spike's floor); and
 * at least 6 lines. Returns the words that say so, or undefined.
 */
export function errorsPersist(template: string, later: LaterLogs): string | undefined {
  const t = later.templates.find((x) => sameTemplate(x.template, template));
  if (!t || t.count < MIN_TAKEOVER_LINES || later.lines <= 0) return undefined;
  const share = later.errors / later.lines;
  const perMinute = later.spanMinutes > 0 ? t.count / later.spanMinutes : undefined;
  const takeover = share >= MIN_SHARE_SINCE && t.count / later.lines >= MIN_TEMPLATE_SHARE;
  const spike = perMinute !== undefined && perMinute >= MIN_PER_MINUTE;
  if (!takeover && !spike) return undefined;
  return `${t.count} lines of it in the ${later.lines} read since (${Math.round(share * 100)}% of them errors${perMinute !== undefined ? `, ${Math.round(perMinute)} a minute` : ''}): ${t.template.slice(0, 100)}`;
}
