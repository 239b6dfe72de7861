import type { LogDigest, PatternHits } from './log-digest.js';

/** However often a service retried, this long of its own logs after the last refusal says the refusals stopped. */
const QUIET_MIN_MS = 10_000;
/** …and at least this many of its retry intervals (a service that retries every 30 s is not quiet after 10 s). */
const QUIET_INTERVALS = 3;

/**
 * Whether a service's refusals (or resolver errors) stopped: it went on logging for a while after the last of them —
 * at least 10 s, and three of its intervals between them — without another. A dependency that was starting then (a
 * cache loading its snapshot before it listens, with no healthcheck to say when it answered) is answering now: the
 * refusals are its start-up, history, not a fault. Or the service said so: a line after the last refusal saying it
 * connected to the address refused (reconnected.ts), however soon. Unknown line times and no such line: not stopped.
 */
export function refusalsStopped(hits: Pick<PatternHits, 'count' | 'first' | 'last' | 'reconnected'>, digest: Pick<LogDigest, 'endAt'> | undefined): boolean {
  // it said so itself: connected to that address after the last refusal
  if (hits.reconnected) return true;
  const last = hits.last.at;
  const end = digest?.endAt;
  if (last === undefined || end === undefined) return false;
  const first = hits.first.at ?? last;
  const interval = hits.count > 1 ? (last - first) / (hits.count - 1) : 0;
  return end - last >= Math.max(QUIET_MIN_MS, QUIET_INTERVALS * interval);
}
