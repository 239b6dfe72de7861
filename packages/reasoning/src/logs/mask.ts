/**
 * Variable parts of a log message, masked before template mining, with no per-source configuration: timestamps,
 * addresses, ids, hashes, paths with numbers, numbers. Order matters: the most specific patterns first.
 */
const RULES: Array<[RegExp, string]> = [
  // a bound rather than a value: `<1 sec`, `>= 5ms`
  [/[<>]=?\s?\d+(?:\.\d+)?(?:\s?(?:ms|sec|s|min|h|kb|mb|gb)\b)?/gi, '<*>'],
  // ISO / syslog / common timestamps and dates (`Sun Dec 04 04:47:44 2005`, `2005-06-03-15.42.50.675872`)
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\s+\d{4})?\b/g, '<*>'],
  [/\b\d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}(?:\.\d+)?\b/g, '<*>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g, '<*>'],
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\b/g, '<*>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<*>'],
  [/\b\d{4}[-/.]\d{2}[-/.]\d{2}\b/g, '<*>'],
  // UUIDs, long hex, 0x numbers, hashes
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<*>'],
  [/\b0x[0-9a-f]+\b/gi, '<*>'],
  [/\b[0-9a-f]{12,}\b/gi, '<*>'],
  // shorter hex words with at least one digit (addresses, ids: 003a9260, 7f3c21)
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<*>'],
  // IPv4 with optional port, IPv6
  [/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\w.])/g, '<*>'],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi, '<*>'],
  // sizes and durations with units, signed numbers, numbers in identifiers (blk_-123, job_1445_0001)
  [/(?<![\w.])[-+]?\d+(?:\.\d+)?(?:ms|s|m|h|kb|mb|gb|b|%)?(?![\w.])/gi, '<*>'],
  [/(?<=[_=:#@/([.-])-?\d+(?:\.\d+)?/g, '<*>'],
];

/** `host.name:<port>` and similar: an address, whatever the host. */
const ADDRESS = /(?<![\w.-])[a-z0-9][\w-]*(?:\.[\w-]+)+:<\*>/gi;
/** a parenthesised number with a unit, e.g. `(1.2 KB)`: a decoration some lines carry and others do not */
const NUMERIC_ASIDE = /\s*\(\s*<\*>\s*[a-z%]{0,3}\s*\)/gi;

export function maskVariables(message: string): string {
  let out = message;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out.replace(ADDRESS, '<*>').replace(NUMERIC_ASIDE, '').replace(/([_=:#@/(])-<\*>/g, '$1<*>');
}

/** Split into tokens on whitespace; a token that is more digits than not is a variable too. */
export function tokenize(message: string): string[] {
  const tokens = maskVariables(message)
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => (t !== '<*>' && /\d/.test(t) && /^[^a-zA-Z]*$/.test(t) ? '<*>' : t));
  // a list of values (`blk_<*> blk_<*> blk_<*>`) is one variable, whatever its length (bare `<*> <*>` stay apart)
  return tokens.filter((t, i) => !(i > 0 && t !== '<*>' && t.includes('<*>') && t === tokens[i - 1]));
}
