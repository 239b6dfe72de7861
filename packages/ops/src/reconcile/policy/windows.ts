// Deny windows (bcon.yaml `reconcile.windows`): a cron expression says when a window opens, a duration how long it
// stays open; inside one the reconciler only proposes. Cron parsing is cron-parser's, not ours.
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.js';

/** One deny window, parsed: `cron` (5 fields) evaluated in `tz` (UTC unless given), open for `durationMs`. */
export interface DenyWindow {
  cron: string;
  durationMs: number;
  tz?: string;
  /** `deny "0 18 * * 5" for 60h (UTC)`: how reasons and the audit log name it */
  label: string;
}

/** The window that covers an instant, with the opening that covers it. */
export interface ActiveDenyWindow {
  window: DenyWindow;
  startedAt: number;
  endsAt: number;
}

/** Why `tz` is not an IANA time zone, or undefined when it is. */
export function timeZoneProblem(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return undefined;
  } catch {
    return `"${tz}" is not an IANA time zone (e.g. UTC, Europe/Berlin, Asia/Seoul)`;
  }
}

/** Why `expr` is not a standard 5-field cron expression (minute hour day-of-month month day-of-week), or undefined. */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `"${expr}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 5: minute hour day-of-month month day-of-week (e.g. "0 18 * * 5")`;
  }
  // H (hashed) is cron-parser's extension, not standard cron: a window must open where the file says
  if (/h/i.test(expr.replace(/thu/gi, ''))) {
    return `"${expr}" uses H (hashed) values, which standard cron does not have`;
  }
  try {
    CronExpressionParser.parse(expr, { currentDate: 0, tz: 'UTC' });
    return undefined;
  } catch (err) {
    return `"${expr}" is not a valid cron expression: ${(err as Error).message}`;
  }
}

/** bcon.yaml's `{ deny: "0 18 * * 5", duration: 60h, tz?: Europe/Berlin }`. */
export const DenyWindowSchema = z
  .object({
    deny: z.string({ error: 'expected a cron expression in quotes, e.g. "0 18 * * 5"' }),
    duration: z.string({ error: 'expected a duration such as 60h or 90m' }),
    tz: z.string({ error: 'expected an IANA time zone such as Europe/Berlin' }).optional(),
  })
  .strict()
  .transform((w, ctx): DenyWindow => {
    const bad = cronProblem(w.deny);
    if (bad) ctx.addIssue({ code: 'custom', path: ['deny'], message: bad });
    const durationMs = parseDuration(w.duration);
    if (durationMs === undefined || durationMs < 60_000) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: `"${w.duration}" is not a duration of at least 1m (e.g. 60h, 90m)` });
    }
    const badTz = w.tz === undefined ? undefined : timeZoneProblem(w.tz);
    if (badTz) ctx.addIssue({ code: 'custom', path: ['tz'], message: badTz });
    const cron = w.deny.trim();
    const ms = durationMs ?? 0;
    return { cron, durationMs: ms, ...(w.tz ? { tz: w.tz } : {}), label: `deny "${cron}" for ${formatDuration(ms)} (${w.tz ?? 'UTC'})` };
  });

/** The latest opening of `window` at or before `now`. */
export function lastOpening(window: DenyWindow, now: number): number | undefined {
  // prev() is strictly before currentDate: from now + 1 ms it finds an opening at exactly `now` too
  const expr = CronExpressionParser.parse(window.cron, { currentDate: now + 1, tz: window.tz ?? 'UTC' });
  try {
    return expr.prev().getTime();
  } catch {
    return undefined; // no opening before now (e.g. a date that never came)
  }
}

/**
 * The deny window that covers `now`, or undefined. A window opened before `now` covers it while `now` is within its
 * duration of the opening (Friday 18:00 + 60h covers Saturday noon, not Monday 07:00); only the latest opening can,
 * since an earlier one ends no later. When several cover `now`, the one that ends last.
 */
export function inDenyWindow(windows: readonly DenyWindow[], now: number): ActiveDenyWindow | undefined {
  let best: ActiveDenyWindow | undefined;
  for (const window of windows) {
    const startedAt = lastOpening(window, now);
    if (startedAt === undefined) continue;
    const endsAt = startedAt + window.durationMs;
    if (now < endsAt && (!best || endsAt > best.endsAt)) best = { window, startedAt, endsAt };
  }
  return best;
}
