import { isVocabulary, KO_NAMES } from './lexicon.js';
import type { Namer } from './tokens.js';

/** Edit distance with adjacent transpositions (a typo like "wroker" is one edit from "worker"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

/** English words for a kind of service, matched like the Korean ones (a "database" is the db, or the postgres). */
const EN_NAMES: Record<string, string[]> = {
  database: ['db', 'database', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb'],
  postgresql: ['postgres', 'postgresql'],
  pg: ['postgres', 'postgresql'],
  webserver: ['web', 'webserver'],
};

/** The name of an image without registry, path and tag ("registry.local/shop/api:1.4" → "api"). */
export function imageBase(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.replace(/@.*$/, '');
  const last = noDigest.split('/').pop() ?? noDigest;
  return last.replace(/:[^:]*$/, '').toLowerCase();
}

/**
 * How the request may name the file's services: the name (any case), its plural, a part of a hyphenated name
 * ("shop-api" → api), the name of its image ("redis" for a cache running redis), a Korean spelling or translation
 * (워커, 레디스, 디비), and, for names of four letters or more, one typo. A word two services could be is none.
 */
export function namerFor(services: Record<string, { image: string | undefined }>): Namer {
  const names = Object.keys(services);
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const unique = (hits: string[]) => {
    const set = [...new Set(hits)];
    return set.length === 1 ? set[0] : undefined;
  };
  const byPart = (w: string) => unique(names.filter((n) => n.toLowerCase().split(/[-_.]/).length > 1 && n.toLowerCase().split(/[-_.]/).includes(w)));
  const byImage = (w: string) => unique(names.filter((n) => imageBase(services[n]?.image) === w));
  /** a word that names a service without a typo */
  const squash = (n: string) => n.toLowerCase().replace(/[-_.]/g, '');
  /** services a word may name by a part of their name or their image (several: the word is ambiguous) */
  const partial = (w: string): string[] =>
    isVocabulary(w) ? [] : [...new Set(names.filter((n) => (n.toLowerCase().split(/[-_.]/).length > 1 && n.toLowerCase().split(/[-_.]/).includes(w)) || imageBase(services[n]?.image) === w))];
  const direct = (w: string): string | undefined => {
    const exact = lower.get(w) ?? (w.endsWith('s') ? lower.get(w.slice(0, -1)) : undefined) ?? unique(names.filter((n) => squash(n) === squash(w)));
    if (exact) return exact;
    const p = partial(w);
    return p.length === 1 ? p[0] : undefined;
  };
  const kinds = (words: string[]): string | undefined => {
    for (const tier of [(w: string) => lower.get(w), byPart, byImage]) {
      const hit = unique(words.map(tier).filter((x): x is string => !!x));
      if (hit) return hit;
    }
    return undefined;
  };
  return {
    latin(word: string) {
      const w = word.toLowerCase();
      if (!/^[a-z][a-z0-9_.-]*$/.test(w)) return undefined;
      const hit = direct(w) ?? (EN_NAMES[w] ? kinds(EN_NAMES[w]) : undefined);
      if (hit) return hit;
      if (w.length < 4 || isVocabulary(w) || !/^[a-z]+$/.test(w)) return undefined;
      return unique(names.filter((n) => n.length >= 4 && editDistance(n.toLowerCase(), w) === 1));
    },
    isName(word: string) {
      return lower.has(word.toLowerCase());
    },
    several(word: string) {
      const w = word.toLowerCase();
      return direct(w) ? [] : partial(w);
    },
    korean(word: string) {
      const exact = lower.get(word);
      if (exact) return { svc: exact, known: true };
      const en = KO_NAMES[word];
      return { svc: en ? kinds(en) : undefined, known: !!en };
    },
    imageNamed(name: string) {
      return names.some((n) => imageBase(services[n]?.image) === name.toLowerCase());
    },
  };
}
