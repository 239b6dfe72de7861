import { tokenize } from './mask.js';

/**
 * An online log-template miner in the spirit of Drain (He et al., ICWS 2017): a fixed-depth tree keyed by the
 * number of tokens and the first tokens, then the most similar template in the leaf, or a new one. Tokens that
 * differ between a template and a new line become `<*>`. Variables are masked first (mask.ts).
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
  /** tree depth below the length layer (default 2 prefix tokens) */
  depth?: number;
  /** minimum share of equal constant tokens to join a template (default 0.6; Drain's default is 0.5) */
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
    const leaf = this.leafFor(tokens);
    let best: MinedTemplate | undefined;
    let bestScore = -1;
    let bestParams = -1;
    for (const t of leaf.templates) {
      const [score, params] = similarityOf(t.tokens, tokens);
      if (score > bestScore || (score === bestScore && params > bestParams)) {
        best = t;
        bestScore = score;
        bestParams = params;
      }
    }
    if (best && bestScore >= this.similarity) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILDCARD;
      best.count++;
      best.lines.push(lineNumber);
      return best;
    }
    const created: MinedTemplate = { id: this.templates.length + 1, tokens: [...tokens], count: 1, lines: [lineNumber], sample: original };
    leaf.templates.push(created);
    this.templates.push(created);
    return created;
  }

  private leafFor(tokens: string[]): Node {
    const lengthKey = String(tokens.length);
    let node: Node = this.root.children.get(lengthKey) ?? newNode();
    this.root.children.set(lengthKey, node);
    for (let d = 0; d < Math.min(this.depth, tokens.length); d++) {
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

/**
 * Drain's similarity: the share of positions with the same constant token (a wildcard in the template counts as
 * neither), and the wildcard count. A line whose masked tokens are exactly the template's is always a match.
 */
function similarityOf(template: string[], tokens: string[]): [number, number] {
  let same = 0;
  let params = 0;
  let exact = true;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== tokens[i]) exact = false;
    if (template[i] === WILDCARD) params++;
    else if (template[i] === tokens[i]) same++;
  }
  if (exact) return [1, params];
  return [template.length === 0 ? 1 : same / template.length, params];
}
