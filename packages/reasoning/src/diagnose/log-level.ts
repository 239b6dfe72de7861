import type { LogLevel } from '../logs/level-words.js';
import { levelOf } from '../logs/level-words.js';
import { httpStatus } from './log-patterns.js';

const PINO = /"level"\s*:\s*(\d{2})\b/;
const NAMED = /"(?:level|severity|lvl|log\.level)"\s*:\s*"(\w+)"|\blevel=(\w+)/i;
// levels written by the software itself: postgres `ERROR:`, nginx `[error]`, java/python `ERROR`, go `E1125`
const EXPLICIT = /(?:^|[\s[(|:])(EMERG|ALERT|CRIT(?:ICAL)?|FATAL|PANIC|SEVERE|ERROR|ERR|WARN(?:ING)?|NOTICE|INFO|DEBUG|TRACE|LOG)(?=[\]):|\s]|$)|\[(emerg|alert|crit|error|warn|notice|info|debug)\]/;

// a level in brackets, any case: MySQL/MariaDB `[Note]`, `[Warning]`, `[ERROR]`, `[System]`; `[Info]`, `[Error]`
const BRACKETED = /\[(emerg|alert|crit|critical|fatal|error|err|warn|warning|notice|note|info|debug|trace|system)\]/i;

// a level as its own tab-separated field after the timestamp, lower case: zap's console encoder, VictoriaMetrics
// (`2026-12-06T10:00:01.000Z\twarn\tlib/promscrape/scrapework.go:387\t…`)
const TABBED = /^[^\t]{8,48}\t(debug|info|warn|warning|error|fatal|panic|dpanic)\t/i;

function named(word: string): LogLevel | undefined {
  const w = word.toLowerCase();
  if (/^(emerg|alert|crit|critical|fatal|panic|severe|error|err)$/.test(w)) return 'error';
  if (/^(warn|warning)$/.test(w)) return 'warn';
  if (/^(notice|note|info|debug|trace|log|verbose|system)$/.test(w)) return 'info';
  return undefined;
}

/**
 * How far into a line a level word is its header's: a timestamp, a thread and a logger name come first (Spring Boot,
 * log4j, MySQL), the message after; a word further on is the message's (`(set LOG_LEVEL to DEBUG)`, a Go slice
 * printed as `[info]`).
 */
const HEADER_CHARS = 160;

/**
 * The level word written in the header: the first of an upper-case word (`ERROR`, `INFO`) or a bracketed one (that
 * one only in the header's reach). `reach` bounds the upper-case word too (toldInformational).
 */
function headerWord(head: string, reach = head.length): string | undefined {
  const e = EXPLICIT.exec(head);
  const b = BRACKETED.exec(head.slice(0, HEADER_CHARS));
  const upper = e && e.index < reach ? e : undefined;
  if (upper && (!b || upper.index <= b.index)) return upper[1] ?? upper[2];
  return b?.[1];
}

/**
 * The level the software itself wrote on a line (pino numbers, JSON/logfmt names, the status of an access-log line,
 * postgres `ERROR:`, nginx `[error]`, `ERROR`/`FATAL` words in the header), or undefined when only the message's
 * words could tell (`0 failed`, `error rate 0.1 %`).
 */
export function writtenLevel(text: string): LogLevel | undefined {
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const pino = PINO.exec(head);
  if (pino) {
    const n = Number(pino[1]);
    return n >= 50 ? 'error' : n >= 40 ? 'warn' : 'info';
  }
  const tab = TABBED.exec(head);
  if (tab) return named(tab[1] === 'dpanic' ? 'panic' : (tab[1] as string));
  const n = NAMED.exec(head);
  const fromName = n ? named(n[1] ?? n[2] ?? '') : undefined;
  if (fromName) return fromName;
  const status = httpStatus(head);
  if (status !== undefined) return status >= 500 ? 'error' : 'info';
  const word = headerWord(head);
  return word ? named(word) : undefined;
}

// a lower-case level after the program's name at the head of a line: `10-listen-on-ipv6-by-default.sh: info: …`
const PREFIXED = /^(?:[\w./-]{1,128}:\s{1,4})?(info|notice|debug|trace):\s/;
const QUIET_WORD = /^(?:notice|note|info|debug|trace|verbose|system)$/i;

/**
 * The software itself wrote this line as informational: pino below 40, a JSON/logfmt level info/debug/notice/trace,
 * `INFO`/`DEBUG`/`NOTICE`/`TRACE` or nginx `[info]`/`[notice]` in the header, `prog: info:` — what it reports as
 * a passing fact (`info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)`, `INFO config file
 * not found, using defaults`). Not postgres `LOG:` (where it reports a killed backend), nor an access line's status.
 */
export function toldInformational(text: string): boolean {
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const pino = PINO.exec(head);
  if (pino) return Number(pino[1]) < 40;
  const n = NAMED.exec(head);
  const word = n ? (n[1] ?? n[2] ?? '') : undefined;
  if (word !== undefined && named(word)) return QUIET_WORD.test(word);
  if (PREFIXED.test(head)) return true;
  return QUIET_WORD.test(headerWord(head, HEADER_CHARS) ?? '');
}

/**
 * The level of one log line: the level the software wrote (pino numbers, JSON/logfmt names, postgres `ERROR:`,
 * nginx `[error]`), the status of an access-log line (5xx is an error), else what the words say.
 */
export function lineLevel(text: string): LogLevel {
  return writtenLevel(text) ?? levelOf(text.length > 4096 ? text.slice(0, 4096) : text);
}

/** An exception or a crash as runtimes print it: `TypeError: …`, `java.lang.IllegalStateException: …`, `panic: …`. */
export const EXCEPTION_LINE = /^\s*(?:(?:[\w$]+\.)*[\w$]*(?:Error|Exception)\b|panic:|Traceback\b|Uncaught\b)/;
