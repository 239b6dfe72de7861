import { SECRET_NAME } from './secret-name.js';

/**
 * The one table of what a secret looks like inside text (logs, labels, env values, commands, probe output). Each
 * rule finds the secret *value* (the key, flag or scheme around it stays, so the text still says what it was);
 * `redactText` masks what the rules find with `***` for printing, the LLM gateway's `Redactor` with stable
 * `[REDACTED:NAME]` placeholders. Names that say "secret" come from the one list in secret-name.ts.
 */
export interface SecretSpan {
  /** offsets of the value in the text */
  start: number;
  end: number;
  value: string;
  /** what the value is (the key or flag it was given to, or its kind); undefined for an anonymous one */
  label: string | undefined;
  rule: string;
  /**
   * the context says for sure that this is a secret (`password=…`, `--password …`, a token shape): the value is
   * also masked wherever else it appears. A weak context (`auth: connection refused`) masks only where it stands,
   * unless the value looks like more than a plain word.
   */
  strong: boolean;
}

interface Rule {
  name: string;
  /** global, with indices (`d`); the value is the group `secret`, `dq`, `sq` or `eq`; `key` names it */
  re: RegExp;
  label?: string;
  strong: boolean | ((groups: Record<string, string | undefined>) => boolean);
  accept?: (value: string) => boolean;
}

const NAME = `(?:${SECRET_NAME.source})`;
const KEY_CHAR = String.raw`[\p{L}\p{N}_.\-]`;
const FLAG_CHAR = String.raw`[\p{L}\p{N}_\-]`;
/** a flag starts a word: not inside another word or flag */
const FLAG_START = String.raw`(?<![\p{L}\p{N}_\-])`;
/** between a flag and its value: `=`, spaces, or the `","` of an argv rendered as a JSON array */
const FLAG_SEP = String.raw`(?:=|[^\S\n]+|\\?"[^\S\n]*,[^\S\n]*\\?")`;
/** punctuation that ends an unquoted value when a separator or the end follows it (`a=1, b=2`, `{k: v}`) */
const CLOSERS = String.raw`,;)}\]>`;
/**
 * An unquoted value runs to whitespace or a quote. Closing punctuation belongs to it only when more value follows
 * (`p,w;d` is one value), and `&` only when it does not start the next `key=` of a query string.
 */
const UNQUOTED = String.raw`(?:[^\s"'\x60${CLOSERS}&]|[${CLOSERS}](?=[^\s"'\x60${CLOSERS}])|&(?!${KEY_CHAR}+=))+`;
/** a value: `\"…\"` (inside JSON text), `"…"`, `'…'`, or unquoted */
const VALUE = String.raw`(?:\\"(?<eq>(?:[^"\\\n]|\\[^"\n])*)\\"|"(?<dq>[^"\n]*)"|'(?<sq>[^'\n]*)'|(?<secret>${UNQUOTED}))`;
/** separators of key and value across scripts: `=`, `:`, full-width `：` and `＝`, `=>` */
const KV_SEP = String.raw`[^\S\n]*(?<sep>=>|[:=\uFF1A\uFF1D])[^\S\n]*`;

const rx = (source: string, flags = 'giu') => new RegExp(source, `${flags}d`);

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A token that looks like a generated secret: long, mixed letters and digits, and more random than hex. */
export function looksRandom(token: string): boolean {
  if (token.length < 20) return false;
  if (/^[0-9a-f]+$/i.test(token)) return false; // ids and digests (container ids, sha256) are not secrets
  if (!/[a-z]/.test(token) || !/[A-Z0-9]/.test(token) || !/\d/.test(token)) return false;
  return entropy(token) >= 4.2;
}

export const RULES: readonly Rule[] = [
  // PEM and PGP private keys (RSA, EC, OPENSSH, ENCRYPTED, PKCS#8, `PGP PRIVATE KEY BLOCK`); to the end of the text
  // when the END line was cut off
  {
    name: 'private_key',
    re: rx(String.raw`(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$))`, 'g'),
    label: 'PRIVATE_KEY',
    strong: true,
  },
  // credentials in URLs: scheme://user:password@host, the user may be empty (redis://:pw@host), the password may
  // hold `/`, `:` or `@` (up to the last `@` before the host)
  {
    name: 'url_credentials',
    re: rx(String.raw`\b[a-z][a-z0-9+.\-]*:\/\/[^\s:/@"'<>]*:(?<secret>[^\s"'<>\x60]+)@(?=[\p{L}\p{N}\[])`),
    label: 'URL_PASSWORD',
    strong: true,
  },
  // well-known token shapes
  { name: 'jwt', re: rx(String.raw`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}`, 'g'), label: 'JWT', strong: true },
  { name: 'aws_access_key', re: rx(String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, 'g'), label: 'AWS_ACCESS_KEY', strong: true },
  {
    name: 'api_token',
    re: rx(String.raw`\b(?:(?:sk|pk|rk)_(?:live|test)_[0-9a-zA-Z]{10,}|sk-[A-Za-z0-9_\-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|glpat-[A-Za-z0-9_\-]{20,})`, 'g'),
    label: 'API_TOKEN',
    strong: true,
  },
  // Authorization schemes: `Bearer …`, `Basic …`, `token …`
  { name: 'auth_scheme', re: rx(String.raw`\b(?:bearer|basic|token|digest)[^\S\n]+(?<secret>[A-Za-z0-9._~+/\-]{8,}=*)`, 'gi'), label: 'TOKEN', strong: false },
  // command-line flags named like a secret: --password pw, --password=pw, --requirepass pw, --api-key=…
  { name: 'secret_flag', re: rx(String.raw`${FLAG_START}--(?<key>${FLAG_CHAR}*${NAME}${FLAG_CHAR}*)${FLAG_SEP}(?!-)${VALUE}`), strong: true },
  // short password flags: mysql's attached -p<password>, redis-cli's -a <password> (or -a<password>)
  { name: 'p_flag', re: rx(String.raw`${FLAG_START}-p(?<secret>[^\s"'\x60]+)`, 'gu'), label: 'PASSWORD', strong: true },
  { name: 'a_flag', re: rx(String.raw`${FLAG_START}-a(?:${FLAG_SEP})?(?!-)${VALUE}`, 'gu'), label: 'PASSWORD', strong: true },
  // user:password after curl's -u / --user
  { name: 'user_flag', re: rx(String.raw`${FLAG_START}(?:-u|--user)(?:${FLAG_SEP})?[^\s:"'\x60@]+:(?<secret>${UNQUOTED})`, 'gu'), label: 'PASSWORD', strong: true },
  // key=value, key: value, "key": "value", key：value (full-width), 비밀번호=… — where the key names a secret
  {
    name: 'key_value',
    re: rx(String.raw`(?<q>\\?["']|)(?<key>${KEY_CHAR}*${NAME}${KEY_CHAR}*)\k<q>${KV_SEP}${VALUE}`),
    // `password=x` and `"password": "x"` say it for sure; `auth: connection refused` in a log line does not
    strong: (g) => g['sep'] !== ':' && g['sep'] !== '\uFF1A' ? true : g['secret'] === undefined,
  },
  // whatever else looks generated (long, mixed, high entropy; hex ids and digests are kept)
  // (`=` only as base64 padding at the end: `key=value` is two words, and the key stays)
  { name: 'random', re: rx(String.raw`(?<![A-Za-z0-9+/_\-])(?<secret>[A-Za-z0-9+/_\-]{20,}={0,2})(?![A-Za-z0-9+/_=\-])`, 'g'), strong: true, accept: looksRandom },
];

/**
 * A value that only says where the secret is kept — a variable reference (`$DB_PASSWORD`, `${API_KEY}`) or the
 * upper-case name of a secret variable (`KeyError: 'STRIPE_API_KEY'`, `password: DB_PASSWORD`) — is not a secret.
 */
function isReference(value: string): boolean {
  // `${NAME}` (its `}` may have ended the value as closing punctuation)
  if (/^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\}?)$/.test(value)) return true;
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) && SECRET_NAME.test(value);
}

/** Masks already in a text: they are never masked again. */
export const MASKED = /\[REDACTED:[^\]\s]*\]|\*\*\*/g;

const VALUE_GROUPS = ['secret', 'dq', 'sq', 'eq'] as const;

/** Every secret value the rules find in a text (they may overlap; callers merge). */
export function findSecrets(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.re)) {
      const groups = (m.groups ?? {}) as Record<string, string | undefined>;
      let span: [number, number] | undefined;
      if (!m.groups) span = [m.index, m.index + m[0].length];
      else {
        const group = VALUE_GROUPS.find((g) => groups[g] !== undefined);
        span = group ? m.indices?.groups?.[group] : undefined;
      }
      if (!span) continue;
      const [start, end] = span;
      const value = text.slice(start, end);
      if (!value.trim() || /^\[REDACTED/.test(value) || /^\*+$/.test(value) || isReference(value)) continue;
      if (rule.accept && !rule.accept(value)) continue;
      const label = groups['key'] ?? rule.label;
      out.push({ start, end, value, label, rule: rule.name, strong: typeof rule.strong === 'function' ? rule.strong(groups) : rule.strong });
    }
  }
  return out;
}

/** Values that say "no secret here": never learned as one. */
const TRIVIAL = /^(?:null|nil|none|true|false|yes|no|on|off|undefined|empty|unset|required|optional|hidden|masked|redacted|n\/a|(.)\1*)$/i;

/**
 * Whether a secret value is also masked wherever else it appears (not only where it was found): not a trivial
 * word, not a short number (a port, a timeout), at least 4 characters; from a weak context only when it is more
 * than a plain word.
 */
export function learnable(value: string, strong: boolean): boolean {
  const v = value.trim();
  if (v.length < 4 || TRIVIAL.test(v) || /^\d{1,5}$/.test(v) || v.startsWith('[REDACTED')) return false;
  return strong || !/^\p{L}+$/u.test(v);
}

const LONG_FLAG = /^--[\p{L}\p{N}_-]+$/u;

/**
 * Secrets in an argv (a container's command, entrypoint, healthcheck test): the argument after `--<secret name>`,
 * `-a` or `-u`/`--user` (its password part), `--<secret name>=…`, `-p…`; and whatever the rules find in each
 * argument and in the argv joined by spaces (a `sh -c` script).
 */
export function argvSecrets(argv: readonly string[]): Array<{ index: number; value: string; label: string | undefined; whole: boolean }> {
  const out: Array<{ index: number; value: string; label: string | undefined; whole: boolean }> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const long = LONG_FLAG.test(arg) && SECRET_NAME.test(arg) ? arg.slice(2) : undefined;
    if ((long !== undefined || arg === '-a') && next !== undefined && !next.startsWith('-')) {
      out.push({ index: i + 1, value: next, label: long ?? 'PASSWORD', whole: true });
      i++;
      continue;
    }
    if ((arg === '-u' || arg === '--user') && next !== undefined && next.includes(':')) {
      out.push({ index: i + 1, value: next.slice(next.indexOf(':') + 1), label: 'PASSWORD', whole: false });
      i++;
      continue;
    }
    for (const s of findSecrets(arg)) out.push({ index: i, value: s.value, label: s.label, whole: s.start === 0 && s.end === arg.length });
  }
  return out;
}
