import type { SecretSpan } from './rules.js';
import { MASKED, findSecrets, learnable } from './rules.js';
import { escapeRegExp } from '../regexp-escape.js';

/** A value to mask, where it is in a text, and what it is. */
interface Hit {
  start: number;
  end: number;
  label: string | undefined;
  /** the learned value, when the hit is one (also when it reads JSON-escaped in the text) */
  value?: string;
}

/** Replaces one secret value (its text, and the label it was given) with its mask. */
export type Replacer = (value: string, label: string | undefined) => string;

const WORD = /[\p{L}\p{N}]/u;

/**
 * The secret values learned so far (from the rules, from env values whose names are secret, from argv), and the
 * masking of a text in one go: the rules' spans and every occurrence of a learned value, merged, each replaced by
 * the replacer. Learning comes before replacing, so a value seen late (`password=X` on the last line) is also
 * masked where it appeared first — in the same text, and in every later text masked with the same book.
 */
export class SecretBook {
  private readonly values = new Map<string, string | undefined>();
  private readonly kept = new Set<string>();

  /** Names (services, containers, projects) that are never masked as a learned value, even when an env value equals one. */
  keep(names: Iterable<string | undefined>): this {
    for (const n of names) if (n) this.kept.add(n);
    return this;
  }

  /** Learn one value as a secret (masked wherever it appears), when it can be told from ordinary text. */
  add(value: string, label: string | undefined, strong = true): this {
    const v = value.trim();
    // a log template's wildcard is not part of any value: the value itself is learned from the log lines
    if (!learnable(v, strong) || v.includes('<*>')) return this;
    if (!this.values.has(v)) this.values.set(v, label);
    // a multi-line secret (a key block, a certificate chain in one env value) also line by line: logs split it
    if (v.includes('\n')) for (const line of v.split('\n')) if (line.trim().length >= 8) this.add(line.trim(), label, strong);
    return this;
  }

  /** Learn every value the rules find in a text. */
  learn(text: string): SecretSpan[] {
    const spans = findSecrets(text);
    for (const s of spans) this.add(s.value, s.label, s.strong);
    return spans;
  }

  labelOf(value: string): string | undefined {
    return this.values.get(value);
  }

  get size(): number {
    return this.values.size;
  }

  /** Where the learned values occur in a text: anywhere for a long mixed one, as a whole word for a short or plain one. */
  private occurrences(text: string): Hit[] {
    const out: Hit[] = [];
    for (const [value, label] of this.values) {
      if (this.kept.has(value)) continue;
      const anywhere = value.length >= 8 && !/^\p{L}+$/u.test(value);
      // the same value as it reads inside JSON text (quotes and backslashes escaped)
      const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
      for (const form of forms) {
        for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
          const end = at + form.length;
          if (!anywhere && (WORD.test(text[at - 1] ?? '') || WORD.test(text[end] ?? ''))) continue;
          out.push({ start: at, end, label, value });
        }
      }
    }
    return out;
  }

  /**
   * Tokens of a log template (`retrying with LeakLate-<*>Fg9`: the miner replaced a part of a secret by `<*>`) whose
   * wildcards can be filled to give a learned value: the token is that value, and is masked whole.
   */
  private templateHits(text: string): Hit[] {
    if (!text.includes('<*>') || !this.values.size) return [];
    const out: Hit[] = [];
    for (const m of text.matchAll(/[^\s"'(){}[\],;]*<\*>[^\s"'(){}[\],;]*/g)) {
      const token = m[0];
      if (token.replace(/<\*>/g, '').length < 4) continue;
      const re = new RegExp(`^${token.split('<*>').map((part) => escapeRegExp(part)).join('.+?')}$`, 's');
      const value = [...this.values.keys()].find((v) => !this.kept.has(v) && re.test(v));
      if (value !== undefined) out.push({ start: m.index, end: m.index + token.length, label: this.values.get(value), value });
    }
    return out;
  }

  /** Learn from the text, then replace every secret in it (the rules' finds and every learned value). */
  mask(text: string, replace: Replacer): string {
    const found = this.learn(text);
    const masked = [...text.matchAll(MASKED)].map((m) => [m.index, m.index + m[0].length] as const);
    const inMask = (h: Hit) => masked.some(([s, e]) => h.start < e && h.end > s);
    const hits = [...found.map((s): Hit => ({ start: s.start, end: s.end, label: s.label })), ...this.occurrences(text), ...this.templateHits(text)]
      .filter((h) => h.end > h.start && !inMask(h))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    if (!hits.length) return text;
    // merge overlapping hits: one mask for the union
    const merged: Hit[] = [];
    for (const h of hits) {
      const last = merged.at(-1);
      if (last && h.start < last.end) {
        if (h.start === last.start && h.end === last.end) last.value ??= h.value;
        else if (h.end > last.end) delete last.value;
        last.end = Math.max(last.end, h.end);
        last.label ??= h.label;
      } else merged.push({ ...h });
    }
    let out = '';
    let at = 0;
    for (const h of merged) {
      const value = h.value ?? text.slice(h.start, h.end);
      out += text.slice(at, h.start) + replace(value, this.values.has(value) ? (this.values.get(value) ?? h.label) : h.label);
      at = h.end;
    }
    return out + text.slice(at);
  }
}
