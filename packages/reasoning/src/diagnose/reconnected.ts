import type { LogLevel } from '../logs/level-words.js';
import type { LogTarget } from './log-patterns.js';

/** A line saying a connection was made: `Connected to amqp://…@127.0.0.1:5672//`, `connection established`. */
const CONNECTED = /\b(?:re)?connected to\b|\bconnection (?:established|restored|succeeded|is ok)\b|\bestablished (?:a |the )?(?:new )?connection\b/i;
/** …and not one saying it was not (`not connected`, `could not`, `failed`, `lost`). */
const NOT = /\bnot (?:yet )?(?:re)?connected\b|\b(?:failed|unable|cannot|can't|could not|couldn't|lost|refused|error)\b/i;

/** An address literal or a loopback name: printed in many ways (127.0.0.1, localhost, [::1]), so the port tells. */
const LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[\da-f]*:[\da-f:]+\]?|localhost)$/i;

function mentions(text: string, t: LogTarget): boolean {
  const lower = text.toLowerCase();
  const host = t.host !== undefined && !LITERAL.test(t.host) ? t.host.toLowerCase() : undefined;
  if (host && !lower.includes(host)) return false;
  if (t.port !== undefined) return new RegExp(`[:\\s/]${t.port}(?!\\d)`).test(text);
  return host !== undefined && host.length >= 3;
}

/**
 * Whether a line, written after a service's refusals by the same container, says the service then connected to the
 * address it was refused at: not an error or a warning, a connected word, and that address's port (its host when the
 * refusal named no port). Celery's `Connected to amqp://guest:**@127.0.0.1:5672//` after its `Cannot connect … [Errno
 * 111] Connection refused` is a dependency that was starting then and answers now.
 */
export function saysReconnected(text: string, level: LogLevel, refusedAt: readonly LogTarget[]): boolean {
  if (level === 'error' || level === 'warn') return false;
  const head = text.length > 2048 ? text.slice(0, 2048) : text;
  if (!CONNECTED.test(head) || NOT.test(head)) return false;
  return refusedAt.some((t) => mentions(head, t));
}
