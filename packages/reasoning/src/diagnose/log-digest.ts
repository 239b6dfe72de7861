import type { LogLevel } from '../logs/analyze.js';
import { MAX_LINE_LENGTH } from '../logs/analyze.js';
import { TemplateMiner } from '../logs/drain.js';
import type { LogMatch } from './log-patterns.js';
import { matchLogLine, requestLatencyMs } from './log-patterns.js';
import { requestRoute } from './request-route.js';
import { EXCEPTION_LINE, lineLevel, toldInformational, writtenLevel } from './log-level.js';
import { saysReconnected } from './reconnected.js';
import type { ServiceSignals } from './signals.js';

export interface LogEntry {
  container: string;
  /** ms since epoch, when the engine stamped the line */
  at: number | undefined;
  text: string;
  level: LogLevel;
  /** a line of a stack trace after its first (continuationReader): part of the event above it */
  continuation?: boolean;
  /** a bare Python traceback's header: the exception line that closes it, which tells the event */
  told?: string;
}

/** All the lines one pattern matched in a service's logs. */
export interface PatternHits {
  matches: LogMatch[];
  count: number;
  /** how many of those lines the software itself wrote as informational (INFO, DEBUG, notice: toldInformational) */
  informational: number;
  first: LogEntry;
  last: LogEntry;
  /** a refusal's: a line of the same container after the last one saying it connected to that address (reconnected.ts) */
  reconnected?: LogEntry;
}

/** Latency figures of two windows (ms): the earlier part of the logs and the most recent. */
export interface LatencyWindows {
  earlier: number[];
  recent: number[];
  /** every request's latency in the window by the route its line names (`POST /login`), when it names one */
  byRoute: Map<string, number[]>;
}

/** At most this many routes are kept (a scan of random paths is not a route table), each with its last latencies. */
const MAX_ROUTES = 200;
const MAX_ROUTE_SAMPLES = 500;

export interface ErrorTemplate {
  template: string;
  count: number;
  example: LogEntry;
  /** lines of this template in the earlier and the recent half of the window */
  earlier: number;
  recent: number;
  /** ms since epoch of its first and last line (undefined when lines carry no time) */
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** error lines of any template before this one first appeared */
  errorsBefore: number;
  /** lines of any level before this one first appeared (its first line's place in the time-ordered stream) */
  linesBefore: number;
  /** ms since epoch of its stamped lines, in order (at most MAX_TIMES) */
  times: number[];
}

/** What a service's log window says, computed once and shared by every analyzer. */
export interface LogDigest {
  service: string;
  lines: number;
  errors: number;
  warnings: number;
  /** span of the stamped lines, in minutes (0 when unknown) */
  spanMinutes: number;
  /** ms since epoch of the first and last stamped line */
  startAt: number | undefined;
  endAt: number | undefined;
  /** pattern id → hits */
  hits: Map<string, PatternHits>;
  latency: LatencyWindows;
  /** error-level templates, most frequent first */
  errorTemplates: ErrorTemplate[];
  /** error lines per minute in the earlier and the recent half of the window */
  errorRate: { earlier: number; recent: number };
  /** ms since epoch of every stamped error line, in order (at most MAX_TIMES) */
  errorTimes: number[];
}

const MAX_TIMES = 20_000;

const MAX_PATTERN_LINES = 20_000;

export function quantile(values: readonly number[], q: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const INDENTED = /^[ \t]+\S/;
const TRACEBACK = /^Traceback \(most recent call last\):/;
/**
 * The parts of a database error's message printed on lines of their own under the exception that carries it
 * (psycopg's `LINE 1: …` and the caret under it, `DETAIL:  `, `HINT:  `, `CONTEXT:  `, `QUERY:  `, `WHERE:  `): still that error.
 */
const ERROR_PARTS = /^(?:LINE \d{1,6}: |(?:DETAIL|HINT|CONTEXT|QUERY|WHERE): {2}\S|\s*\^\s*$)/;
/** a stack trace's own line that is not indented: Java's `Caused by: …` and `… 12 more`, Python's chained-exception text */
const TRACE_LINK = /^(?:Caused by: |Suppressed: |\.\.\. \d+ more\b|During handling of the above exception|The above exception was the direct cause)/;

/**
 * Reads one container's lines in order and says which continue a stack trace begun above them (the way multiline
 * log shippers group them). A trace begins at an error line or an exception-shaped one (`TypeError: …`,
 * `java.lang.NullPointerException: …`, `Traceback …`); it goes on with indented lines that carry no level of their
 * own (`  File …`, `\tat …`), its linking lines (`Caused by: …`, `... 12 more`), a Python traceback printed under the
 * message line (`logger.exception`), the exception line a logger prints on its own under its error message
 * (logback's `ERROR … failed` then `java.net.ConnectException: …`), the exception line that closes a Python
 * traceback (the first unindented line after its frames) and, after that, the blank line and the link of a chained
 * exception ("The above exception was the direct cause …", "During handling …") with the traceback that follows it.
 * Indented lines after an ordinary line are lines of their own. Returns `'close'` for the line that closes a Python
 * traceback, true for other continuations.
 */
export function continuationReader(): (text: string) => boolean | 'close' {
  let inTrace = false;
  let traceback = false;
  let framed = false;
  // a Python traceback just closed: a chained one may follow (a blank line, a link, then another traceback)
  let mayChain = false;
  // the line above was a logger's error message: the exception it printed may follow on a line of its own
  let logged = false;
  return (text) => {
    const underMessage = logged;
    logged = false;
    if (mayChain) {
      if (text.trim() === '' || TRACE_LINK.test(text) || ERROR_PARTS.test(text)) return true;
      if (TRACEBACK.test(text)) {
        mayChain = false;
        inTrace = true;
        traceback = true;
        framed = false;
        return true;
      }
      mayChain = false;
    }
    if (INDENTED.test(text) && writtenLevel(text) === undefined) {
      if (!inTrace) return false;
      framed = true;
      return true;
    }
    if (inTrace && TRACE_LINK.test(text)) return true;
    // logback/log4j/winston: `ERROR … request failed` then `java.net.ConnectException: …` then the frames
    if (underMessage && !INDENTED.test(text) && EXCEPTION_LINE.test(text) && !TRACEBACK.test(text)) return true;
    // `logger.exception(…)`: the message line, then the traceback it printed
    if (inTrace && !traceback && TRACEBACK.test(text)) {
      traceback = true;
      framed = false;
      return true;
    }
    if (inTrace && traceback && framed) {
      // the exception that closes a Python traceback
      inTrace = false;
      traceback = false;
      framed = false;
      mayChain = true;
      return 'close';
    }
    traceback = TRACEBACK.test(text);
    const exception = EXCEPTION_LINE.test(text);
    const error = lineLevel(text) === 'error';
    inTrace = traceback || error || exception;
    logged = error && !exception;
    framed = false;
    return false;
  };
}

/** Merge the log windows of a service's containers into one time-ordered stream and digest it. */
export function digestLogs(service: ServiceSignals): LogDigest {
  const entries: LogEntry[] = [];
  for (const [container, lines] of Object.entries(service.logs)) {
    const follows = continuationReader();
    // the event a line belongs to: a bare traceback is told by the exception that closes it, not by its header
    let head: LogEntry | undefined;
    for (const l of lines) {
      const text = l.text.length > MAX_LINE_LENGTH ? l.text.slice(0, MAX_LINE_LENGTH) : l.text;
      const at = l.timestamp ? Date.parse(l.timestamp) : NaN;
      const follow = follows(text);
      const entry: LogEntry = { container, at: Number.isFinite(at) ? at : undefined, text, level: lineLevel(text), ...(follow ? { continuation: true } : {}) };
      if (!follow) head = entry;
      else if (follow === 'close' && head && TRACEBACK.test(head.text) && head.told === undefined) head.told = text;
      entries.push(entry);
    }
  }
  entries.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  const stamped = entries.filter((e) => e.at !== undefined) as Array<LogEntry & { at: number }>;
  const start = stamped[0]?.at ?? 0;
  const end = stamped[stamped.length - 1]?.at ?? 0;
  const mid = start + (end - start) / 2;
  const spanMinutes = Math.max(0, (end - start) / 60_000);

  const hits = new Map<string, PatternHits>();
  const latencies: number[] = [];
  const byRoute = new Map<string, number[]>();
  const miner = new TemplateMiner();
  const errorLines = new Map<number, { entry: LogEntry; earlier: number; recent: number; firstAt: number | undefined; lastAt: number | undefined; errorsBefore: number; linesBefore: number; times: number[] }>();
  const errorTimes: number[] = [];
  let errors = 0;
  let warnings = 0;
  let errorsEarlier = 0;
  let errorsRecent = 0;
  // the newest lines matter most: when the window is huge, patterns look at its last MAX_PATTERN_LINES lines
  const patternFrom = Math.max(0, entries.length - MAX_PATTERN_LINES);
  // events: a stack trace's lines after its first belong to the event above them (not lines of their own, not errors)
  let events = 0;
  entries.forEach((e, i) => {
    const event = events;
    if (!e.continuation) events++;
    if (e.level === 'error' && !e.continuation) {
      errors++;
      const recent = e.at !== undefined && e.at > mid;
      if (recent) errorsRecent++;
      else errorsEarlier++;
      const said = e.told ?? e.text;
      const t = miner.add(said, i + 1, said);
      const seen = errorLines.get(t.id) ?? { entry: e.told ? { ...e, text: e.told } : e, earlier: 0, recent: 0, firstAt: e.at, lastAt: e.at, errorsBefore: errors - 1, linesBefore: event, times: [] };
      if (recent) seen.recent++;
      else seen.earlier++;
      seen.lastAt = e.at ?? seen.lastAt;
      if (e.at !== undefined) {
        if (seen.times.length < MAX_TIMES) seen.times.push(e.at);
        if (errorTimes.length < MAX_TIMES) errorTimes.push(e.at);
      }
      errorLines.set(t.id, seen);
    } else if (e.level === 'warn' && !e.continuation) warnings++;
    if (i >= patternFrom) {
      const matched = matchLogLine(e.text);
      const told = matched.length > 0 && toldInformational(e.text) ? 1 : 0;
      for (const m of matched) {
        const h = hits.get(m.pattern.id);
        if (h) {
          h.count++;
          h.informational += told;
          h.last = e;
          if (h.matches.length < 50) h.matches.push(m);
        } else hits.set(m.pattern.id, { matches: [m], count: 1, informational: told, first: e, last: e });
      }
    }
    const ms = requestLatencyMs(e.text);
    if (ms !== undefined && Number.isFinite(ms) && ms >= 0) {
      latencies.push(ms);
      const route = requestRoute(e.text);
      // full: a route seen once (a scan's random path) makes room for a new one
      if (route !== undefined && !byRoute.has(route) && byRoute.size >= MAX_ROUTES) {
        const once = [...byRoute].find(([, v]) => v.length === 1)?.[0];
        if (once !== undefined) byRoute.delete(once);
      }
      const kept = route === undefined ? undefined : (byRoute.get(route) ?? (byRoute.size < MAX_ROUTES ? byRoute.set(route, []).get(route) : undefined));
      if (kept) {
        kept.push(ms);
        if (kept.length > MAX_ROUTE_SAMPLES) kept.shift();
      }
    }
  });
  // "usual" is the first third of the requests, "now" the last third: a change inside the window shows
  const third = Math.floor(latencies.length / 3);
  const latency = third >= 3 ? { earlier: latencies.slice(0, third), recent: latencies.slice(latencies.length - third), byRoute } : { earlier: [], recent: latencies, byRoute };
  const halfMinutes = Math.max(spanMinutes / 2, 1 / 60);
  const errorTemplates = miner.templates
    .map((t) => {
      const seen = errorLines.get(t.id);
      return seen
        ? { template: t.tokens.join(' '), count: t.count, example: seen.entry, earlier: seen.earlier, recent: seen.recent, firstAt: seen.firstAt, lastAt: seen.lastAt, errorsBefore: seen.errorsBefore, linesBefore: seen.linesBefore, times: seen.times }
        : undefined;
    })
    .filter((t): t is ErrorTemplate => t !== undefined)
    .sort((a, b) => b.count - a.count);
  // a condition the software says ended (a RabbitMQ alarm cleared after the last time it was set) is history: in
  // every container that said it, a later line of that container said it ended
  for (const [key, h] of hits) {
    const pattern = h.matches[0]?.pattern;
    const ended = pattern?.endedBy;
    if (!pattern || !ended) continue;
    const open = new Set<string>();
    for (const e of entries) {
      if (e.continuation) continue;
      if (pattern.regex.test(e.text)) open.add(e.container);
      else if (ended.test(e.text)) open.delete(e.container);
    }
    if (!open.size) hits.delete(key);
  }
  // refusals the service itself says ended: a later line of the same container connected to the address refused
  for (const h of hits.values()) {
    if (h.matches[0]?.pattern.cause !== 'connection_refused') continue;
    // the address of the last refusal (the matches kept are the first 50): what it says it connected to must be that
    const id = h.matches[0]?.pattern.id;
    const targets = matchLogLine(h.last.text)
      .filter((m) => m.pattern.id === id)
      .map((m) => m.target)
      .filter((t): t is NonNullable<typeof t> => t !== undefined);
    if (!targets.length) continue;
    const from = entries.lastIndexOf(h.last);
    const after = entries.slice(from + 1).find((e) => e.container === h.last.container && !e.continuation && saysReconnected(e.text, e.level, targets));
    if (after) h.reconnected = after;
  }
  return {
    service: service.name,
    lines: events,
    errors,
    warnings,
    spanMinutes,
    startAt: stamped[0]?.at,
    endAt: stamped[stamped.length - 1]?.at,
    hits,
    latency,
    errorTemplates,
    errorRate: { earlier: errorsEarlier / halfMinutes, recent: errorsRecent / halfMinutes },
    errorTimes,
  };
}
