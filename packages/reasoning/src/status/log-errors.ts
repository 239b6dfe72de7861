import type { LogLine } from '@bcon/sensor';
import { continuationReader } from '../diagnose/log-digest.js';
import { lineLevel } from '../diagnose/log-level.js';
import { redactText } from '../redact/text.js';
import { oneLine } from './format.js';

/** Thresholds of the log rule of the status verdict; documented in docs/status.md. */
export const LOG_RULES = {
  /** Only lines of the last this many seconds count (older errors are the past). */
  windowSeconds: 120,
  /** At most this many lines are read per container (the newest). */
  tail: 200,
  /** At most this many bytes are read per container. */
  maxBytes: 256 * 1024,
  /** At least this many error lines in the window… */
  minErrorLines: 5,
  /** …making at least this share of the lines in the window… */
  errorShare: 0.5,
  /** …the last of them at most this many seconds ago. */
  lastErrorSeconds: 30,
} as const;

export interface ErrorDominance {
  errors: number;
  lines: number;
  /** the newest error line, redacted and cut to one short line (logs are untrusted) */
  sample: string;
}

/**
 * Whether a container's recent output is dominated by error lines: at least `minErrorLines` error lines in the last
 * `windowSeconds`, at least `errorShare` of the lines there, the newest of them at most `lastErrorSeconds` old.
 * WARN lines are not errors; lines without a timestamp count as recent; the lines of a stack trace after its first
 * are part of that event, not lines of their own.
 */
export function errorDominance(lines: readonly LogLine[], now: number, rules: { windowSeconds: number; minErrorLines: number; errorShare: number; lastErrorSeconds: number } = LOG_RULES): ErrorDominance | undefined {
  const from = now - rules.windowSeconds * 1000;
  // a stack trace's lines after its first belong to the event above them: one failure with a 30-line trace is one
  // error among the lines, not one error diluted by 30 others (as the diagnosis's log digest reads them)
  const follows = continuationReader();
  let counted = 0;
  let errors = 0;
  let last: { at: number; text: string } | undefined;
  for (const line of lines) {
    if (follows(line.text)) continue;
    const at = line.timestamp ? Date.parse(line.timestamp) : Number.NaN;
    if (!Number.isNaN(at) && at < from) continue;
    if (!line.text.trim()) continue;
    counted++;
    if (lineLevel(line.text) !== 'error') continue;
    errors++;
    const when = Number.isNaN(at) ? now : at;
    if (!last || when >= last.at) last = { at: when, text: line.text };
  }
  if (!last || errors < rules.minErrorLines || errors / counted < rules.errorShare) return undefined;
  if (now - last.at > rules.lastErrorSeconds * 1000) return undefined;
  return { errors, lines: counted, sample: oneLine(redactText(last.text), 60) };
}

/** The problem a status shows for it: `errors in 58 of 60 log lines of the last 2m: "connect ECONNREFUSED …"`. */
export function describeErrorDominance(d: ErrorDominance, windowSeconds: number = LOG_RULES.windowSeconds): string {
  return `errors in ${d.errors} of ${d.lines} log lines of the last ${windowSeconds >= 60 ? `${Math.round(windowSeconds / 60)}m` : `${windowSeconds}s`}: ${JSON.stringify(d.sample)}`;
}
