// env names whose values are secrets: one list for all of bcon
import { SECRET_NAME } from '../redact/secret-name.js';

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
function looksRandom(token: string): boolean {
  if (token.length < 20) return false;
  if (/^[0-9a-f]+$/i.test(token)) return false; // ids and digests (container ids, sha256) are not secrets
  if (!/[a-z]/.test(token) || !/[A-Z0-9]/.test(token) || !/\d/.test(token)) return false;
  return entropy(token) >= 4.2;
}

/**
 * Masks secrets before text leaves the process, with placeholders that are stable within one request: the same
 * value is always `[REDACTED:DB_PASSWORD]` (named after where it was first seen) or `[REDACTED:#3]`, so a model can
 * still reason about "the same password as DB_PASSWORD" without seeing it.
 */
export class Redactor {
  private readonly byValue = new Map<string, string>();
  private counter = 0;

  /** Seed with environment variables: the values of secret-looking names become named placeholders. */
  seedEnv(env: Record<string, string | null | undefined>): this {
    for (const [name, value] of Object.entries(env)) {
      if (value && value.length >= 4 && SECRET_NAME.test(name)) this.placeholder(value, name);
      // credentials inside a URL value: postgres://user:pass@host
      const url = value ? /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/i.exec(value) : null;
      if (url?.[1]) this.placeholder(url[1], `${name}_PASSWORD`);
    }
    return this;
  }

  private placeholder(value: string, label?: string): string {
    let p = this.byValue.get(value);
    if (!p) {
      p = `[REDACTED:${label ? label.toUpperCase().replace(/[^A-Z0-9_]/g, '_') : `#${++this.counter}`}]`;
      this.byValue.set(value, p);
    }
    return p;
  }

  redact(text: string): string {
    let out = text;
    // values already known (seeded or seen earlier in this request), longest first
    for (const [value, p] of [...this.byValue].sort((a, b) => b[0].length - a[0].length)) if (out.includes(value)) out = out.split(value).join(p);
    out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, (m) => this.placeholder(m, 'PRIVATE_KEY'));
    out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi, (_m, head: string, pass: string) => `${head}${pass.startsWith('[REDACTED') ? pass : this.placeholder(pass)}@`);
    out = out.replace(/\b(bearer|basic|token)\s+([A-Za-z0-9._~+/-]{8,}=*)/gi, (_m, kind: string, v: string) => `${kind} ${this.placeholder(v)}`);
    out = out.replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, (m) => this.placeholder(m, 'JWT'));
    out = out.replace(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, (m) => this.placeholder(m, 'AWS_ACCESS_KEY'));
    out = out.replace(/\b(?:sk|pk|rk)_(?:live|test)_[0-9a-zA-Z]{10,}\b|\bsk-[A-Za-z0-9_-]{20,}\b|\bgh[pousr]_[A-Za-z0-9]{20,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, (m) => this.placeholder(m));
    // key=value and "key": "value" where the key names a secret
    out = out.replace(
      /(["']?)([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|dsn)[\w.-]*)\1(\s*[:=]\s*)(["']?)([^\s"',;&}\]]+)/gi,
      (m, q: string, key: string, sep: string, q2: string, value: string) => (value.startsWith('[REDACTED') ? m : `${q}${key}${q}${sep}${q2}${this.placeholder(value, key)}`),
    );
    // whatever else looks generated
    out = out.replace(/[A-Za-z0-9+/_=-]{20,}/g, (m) => (looksRandom(m) ? this.placeholder(m) : m));
    return out;
  }

  /** How many distinct secrets were masked. */
  get count(): number {
    return this.byValue.size;
  }
}
