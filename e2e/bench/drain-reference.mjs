// A plain Drain (He, Zhu, Zheng, Lyu: "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017),
// written after the reference implementation in logpai/logparser (Drain/Drain.py) that produced the published
// LogHub figures, for the benchmark only: it prints a Drain figure for any data set, also one with no published
// figure. Nothing of bcon's miner is used here.
//
// - preprocessing: the same masks for every data set (no per-set regular expressions): IPv4 addresses with an
//   optional port, UUIDs, 0x hex numbers, and numbers that stand apart from letters (logparser's generic number
//   pattern); each becomes `<*>`;
// - tokens: split on white space;
// - tree: root, one layer by token count, then `depth - 3` layers keyed by the first tokens (a token with a digit
//   goes under `<*>`; at most `maxChild` children per node, the rest under `<*>`), then a leaf of log groups (so
//   depth 4 keys on the length and the first token, as logparser's Drain does);
// - in the leaf, the group with the most equal tokens over the template length (`<*>` counts as a parameter, the
//   tie-break) joins the line when that share is ≥ `st`; else the line opens a new group. A joined group's template
//   turns the differing tokens into `<*>`.

export const DRAIN_DEFAULTS = { depth: 4, st: 0.5, maxChild: 100 };

/** the standard masks: IPs (with port), UUIDs, hex, numbers not glued to letters */
export const DRAIN_MASKS = [
  /(\/|)(\d+\.){3}\d+(:\d+)?/g,
  /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g,
  /0[xX][0-9a-fA-F]+/g,
  /(?<=[^A-Za-z0-9])(-?\+?\d+)(?=[^A-Za-z0-9])|[0-9]+$/g,
];

const WILDCARD = '<*>';
const hasNumbers = (s) => /\d/.test(s);

export class DrainReference {
  constructor(options = {}) {
    const o = { ...DRAIN_DEFAULTS, ...options };
    this.tokenLayers = Math.max(0, o.depth - 3);
    this.st = o.st;
    this.maxChild = o.maxChild;
    this.masks = o.masks ?? DRAIN_MASKS;
    this.root = new Map();
    this.clusters = [];
  }

  preprocess(line) {
    let out = line;
    for (const re of this.masks) out = out.replace(re, WILDCARD);
    return out.trim().split(/\s+/).filter((t) => t !== '');
  }

  /** Adds one line; returns the id (0-based) of its group. */
  add(line) {
    const seq = this.preprocess(line);
    const found = this.treeSearch(seq);
    if (found) {
      const t = found.template;
      for (let i = 0; i < t.length; i++) if (t[i] !== seq[i]) t[i] = WILDCARD;
      found.size++;
      return found.id;
    }
    const cluster = { id: this.clusters.length, template: [...seq], size: 1 };
    this.clusters.push(cluster);
    this.addToTree(cluster);
    return cluster.id;
  }

  treeSearch(seq) {
    let node = this.root.get(seq.length);
    if (!node) return undefined;
    for (let d = 0; d < Math.min(this.tokenLayers, seq.length); d++) {
      const token = seq[d];
      node = node.children.get(token) ?? node.children.get(WILDCARD);
      if (!node) return undefined;
    }
    return this.fastMatch(node.clusters, seq);
  }

  fastMatch(clusters, seq) {
    let best;
    let maxSim = -1;
    let maxPar = -1;
    for (const c of clusters) {
      let sim = 0;
      let par = 0;
      for (let i = 0; i < c.template.length; i++) {
        const t = c.template[i];
        if (t === WILDCARD) par++;
        else if (t === seq[i]) sim++;
      }
      const score = c.template.length === 0 ? 1 : sim / c.template.length;
      if (score > maxSim || (score === maxSim && par > maxPar)) {
        best = c;
        maxSim = score;
        maxPar = par;
      }
    }
    return best && maxSim >= this.st ? best : undefined;
  }

  addToTree(cluster) {
    const seq = cluster.template;
    let node = this.root.get(seq.length);
    if (!node) {
      node = { children: new Map(), clusters: [] };
      this.root.set(seq.length, node);
    }
    for (let d = 0; d < Math.min(this.tokenLayers, seq.length); d++) {
      const token = seq[d];
      let next = node.children.get(token);
      if (!next) {
        const add = (key) => {
          const created = { children: new Map(), clusters: [] };
          node.children.set(key, created);
          return created;
        };
        if (hasNumbers(token)) next = node.children.get(WILDCARD) ?? add(WILDCARD);
        else if (node.children.has(WILDCARD)) next = node.children.size < this.maxChild ? add(token) : node.children.get(WILDCARD);
        else if (node.children.size + 1 < this.maxChild) next = add(token);
        else if (node.children.size + 1 === this.maxChild) next = add(WILDCARD);
        else next = node.children.get(WILDCARD);
      }
      node = next;
    }
    node.clusters.push(cluster);
  }
}
