import { headerLength, readLine } from './mask.js';

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
  /**
   * distinct words seen at one position, everything else alike, that make the position a variable (default 3):
   * `VM Started`, `VM Paused`, `VM Stopped` become `VM <*>`; two (`Failed password`, `Failed none`) stay apart
   */
  variableAfter?: number;
}

const WILDCARD = '<*>';

interface Node {
  children: Map<string, Node>;
  templates: MinedTemplate[];
}

const newNode = (): Node => ({ children: new Map(), templates: [] });

/** Templates of one token count and header length: where a word that varies is looked for. */
interface Bucket {
  templates: MinedTemplate[];
}

/**
 * Equal constant words a line must share with a template for each plain word in which it differs: in a short message
 * one other word is another event (`Starting X initialization.` against `Starting X finalization.`).
 */
const WORDS_PER_DIFFERENCE = 4;
/** how many of the newest templates of a bucket a new template is compared with, for a word that varies */
const RECENT = 128;
/** how many templates of one leaf a line is compared with, the most recently used first */
const LEAF_SCAN = 128;

export class TemplateMiner {
  private readonly root = newNode();
  private readonly depth: number;
  private readonly similarity: number;
  private readonly maxChildren: number;
  private readonly variableAfter: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly bucketOf = new Map<MinedTemplate, Bucket>();
  /** the leaves a template is found in (more than one once a key word of it turned out variable) */
  private readonly leavesOf = new Map<MinedTemplate, Node[]>();
  /** the templates, oldest first; one that another absorbed (see `variableAfter`) is taken out */
  readonly templates: MinedTemplate[] = [];

  constructor(options: MinerOptions = {}) {
    this.depth = options.depth ?? 2;
    this.similarity = options.similarity ?? 0.6;
    this.maxChildren = options.maxChildren ?? 100;
    this.variableAfter = options.variableAfter ?? 3;
  }

  /**
   * Add one message (line number 1-based); returns the template it joined. A template may later be absorbed by an
   * older one (when the word that told them apart turns out to be a variable): `templates` holds the final groups.
   */
  add(message: string, lineNumber: number, original = message): MinedTemplate {
    const { tokens, group } = readLine(message);
    const start = headerLength(tokens);
    // lines of one template have as many tokens, as long a header, and (structured lines) the same message and fields
    const shape = group === undefined ? `${tokens.length}/${start}` : `${tokens.length}/${start}/${group}`;
    const { leaf, crowded } = this.leafFor(tokens, start, shape);
    let best: MinedTemplate | undefined;
    let bestAt = -1;
    let bestScore = -1;
    let bestParams = -1;
    // on input of ever new lines a leaf can hold thousands of templates: the most recently used LEAF_SCAN only
    const list = leaf.templates;
    for (let i = Math.max(0, list.length - LEAF_SCAN); i < list.length; i++) {
      const t = list[i] as MinedTemplate;
      const [score, params] = similarityOf(t.tokens, tokens, start, crowded);
      if (score > bestScore || (score === bestScore && params > bestParams)) {
        best = t;
        bestAt = i;
        bestScore = score;
        bestParams = params;
      }
    }
    if (best && bestScore >= this.similarity) {
      // keep a template in use among the most recent of a crowded leaf
      if (bestAt < list.length - LEAF_SCAN / 2) list.push(...list.splice(bestAt, 1));
      generalize(best.tokens, tokens);
      best.count++;
      best.lines.push(lineNumber);
      return best;
    }
    const created: MinedTemplate = { id: this.nextId++, tokens: [...tokens], count: 1, lines: [lineNumber], sample: original };
    leaf.templates.push(created);
    this.leavesOf.set(created, [leaf]);
    this.templates.push(created);
    let bucket = this.buckets.get(shape);
    if (!bucket) this.buckets.set(shape, (bucket = { templates: [] }));
    bucket.templates.push(created);
    this.bucketOf.set(created, bucket);
    return this.variableWord(bucket, created, start) ?? created;
  }

  private nextId = 1;

  /**
   * A new template that differs from others of its bucket by one word only, everything else alike: if one of them
   * already has a variable there, or the word has taken `variableAfter` distinct values, that position is a
   * variable and the templates become one (the oldest absorbs the others). Capitalised keywords (`HTTPS`,
   * `SOCKS5`) are names of events, not values, and so is the first word of a message: they never make a variable
   * here.
   */
  private variableWord(bucket: Bucket, created: MinedTemplate, start: number): MinedTemplate | undefined {
    const byPosition = new Map<number, MinedTemplate[]>();
    let firstWord = start;
    while (firstWord < created.tokens.length - 1 && !/[A-Za-z]/.test((created.tokens[firstWord] as string).replaceAll(WILDCARD, ''))) firstWord++;
    // the newest templates of the bucket only: the work per new template stays bounded on any input
    const from = Math.max(0, bucket.templates.length - 1 - RECENT);
    for (let i = from; i < bucket.templates.length; i++) {
      const other = bucket.templates[i] as MinedTemplate;
      if (other === created) continue;
      const p = oneDifference(other.tokens, created.tokens, start);
      if (p === undefined) continue;
      if (p === -1) return this.absorb(other, [created]);
      // the first word of a message names its event (`tickTime set to <*>`, `maxSessionTimeout set to <*>`), also
      // after a leading number or id (`<*> Creating …`, `<*> Created …`)
      if (p <= firstWord) continue;
      const a = other.tokens[p] as string;
      const b = created.tokens[p] as string;
      if (ENUM.test(a) && ENUM.test(b)) continue;
      const list = byPosition.get(p) ?? [];
      list.push(other);
      byPosition.set(p, list);
    }
    for (const [p, others] of byPosition) {
      const values = new Set(others.map((o) => o.tokens[p]));
      values.add(created.tokens[p]);
      if (values.size < this.variableAfter) continue;
      const [oldest, ...rest] = [...others, created].sort((x, y) => x.id - y.id) as [MinedTemplate, ...MinedTemplate[]];
      oldest.tokens[p] = WILDCARD;
      return this.absorb(oldest, rest);
    }
    return undefined;
  }

  /** `into` takes the lines of `others`, and their places in the tree and the bucket. */
  private absorb(into: MinedTemplate, others: MinedTemplate[]): MinedTemplate {
    const leaves = this.leavesOf.get(into) as Node[];
    for (const o of others) {
      generalize(into.tokens, o.tokens);
      into.count += o.count;
      into.lines.push(...o.lines);
      for (const leaf of this.leavesOf.get(o) ?? []) {
        leaf.templates = leaf.templates.filter((t) => t !== o);
        if (!leaf.templates.includes(into)) leaf.templates.push(into);
        if (!leaves.includes(leaf)) leaves.push(leaf);
      }
      this.leavesOf.delete(o);
      // the absorbed one is mostly the newest: look from the end
      const at = this.templates.lastIndexOf(o);
      if (at >= 0) this.templates.splice(at, 1);
      const bucket = this.bucketOf.get(o);
      const i = bucket ? bucket.templates.lastIndexOf(o) : -1;
      if (bucket && i >= 0) bucket.templates.splice(i, 1);
      this.bucketOf.delete(o);
    }
    into.lines.sort((a, b) => a - b);
    return into;
  }

  /**
   * The leaf for a line, and the positions whose word found no branch of its own because the node had
   * `maxChildren` already (so many words there: a variable, wherever it stands).
   */
  private leafFor(tokens: string[], start: number, shape: string): { leaf: Node; crowded: number[] } {
    const crowded: number[] = [];
    let node: Node = this.root.children.get(shape) ?? newNode();
    this.root.children.set(shape, node);
    for (let d = start; d < Math.min(start + this.depth, tokens.length); d++) {
      const token = tokens[d] as string;
      // a `key=value` token keys the tree by its key only: its value is a variable wherever it stands
      const named = KEY.exec(token)?.[0];
      const word = named !== undefined && token.length > named.length ? named : token;
      const key = /\d/.test(word) || word.includes(WILDCARD) ? WILDCARD : word;
      let next: Node | undefined = node.children.get(key);
      if (!next) {
        const useKey = node.children.size >= this.maxChildren ? WILDCARD : key;
        if (useKey !== key) crowded.push(d);
        next = node.children.get(useKey) ?? newNode();
        node.children.set(useKey, next);
      }
      node = next;
    }
    return { leaf: node, crowded };
  }
}

/** The template's tokens where a line differs become `<*>` (or `key=<*>` under a shared key). */
function generalize(kept: string[], tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const a = kept[i] as string;
    const b = tokens[i] as string;
    if (a === b || a === WILDCARD) continue;
    const key = sameKey(a, b);
    kept[i] = key ? key + WILDCARD : WILDCARD;
  }
}

/**
 * Where a new template differs from an older one of the same shape: `undefined` when not in exactly one word of
 * the message (the header may differ), -1 when the older one already has a variable at each difference (it covers
 * the new one: a tree key kept them apart), else the one position.
 */
function oneDifference(older: readonly string[], created: readonly string[], start: number): number | undefined {
  let at: number | undefined;
  for (let i = start; i < created.length; i++) {
    const a = older[i] as string;
    const b = created[i] as string;
    if (a === b) continue;
    if ((b === WILDCARD && a !== WILDCARD) || at !== undefined) return undefined;
    at = i;
  }
  if (at === undefined) return undefined;
  return older[at] === WILDCARD ? -1 : at;
}

/** Whether a line differs from a template in a plain word (not a value-like token, not a crowded position). */
function plainWordsDiffering(template: readonly string[], tokens: readonly string[], start: number, crowded: readonly number[]): number {
  let n = 0;
  for (let i = start; i < template.length; i++) {
    const t = template[i] as string;
    const x = tokens[i] as string;
    if (t === x || t === WILDCARD || sameKey(t, x) !== undefined) continue;
    if (!VALUE_LIKE.test(t) && !VALUE_LIKE.test(x) && !crowded.includes(i)) n++;
  }
  return n;
}

/** `key=` or `key:` at the start of a token (`user=`, `state:`, `environment:`) */
const KEY = /^[A-Za-z_][\w.-]*[=:]/;
/**
 * a token that reads as a value rather than a word: a path, an address, a quoted or `key=` value, an id with `_` or
 * with digits left after masking (`sda1`, `KB2990214`)
 */
const VALUE_LIKE = /[/\\@'"=_<>\d]|\w\.\w/;
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
 *   other wording (`user=bob role=admin` against `user=ann role=viewer`), and once it has varied it is `key=<*>`;
 * - each plain word that differs needs 4 equal constant words (so in a short message one other word is another
 *   event), unless it stands where the tree found too many words to branch on (`crowded`); a value-like token
 *   (path, host, quoted, `key=value`) differs freely.
 */
function similarityOf(template: string[], tokens: string[], start: number, crowded: readonly number[]): [number, number] {
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
        // a value under a shared key, varied already or not (`user=gitea` against `user=app`, `method=GET` against
        // `method=POST`): what a key is set to is a value, a variable like a wildcard
        params++;
        previousDiffered = false;
        continue;
      }
      if (ENUM.test(t) && ENUM.test(x)) return [-1, params];
      // a value-like token (path, host, quoted) next to a differing word is a value with its qualifier, not a wording
      const plain = !VALUE_LIKE.test(t) && !VALUE_LIKE.test(x);
      if (previousDiffered && plain) return [-1, params];
      constants++;
      previousDiffered = plain;
    }
  }
  if (exact) return [1, params];
  // each plain word that differs needs WORDS_PER_DIFFERENCE equal ones: in a short message one other word is another
  // event; such a word becomes a variable only once it took several values (TemplateMiner.variableWord)
  if ((constants - same) * WORDS_PER_DIFFERENCE > same && plainWordsDiffering(template, tokens, start, crowded) * WORDS_PER_DIFFERENCE > same) return [-1, params];
  return [constants === 0 ? 1 : same / constants, params];
}
