import { SensorError } from '../../engine/errors.js';
import { InterpolationError, interpolateString } from './interpolate.js';

/**
 * `.env` / `env_file` parsing the way docker compose v2 does it (compose-go's `dotenv` package):
 *
 * - blank lines and lines starting with `#` are skipped; a UTF-8 BOM is ignored;
 * - an optional `export ` prefix; `KEY=VALUE` or the YAML-like `KEY: VALUE`;
 * - names are letters, digits, `_`, `.`, `[` and `]`; whitespace around the name and before the value is dropped;
 * - unquoted values run to the end of the line, lose a trailing ` #comment` (a `#` right after a non-space stays)
 *   and trailing whitespace, and are interpolated;
 * - `'single quoted'` values are literal (only `\'` is unescaped), may span lines;
 * - `"double quoted"` values may span lines, understand `\n \r \t \a \b \f \v \" \\ \$` and `\0NNN` (octal), and are
 *   interpolated;
 * - a bare `KEY` takes its value from `lookup`, or is left out when `lookup` does not know it.
 */

/** A `.env` file could not be parsed; the message names the file and the 1-based line. */
export class DotenvError extends SensorError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, 'compose_dotenv', options);
  }
}

/** compose-go's `isSpace`: blanks that are not a line break. */
function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r' || ch === '\u0085' || ch === '\u00a0';
}

/** Go's `unicode.IsSpace`. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const TRAILING_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;
const NAME_CHAR = /^[\p{L}\p{N}_.[\]]$/u;
const EXPORT = /export[\t\v\f\r \u0085\u00a0]+/y;
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  // `\$` becomes the interpolation escape `$$`, i.e. a literal `$` once interpolated.
  $: '$$',
};

/** Escape sequences of double-quoted values (compose-go's expandEscapes, including its handling of `\0`). */
function expandEscapes(value: string): string {
  return value.replace(ESCAPE, (match) => {
    const c = match[1] ?? '';
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c !== '0') return match; // `\c`: not an escape Go knows, kept as written
    // compose rewrites `\0NNN` to `\NNN` and lets Go unquote it: exactly three octal digits, at most 0377.
    const digits = match.slice(2);
    if (/^[0-7]{3}$/.test(digits)) {
      const code = parseInt(digits, 8);
      if (code <= 0o377) return String.fromCharCode(code);
    }
    return `\\${digits}`;
  });
}

/**
 * Parse a .env / env_file text the way docker compose v2 (compose-go's dotenv) does. `lookup` resolves ${VAR}
 * references inside values (variables defined earlier in the same file take precedence over lookup).
 */
export function parseDotenv(
  text: string,
  file: string,
  lookup?: (name: string) => string | undefined,
): Record<string, string> {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const out = new Map<string, string>();
  const external = lookup ?? (() => undefined);
  const resolve = (name: string): string | undefined => (out.has(name) ? out.get(name) : external(name));

  // 1-based line of an offset; offsets mostly grow, so count on from the last answer.
  let seenOffset = 0;
  let seenLine = 1;
  const lineAt = (offset: number): number => {
    if (offset < seenOffset) {
      seenOffset = 0;
      seenLine = 1;
    }
    for (let i = seenOffset; i < offset; i++) if (src[i] === '\n') seenLine++;
    seenOffset = offset;
    return seenLine;
  };
  const error = (offset: number, detail: string): DotenvError => {
    const line = lineAt(offset);
    return new DotenvError(`${file}: line ${line}: ${detail}`, file, line);
  };
  const interpolate = (value: string, key: string, offset: number): string => {
    try {
      return interpolateString(value, resolve, { file, path: `line ${lineAt(offset)}: ${key}` });
    } catch (err) {
      if (err instanceof InterpolationError) {
        const line = lineAt(offset);
        throw new DotenvError(err.message, file, line, { cause: err });
      }
      throw err;
    }
  };

  let pos = 0;
  for (;;) {
    // Start of the next statement: skip whitespace (line breaks included) and comment lines.
    while (pos < src.length) {
      const ch = src[pos] ?? '';
      if (SPACE.test(ch)) {
        pos++;
      } else if (ch === '#') {
        const newline = src.indexOf('\n', pos);
        pos = newline === -1 ? src.length : newline;
      } else {
        break;
      }
    }
    if (pos >= src.length) break;
    const statement = pos;

    EXPORT.lastIndex = pos;
    if (EXPORT.test(src)) pos = EXPORT.lastIndex;

    // The name runs to `=`, `:` or the end of the line (a bare name: inherited from lookup).
    const keyStart = pos;
    let terminator: string | undefined;
    while (pos < src.length) {
      const ch = String.fromCodePoint(src.codePointAt(pos) ?? 0);
      if (ch === '=' || ch === ':' || ch === '\n') {
        terminator = ch;
        break;
      }
      if (!isBlank(ch) && !NAME_CHAR.test(ch)) {
        const lineText = src.slice(statement).split('\n', 1)[0] ?? '';
        throw error(
          pos,
          `unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(lineText.trim())}: ` +
            'names may only contain letters, digits, "_", "." , "[" and "]"; write NAME=value (quote values with spaces or "#")',
        );
      }
      pos += ch.length;
    }
    const key = src.slice(keyStart, pos).replace(TRAILING_SPACE, '');
    const inherited = terminator === undefined || terminator === '\n';
    if (key === '' && inherited) {
      // `export` alone on a line: nothing to set (compose skips it too).
      pos++;
      continue;
    }
    if (key === '') throw error(statement, `missing variable name before "${terminator ?? ''}": write NAME=value`);
    if (SPACE.test(key)) {
      throw error(statement, `variable name ${JSON.stringify(key)} contains whitespace: write NAME=value, without spaces in NAME`);
    }

    if (inherited) {
      const value = external(key);
      if (value !== undefined) out.set(key, value);
      pos++;
      continue;
    }

    pos++; // past `=` or `:`
    while (isBlank(src[pos])) pos++;
    const quote = src[pos];

    if (quote !== '"' && quote !== "'") {
      const newline = src.indexOf('\n', pos);
      const lineEnd = newline === -1 ? src.length : newline;
      let raw = src.slice(pos, lineEnd);
      const comment = raw.indexOf(' #');
      if (comment !== -1) raw = raw.slice(0, comment);
      raw = raw.replace(TRAILING_SPACE, '');
      out.set(key, interpolate(raw, key, statement));
      pos = lineEnd + 1;
      continue;
    }

    // Quoted: up to the first unescaped matching quote, across lines. `\<quote>` is the quote itself; any other
    // backslash is kept for expandEscapes (double quotes) or literally (single quotes).
    const open = pos;
    let chars = '';
    let escaped = false;
    let closed = false;
    for (pos = open + 1; pos < src.length; pos++) {
      const ch = src[pos] ?? '';
      if (ch === quote) {
        if (escaped) {
          escaped = false;
          chars += ch;
          continue;
        }
        closed = true;
        break;
      }
      if (!escaped && ch === '\\') {
        escaped = true;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += '\\';
      }
      chars += ch;
    }
    if (!closed) {
      throw error(open, `the value of ${key} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed: add the closing ${quote}`);
    }
    out.set(key, quote === '"' ? interpolate(expandEscapes(chars), key, statement) : chars);
    pos++; // past the closing quote; whatever follows on the line is read as the next statement, as compose does
  }

  return Object.fromEntries(out);
}
