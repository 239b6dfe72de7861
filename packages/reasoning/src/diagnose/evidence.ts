import { redactText } from '../redact/text.js';

/** Where a piece of evidence came from. */
export type EvidenceKind = 'state' | 'event' | 'stats' | 'log' | 'health' | 'drift' | 'config' | 'change' | 'baseline' | 'dependency';

export interface Evidence {
  /** `e1`, `e2`, …: what hypotheses cite (an LLM may cite only ids that exist) */
  id: string;
  kind: EvidenceKind;
  /** the container, service or file it was read from */
  source: string;
  /** the fact, redacted and cut to a printable length */
  text: string;
}

const MAX_TEXT = 400;

/**
 * The evidence of one diagnosis. Every fact an analyzer cites is added here once and gets an id; the text is
 * redacted (secrets never leave the process) and control characters are dropped (logs are untrusted).
 */
export class EvidenceBook {
  private readonly items: Evidence[] = [];
  private readonly byKey = new Map<string, string>();

  add(kind: EvidenceKind, source: string, text: string): string {
    // eslint-disable-next-line no-control-regex
    const clean = redactText(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim();
    const cut = clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT - 1)}…` : clean;
    const key = `${kind}\u0000${source}\u0000${cut}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const id = `e${this.items.length + 1}`;
    this.items.push({ id, kind, source, text: cut });
    this.byKey.set(key, id);
    return id;
  }

  get(id: string): Evidence | undefined {
    return this.items[Number(id.slice(1)) - 1];
  }

  /** Only the evidence the given ids cite, in id order. */
  cited(ids: Iterable<string>): Evidence[] {
    const wanted = new Set(ids);
    return this.items.filter((e) => wanted.has(e.id));
  }

  all(): Evidence[] {
    return [...this.items];
  }
}
