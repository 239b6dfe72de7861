import { MESSAGE_FIELDS } from './json-line.js';
import type { StructuredLine } from './json-line.js';

/**
 * A logfmt line, as Go services (logrus, slog, go-kit), Heroku and others write it: `key=value` pairs, a value with
 * spaces in double quotes (`time=2024-05-01T10:00:00Z level=info msg="request served" method=GET duration=12ms`).
 * Split on whitespace, a quoted value falls into pieces whose number depends on the value, and the words of the
 * message look like values (`msg="cache` then `miss"`). Read here as pairs, with the quotes and escapes taken off.
 */
const PAIR = /([A-Za-z_][\w.\-/@]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?=\s|$)/y;
const SPACE = /\s+/y;
/** the first `key=` that starts a word */
const FIRST_KEY = /(?:^|\s)[A-Za-z_][\w.\-/@]*=/;
/** a ", " before a `key=`: where one pair of a comma-joined list ends */
const COMMA_PAIR = /,\s+(?=[A-Za-z_][\w.-]*=)/;
/** one pair of such a list: a key, `=`, and a value that may hold spaces */
const PAIR_TEXT = /^[A-Za-z_][\w.-]*=\S/;
/** most words before the pairs: a compose or journal prefix (`api-1  |`), a stamp, a level */
const MAX_PREFIX_WORDS = 6;

/** The prefix (words before the pairs, maybe empty) and the pairs of a logfmt line; anything else: undefined. */
export function logfmtLineFields(line: string): (StructuredLine & { prefix: string }) | undefined {
  const first = FIRST_KEY.exec(line);
  if (!first) return undefined;
  const at = first.index + first[0].length - first[0].trimStart().length;
  const prefix = line.slice(0, at).trim();
  if (prefix.includes('=') || prefix.includes('"') || (prefix !== '' && prefix.split(/\s+/).length > MAX_PREFIX_WORDS)) return undefined;
  const pairs: Array<[string, string]> = [];
  // `type=LOGIN_ERROR, realmId=…, reason=Session not active, username=bob` (Keycloak's events, Java toString()s):
  // pairs joined by ", ", a value running to the next ", key="; three pairs at least
  const rest = line.slice(at);
  if (rest.includes(', ')) {
    const parts = rest.split(COMMA_PAIR);
    if (parts.length >= 3 && parts.every((p) => PAIR_TEXT.test(p))) {
      for (const p of parts) {
        const eq = p.indexOf('=');
        pairs.push([p.slice(0, eq), p.slice(eq + 1).trim().replace(/,$/, '')]);
      }
      const fields = pairs.map(([k, v]): [string, string] => [k, v.replace(/\s+/g, '_')]);
      return { prefix, fields, keyed: true };
    }
  }
  let i = at;
  while (i < line.length) {
    PAIR.lastIndex = i;
    const m = PAIR.exec(line);
    if (!m) return undefined;
    const raw = m[2] as string;
    pairs.push([m[1] as string, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw]);
    i = PAIR.lastIndex;
    SPACE.lastIndex = i;
    if (SPACE.exec(line)) i = SPACE.lastIndex;
    else if (i < line.length) return undefined;
  }
  // two pairs at least: `error=timeout` alone is a word of a message
  if (pairs.length < 2) return undefined;
  const messageAt = pairs.findIndex(([k]) => MESSAGE_FIELDS.includes(k));
  const fields = pairs.filter((_, j) => j !== messageAt).map(([k, v]): [string, string] => [k, v.replace(/\s+/g, '_')]);
  return messageAt >= 0 ? { prefix, message: (pairs[messageAt] as [string, string])[1].trim(), fields } : { prefix, fields };
}
