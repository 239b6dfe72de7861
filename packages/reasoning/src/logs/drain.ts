import { headerLength, tokenize } from './mask.js';

/**
 * An online log-template miner in the spirit of Drain (He et al., ICWS 2017): a fixed-depth tree keyed by the
 * number of tokens and the first tokens of the message, then the most similar template in the leaf, or a new one.
 * Tokens that differ between a template and a new line become `<*>`. Variables are masked first (mask.ts).
 *
 * Raw lines work as well as bare messages: a line header (time stamp, host, level, thread, logger: see
 * `headerLength`) is kept in the template but neither keys the tree nor counts in the similarity, so the same
 * message from another thread, host or level joins its template, and two messages under a long shared header do
 * not look alike just because of it.
 */
export interface MinedTemplate {
  id: number;
  tokens: string[];
  count: number;
  /** 1-based numbers of the lines grouped here */
  lines: number[];
  /** one original line, for showing */
  sample: string;
}

export interface MinerOptions {
  /** tree depth below the length layer (default 2 message tokens) */
  depth?: number;
  /** minimum share of the template's constant message tokens a line must repeat to join it (default 0.6) */
  similarity?: number;
  /** most children per inner node before further tokens share a wildcard branch (default 100) */
  maxChildren?: number;
}

const WILDCARD = '<*>';

interface Node {
  children: Map<string, Node>;
  templates: MinedTemplate[];
}

const newNode = (): Node => ({ children: new Map(), templates: [] });

export class TemplateMiner {
  private readonly root = newNode();
  private readonly depth: number;
  private readonly similarity: number;
  private readonly maxChildren: number;
  readonly templates: MinedTemplate[] = [];

  constructor(options: MinerOptions = {}) {
    this.depth = options.depth ?? 2;
    this.similarity = options.similarity ?? 0.6;
    this.maxChildren = options.maxChildren ?? 100;
  }

  /** Add one message (line number 1-based); returns the template it joined. */
  add(message: string, lineNumber: number, original = message): MinedTemplate {
    const tokens = tokenize(message);
    const start = headerLength(tokens);
    const leaf = this.leafFor(tokens, start);
    let best: MinedTemplate | undefined;
    let bestScore = -1;
    let bestParams = -1;
    for (const t of leaf.templates) {
      const [score, params] = similarityOf(t.tokens, tokens, start);
      if (score > bestScore || (score === bestScore && params > bestParams)) {
        best = t;
        bestScore = score;
        bestParams = params;
      }
    }
    if (best && bestScore >= this.similarity) {
      const kept = best.tokens;
      for (let i = 0; i < tokens.length; i++) {
        const a = kept[i] as string;
        const b = tokens[i] as string;
        if (a === b || a === WILDCARD) continue;
        const key = sameKey(a, b);
        kept[i] = key ? key + WILDCARD : WILDCARD;
      }
      best.count++;
      best.lines.push(lineNumber);
      return best;
    }
    const created: MinedTemplate = { id: this.templates.length + 1, tokens: [...tokens], count: 1, lines: [lineNumber], sample: original };
    leaf.templates.push(created);
    this.templates.push(created);
    return created;
  }

  private leafFor(tokens: string[], start: number): Node {
    // lines of one template have as many tokens, and as long a header
    const lengthKey = `${tokens.length}/${start}`;
    let node: Node = this.root.children.get(lengthKey) ?? newNode();
    this.root.children.set(lengthKey, node);
    for (let d = start; d < Math.min(start + this.depth, tokens.length); d++) {
      const token = tokens[d] as string;
      const key = /\d/.test(token) || token.includes(WILDCARD) ? WILDCARD : token;
      let next: Node | undefined = node.children.get(key);
      if (!next) {
        const useKey = node.children.size >= this.maxChildren ? WILDCARD : key;
        next = node.children.get(useKey) ?? newNode();
        node.children.set(useKey, next);
      }
      node = next;
    }
    return node;
  }
}

/** `key=` or `key:` at the start of a token (`user=`, `state:`, `environment:`) */
const KEY = /^[A-Za-z_][\w.-]*[=:]/;
/** an enumeration value written in capitals (`RUNNING`, `JOB_SETUP`, `HTTPS`, `SOCKS5`): a keyword, not a value */
const ENUM = /^[A-Z][A-Z_]+[A-Z0-9]?$/;

/** The shared `key=` of two tokens that differ only after it, if any. */
function sameKey(a: string, b: string): string | undefined {
  const k = KEY.exec(a)?.[0];
  return k !== undefined && a.length > k.length && b.length > k.length && b.startsWith(k) ? k : undefined;
}

/**
 * How much a line looks like a template, over the message part (after the header): the share of the template's
 * constant tokens that the line repeats, and the template's wildcard count (the tie-break). A line whose tokens are
 * exactly the template's is always a match. Where the tokens differ matters:
 * - two differing constants side by side are not a variable but another wording (`establish new session` against
 *   `renew session <*>`): no match;
 * - two different capitalised keywords (`from NEW to INITED` against `from INITED to SETUP`, `HTTPS` against
 *   `SOCKS5`) are different events: no match;
 * - `key=a` against `key=b` is a value under a shared key: it differs, but next to another difference it is no
 *   other wording (`user=bob role=admin` against `user=ann role=viewer`), and once it has varied it is `key=<*>`.
 */
function similarityOf(template: string[], tokens: string[], start: number): [number, number] {
  let exact = true;
  for (let i = 0; i < start; i++) if (template[i] !== tokens[i]) exact = false;
  let same = 0;
  let params = 0;
  let constants = 0;
  let previousDiffered = false;
  for (let i = start; i < template.length; i++) {
    const t = template[i] as string;
    const x = tokens[i] as string;
    if (t === WILDCARD) {
      if (x !== WILDCARD) exact = false;
      params++;
      previousDiffered = false;
    } else if (t === x) {
      same++;
      constants++;
      previousDiffered = false;
    } else {
      exact = false;
      const key = sameKey(t, x);
      if (key) {
        // a value under a shared key: a wildcard once it has varied, else one differing token that starts no run
        const value = t.slice(key.length);
        if (value === WILDCARD) params++;
        else if (ENUM.test(value) && ENUM.test(x.slice(key.length))) return [-1, params];
        else constants++;
        previousDiffered = false;
        continue;
      }
      if (previousDiffered || (ENUM.test(t) && ENUM.test(x))) return [-1, params];
      constants++;
      previousDiffered = true;
    }
  }
  if (exact) return [1, params];
  return [constants === 0 ? 1 : same / constants, params];
}
