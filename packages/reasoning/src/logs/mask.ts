import { jsonLineFields } from './json-line.js';
import type { StructuredLine } from './json-line.js';
import { logfmtLineFields } from './logfmt-line.js';

/**
 * Variable parts of a log message, masked before template mining, with no per-source configuration: timestamps,
 * addresses, ids, hashes, paths with numbers, numbers. Order matters: the most specific patterns first.
 */
/** a bound rather than a value: `<1 sec`, `>= 5ms` (first: it reads `<` and `>`, which later masks write) */
const BOUND = /[<>]=?\s?\d+(?:\.\d+)?(?:\s?(?:ms|sec|s|min|h|kb|mb|gb)\b)?/gi;
/** whether a text may hold a match of a rule: a cheap look for the characters it needs, so most rules skip most lines */
type Guard = (s: string) => boolean;
const has = (...chars: string[]): Guard => (s) => chars.every((c) => s.includes(c));
const DIGIT = /\d/;
/** three `:` at least (IPv6) */
const colons3: Guard = (s) => {
  let i = s.indexOf(':');
  for (let n = 1; i >= 0; n++, i = s.indexOf(':', i + 1)) if (n === 3) return true;
  return false;
};
/** UUIDs, long hex (hashes), and shorter hex words with at least one digit and one letter */
const HEX =
  /(^|[^0-9a-z])(?=[0-9a-f]{6})(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})(?![0-9a-z])/gi;
const RULES: Array<[RegExp, string, Guard]> = [
  // ISO / syslog / common timestamps and dates (`Sun Dec 04 04:47:44 2005`, `2005-06-03-15.42.50.675872`)
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\s+\d{4})?\b/g, '<*>', has(':')],
  [/\b\d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}(?:\.\d+)?\b/g, '<*>', has('-', '.')],
  // (an hour under 10 may be padded with a space, as MariaDB writes it: `2024-11-04  8:36:20`)
  [/\b\d{4}-\d{2}-\d{2}(?:T| {1,2})[ \d]?\d:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g, '<*>', has('-', ':')],
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\b/g, '<*>', has(':')],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<*>', has(':')],
  [/\b\d{4}[-/.]\d{2}[-/.]\d{2}\b/g, '<*>', (s) => s.includes('-') || s.includes('/') || s.includes('.')],
  // 0x numbers; UUIDs, long hex (hashes), and shorter hex words with at least one digit and one letter (addresses,
  // ids: 003a9260, 7f3c21), in one pass; `_` separates them from a word around (`<uuid>_del`, `amd64_<hash>_none`)
  [/\b0x[0-9a-f]+\b/gi, '<*>', (s) => s.includes('0x') || s.includes('0X')],
  [HEX, '$1<*>', () => true],
  // IPv4 with optional port, IPv6
  [/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\w.])/g, '<*>', has('.')],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi, '<*>', colons3],
  // sizes and durations with units, signed numbers, numbers in identifiers (blk_-123, job_1445_0001)
  [/(?<![\w.])[-+]?\d+(?:\.\d+)?(?:ms|s|m|h|kb|mb|gb|b|%)?(?!\w|\.\w)/gi, '<*>', (s) => DIGIT.test(s)],
  [/([_=:#@/([.-])-?\d+(?:\.\d+)?/g, '$1<*>', (s) => DIGIT.test(s)],
];

/**
 * A word in quotes standing alone (`queue 'orders'`, `relation "users"`, `vhost '/'`): a name the program was given,
 * a value as much as a number is (a quoted phrase with spaces stays one token: see WORD)
 */
const QUOTED_WORD = /(^|[\s(=:,[])(['"])(?!<\*>\2)[^'"\s]{1,120}\2(?=[\s,.;:)\]]|$)/g;
/** a key and its value in brackets (`[Context=clientSessions]`, `[tenant=acme]`): the value is a variable */
const BRACKETED_PAIR = /\[([A-Za-z_][\w.-]*)=[^\]\s=]+\]/g;
/** `host.name:<port>` and similar: an address, whatever the host. */
const ADDRESS = /(^|[^\w.-])[a-z0-9][\w-]*(?:\.[\w-]+)+:<\*>/gi;
/** a parenthesised number with a unit, e.g. `(1.2 KB)`: a decoration some lines carry and others do not */
const NUMERIC_ASIDE = /\s*\(\s*<\*>\s*[a-z%]{1,3}\s*\)/gi;
/** a word made of separated parts, one of them a letter followed by a digit: a candidate node or host id */
const NODE_CANDIDATE = /(^|[\s[(=,])([A-Za-z][\w]*(?:[-_.:/@][\w]+)+)(?![^\s\]),;])/g;
/** one part of a node id that mixes letters and digits: `R02`, `M1`, `J12`, `node3` */
const MIXED_PART = /^[A-Za-z]+\d+[A-Za-z0-9]*$/;
/** a quick test for two letter-digit parts in one word, before the slower search */
const NODE_HINT = /[A-Za-z]\d\w*[-_.:/@][\w.:/@-]*[A-Za-z]\d/;

/**
 * A node, rack or host id: a word of two or more separated parts of which at least two mix letters and digits
 * (`R02-M1-N0-C:J12-U11`, `node1.rack2`, `k8s-node7`); a version (`log4j-1.2`) or a name with one number
 * (`broadcast_9_piece0`) is not.
 */
function nodeIds(text: string): string {
  if (!NODE_HINT.test(text)) return text;
  return text.replace(NODE_CANDIDATE, (whole, before: string, word: string) => {
    let mixed = 0;
    for (const part of word.split(/[-_.:/@]/)) if (MIXED_PART.test(part) && ++mixed === 2) return `${before}<*>`;
    return whole;
  });
}

/** a character appears twice at least (a pair of quotes, not an apostrophe alone) */
function twice(text: string, ch: string): boolean {
  const i = text.indexOf(ch);
  return i >= 0 && text.indexOf(ch, i + 1) > 0;
}

export function maskVariables(message: string): string {
  // node ids before the number rules cut them into pieces
  let out = nodeIds(message.includes('<') || message.includes('>') ? message.replace(BOUND, '<*>') : message);
  // every rule but the hex one needs a digit
  const digits = DIGIT.test(out);
  for (const [re, to, guard] of RULES) if ((digits || re === HEX) && guard(out)) out = out.replace(re, to);
  if (twice(out, "'") || twice(out, '"')) out = out.replace(QUOTED_WORD, '$1$2<*>$2');
  if (out.includes('=') && out.includes('[')) out = out.replace(BRACKETED_PAIR, '[$1=<*>]');
  if (out.includes(':<*>')) out = out.replace(ADDRESS, '$1<*>');
  if (out.includes('(')) out = out.replace(NUMERIC_ASIDE, '');
  return out.includes('-<*>') ? out.replace(/([_=:#@/(])-<\*>/g, '$1<*>') : out;
}

/**
 * A whitespace-separated word, or a bracketed field kept whole even with spaces inside (`[RMCommunicator
 * Allocator]`, `[IPC Server handler 5 on 62270]`, `[10.30 16:49:06]`): a thread name or a stamp is one field. So is
 * a quoted field standing alone (an access log's user agent, `"Mozilla/5.0 (X11; Linux x86_64) …"`: one value
 * however many words), except an HTTP request line (`"GET /path HTTP/1.1"`), whose method names the event; a key
 * with a quoted value (`error="read tcp …: i/o timeout"`, escaped quotes and all); and a
 * value literal standing alone: a dict (`{'id': 7, 'status': 'done'}`) or an exception or call with its arguments
 * (`ValueError('bad input')`, a capitalised name right before the parenthesis), as Python and others print results.
 */
const WORD = /\[[^[\]]*(?:\[[^[\]]*\][^[\]]*)*\]\S*|(?<!\S)"(?![A-Z]+ \/)[^"]*"(?=\s|$)|(?<!\S)[\w.-]+="(?:[^"\\]|\\.)*"(?=\s|$)|(?<!\S)\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}(?=[\s,.;]|$)|(?<!\S)[A-Z]\w*\((?:[^()]|\([^()]*\))*\)(?=[\s,.;]|$)|\S+/g;
/** a bare qualifier number with a sigil (`*64`, `#3`) belongs to the word before it (`chrome.exe *64`) */
const QUALIFIER = /^[#*]<\*>$/;

/**
 * Split into tokens on whitespace (a bracketed field is one token); a token that is more digits than not is a
 * variable too. A JSON or logfmt line is read as its message and `key=value` fields (see `readLine`).
 */
export function tokenize(message: string): string[] {
  return readLine(message).tokens;
}

/** The tokens of a masked text. */
function tokensOf(masked: string): string[] {
  const tokens: string[] = [];
  for (const word of /[["{(]/.test(masked) ? (masked.match(WORD) ?? []) : masked.split(/\s+/)) {
    if (word === '') continue;
    // a quoted dash is a field written empty (an access log's referrer, `uct="-"`): a value like any other there
    const t = word !== WILDCARD && digitsNoLetters(word) ? WILDCARD : word.endsWith('"-"') ? `${word.slice(0, -3)}"<*>"` : word;
    const last = tokens[tokens.length - 1];
    if (last !== undefined && (t.startsWith('#') || t.startsWith('*')) && QUALIFIER.test(t)) tokens[tokens.length - 1] += ` ${t}`;
    // a list of values (`blk_<*> blk_<*> blk_<*>`) is one variable, whatever its length (bare `<*> <*>` stay apart)
    // (quoted fields are fields: `"-" "-"` is two empty ones)
    else if (!(t === last && t !== WILDCARD && t.includes(WILDCARD) && !t.startsWith('"'))) tokens.push(t);
  }
  return tokens;
}

/** a token that has a digit and no letter (`1.2.3`, `<*>,<*>`): a variable */
function digitsNoLetters(word: string): boolean {
  let digit = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if ((c | 32) >= 97 && (c | 32) <= 122) return false;
  }
  return digit;
}

/** A line as the miner compares it: its tokens, and for a structured line with a message, the group it must be in. */
export interface ReadLine {
  tokens: string[];
  /**
   * For a structured (JSON or logfmt) line with a message field: the masked message and the field names. Its
   * words are the event's name and its fields are values (`key=<*>`): lines with the same group are one template
   * and lines of different groups never are, however alike their words (`cache hit` against `cache miss`).
   */
  group?: string;
}

/** a JSON object at the end of a line, maybe after a short prefix (`api-1  | {"msg":…}`) */
const JSON_AT = /^([^{"]*)(\{.*\})\s*$/;

/** most words before a JSON object or logfmt pairs: a compose prefix (`api-1  |`), a stamp, a level */
const MAX_PREFIX_WORDS = 6;

/** The message and fields of a JSON or logfmt line (after a prefix of a few words), if it is one. */
function structuredLine(line: string): (StructuredLine & { prefix: string }) | undefined {
  // the members of a JSON object with its braces taken off (`"msg":"…","attr":{…}`, as a header reader leaves it)
  if (line.startsWith('"') && line.includes('":')) {
    const read = jsonLineFields(`{${line.trim().replace(/,$/, '')}}`);
    if (read) return { prefix: '', ...read };
  }
  if (line.includes('{')) {
    const m = JSON_AT.exec(line);
    const prefix = (m?.[1] ?? '').trim();
    if (m && (prefix === '' || prefix.split(/\s+/).length <= MAX_PREFIX_WORDS)) {
      const read = jsonLineFields(m[2] as string);
      if (read) return { prefix, ...read };
    }
  }
  return line.includes('=') ? logfmtLineFields(line) : undefined;
}

/**
 * One frame of a stack trace, printed on its own line: `at` and a call site (`com.acme.Foo.bar(Foo.java:42)`,
 * `sun.reflect.X.invoke0(Native Method)`, with a jar after it `~[spring-web-5.3.jar:5.3]`; `Object.<anonymous>
 * (/app/x.js:1:2)`, `async Promise.all (index 0)`; `Foo.Bar() in /src/x.cs:line 42`), maybe after a compose prefix.
 */
const FRAME =
  /^(\s*\S+\s+\|)?\s*at\s+(?:(?:async|new)\s+)?(?:[\w$<>]+[.$/:]\S*?(?:\s*\([^()]*\))?|[\w$<>]*\([^()]*\))(?:\s+in\s+\S+(?:\s\d+)?)?(?:\s+~?\[[^\]]*\])?\s*$/;

export function readLine(line: string): ReadLine {
  // the frame is the variable: one template for all frames, however many classes and files they name
  const frame = line.includes('at ') ? FRAME.exec(line) : null;
  if (frame) return { tokens: [...(frame[1] ? tokensOf(maskVariables(frame[1])) : []), 'at', '<*>'] };
  const structured = structuredLine(line);
  if (!structured) return { tokens: tokensOf(maskVariables(line)) };
  const { prefix, message, fields } = structured;
  if (message === undefined && structured.keyed) {
    const keys = fields.map(([k]) => `${k}=<*>`);
    return { tokens: [...(prefix ? tokensOf(maskVariables(prefix)) : []), ...keys], group: `\n${keys.join(' ')}` };
  }
  if (message === undefined) return { tokens: tokensOf(maskVariables([prefix, ...fields.map(([k, v]) => `${k}=${v}`)].join(' '))) };
  const words = tokensOf(maskVariables(message));
  return {
    tokens: [...(prefix ? tokensOf(maskVariables(prefix)) : []), ...words, ...fields.map(([k]) => `${k}=<*>`)],
    group: `${words.join(' ')}\n${fields.map(([k]) => k).join(' ')}`,
  };
}

/** Level words as logging libraries write them: `INFO`, `WARN`, `ERROR:`, `[notice]`, `Warning` (after a stamp). */
const LEVEL = /^(?:(?:EMERG|ALERT|CRIT|CRITICAL|FATAL|PANIC|SEVERE|ERROR|ERR|WARN|WARNING|NOTICE|INFO|DEBUG|TRACE):?|\[(?:emerg|alert|crit|critical|fatal|panic|severe|error|err|warn|warning|notice|info|debug|trace)\]:?)$/i;
const UPPER_LEVEL = /^[A-Z]+:?$/;
const CAPITALISED = /^[A-Z][a-z]+:?$/;
/** a logger, class or program name closing a header: `dfs.DataNode$PacketResponder:`, `sshd[<*>]:`, `su(pam_unix)[<*>]:` */
const COMPONENT = /^[\w$.\-/()]*[.$/[(][\w$.\-/[\]()<>*]*:$/;
/** a program name after a host (`host kernel:`, `host sshd[<*>]:`) or a tag after a level letter (`D WindowManager:`) */
const PROGRAM = /^[A-Za-z_][\w.\-/()]*(?:\[[^\]]*\])?:$/;
/** a dotted logger name after the level (`nova.compute.manager`), with or without a colon */
const LOGGER = /^[A-Za-z_$][\w$-]*(?:\.[\w$\-[\]/]+)+:?$/;
/**
 * a stamp, id or separator: no letters at all (`<*>`, `[<*> <*>]`, `-`, `*<*>`, `<*>,`). A word with a variable
 * inside (`/v2/<*>/servers`, `HTTP/<*>`, `[instance: <*>]`) is a word of the message, not a stamp.
 */
const STAMP = /^[^A-Za-z]*$/;
const BRACKETED = /^\[.*\]$/;
/** a rule of dashes between a header's fields */
const RULE = /^-{2,}$/;
const WILDCARD = '<*>';
/** a tag in capitals that can open a header (`KERNDTLB`, a BGL alert flag) */
const TAG = /^[A-Z][A-Z0-9_]+$/;
/** most plain words a header holds before its level word: host, facility, component (`LabSZ`, `RAS KERNEL`) */
const MAX_HEADER_WORDS = 4;
const MAX_HEADER_TOKENS = 14;

const isLevel = (t: string, afterStamp: boolean): boolean =>
  LEVEL.test(t) && (UPPER_LEVEL.test(t) || t.startsWith('[') || (afterStamp && CAPITALISED.test(t)));

/**
 * How many leading tokens are a line header rather than the message: a raw line from a file or a container
 * (`2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.Foo: message`, `Dec 10 06:55:46 LabSZ sshd[24200]:
 * message`, `- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 ... RAS KERNEL INFO message`, `[10.30 16:49:06]
 * chrome.exe - message`). A header opens with a stamp, a bracketed field, a level or a capital tag; it ends after a
 * level word (and the thread, `-` and logger that follow it), after a logger or program name ending in `:`, or at a
 * ` - ` separator. Lines without such a shape (a message alone) have no header: 0.
 */
export function headerLength(tokens: readonly string[]): number {
  const first = tokens[0];
  if (first === undefined) return 0;
  // a compose prefix (`api-1  | …`): the service's name, then the container's own line with its own header
  if (tokens[1] === '|' && first !== '|') return 2 + headerLength(tokens.slice(2));
  // a bracketed field with words in it (`[main]`, `[instance: <*>]`) opens a header only when a level follows it
  const second = tokens[1];
  const stamped = STAMP.test(first) || (BRACKETED.test(first) && second !== undefined && isLevel(second, true));
  // a file or host name with a variable in it, then a stamp (`nova-api.log.<*> <*> INFO ...`): a header only if a
  // level word closes it
  const named = !stamped && first.includes(WILDCARD) && second !== undefined && STAMP.test(second);
  if (!(stamped || named || TAG.test(first) || isLevel(first, false))) return 0;
  const limit = Math.min(tokens.length - 1, MAX_HEADER_TOKENS);
  let end = 0;
  let words = 0;
  let leveled = false;
  let logger = false;
  for (let i = 0; i < limit; i++) {
    const t = tokens[i] as string;
    if (!leveled && isLevel(t, i > 0)) {
      end = i + 1;
      leveled = true;
    } else if (leveled) {
      // after the level: a thread in brackets, a logger name, up to a dash; anything else is the message
      if (t === '-' || t === '|') return i + 1;
      // a process id before a `---` rule, the rule (`INFO 1 --- [main] o.s.Logger : message`), a lone `:` after the logger
      if (!logger && ((t === WILDCARD && RULE.test(tokens[i + 1] ?? '')) || RULE.test(t))) end = i + 1;
      else if (logger && t === ':') return i + 1;
      else if (BRACKETED.test(t)) end = i + 1;
      else if (!logger && (LOGGER.test(t) || COMPONENT.test(t))) {
        end = i + 1;
        logger = true;
        if (t.endsWith(':')) break;
      } else break;
    } else if (named) {
      if (!STAMP.test(t) && i > 0 && ++words > MAX_HEADER_WORDS) break;
    } else if (COMPONENT.test(t) || (stamped && words === 1 && PROGRAM.test(t))) return i + 1;
    else if (t === '-' || t === '|') {
      if (i > 0) end = i + 1;
    } else if (!STAMP.test(t) && !BRACKETED.test(t) && ++words > MAX_HEADER_WORDS) break;
  }
  return end;
}
