import type { Tag } from './lexicon.js';
import { isVocabulary } from './lexicon.js';
import type { IntentOperation } from './operations.js';
import { IntentError } from './operations.js';
import { namerFor } from './services.js';
import type { Policy, Tok, Val } from './tokens.js';
import { isInjection, outOfScope } from './refusals.js';
import { envKeyLike, hasTag, isKorean, normalize, tokenize } from './tokens.js';
import { stillToDo } from './unchanged.js';

/** What the parser knows of each service in the file (for names, relative changes and "nothing to change"). */
export interface ServiceNow {
  replicas: number;
  memoryBytes: number | undefined;
  memoryReservationBytes: number | undefined;
  cpus: number | undefined;
  image: string | undefined;
  environment: Record<string, string | null>;
  restart: string | undefined;
  dependsOn: string[];
  published: number[];
  /** the file's port mappings, when known (a host port mapped to another container port is then a change) */
  ports?: Array<{ published: number; target: number; protocol: string }>;
  /** the file's healthcheck, when it has one (durations in nanoseconds, as the sensor reads them) */
  healthcheck?: { intervalNs: number | undefined; timeoutNs: number | undefined; retries: number | undefined; test: string[] | undefined };
}

type Slot = 'replicas' | 'mem' | 'memres' | 'cpu' | 'image' | 'port' | 'retries' | 'interval' | 'timeout' | 'test' | 'restart' | 'start';

/** An amount: absolute, a change by so much, or a multiple of what the file says. */
/** An absolute amount keeps the direction its clause says ("raise … to 3"), to check against the value now. */
type Amount = { abs: number; dir?: 1 | -1 } | { rel: number } | { mult: number };

type Spec = { at: number } & (
  | { s: 'replicas' | 'mem' | 'memres' | 'cpu'; v: Amount; raw: string }
  | { s: 'env'; name: string; value: string }
  | { s: 'unset'; name: string }
  | { s: 'image'; ref: string | undefined; version: string | undefined; raw: string }
  | { s: 'port_add'; published: number; target: number; protocol: 'udp' | 'sctp' | undefined }
  | { s: 'port_rm'; published: number }
  /** "…, forwarding to container port 443": the container side of the port the clause before published */
  | { s: 'port_target'; target: number }
  | { s: 'restart'; policy: Policy }
  | { s: 'hc'; interval: string | undefined; timeout: string | undefined; retries: number | undefined; test: string[] | undefined }
  | { s: 'dep_add' | 'dep_rm'; target: string }
);

/** Which settings a cue word can give a value to. */
const CUE_SLOTS: Partial<Record<Tag, Slot[]>> = {
  replicas: ['replicas'],
  container: ['replicas'],
  memory: ['mem'],
  reserve: ['memres'],
  limit: ['mem'],
  cpu: ['cpu'],
  image: ['image'],
  vverb: ['image'],
  wverb: ['image'],
  port: ['port'],
  padd: ['port'],
  prm: ['port'],
  hint: ['interval'],
  htimeout: ['timeout'],
  hretries: ['retries'],
  htest: ['test'],
  hstart: ['start'],
  restart: ['restart'],
};
/** Cues that name a setting (not verbs): with any of them, a weak verb like "update" says nothing about the image. */
const NOUN_CUES: Tag[] = ['replicas', 'container', 'memory', 'reserve', 'cpu', 'port', 'restart', 'hint', 'htimeout', 'hretries', 'env', 'hc'];
const MEMORY_FAMILY: Tag[] = ['memory', 'reserve', 'limit'];
const PORT_FAMILY: Tag[] = ['port', 'padd', 'prm', 'hostside', 'ctrside', 'proto', 'container'];
/** Cues of settings that take no amount: in their clauses "2 빼" or "3 more" is no change of an amount. */
const NOT_AMOUNTS: Tag[] = ['port', 'padd', 'prm', 'image', 'vverb', 'hint', 'htimeout', 'hretries', 'env'];
const AMOUNTS: Tag[] = ['replicas', 'container', 'cpu', 'memory', 'reserve'];
/** Words that may stand between a cue and its value ("memory limit of 1g", "replicas of api to 3", "메모리를 좀 2기가로"). */
const GAP_OK: Tag[] = ['filler', 'to', 'limit', 'policy', 'pron', 'every', 'by', 'hc'];

interface Prev {
  slots: Slot[];
  /** the slot was only described ("redis is at 128m"): "it" may take a change of it, never a bare number */
  described?: boolean;
  portMode: 'add' | 'rm' | undefined;
  specs: Spec[];
}

interface Ctx {
  services: Record<string, ServiceNow>;
  names: string[];
  /** the services the clauses before named last ("give it…") */
  current: string[];
  prev: Prev | undefined;
  /** services whose healthcheck this request already sets (a later "timeout 5s" adds to it) */
  hcFor: Set<string>;
}

interface ClauseOut {
  subjects: string[];
  /** the services are named after a preposition ("… on api"): what came before without a service may be for them */
  trailing: boolean;
  specs: Spec[];
  prev: Prev | undefined;
  /** the clause says to leave these alone ("don't touch the db", "db는 그대로"): of these settings, or of all when none */
  /** what the clause says to keep as it is: services, operation families, and (when it says them) the values kept */
  held?: { services: string[]; families: string[]; values?: number[] };
  /** the clause asks for nothing on purpose: negated, kept, or a description of how things are */
  quiet?: boolean;
}

/** The operations a setting word in a negated or kept clause protects ("don't touch api's memory"). */
const HELD_FAMILIES: Array<[Tag[], string[]]> = [
  [['replicas', 'container'], ['set_replicas']],
  [['memory', 'limit'], ['set_memory_limit', 'set_memory_reservation']],
  [['reserve'], ['set_memory_reservation']],
  [['cpu'], ['set_cpu_limit']],
  [['image', 'vverb'], ['set_image']],
  [['port', 'padd', 'prm'], ['add_port', 'remove_port']],
  [['env', 'unset'], ['set_env', 'unset_env']],
  [['restart', 'policy'], ['set_restart']],
  [['hc', 'hint', 'htimeout', 'hretries', 'htest'], ['set_healthcheck']],
  [['dep'], ['add_dependency', 'remove_dependency']],
];
const heldBy = (c: Tok[], services: string[]) => ({ services, families: HELD_FAMILIES.filter(([tags]) => c.some((t) => hasTag(t, ...tags))).flatMap(([, f]) => f) });

/** A setting word and the slot fillings that say a value for it. */
const NAMED_SETTINGS: Array<[Tag, string[]]> = [
  ['replicas', ['replicas']],
  ['memory', ['mem', 'memres']],
  ['reserve', ['memres']],
  ['cpu', ['cpu']],
  ['port', ['port_add', 'port_rm', 'port_target']],
  ['hint', ['hc']],
  ['htimeout', ['hc']],
  ['hretries', ['hc']],
  ['restart', ['restart']],
  ['env', ['env', 'unset']],
];

/** Words that ask for a change (verbs) or name a setting: a clause with one of them that yields nothing was not understood. */
const CHANGE_WORDS: Tag[] = ['up', 'down', 'add', 'vverb', 'wverb', 'padd', 'prm', 'unset', 'replicas', 'container', 'memory', 'reserve', 'cpu', 'image', 'port', 'hc', 'hint', 'htimeout', 'hretries', 'env', 'restart', 'dep', 'mult', 'more', 'less'];
const asksForChange = (c: Tok[]) => c.some((t) => (hasTag(t, ...CHANGE_WORDS) || (t.tags.has('remove') && !t.tags.has('neg')) || /^(set|scale|make|give|tune|adjust|modify|alter|tweak|fix|optimi[sz]e|resize|improve|reconfigure)$/.test(t.w) || /^(조정|수정|튜닝|최적화|손봐|손보)/.test(t.raw)) && !t.svc);

/** Capitals people write in prose about a stack ("OOM killed", "the TLS cert"): no sign of a variable to change. */
const PROSE_ACRONYMS = /^(?:OOM|TLS|SSL|DNS|HTTPS?|URL|JVM|GC|IO|UI|OS|VM|VPS|CI|CD|SSD|DB|SQL|PHP|JS|ASAP|FYI|IMO|ETA|TBH|PR|QA|UTC|EOD)$/;

/**
 * A clause that says what is going on rather than what to change ("the nightly export keeps dying", "gitea logs are
 * way too chatty", "we moved outgoing mail to SES"): English, a verb of state or of the past, no value, no word of
 * a setting, change, negation, dependency or keeping, and no verb of command. Only before another clause.
 */
function situation(c: Tok[]): boolean {
  const state = (t: Tok) => /^(is|are|was|were|keeps|seems?|looks?|been|getting|gets|got|feels?|moved|migrated|switched|started|stopped|broke|crashed|died)$/.test(t.w);
  if (c.some((t) => t.val || isKorean(t) || (hasTag(t, ...CHANGE_WORDS, 'neg', 'dep', 'depweak', 'depbefore', 'keep', 'remove', 'unset', 'foreign') && !state(t) && !/^builds?$/.test(t.w)))) return false;
  if (c.some((t) => /^(set|scale|give|make|change|switch|update|upgrade|downgrade|pin|limit|cap|allow|open|close|use|enable|disable|let|turn|bump|put|bring|please|pls|plz)$/.test(t.w))) return false;
  // (a disk that fills makes a size after it a guess: "the db volume is getting full, give db 1g" stays refused)
  if (c.some((t) => /^(disk|disks|storage|space|volumes?|full|quota|inodes?|backups?|data)$/.test(t.w))) return false;
  return c.some((t) => state(t) || (/[a-z]{3,}ing$/.test(t.w) && !t.tags.size));
}

const ambiguous = (message: string) => new IntentError('ambiguous', message);
const clauseText = (c: Tok[]) => c.map((t) => `${t.raw}${t.tail ?? ''}`).join(' ');

/** A word that joins services into a list: "web and api", "web, api", "web하고 api", "both". */
const joiner = (t: Tok | undefined) => !!t && !t.svc && !t.val && (/^(and|,|&|\+|\/|plus|both|all|하고|및|랑|이랑|와|과)$/.test(t.w) || (t.tags.has('every') && !t.tags.has('sep')));

/** Splits the tokens into clauses, in order: "and", commas, "then", "but", Korean "-고"; never inside a list of services. */
function clauses(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  const listAround = (i: number) => {
    let l = i - 1;
    while (l >= 0 && joiner(toks[l])) l--;
    let r = i + 1;
    while (r < toks.length && joiner(toks[r])) r++;
    return (joiner(toks[i]) || !!toks[i]?.connective) && !!toks[l]?.svc && !!toks[r]?.svc;
  };
  toks.forEach((t, i) => {
    // "worker 3개 web 4개": a service named after the values of another starts a clause of its own
    const prev = toks[i - 1];
    const lastSvc = cur.map((u) => !!u.svc).lastIndexOf(true);
    if (t.svc && lastSvc >= 0 && cur.slice(lastSvc).some((u) => u.val) && prev && !prev.svc && !joiner(prev) && !/^(on|for|to|of|from|in|at|with|by|than|as)$/.test(prev.w) && !cur.some((u) => hasTag(u, 'dep', 'depweak', 'depbefore'))) {
      out.push(cur);
      cur = [];
    }
    const sep = t.tags.has('sep') && !t.svc && !t.val;
    if (sep && !listAround(i)) {
      // a word that ends the clause with its particle ("메모리랑") stays in it
      if (t.tail && [...t.tags].some((g) => g !== 'sep')) cur.push(t);
      if (cur.length) out.push(cur);
      cur = [];
      return;
    }
    cur.push(t);
    if (t.connective && !t.svc && !(listAround(i) && /^(하고|랑|이랑)$/.test(t.raw))) {
      out.push(cur);
      cur = [];
    }
  });
  if (cur.length) out.push(cur);
  return out;
}

/** A word in the place of a service that names none of the file's: "scale payments…", "billing 서버", "nginx's memory". */
function unknownService(c: Tok[]): string | undefined {
  const verbs = new Set(['scale', 'give', 'cap', 'limit', 'raise', 'bump', 'throttle', 'upgrade', 'downgrade', 'update', 'pin', 'restart', 'deploy', 'redeploy', 'move', 'switch', 'expose', 'publish', 'roll', 'lock', 'reserve', 'shrink', 'grow', 'resize', 'lower', 'reduce', 'increase']);
  const preps = new Set(['on', 'for', 'of']);
  const slotCue = (t: Tok | undefined) => !!t && Object.keys(CUE_SLOTS).some((g) => t.tags.has(g as Tag));
  for (let i = 0; i < c.length; i++) {
    const t = c[i] as Tok;
    if (t.alias) return t.alias;
    const prev = c[i - 1];
    const next = c[i + 1];
    // "주문 서버": a Korean word before 서버/서비스
    if (!t.svc && !t.val && !t.tags.size && isKorean(t) && next && /^(서버|서비스|컨테이너)$/.test(next.raw)) return t.raw;
    if (t.svc || t.val || t.used || t.tags.size || t.tagWord || !/^[a-z][a-z0-9_-]*$/i.test(t.raw) || /^[A-Z0-9_]+$/.test(t.raw) || isVocabulary(t.w)) continue;
    const first = c.slice(0, i).every((p) => hasTag(p, 'filler', 'to') && !p.tags.has('pron'));
    if (
      t.possessive ||
      (slotCue(next) && (prev?.w === 'the' || hasTag(prev, 'remove', 'up', 'down'))) ||
      t.tail ||
      (next && /^(서버|서비스|컨테이너)$/.test(next.raw)) ||
      (next && /^(service|server|container|containers|app)$/.test(next.w)) ||
      (prev && (verbs.has(prev.w) || (prev.w === 'the' && verbs.has(c[i - 2]?.w ?? '')))) ||
      (prev && preps.has(prev.w) && (!next || hasTag(next, 'sep'))) ||
      (first && (slotCue(next) || !!next?.val || (hasTag(next, 'to') && !!c[i + 2]?.val)))
    ) {
      return t.raw;
    }
  }
  return undefined;
}

/**
 * An English verb of direction (increase, reduce, raise, lower…) before a bare amount, with no "to" between: the
 * amount could be the change or the result. Korean marks the result with 로 and the change without, so it is clear.
 */
function directionWithoutTo(c: Tok[], v: number): boolean {
  let verb = -1;
  for (let i = v - 1; i >= 0; i--) {
    const t = c[i] as Tok;
    if (t.svc || hasTag(t, ...AMOUNTS, 'limit', 'filler', 'pron') && !hasTag(t, 'up', 'down', 'to')) continue;
    if (hasTag(t, 'up', 'down') && !isKorean(t) && !t.used && !hasTag(t, 'add')) verb = i;
    break;
  }
  return verb >= 0;
}

/** Everything between two tokens may stand between a cue and its value. */
function gapOk(c: Tok[], a: number, b: number, family: Tag[]): boolean {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  if (hi - lo - 1 > 4) return false;
  for (let i = lo + 1; i < hi; i++) {
    const t = c[i] as Tok;
    if (t.val && !t.used) return false;
    if (t.svc) continue;
    if (t.used && !t.val) continue;
    if (t.tags.size === 0) {
      // a Korean word between (an ending, "좀"): fine when short; an unknown English word breaks the link
      if (isKorean(t) && t.raw.length <= 3) continue;
      return false;
    }
    if ([...t.tags].every((g) => GAP_OK.includes(g) || family.includes(g))) continue;
    return false;
  }
  return true;
}

/** Which settings a value could be for, given its form (a number may be many things, a size only memory). */
function fits(v: Val, slot: Slot, cue: Tag, hcContext: boolean, intTags = false): boolean {
  switch (v.k) {
    case 'num': {
      const int = Number.isInteger(v.n) && !v.dotted;
      if (slot === 'replicas') return int && (v.counter === undefined || v.counter === '개' || v.counter === '대' || v.counter === '명');
      if (slot === 'cpu') return v.n > 0 && (v.counter === undefined || v.counter === '개' || v.counter === '코어');
      if (slot === 'retries') return hcContext && int && v.n > 0 && (v.counter === undefined || v.counter === '번' || v.counter === '회');
      if (slot === 'port') return int && v.n >= 1 && v.n <= 65535 && (v.counter === undefined || v.counter === '번');
      // "update db to 17" where db runs postgres:16: a whole number is a version when the current tag is one
      // a whole number is a version only where the current tag is one ("postgres:16" → 17), whatever the verb
      if (slot === 'image') return v.counter === undefined && (v.dotted || intTags || (cue === 'image' && v.n > 0));
      return false;
    }
    case 'size':
      return slot === 'mem' || slot === 'memres';
    case 'dur':
      return hcContext && (slot === 'interval' || slot === 'timeout' || slot === 'start');
    case 'rel': {
      if (v.of.k === 'size') return slot === 'mem' || slot === 'memres';
      const counter = v.of.k === 'num' ? v.of.counter : undefined;
      if (slot === 'replicas') return counter === undefined || counter === '개' || counter === '대' || counter === '명';
      return slot === 'cpu' && (counter === undefined || counter === '개' || counter === '코어');
    }
    case 'mult':
      return slot === 'replicas' || slot === 'cpu' || slot === 'mem' || slot === 'memres';
    case 'ver':
    case 'image':
      return slot === 'image';
    case 'port':
      return slot === 'port';
    case 'policy':
      return slot === 'restart';
    case 'quoted':
      return hcContext && slot === 'test';
    default:
      return false;
  }
}

/** Turns "2 more", "up by 2", "하나 더", "1 감소", "double", "5 times the", "두배" into relative values, in place. */
function relatives(c: Tok[], prev: Prev | undefined): void {
  const ownCues = c.some((t) => Object.keys(CUE_SLOTS).some((g) => t.tags.has(g as Tag)));
  const inheritsNoAmount = !ownCues && !!prev?.slots.length && prev.slots.every((s) => !['replicas', 'mem', 'memres', 'cpu'].includes(s));
  if ((c.some((t) => hasTag(t, ...NOT_AMOUNTS)) && !c.some((t) => hasTag(t, ...AMOUNTS))) || inheritsNoAmount) {
    for (const t of c) if (!t.val && t.tags.has('mult')) t.val = { k: 'mult', factor: /half|halve|절반|반/.test(t.w) ? 0.5 : 2 };
    return;
  }
  const dirBefore = (i: number): 1 | -1 | undefined => {
    for (let j = i - 1; j >= 0; j--) {
      const t = c[j] as Tok;
      if (hasTag(t, 'down') || (hasTag(t, 'remove') && !hasTag(t, 'neg'))) return -1;
      if (hasTag(t, 'up', 'add')) return 1;
    }
    return undefined;
  };
  // "add a web replica", "drop an instance", "a replica more": the article is a count of one
  const countNoun = (u: Tok | undefined) => !!u && !u.val && hasTag(u, 'replicas', 'container') && /^(replica|instance|copy|container|node|pod)$/.test(u.w);
  c.forEach((t, i) => {
    if (t.val || t.used || !/^(a|an)$/.test(t.w)) return;
    let n = i + 1;
    while (c[n]?.svc) n++;
    const verb = c[i - 1];
    if (countNoun(c[n]) && ((hasTag(verb, 'add') || (hasTag(verb, 'remove') && !hasTag(verb, 'neg'))) || hasTag(c[n + 1], 'more', 'less'))) t.val = { k: 'num', n: 1, dotted: false, counter: undefined };
  });
  for (let i = 0; i < c.length; i++) {
    const t = c[i] as Tok;
    const v = t.val;
    const next = c[i + 1];
    // "one replica less", "2 instances more", "0.5 cpu more": the count, its noun, then the direction
    const dir = c[i + 2];
    if (v && (v.k === 'num' || v.k === 'size') && !t.used && next && !next.val && hasTag(next, ...AMOUNTS) && !isKorean(next) && dir && !dir.val && hasTag(dir, 'more', 'less') && !isKorean(dir)) {
      t.val = { k: 'rel', sign: dir.tags.has('less') ? -1 : 1, of: v };
      dir.used = true;
      continue;
    }
    if (!v && t.tags.has('mult')) {
      const factor = /half|halve|절반|반/.test(t.w) ? 0.5 : /triple|thrice/.test(t.w) ? 3 : /quadruple/.test(t.w) ? 4 : 2;
      // "half a core": an amount, not a multiple
      if (factor === 0.5 && (next?.w === 'a' || next?.w === 'an') && hasTag(c[i + 2], 'cpu')) {
        t.val = { k: 'num', n: 0.5, dotted: true, counter: undefined };
        next.used = true;
      } else t.val = { k: 'mult', factor };
      continue;
    }
    if (!v || (v.k !== 'num' && v.k !== 'size') || t.used) continue;
    if (v.k === 'num' && next?.tags.has('times') && (next && /^(the|as|more|what|of)$/.test(c[i + 2]?.w ?? '') || c[i + 2]?.svc)) {
      t.val = { k: 'mult', factor: v.n };
      next.used = true;
      continue;
    }
    if (hasTag(next, 'more', 'less') && !isKorean(next as Tok)) {
      t.val = { k: 'rel', sign: next?.tags.has('less') ? -1 : 1, of: v };
      (next as Tok).used = true;
      continue;
    }
    const prev = c[i - 1];
    if (prev?.tags.has('by')) {
      const dir = dirBefore(i - 1);
      if (dir === undefined) {
        t.val = { k: 'bad', why: `"by ${t.raw}": up or down?` };
        continue;
      }
      t.val = { k: 'rel', sign: dir, of: v };
      prev.used = true;
      continue;
    }
    // English "add 2 replicas", "remove 1 instance"
    let cueAfter = i + 1;
    while (c[cueAfter]?.svc) cueAfter++;
    if ((hasTag(prev, 'add') || (hasTag(prev, 'remove') && !hasTag(prev, 'neg'))) && !isKorean(prev as Tok) && hasTag(c[cueAfter], 'replicas', 'container') && v.k === 'num') {
      t.val = { k: 'rel', sign: hasTag(prev, 'add') ? 1 : -1, of: v };
      continue;
    }
    // a change by the amount after an English verb of adding or taking away:
    // - "add 1 to it", "take 2 from them": the amount of what "it" is;
    // - "add 512m to worker", "add 0.5 cpu to api", "drop 256m from cache": memory or CPU right after the verb — unless
    //   the clause names the limit itself ("add 512m memory limit", "put 1g on")
    const byVerb = /^(add|added|adding|remove|removed|drop|dropped|take)$/.test(prev?.w ?? '');
    const ofIt = v.k === 'num' && /^(to|from|off)$/.test(next?.w ?? '') && hasTag(c[i + 2], 'pron') && !c[i + 3];
    const amount = prev?.w !== 'take' && (v.k === 'size' || (v.k === 'num' && hasTag(c[cueAfter], 'cpu'))) && !c.some((u) => /^(limits?|cap|caps|capped|max|maximum|ceiling|reservations?|reserved?)$/.test(u.w));
    if (byVerb && (ofIt || amount)) {
      t.val = { k: 'rel', sign: hasTag(prev, 'add') ? 1 : -1, of: v };
      continue;
    }
    // Korean: "하나 더 (늘려|줄여)", "2개 늘려", "1 감소" — a number not marked as the target (로, 으로, 까지) with a verb of change after it
    if (t.tail === '로' || t.tail === '으로' || t.tail === '까지' || t.tail === '으로는') continue;
    let j = i + 1;
    while (j < c.length && (c[j] as Tok).tags.has('replicas') && isKorean(c[j] as Tok)) j++;
    const after = c[j];
    if (after && isKorean(after) && after.w === '더') {
      const verb = c[j + 1];
      t.val = { k: 'rel', sign: verb && hasTag(verb, 'down') ? -1 : 1, of: v };
      after.used = true;
      continue;
    }
    if (after && isKorean(after) && (hasTag(after, 'up', 'down') || (hasTag(after, 'remove') && after.raw === '빼')) && !(hasTag(after, 'wverb') && v.k === 'num' && v.dotted)) {
      t.val = { k: 'rel', sign: hasTag(after, 'down', 'remove') ? -1 : 1, of: v };
    }
  }
}

/** The values of the clause read as a change from one value to another keep only the new one ("from 2 to 3"). */
function dropOldValues(c: Tok[]): Tok[] {
  const dropped: Tok[] = [];
  c.forEach((t, i) => {
    if (!t.val || t.used) return;
    const prev = c[i - 1];
    // a rejected alternative: "3, not 2", "1g not 2g", "2개 말고 3개로"
    const next = c[i + 1];
    const rejected = (prev?.tags.has('neg') && /^(not|never)$/.test(prev.w) && c.slice(0, i - 1).some((u) => u.val?.k === t.val?.k)) || (next?.raw === '말고' && c.slice(i + 2).some((u) => u.val?.k === t.val?.k));
    if (rejected) {
      t.used = true;
      if (prev?.tags.has('neg') && /^(not|never)$/.test(prev.w)) prev.used = true;
      if (next?.raw === '말고') next.used = true;
      return;
    }
    // "3 -> 5", "1g → 2g": an arrow between two values of one form (not a port mapping) goes from the old to the new
    const arrow = next?.w === '->' && c[i + 2]?.val?.k === t.val.k && !c.some((u) => hasTag(u, ...PORT_FAMILY));
    if (prev?.tags.has('from') || arrow || (t.tail === '에서' && c.slice(i + 1).some((u) => u.val?.k === t.val?.k))) {
      if (arrow) (next as Tok).used = true;
      t.used = true;
      if (prev?.tags.has('from')) prev.used = true;
      dropped.push(t);
    }
  });
  c.forEach((t, i) => {
    // "from always to on-failure": a policy word after "from"
    if ((t.val?.k === 'policy' || t.tags.has('pword')) && c[i - 1]?.tags.has('from')) t.used = true;
  });
  return dropped;
}

/** A variable some service of the file sets already (`CONCURRENCY`): a name in capitals without `_` is one only then (TLS, SSL are not). */
const knownVariable = (name: string, ctx: Ctx): boolean => Object.values(ctx.services).some((s) => name in s.environment);

/** The clause's environment assignments: KEY=VALUE, "KEY to VALUE", "KEY with value V", "KEY를 V로"; and "unset KEY". */
function envSpecs(c: Tok[], ctx: Ctx): Spec[] {
  const specs: Spec[] = [];
  // "remove LOG_LEVEL and DB_HOST": the second key is removed too
  const removing = c.some((t) => hasTag(t, 'unset', 'remove') && !t.used) || (!!ctx.prev?.specs.length && ctx.prev.specs.every((p) => p.s === 'unset') && !c.some((t) => t.val || hasTag(t, 'to')));
  c.forEach((t, i) => {
    if (t.val?.k === 'env' && !t.used) {
      // "LOG_LEVEL=info -> debug": the value after the arrow is the new one
      const newer = c[i + 1]?.w === '->' && c[i + 2] && !hasTag(c[i + 2], 'sep') && !c[i + 2]?.svc ? (c[i + 2] as Tok) : undefined;
      specs.push({ at: i, s: 'env', name: t.val.name, value: newer ? newer.raw : t.val.value });
      t.used = true;
      if (newer) for (const u of [c[i + 1] as Tok, newer]) u.used = true;
    }
  });
  c.forEach((t, i) => {
    // right after "env"/"variable"/환경변수, a name is the variable's, even a word bcon knows in capitals ("env PORT 9090")
    const afterEnvCue = hasTag(c[i - 1], 'env') && !t.svc && !t.val && (t.tags.size === 0 || (t.tags.size === 1 && t.tags.has('foreign')) || /^[A-Z][A-Z0-9_]*$/.test(t.raw)) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.raw);
    if (t.used || !(envKeyLike(t, 2) || afterEnvCue)) return;
    let j = i + 1;
    if (c[j]?.tags.has('from') && c[j + 1] && !c[j + 1]?.svc) {
      (c[j] as Tok).used = true;
      (c[j + 1] as Tok).used = true;
      j += 2;
    }
    let value: Tok | undefined;
    let connectors: Tok[] = [];
    // "BATCH_SIZE on ingest-worker to 1000": the service the variable is set on, between its name and its value
    const onService = /^(on|for|in|of)$/.test(c[j]?.w ?? '') && c[j + 1]?.svc && (c[j + 2]?.tags.has('to') || c[j + 2]?.w === '->') ? c[j] : undefined;
    if (onService) j += 2;
    // "TZ should be Asia/Tokyo", "MODE needs to be fast": the modal before "be"
    if (/^(should|must|shall|will|would)$/.test(c[j]?.w ?? '') && c[j + 1]?.w === 'be') j++;
    else if (/^(needs?|has|have)$/.test(c[j]?.w ?? '') && c[j + 1]?.w === 'to' && c[j + 2]?.w === 'be') j += 2;
    // "QUEUE 값을 high로": the word "value" between
    if (/^(값|value)$/.test(c[j]?.w ?? '') && (c[j]?.tail || c[j + 1]?.tail === '로' || c[j + 1]?.tail === '으로')) {
      connectors.push(c[j] as Tok);
      j++;
    }
    const n = c[j];
    // (never a word of grammar: "bake GUNICORN_WORKERS into the image")
    if (n && (n.tags.has('to') || n.w === '->') && !n.val && c[j + 1] && !(onService && c[j + 1]?.svc) && !/^(the|a|an|it|its|this|that|them|these|those|my|our|your|their)$/.test(c[j + 1]?.w ?? '')) {
      value = c[j + 1];
      connectors = onService ? [onService, n] : [n];
    } else if (n?.w === 'with' && c[j + 1]?.w === 'value' && c[j + 2]) {
      value = c[j + 2];
      connectors = [n, c[j + 1] as Tok];
    } else if (n?.w === 'value' && c[j + 1]) {
      value = c[j + 1];
      connectors = [n];
    } else if (n && ((!t.tail && !isKorean(n)) || /^(을|를|은|는|이|가)$/.test(t.tail ?? '') || connectors.length) && (n.tail === '로' || n.tail === '으로') && !hasTag(n, 'sep')) {
      // ("AI 모델용으로 …": a capitalised word with no particle before a Korean word in 로 is no assignment)
      value = n;
    } else if ((afterEnvCue || (envKeyLike(t) && (t.raw.includes('_') || knownVariable(t.raw, ctx)))) && n && !t.tail && !hasTag(n, 'sep') && !n.svc && (n.val ? /^(num|size|dur|quoted)$/.test(n.val.k) || (afterEnvCue && n.val.k !== 'env' && n.val.k !== 'bad') : n.tags.size === 0 && /^[\w./:@-]+$/.test(n.raw))) {
      // "env LOG_LEVEL debug", "CONCURRENCY 8": the cue or a name in capitals says it is a variable, the value
      // written right after its name is its value — where nothing after it changes it ("QUEUE low to high", "2 more")
      const after = c[j + 1];
      if (afterEnvCue || !after || hasTag(after, 'sep', 'filler') || after.svc || after.connective || /^(on|for|in|and|그리고|하고|->)$/.test(after.w)) value = n;
    }
    // "LOG_LEVEL: info → debug": the value after the arrow is the new one
    const arrow = value ? c[c.indexOf(value) + 1] : undefined;
    const newer = value ? c[c.indexOf(value) + 2] : undefined;
    if (value && arrow?.w === '->' && newer && !hasTag(newer, 'sep') && !newer.svc && !newer.used) {
      connectors.push(value, arrow);
      value = newer;
    }
    if (value && !hasTag(value, 'sep') && !value.used) {
      const text = value.val?.k === 'quoted' ? value.val.s : value.val?.k === 'env' ? value.raw : value.raw;
      specs.push({ at: i, s: 'env', name: t.raw, value: text });
      for (const u of [t, value, ...connectors]) u.used = true;
    } else if (removing && (envKeyLike(t) || afterEnvCue)) {
      specs.push({ at: i, s: 'unset', name: t.raw });
      t.used = true;
      for (const u of c) if (hasTag(u, 'unset', 'remove')) u.used = true;
    }
  });
  return specs;
}

/**
 * The dependency a clause states: "web depends on api", "web no longer needs redis", "api에서 db 의존성 제거", "start
 * web after db", "db must start before api". Returns the subjects (the services that depend) and marks the rest.
 */
function dependency(c: Tok[], ctx: Ctx): { specs: Spec[]; subjects: number[] } | undefined {
  const mentions = c.map((t, i) => (t.svc && !t.used ? i : -1)).filter((i) => i >= 0);
  const listFrom = (start: number, dir: 1 | -1): number[] => {
    const out = [start];
    for (let i = start + dir; i >= 0 && i < c.length; i += dir) {
      const t = c[i] as Tok;
      if (t.svc && !t.used) out.push(i);
      else if (!hasTag(t, 'sep', 'every') && !(t.tags.has('filler') && /^(and|or|the)$/.test(t.w))) break;
    }
    return dir === 1 ? out : out.reverse();
  };
  for (let d = 0; d < c.length; d++) {
    const cue = c[d] as Tok;
    if (cue.used || !hasTag(cue, 'dep', 'depweak', 'depbefore')) continue;
    const strong = cue.tags.has('dep');
    // the object: the service right after the cue (English), else the one right before it (Korean)
    let object: number[] | undefined;
    let k = d + 1;
    while (k < c.length && !c[k]?.svc && hasTag(c[k], 'filler', 'to', 'dep', 'depweak') && !c[k]?.val) k++;
    // "add mailer as a dependency of scheduler", "make db a dependency for api": the one named before the cue is
    // what the one after "of"/"for" depends on
    if (c[k]?.svc && /^(of|for)$/.test(c[k - 1]?.w ?? '') && !isKorean(cue) && /^dependenc(?:y|ies)$/.test(cue.w)) {
      let b = d - 1;
      while (b >= 0 && !c[b]?.svc && /^(as|a|an|the|one)$/.test(c[b]?.w ?? '')) b--;
      if (c[b]?.svc && !c[b]?.used && b < d - 1) return finish(c, cue, [b], [k], ctx);
    }
    // "the dependency of web on api": "of" marks who depends, "on" on what
    if (c[k]?.svc && /^(of|from)$/.test(c[k - 1]?.w ?? '') && !isKorean(cue)) {
      let o = k + 1;
      while (o < c.length && !c[o]?.svc && hasTag(c[o], 'filler', 'to') && !c[o]?.val) o++;
      if (c[o]?.svc && /^(on|upon)$/.test(c[o - 1]?.w ?? '')) return finish(c, cue, listFrom(o, 1), [k], ctx);
    }
    if (c[k]?.svc && !c[k]?.used && !isKorean(cue)) object = listFrom(k, 1);
    // "api 의존성 db 추가": one service before a Korean cue and one after it — the one after is the dependency
    if (!object && isKorean(cue) && c[k]?.svc && !c[k]?.used && mentions.filter((m) => m < d).length === 1) object = listFrom(k, 1);
    if (!object) {
      let b = d - 1;
      while (b >= 0 && !c[b]?.svc && (hasTag(c[b], 'filler') || (isKorean(cue) && hasTag(c[b], 'neg')) || (isKorean(c[b] as Tok) && (c[b] as Tok).raw.length <= 2 && !(c[b] as Tok).val)) && !hasTag(c[b], 'sep')) b--;
      const before = c[b];
      if (before?.svc && !before.used && b > 0 && mentions.some((m) => m < b)) object = isKorean(cue) ? koreanList(c, b) : listFrom(b, -1).slice(-1);
      else if (before?.svc && !before.used && isKorean(cue) && !mentions.some((m) => m < b)) object = [b];
    }
    if (!object) {
      if (!strong) continue;
      const word = c[k];
      if (word && !word.val && !word.tags.size && /^[a-z][\w-]*$/i.test(word.raw)) throw new IntentError('unknown_service', `no service named "${word.raw}"; the file has: ${ctx.names.join(', ')}`);
      if (word?.alias) throw new IntentError('unknown_service', `no service named "${word.alias}"; the file has: ${ctx.names.join(', ')}`);
      throw ambiguous(`"${clauseText(c)}": depends on which service?`);
    }
    const obj = object;
    // "db must start before api": api depends on db
    if (cue.tags.has('depbefore')) {
      const earlier = mentions.filter((m) => m < d && !obj.includes(m));
      if (isKorean(cue) || (obj[0] as number) < d || !earlier.length) continue;
      return finish(c, cue, earlier, obj, ctx);
    }
    let subjects = mentions.filter((m) => !obj.includes(m) && m < Math.min(...obj));
    // "add a dependency on db to api"
    if (!subjects.length) subjects = mentions.filter((m) => !obj.includes(m) && m > d && /^(to|for)$/.test(c[m - 1]?.w ?? ''));
    return finish(c, cue, obj, subjects, ctx);
  }
  return undefined;
}

/**
 * The Korean list of services that ends at `end` ("db랑 cache에 의존"): the ones before it joined by a list particle
 * (랑, 와, 과, 하고) or a comma; a service marked as the subject (api는, api가) is not in it.
 */
function koreanList(c: Tok[], end: number): number[] {
  const out = [end];
  let i = end - 1;
  while (i >= 0) {
    const t = c[i] as Tok;
    if (t.svc && !t.used && /^(랑|이랑|와|과|하고)$/.test(t.tail ?? '')) {
      out.unshift(i);
      i--;
    } else if ((joiner(t) || hasTag(t, 'sep')) && c[i - 1]?.svc && !c[i - 1]?.used && !c[i - 1]?.tail) {
      out.unshift(i - 1);
      i -= 2;
    } else break;
  }
  return out;
}

/**
 * A clause of services and a verb after a dependency clause continues it ("api depends on db, and cache too", "의존성 db
 * 추가, cache 제거"): the services are more dependencies of the same service, added or removed by the verb.
 */
function moreDependencies(c: Tok[], ctx: Ctx): { specs: Spec[]; subjects: number[] } | undefined {
  if (!ctx.prev?.specs.length || !ctx.prev.specs.every((p) => p.s === 'dep_add' || p.s === 'dep_rm')) return undefined;
  if (!c.some((t) => t.svc) || !c.some((t) => hasTag(t, 'add', 'remove')) || c.some((t) => t.val)) return undefined;
  if (!c.every((t) => t.svc || joiner(t) || hasTag(t, 'add', 'remove', 'filler', 'sep', 'neg', 'too') || (isKorean(t) && t.raw.length <= 2))) return undefined;
  const objects = c.map((t, i) => (t.svc ? i : -1)).filter((i) => i >= 0);
  const remove = c.some((t) => hasTag(t, 'remove', 'neg') && !hasTag(t, 'add'));
  // removing: only a dependency the service has ("…, remove worker" could mean the worker service itself)
  const who = ctx.current;
  if (remove && !objects.every((i) => who.length > 0 && who.every((s) => ctx.services[s]?.dependsOn.includes((c[i] as Tok).svc as string)))) return undefined;
  for (const t of c) t.used = true;
  return { specs: objects.map((i) => ({ at: i, s: remove ? 'dep_rm' : 'dep_add', target: (c[i] as Tok).svc as string })), subjects: [] };
}

function finish(c: Tok[], cue: Tok, object: number[], subjects: number[], ctx: Ctx): { specs: Spec[]; subjects: number[] } {
  const negative = c.some((t) => !t.used && hasTag(t, 'neg', 'remove'));
  for (const t of c) if (hasTag(t, 'neg', 'remove', 'add', 'dep', 'depweak', 'depbefore')) t.used = true;
  cue.used = true;
  const targets = object.map((i) => (c[i] as Tok).svc as string);
  for (const i of object) (c[i] as Tok).used = true;
  if (!subjects.length && !ctx.current.length && ctx.names.length !== 1) throw ambiguous(`"${clauseText(c)}": which service depends on ${targets.join(', ')}?`);
  return { specs: targets.map((target) => ({ at: object[0] as number, s: negative ? 'dep_rm' : 'dep_add', target })), subjects };
}

/** Reads one clause into slot fillings for the services it names (or the ones named before). */
function analyze(c: Tok[], ctx: Ctx): ClauseOut {
  const specs: Spec[] = [];
  const text = clauseText(c);
  const several = c.find((t) => t.several);
  if (several) throw ambiguous(`"${several.raw}" could be ${several.several?.join(' or ')}: say which`);
  specs.push(...envSpecs(c, ctx));
  const dep = dependency(c, ctx) ?? moreDependencies(c, ctx);
  if (dep) specs.push(...dep.specs);
  // the services the clause is about: the mentions left, which must be one service or a list of them
  // "everything except db", "db 제외": the services excepted are no subjects, and nothing may change them
  const excepted: string[] = [];
  c.forEach((t, i) => {
    if (!t.tags.has('except')) return;
    const list = isKorean(t) ? [-1] : [1];
    for (const dir of list) {
      for (let j = i + dir; j >= 0 && j < c.length; j += dir) {
        const u = c[j] as Tok;
        if (u.svc && !u.used) {
          excepted.push(u.svc);
          u.used = true;
        } else if (!(joiner(u) || u.w === 'the' || u.w === 'for')) break;
      }
    }
    t.used = true;
  });
  const mentionIdx = dep?.subjects ?? c.map((t, i) => (t.svc && !t.used ? i : -1)).filter((i) => i >= 0);
  for (let a = 1; a < mentionIdx.length; a++) {
    const lo = mentionIdx[a - 1] as number;
    const hi = mentionIdx[a] as number;
    const between = c.slice(lo + 1, hi);
    const joined = between.every((t) => joiner(t) || t.w === 'the') || (!between.length && /^(랑|이랑|와|과|하고|,)$/.test(c[lo]?.tail ?? ''));
    const listed = joined || (!between.length && !!c[lo]?.tags.has('sep'));
    if (!listed) {
      const svcs = [...new Set(mentionIdx.map((i) => (c[i] as Tok).svc))];
      if (svcs.length > 1) throw ambiguous(`"${text}" names several services (${svcs.join(', ')}) without saying which change is for which: say one change per service`);
    }
  }
  // "api and payments": a word listed with a service is meant as one
  for (const m of mentionIdx) {
    for (const dir of [1, -1]) {
      let j = m + dir;
      if (!joiner(c[j]) && !(dir === 1 && /^(랑|이랑|와|과|하고)$/.test(c[m]?.tail ?? ''))) continue;
      while (joiner(c[j])) j += dir;
      const w = c[j];
      if (w && !w.svc && !w.val && !w.used && (w.alias || (!w.tags.size && /^[a-z][a-z0-9_-]*$/i.test(w.raw) && !/^[A-Z0-9_]+$/.test(w.raw)))) {
        throw new IntentError('unknown_service', `no service named "${w.alias ?? w.raw}"; the file has: ${ctx.names.join(', ')}`);
      }
    }
  }
  const subjects = [...new Set(mentionIdx.map((i) => (c[i] as Tok).svc as string))];
  for (const i of mentionIdx) (c[i] as Tok).used = true;
  if (!subjects.length && !dep) {
    const unknown = unknownService(c);
    if (unknown) throw new IntentError('unknown_service', `no service named "${unknown}"; the file has: ${ctx.names.join(', ')}`);
  }
  const who = subjects.length ? subjects : ctx.current;
  const hcContext = c.some((t) => t.tags.has('hc')) || who.some((s) => ctx.hcFor.has(s));
  const intTags = who.length > 0 && who.every((s) => /:\d+$/.test(ctx.services[s]?.image ?? ''));
  // "worker count": the count of a service is its replicas
  c.forEach((t, i) => {
    if (/^(count|number|개수|수)$/.test(t.w || t.raw) && c[i - 1]?.svc) t.tags.add('replicas');
  });
  // "if the cpu is high", "at least 3", "at most 2g": a condition or a bound is not a value bcon can write
  const condition = c.find((t) => t.tags.has('cond'));
  if (condition && c.some((t) => t.val)) throw ambiguous(`"${text}": bcon makes one change to the file now; "${condition.raw}" asks for a condition or a bound it cannot write`);
  // "api has 3 replicas", "web is on 2.0": the clause says how things are, not what to change
  // (in Korean: "지금/현재/이미 … 2개야 / 2개인데")
  const koPresent = c.some((t) => /^(지금|현재|이미|아직)/.test(t.raw)) && c.some((t) => /(?:야|이야|인데|는데|은데|이에요|예요|입니다|이다|임)$/.test(`${t.raw}${t.tail ?? ''}`) || t.connective);
  const describes = (koPresent || c.some((t) => /^(has|have|had|is|are|was|were|currently|already|still|runs|sits|stays|stay|remains|remain)$/.test(t.w))) && !c.some((t) => /^(should|must|want|wants|needs|need|make|set|give|let|please|to)$/.test(t.w) || (t.tags.size && [...t.tags].some((g) => g === 'up' || g === 'down' || g === 'add' || g === 'remove' || g === 'vverb' || g === 'wverb' || g === 'padd' || g === 'prm' || g === 'unset')));
  // ("port 80 stays unchanged" says what stays, read below as a value kept)
  const keptAsIs = c.some((t) => t.tags.has('keep') && /^(그대로|alone|untouched|unchanged|as-is|asis|intact)$/i.test(t.raw));
  // ("container side stays 8000": a side of a port mapping said with its number is part of the change)
  const portSide = c.some((t) => hasTag(t, 'ctrside', 'hostside')) && c.some((t) => t.val?.k === 'num');
  if (describes && !keptAsIs && !portSide && (koPresent || !c.some((t) => isKorean(t)))) {
    // ("redis is at 128m, double it": the one setting a description gives a value of is what "it" is after it)
    const said = c.filter((t) => t.val);
    const only = said.length === 1 ? (said[0] as Tok).val : undefined;
    const slot: Slot | undefined = only?.k === 'size' && !c.some((t) => hasTag(t, 'reserve')) ? 'mem' : only?.k === 'num' && c.some((t) => t.tags.has('cpu')) ? 'cpu' : only?.k === 'num' && c.some((t) => hasTag(t, 'replicas')) ? 'replicas' : undefined;
    // (only where the file agrees: "redis is at 256m" where it has 128m leaves "it" unclear)
    const stated = only?.k === 'size' ? only.bytes : only?.k === 'num' ? only.n : undefined;
    const who = (subjects.length ? subjects : ctx.current).map((name) => ctx.services[name]);
    const agrees = who.length === 1 && !!who[0] && stated !== undefined && (slot === 'mem' ? who[0].memoryBytes : slot === 'cpu' ? who[0].cpus : who[0].replicas) === stated;
    return { subjects, trailing: false, specs: [], prev: slot && agrees ? { slots: [slot], portMode: undefined, specs: [], described: true } : ctx.prev, quiet: true };
  }
  // "leave the db alone", "db는 그대로 둬", "worker 건드리지 마": the clause keeps what it names as it is
  if (c.some((t) => t.tags.has('keep')) && !c.some((t) => t.val)) return { subjects: [], trailing: false, specs: [], prev: ctx.prev, held: heldBy(c, subjects), quiet: true };
  // "80 포트는 그대로", "port 80 stays as-is": a setting named with its value and said to stay as it is (not "유지" alone:
  // "3개로 유지" keeps a count at 3, which is a value to set)
  if (keptAsIs && c.every((t) => !t.val || t.val.k === 'num')) {
    for (const t of c) if (t.val) t.used = true;
    // (with no service named, it is the one the clauses before named: "gateway 80 포트는 빼고, 80 포트는 그대로")
    const values = c.flatMap((t) => (t.val?.k === 'num' ? [t.val.n] : []));
    return { subjects: [], trailing: false, specs: [], prev: ctx.prev, held: { ...heldBy(c, subjects.length ? subjects : ctx.current), values }, quiet: true };
  }
  if (c.some((t) => hasTag(t, 'image', 'vverb', 'wverb'))) for (const t of c) if (t.tagWord && !t.used) t.val = { k: 'ver', v: t.raw };
  const dropped = dropOldValues(c);
  const restartSaid = c.some((t) => t.tags.has('restart'));
  for (const t of c) {
    // "5m" next to a healthcheck is five minutes; "실패하면" (on failure) in a healthcheck is its failures, not a restart policy
    if (t.val?.k === 'size' && t.val.minutes !== undefined && (hcContext || c.some((u) => hasTag(u, 'hint', 'htimeout'))) && !c.some((u) => hasTag(u, 'memory', 'reserve'))) t.val = { k: 'dur', d: `${t.val.minutes}m` };
    if (t.val?.k === 'policy' && t.val.p === 'on-failure' && hcContext && !restartSaid) {
      delete t.val;
      t.tags.add('hretries');
    }
  }
  relatives(c, ctx.prev);

  const unusedCue = (g: Tag) => c.some((t) => !t.used && t.tags.has(g));
  const hasNoun = NOUN_CUES.some(unusedCue) || c.some((t) => !t.used && t.val && t.val.k !== 'num');
  // the value tokens, and the cues near each
  const values = c.map((t, i) => (t.val && !t.used ? i : -1)).filter((i) => i >= 0);
  for (const i of values) {
    const v = (c[i] as Tok).val as Val;
    if (v.k === 'bad') throw ambiguous(`${v.why} in "${text}"`);
  }
  type Pair = { v: number; cue: number; slot: Slot };
  const pairs: Pair[] = [];
  for (const v of values) {
    const val = (c[v] as Tok).val as Val;
    for (let q = 0; q < c.length; q++) {
      const cueTok = c[q] as Tok;
      if (q === v && !cueTok.tags.has('cpu')) continue;
      if (cueTok.used && q !== v) continue;
      for (const [tag, slots] of Object.entries(CUE_SLOTS) as Array<[Tag, Slot[]]>) {
        if (!cueTok.tags.has(tag)) continue;
        if (tag === 'wverb' && hasNoun) continue;
        if (tag === 'limit' && val.k !== 'size') continue;
        // "4 containers", "컨테이너 두 개": a count of containers; "each container at 384m", "to container port 80" are not
        if (tag === 'container') {
          // ("443 inside the container", "80 in the container": a place, where a port is, not a count: which port is
          // meant on which side is said as HOST:CONTAINER; guessed, it could be the wrong way round)
          if (q > v && c.slice(v + 1, q).some((t) => /^(in|inside|within)$/.test(t.w))) throw ambiguous(`"${text}": ${(c[v] as Tok).raw} in the container: write the mapping as HOST:CONTAINER (8443:443)`);
          const before = q > v && !c.slice(v + 1, q).some((t) => t.tags.has('to'));
          const koCount = q < v && val.k === 'num' && (val.counter === '개' || val.counter === '대');
          if (!before && !koCount) continue;
        }
        const family: Tag[] = MEMORY_FAMILY.includes(tag) ? MEMORY_FAMILY : PORT_FAMILY.includes(tag) ? PORT_FAMILY : tag === 'restart' ? ['restart', 'policy'] : [tag];
        if (q !== v && !gapOk(c, q, v, family)) continue;
        for (const slot of slots) if (fits(val, slot, tag, hcContext, intTags)) pairs.push({ v, cue: q, slot });
      }
    }
  }
  // give each value the one setting its nearby cues agree on; a cue serves one value
  const slotOf = new Map<number, Slot>();
  const usedCues = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of values) {
      if (slotOf.has(v)) continue;
      const live = pairs.filter((p) => p.v === v && !usedCues.has(p.cue));
      let slots = [...new Set(live.map((p) => p.slot))];
      // a reservation cue is the more specific: "512MB of memory reserved"
      if (slots.includes('memres') && slots.includes('mem') && !live.some((p) => p.slot === 'mem' && (c[p.cue] as Tok).tags.has('limit'))) slots = ['memres'];
      if (slots.length === 1) {
        slotOf.set(v, slots[0] as Slot);
        const nearest = live.filter((p) => p.slot === slots[0]).sort((a, b) => Math.abs(a.cue - v) - Math.abs(b.cue - v))[0];
        if (nearest) usedCues.add(nearest.cue);
        changed = true;
      }
    }
  }
  for (const v of values) {
    if (slotOf.has(v)) continue;
    const live = [...new Set(pairs.filter((p) => p.v === v && !usedCues.has(p.cue)).map((p) => p.slot))];
    if (live.length > 1) throw ambiguous(`"${(c[v] as Tok).raw}" in "${text}" could be ${live.join(' or ')}: say which`);
  }
  // values with no cue next to them: their form, a Korean counter, the one cue the clause has, or the clause before
  const bound = new Set(slotOf.values());
  // a word bcon does not know between a setting word and a value cuts them apart ("cpu shares 512" is not a CPU limit)
  const unknownBetween = (a: number, b: number) => c.slice(Math.min(a, b) + 1, Math.max(a, b)).some((u) => !u.svc && !u.val && u.tags.size === 0 && /^[a-z]{3,}$/i.test(u.raw) && !/^[A-Z0-9_]+$/.test(u.raw));
  const unboundCueSlots = (val: Val, at?: number) => {
    const out = new Set<Slot>();
    c.forEach((t, q) => {
      if (t.used || usedCues.has(q) || (at !== undefined && hasTag(t, ...NOUN_CUES) && !hasTag(t, 'padd', 'prm', 'vverb', 'wverb') && !/^(scale|scaled|scaling)$/.test(t.w) && unknownBetween(q, at))) return;
      for (const [tag, slots] of Object.entries(CUE_SLOTS) as Array<[Tag, Slot[]]>) {
        if (!t.tags.has(tag) || (tag === 'wverb' && hasNoun) || tag === 'container' || (tag === 'limit' && val.k !== 'size')) continue;
        for (const s of slots) if (fits(val, s, tag, hcContext, intTags) && !bound.has(s)) out.add(s);
      }
    });
    return [...out];
  };
  // "publish 8080 as 80", "forward host 8081 to 80": a number linked to a port number by "to/as/->/:" is the other half
  const linkedToPort = (v: number): boolean =>
    [...slotOf.entries()].some(([u, s]) => {
      if (s !== 'port' || Math.abs(u - v) > 4) return false;
      const between = c.slice(Math.min(u, v) + 1, Math.max(u, v));
      return between.some((t) => t.tags.has('to') && /^(to|->|as|:|into)$/.test(t.w)) && between.every((t) => t.svc || hasTag(t, 'to', 'filler', ...PORT_FAMILY));
    });
  // "web one more", "하나 더 늘려", "another web": a change with no setting word is of the service's replicas only when
  // no other noun follows it ("move api to another host" is about a host, not a count)
  const countOfService = (v: number): boolean => {
    let j = v + 1;
    while (c[j]?.used && !c[j]?.svc) j++;
    const n = c[j];
    return !n || !!n.svc || isKorean(n) || hasTag(n, 'sep', 'replicas', 'container', 'pron', 'too') || (n.tags.size > 0 && [...n.tags].every((g) => g === 'filler' || g === 'to'));
  };
  // "host 8443 -> container 443": two numbers, one said to be the host's and one the container's, are a port mapping
  const sideOf = (v: number): 'host' | 'ctr' | undefined => {
    for (let j = v - 1; j >= Math.max(0, v - 3); j--) {
      const u = c[j] as Tok;
      if (u.val) return undefined;
      if (u.tags.has('hostside')) return 'host';
      if (u.tags.has('ctrside')) return 'ctr';
      if (!hasTag(u, 'port', 'filler', 'to')) return undefined;
    }
    return undefined;
  };
  const sidedPair = (v: number): boolean => {
    const mine = sideOf(v);
    const nums = values.filter((u) => (c[u] as Tok).val?.k === 'num');
    return !!mine && nums.length === 2 && nums.some((u) => u !== v && sideOf(u) !== undefined && sideOf(u) !== mine);
  };
  const slotCuesInClause = c.some((t) => !t.used && Object.keys(CUE_SLOTS).some((g) => t.tags.has(g as Tag) && g !== 'wverb' && g !== 'limit'));
  for (const v of values) {
    if (slotOf.has(v)) continue;
    const t = c[v] as Tok;
    const val = t.val as Val;
    let slot: Slot | undefined;
    // a size beside a healthcheck or a CPU cue nothing else took ("cpu 500m", "probe 5m") is not clearly memory
    const freeCue = (g: Tag) => c.some((u, q) => !u.used && !usedCues.has(q) && u.tags.has(g));
    if (val.k === 'size' && !c.some((u) => hasTag(u, 'memory', 'reserve')) && (hcContext || (['cpu', 'hint', 'htimeout', 'hretries'] as Tag[]).some(freeCue))) slot = undefined;
    else if (val.k === 'size') slot = unusedCue('reserve') && !unusedCue('limit') ? 'memres' : 'mem';
    else if (val.k === 'ver' || val.k === 'image') slot = 'image';
    else if (val.k === 'port') slot = 'port';
    else if (val.k === 'policy') slot = 'restart';
    else if (val.k === 'quoted' && hcContext) slot = 'test';
    else if (val.k === 'num' && (val.counter === '개' || val.counter === '대') && Number.isInteger(val.n) && !unboundCueSlots(val, v).length) slot = 'replicas';
    else if (val.k === 'num' && val.counter === '코어') slot = 'cpu';
    else if (val.k === 'rel' && val.of.k === 'size') slot = unusedCue('reserve') ? 'memres' : 'mem';
    else if (val.k === 'rel' || val.k === 'mult') {
      const loose = unboundCueSlots(val, v);
      if (loose.length === 1) slot = loose[0];
      else if (!loose.length && val.k === 'rel' && fits(val, 'replicas', 'replicas', hcContext) && countOfService(v)) slot = 'replicas';
      else if (!loose.length && val.k === 'mult') {
        // "double the workers", "five times the web": a multiple of a service is of its replicas; "워커 두배로 늘려" too
        let j = v + 1;
        while (c[j] && !(c[j] as Tok).svc && ((c[j] as Tok).used || (c[j] as Tok).tags.has('filler'))) j++;
        const ofService = !!c[j]?.svc;
        // the Korean verb after it, past a particle written apart ("절반 으로 줄여")
        let k = v + 1;
        while (c[k] && isKorean(c[k] as Tok) && (c[k] as Tok).tags.has('filler') && /^(으로|로)$/.test((c[k] as Tok).raw)) k++;
        const koVerb = !!c[k] && isKorean(c[k] as Tok) && hasTag(c[k], 'up', 'down');
        if (ofService || koVerb) slot = 'replicas';
      }
    } else if (val.k === 'num' && (linkedToPort(v) || sidedPair(v))) {
      slot = 'port';
    } else if (val.k === 'num' || val.k === 'dur') {
      const loose = unboundCueSlots(val, v);
      if (loose.length === 1) slot = loose[0];
      else if (!loose.length && !slotCuesInClause && ctx.prev && !ctx.prev.described && val.k === 'num') {
        const inherited = ctx.prev.slots.filter((s) => fits(val, s, s === 'image' ? 'image' : 'replicas', hcContext));
        if (inherited.length === 1) slot = inherited[0];
      }
    }
    // "redis is at 128m, double it": a multiple or a change of "it", with no setting named, is of the one setting the
    // clause before gave a value of
    const before = ctx.prev?.slots.length === 1 ? (ctx.prev.slots[0] as Slot) : undefined;
    if (!slot && (val.k === 'mult' || val.k === 'rel') && !slotCuesInClause && c.some((u) => u.tags.has('pron')) && before && ['mem', 'cpu', 'replicas'].includes(before) && fits(val, before, 'replicas', hcContext)) slot = before;
    if (!slot) {
      const what = val.k === 'num' ? `the number ${t.raw}` : `"${t.raw}"`;
      throw ambiguous(`${what} in "${text}" is not clearly about any setting (replicas, CPU, a port, a version…): say which`);
    }
    slotOf.set(v, slot);
    bound.add(slot);
  }

  // negation nobody took (not a "no longer needs", "stop publishing" or "restart: no"): the clause asks for nothing
  const bySlot = new Map<Slot, number[]>();
  for (const v of values) {
    const s = slotOf.get(v) as Slot;
    bySlot.set(s, [...(bySlot.get(s) ?? []), v]);
  }
  const one = (slot: Slot): number | undefined => {
    const vs = bySlot.get(slot) ?? [];
    if (vs.length <= 1) return vs[0];
    const raws = new Set(vs.map((v) => JSON.stringify((c[v] as Tok).val)));
    if (raws.size === 1) return vs[0];
    if (c.some((t) => t.tags.has('fix'))) throw ambiguous(`"${text}" corrects itself: say only the value you want`);
    if (c.some((t) => t.tags.has('or'))) throw ambiguous(`"${text}" gives ${slot} two values (${vs.map((v) => (c[v] as Tok).raw).join(' or ')})`);
    throw new IntentError('contradictory', `the request sets ${slot} twice, differently ("${text}")`);
  };
  for (const slot of ['replicas', 'mem', 'memres', 'cpu'] as const) {
    const v = one(slot);
    if (v === undefined) continue;
    const t = c[v] as Tok;
    const val = t.val as Val;
    const amount: Amount | undefined =
      val.k === 'num' ? { abs: val.n } : val.k === 'size' ? { abs: val.bytes } : val.k === 'mult' ? { mult: val.factor } : val.k === 'rel' ? { rel: val.sign * (val.of.k === 'size' ? val.of.bytes : val.of.k === 'num' ? val.of.n : 0) } : undefined;
    // "increase api memory 2g", "reduce api cpu 0.25": an English verb of direction with a bare amount is by or to?
    if (amount && 'abs' in amount && directionWithoutTo(c, v)) throw ambiguous(`"${text}": change it by ${t.raw}, or to ${t.raw}? say "to ${t.raw}" or "by ${t.raw}"`);
    if (amount && 'abs' in amount) {
      // "raise … to 3", "3개로 줄여": the direction the clause says (none when it says both or neither)
      const way = clauseWay(c);
      if (way) amount.dir = way;
    }
    if (amount) specs.push({ at: v, s: slot, v: amount, raw: t.raw });
  }
  const imageV = one('image');
  if (imageV !== undefined) {
    const val = (c[imageV] as Tok).val as Val;
    const raw = (c[imageV] as Tok).raw;
    specs.push({ at: imageV, s: 'image', ref: val.k === 'image' ? val.ref : undefined, version: val.k === 'image' ? undefined : raw, raw });
  }
  // ports: add or remove by the verbs; a mapping by "host … container", "N to M", or N:M
  const portVals = bySlot.get('port') ?? [];
  let portMode: 'add' | 'rm' | undefined;
  if (portVals.length) {
    const neg = c.some((t) => t.tags.has('neg') && !t.used);
    // "80 포트 빼고 8080 추가": a clause that continues the ports of the one before takes add/remove verbs as about ports
    const portCue = c.some((t) => t.tags.has('port')) || (!slotCuesInClause && !!ctx.prev?.slots.includes('port'));
    // "publish 해제", "노출 중단", "공개 금지": a publish word with a removal or negation right after it is unpublishing
    const undone = c.some((t, i) => t.tags.has('padd') && isKorean(c[i + 1] ?? t) && hasTag(c[i + 1], 'remove', 'neg'));
    const rm = undone || c.some((t) => t.tags.has('prm')) || (portCue && c.some((t) => hasTag(t, 'remove') && !t.tags.has('neg'))) || (neg && c.some((t) => hasTag(t, 'padd', 'port')));
    const add = !neg && !undone && (c.some((t) => t.tags.has('padd')) || (portCue && c.some((t) => t.tags.has('add'))));
    if (rm && add) throw ambiguous(`"${text}": publish or stop publishing?`);
    if (dropped.length) throw ambiguous(`"${text}" changes a port from one to another: say which to publish and which to stop publishing`);
    const mapping = portVals.length === 2 && portVals.every((v) => sidedPair(v));
    // "(publish 8443,) forwarding to container port 443": a number said to be the container's alone
    const ctrOnly = (v: number) => {
      for (let j = v - 1; j >= Math.max(0, v - 4); j--) {
        if ((c[j] as Tok).tags.has('hostside')) return false;
        if ((c[j] as Tok).tags.has('ctrside')) return true;
        if ((c[j] as Tok).val) break;
      }
      return false;
    };
    const lone = portVals.length === 1 && ((c[portVals[0] as number] as Tok).val as Val).k === 'num' && ctrOnly(portVals[0] as number) && !c.some((t) => t.tags.has('hostside'));
    // (the mode of the clause before only for a bare continuation, ", 8443 too", "and 9000": not for "imap only over 993")
    const bare = c.every((t) => t.val || t.svc || joiner(t) || hasTag(t, 'sep', 'too', 'port', 'proto', 'filler', 'to', 'hostside', 'ctrside'));
    portMode = rm ? 'rm' : add ? 'add' : portVals.every((v) => ((c[v] as Tok).val as Val).k === 'port') || mapping ? 'add' : bare || lone ? ctx.prev?.portMode : undefined;
    if (!portMode) throw ambiguous(`"${text}": publish port ${portVals.map((v) => (c[v] as Tok).raw).join(', ')}, or stop publishing it?`);
    if (rm) for (const t of c) if (t.tags.has('neg')) t.used = true;
    const nums = portVals.filter((v) => ((c[v] as Tok).val as Val).k === 'num');
    const atoms = portVals.filter((v) => ((c[v] as Tok).val as Val).k === 'port');
    const protoTok = c.find((t) => t.tags.has('proto'));
    const proto = protoTok && protoTok.w !== 'tcp' ? (protoTok.w as 'udp' | 'sctp') : undefined;
    // "5353/udp -> 53", "8443/tcp to 443": a port with its protocol, then the container's
    if (portMode === 'add' && atoms.length === 1 && nums.length === 1) {
      const a = atoms[0] as number;
      const b = nums[0] as number;
      const p = (c[a] as Tok).val as Extract<Val, { k: 'port' }>;
      if (b === a + 2 && /^(->|to)$/.test(c[a + 1]?.w ?? '') && p.target === p.published) {
        specs.push({ at: a, s: 'port_add', published: p.published, target: ((c[b] as Tok).val as { n: number }).n, protocol: p.protocol ?? proto });
        atoms.length = 0;
        nums.length = 0;
      }
    }
    for (const v of atoms) {
      const p = (c[v] as Tok).val as Extract<Val, { k: 'port' }>;
      specs.push(portMode === 'rm' ? { at: v, s: 'port_rm', published: p.published } : { at: v, s: 'port_add', published: p.published, target: p.target, protocol: p.protocol ?? proto });
    }
    if (portMode === 'rm') for (const v of nums) specs.push({ at: v, s: 'port_rm', published: ((c[v] as Tok).val as { n: number }).n });
    else if (nums.length === 1) {
      const n = ((c[nums[0] as number] as Tok).val as { n: number }).n;
      if (lone) specs.push({ at: nums[0] as number, s: 'port_target', target: n });
      else specs.push({ at: nums[0] as number, s: 'port_add', published: n, target: n, protocol: proto });
    } else if (nums.length === 2) {
      const [a, b] = nums as [number, number];
      const side = (v: number) => {
        for (let j = v - 1; j >= Math.max(0, v - 3); j--) {
          if ((c[j] as Tok).tags.has('hostside')) return 'host';
          if ((c[j] as Tok).tags.has('ctrside')) return 'ctr';
          if ((c[j] as Tok).val) break;
        }
        // "8080 … as 80 on the host", "80 in the container": the side said after the number
        const after = c.slice(v + 1, v + 4);
        const k = after.findIndex((u) => /^(on|in|inside)$/.test(u.w));
        if (k >= 0 && !after.slice(0, k).some((u) => u.val)) {
          const word = after.slice(k + 1).find((u) => !hasTag(u, 'filler') || hasTag(u, 'hostside', 'ctrside'));
          if (word?.tags.has('hostside')) return 'host';
          if (word?.tags.has('ctrside')) return 'ctr';
        }
        return undefined;
      };
      const sa = side(a);
      const sb = side(b);
      const linked = c.slice(a + 1, b).some((t) => t.tags.has('to') && /^(to|->|as|:|into)$/.test(t.w));
      let published: number | undefined;
      let target: number | undefined;
      const na = ((c[a] as Tok).val as { n: number }).n;
      const nb = ((c[b] as Tok).val as { n: number }).n;
      if (sa === 'host' && sb !== 'host') [published, target] = [na, nb];
      else if (sb === 'host' && sa !== 'host') [published, target] = [nb, na];
      else if (sa === 'ctr' && sb !== 'ctr') [published, target] = [nb, na];
      else if (sb === 'ctr' && sa !== 'ctr') [published, target] = [na, nb];
      else if (linked && !sa && !sb) [published, target] = [na, nb];
      if (published === undefined || target === undefined) throw ambiguous(`"${text}": which of ${na} and ${nb} is published on the host and which is the container's port?`);
      specs.push({ at: a, s: 'port_add', published, target, protocol: proto });
    } else if (nums.length > 2) throw ambiguous(`"${text}" names ${nums.length} port numbers: say each mapping as HOST:CONTAINER`);
  }
  // restart policy: the policy said, or "never"/"no" next to a restart cue, or a restart cue negated
  // "worker restart always, 웹은 unless-stopped / web never": a policy word alone continues the restart policy before
  const restartBefore = !slotCuesInClause && !!ctx.prev?.specs.some((p) => p.s === 'restart') && c.some((t) => t.tags.has('pword') && /^(always|never|항상|언제나|무조건)$/.test(t.w));
  const restartCue = restartBefore || c.some((t) => t.tags.has('restart') && !t.used);
  const policies = new Set<Policy>();
  for (const v of bySlot.get('restart') ?? []) policies.add(((c[v] as Tok).val as { p: Policy }).p);
  if (restartCue) {
    for (const t of c) {
      if (!t.tags.has('pword') || t.used) continue;
      policies.add(/^(항상|언제나|무조건|always)$/.test(t.w) ? 'always' : 'no');
      t.used = true;
    }
    const neg = c.filter((t) => t.tags.has('neg') && !t.used);
    if (!policies.size && neg.length) {
      const policyTalk = c.some((t) => hasTag(t, 'policy', 'auto') || /^(should|must|하게|되게)$/.test(t.w)) || neg.some((t) => /^(never|no|않|disable|disabled)$/.test(t.w));
      if (!policyTalk) throw ambiguous(`"${text}": a restart policy of "no", or not to restart it now? bcon edits the file; say "restart policy no"`);
      policies.add('no');
      for (const t of neg) t.used = true;
    }
  }
  if (policies.size > 1) throw new IntentError('contradictory', `the request sets the restart policy twice, differently ("${text}")`);
  const policy = [...policies][0];
  if (policy) specs.push({ at: Math.max(0, c.findIndex((t) => t.tags.has('restart'))), s: 'restart', policy });
  else if (restartCue && !specs.length && !values.length && !c.some((t) => t.tags.has('neg'))) {
    // "restart the db now", "restart api", "db 지금 재시작": an action on the running service, not an edit of the file
    const now = /\b(?:now|right\s+now|immediately|asap)\b|지금|당장|바로/i.test(text) || (c[0]?.tags.has('restart') && /^restart$/i.test(c[0]?.raw ?? ''));
    if (now) throw new IntentError('out_of_scope', `"${text}": restarting a service now is an action on the engine, not an edit of the compose file (bcon propose or bcon approve runs one; a restart policy is: always, on-failure, unless-stopped, no)`);
    throw ambiguous(`"${text}": bcon edits the compose file; restarting a service now is not an edit (say a restart policy: always, on-failure, unless-stopped, no)`);
  }
  // healthcheck fields
  const hcVals = (['interval', 'timeout', 'retries', 'test'] as const).map((s) => [s, one(s)] as const);
  if (one('start') !== undefined) throw ambiguous(`"${text}": a healthcheck start period is not something bcon can set (interval, timeout, retries, test)`);
  // a healthcheck command written out without quotes: which words are the command is a guess
  const looseCommand = c.find((t) => !t.used && !t.val && !t.svc && !t.tags.size && !/^[:：]$/.test(t.raw) && /[/:]|^-|^(?:curl|wget|pg_isready|redis-cli|nc|cmd|cmd-shell|sh|bash|echo|mysqladmin|https?)$/i.test(t.raw));
  if (hcContext && looseCommand) throw ambiguous(`"${text}": put the healthcheck command in backticks (\`curl -f http://localhost/health\`) so bcon knows where it starts and ends`);
  if (hcVals.some(([, v]) => v !== undefined)) {
    const get = (s: 'interval' | 'timeout' | 'retries' | 'test') => {
      const v = hcVals.find(([k]) => k === s)?.[1];
      return v === undefined ? undefined : ((c[v] as Tok).val as Val);
    };
    const dur = (v: Val | undefined) => (v?.k === 'dur' ? v.d : undefined);
    const retries = get('retries');
    const test = get('test');
    const cmd = test?.k === 'quoted' ? test.s.trim() : undefined;
    specs.push({
      at: Math.min(...hcVals.filter(([, v]) => v !== undefined).map(([, v]) => v as number)),
      s: 'hc',
      interval: dur(get('interval')),
      timeout: dur(get('timeout')),
      retries: retries?.k === 'num' ? retries.n : undefined,
      test: cmd ? (/[|&;<>$`]/.test(cmd) ? ['CMD-SHELL', cmd] : ['CMD', ...cmd.split(/\s+/)]) : undefined,
    });
  }
  // an unused negation: the clause says what not to do ("don't touch the db"), so it asks for nothing
  // (a negated value, "4개 필요 없고", rejects that value; only a negation without one protects what it names)
  if (c.some((t) => t.tags.has('neg') && !t.used)) return { subjects, trailing: false, specs: [], prev: ctx.prev, ...(values.length ? {} : { held: heldBy(c, subjects) }), quiet: true };
  // every setting the clause names must be one it changes: "api memory 2 cores" names memory and gives a CPU count
  const made = new Set<string>(specs.map((x) => x.s));
  for (const t of c) {
    if (t.val || t.svc || (t.used && /^[A-Z][A-Z0-9_]*$/.test(t.raw)) || /^(scale|scaled|scaling|스케일|스케일링|every|within|마다)$/.test(t.w)) continue;
    const wants = NAMED_SETTINGS.filter(([g]) => t.tags.has(g) && (g !== 'hretries' || /^(retries|retry|retrying|attempts|재시도|리트라이)$/.test(t.w)));
    const missing = wants.find(([, kinds]) => !kinds.some((k) => made.has(k)));
    if (wants.length && missing && specs.length) throw ambiguous(`"${t.raw}" in "${text}" names a setting the request gives no value for: say the ${t.raw} you want, or leave it out`);
  }
  // "api max 5", "cap web at 3 replicas": a bound on the count, which bcon cannot write (it sets the count)
  const cap = c.find((t) => t.tags.has('limit') && !t.svc && !t.val);
  if (cap && made.has('replicas') && !made.has('mem') && !made.has('memres') && !made.has('cpu')) throw ambiguous(`"${cap.raw}" in "${text}" asks for a bound on the number of replicas; bcon sets the count: say "scale to N"`);
  // an environment variable named and given no value ("api LOG_LEVEL debug and 3 replicas")
  const key = c.find((t) => !t.used && envKeyLike(t) && !t.tags.has('foreign'));
  if (key && specs.length) throw ambiguous(`"${key.raw}" in "${text}": set it to what? write ${key.raw}=VALUE`);
  // every number written as a word of its own must be a value some setting took ("api 3 replicas 1.2.3.4")
  const stray = c.find((t) => !t.used && !t.val && !t.svc && (/\d/.test(t.raw) || t.tagWord) && !/^\uE000/.test(t.raw));
  if (stray) throw ambiguous(`"${stray.raw}" in "${text}" is not clearly about any setting bcon edits: say which`);
  specs.sort((a, b) => a.at - b.at);
  const slots = [...new Set([...slotOf.values()])];
  const firstMention = mentionIdx[0];
  const trailing = firstMention !== undefined && /^(on|for|to|in|of|from)$/.test(c[firstMention - 1]?.w ?? '');
  return { subjects, trailing, specs, prev: specs.length ? { slots, portMode, specs } : ctx.prev, ...(excepted.length ? { held: { services: excepted, families: [] } } : {}) };
}

/** A version said alone ("1.6", "v2.3.1") completed against the service's current image reference. */
function completeVersion(service: string, current: string | undefined, version: string): string {
  if (!current) throw ambiguous(`${service} has no image in the file to put version ${version} on: give the full reference (name:tag)`);
  const noDigest = current.replace(/@sha256:[a-f0-9]+$/i, '');
  const m = /^(.*?)(?::([^:/]+))?$/.exec(noDigest);
  const repo = m?.[1] ?? noDigest;
  const tag = m?.[2];
  let v = version;
  if (tag && /^v\d/.test(tag) && /^\d/.test(v)) v = `v${v}`;
  if (tag && /^\d/.test(tag) && /^v\d/i.test(v)) v = v.slice(1);
  // a version with fewer parts than the current tag ("2.5" where the file has 2.4.1, "17" where it has 16.2): 2.5.0?
  // the newest 2.5.x? a whole number is a version only where the current tag is one; in general the parts must match
  const partsOf = (t: string) => /^v?(\d+(?:\.\d+)*)/i.exec(t)?.[1]?.split('.').length;
  const have = tag ? partsOf(tag) : undefined;
  const said = partsOf(v);
  if (have !== undefined && said !== undefined && said < have) {
    throw ambiguous(`${service} runs ${current}: version ${version} has ${said} part${said > 1 ? 's' : ''} where the tag has ${have} (${v}${'.0'.repeat(have - said)}? the newest ${v}.x?): give the full tag`);
  }
  const variant = tag ? /^v?\d+(?:\.\d+)*(-[a-z][\w.-]*)$/i.exec(tag)?.[1] : undefined;
  if (variant && !/-/.test(v)) throw ambiguous(`${service} runs ${current}: ${repo}:${v} or ${repo}:${v}${variant}? give the full tag`);
  return `${repo}:${v}`;
}

/** The direction a clause says (raise or lower), none when it says both or neither. */
function clauseWay(c: Tok[]): 1 | -1 | undefined {
  const up = c.some((u) => hasTag(u, 'up') && !hasTag(u, 'add'));
  const down = c.some((u) => hasTag(u, 'down'));
  return up === down ? undefined : up ? 1 : -1;
}

/** The direction an amount moves a setting: said with it, or its sign. */
function specWay(spec: Spec): 1 | -1 | undefined {
  if (!('v' in spec)) return undefined;
  const a = spec.v;
  if ('abs' in a) return a.dir;
  if ('rel' in a) return a.rel > 0 ? 1 : a.rel < 0 ? -1 : undefined;
  return a.mult > 1 ? 1 : a.mult < 1 ? -1 : undefined;
}

function resolve(amount: Amount, now: number | undefined, what: string, service: string): number {
  if ('abs' in amount) {
    // "raise worker memory to 512m" where it has 768m: the value would move it the other way
    if (amount.dir && now !== undefined && (amount.abs - now) * amount.dir < 0) {
      const show = (n: number) => (/memory/.test(what) ? `${+(n / 1048576).toFixed(1)} MiB` : String(n));
      throw new IntentError('contradictory', `${service}'s ${what} is ${show(now)} now: ${amount.dir > 0 ? 'raising' : 'lowering'} it to ${show(amount.abs)} would ${amount.dir > 0 ? 'lower' : 'raise'} it`);
    }
    return amount.abs;
  }
  if (now === undefined) throw ambiguous(`${service} has no ${what} in the file to change relative to: give the amount`);
  return 'rel' in amount ? now + amount.rel : now * amount.mult;
}

/** The typed operations of one clause's slot fillings for one service. */
function toOps(spec: Spec, service: string, now: ServiceNow | undefined): IntentOperation[] {
  switch (spec.s) {
    case 'replicas': {
      const value = resolve(spec.v, now?.replicas, 'replica count', service);
      if (!Number.isInteger(value) || value < 0 || value > 1000) throw ambiguous(`${spec.raw} makes ${value} replicas of ${service}, which is not a count bcon can set`);
      return [{ op: 'set_replicas', service, value }];
    }
    case 'mem':
    case 'memres': {
      const bytes = resolve(spec.v, spec.s === 'mem' ? now?.memoryBytes : now?.memoryReservationBytes, spec.s === 'mem' ? 'memory limit' : 'memory reservation', service);
      if (!(bytes > 0) || !Number.isFinite(bytes)) throw ambiguous(`${spec.raw} leaves ${service} no memory`);
      return [spec.s === 'mem' ? { op: 'set_memory_limit', service, bytes: Math.round(bytes) } : { op: 'set_memory_reservation', service, bytes: Math.round(bytes) }];
    }
    case 'cpu': {
      const cpus = resolve(spec.v, now?.cpus, 'CPU limit', service);
      if (!(cpus > 0) || cpus > 1024) throw ambiguous(`${spec.raw} leaves ${service} ${cpus} CPUs`);
      return [{ op: 'set_cpu_limit', service, cpus: Math.round(cpus * 1000) / 1000 }];
    }
    case 'env':
      return [{ op: 'set_env', service, name: spec.name, value: spec.value }];
    case 'unset':
      return [{ op: 'unset_env', service, name: spec.name }];
    case 'image':
      return [{ op: 'set_image', service, image: spec.ref ?? completeVersion(service, now?.image, spec.version ?? spec.raw) }];
    case 'port_add':
      return [{ op: 'add_port', service, published: spec.published, target: spec.target, ...(spec.protocol ? { protocol: spec.protocol } : {}) }];
    case 'port_rm':
      return [{ op: 'remove_port', service, published: spec.published }];
    case 'port_target':
      return [];
    case 'restart':
      return [{ op: 'set_restart', service, policy: spec.policy }];
    case 'hc':
      return [
        {
          op: 'set_healthcheck',
          service,
          ...(spec.test ? { test: spec.test } : {}),
          ...(spec.interval ? { interval: spec.interval } : {}),
          ...(spec.timeout ? { timeout: spec.timeout } : {}),
          ...(spec.retries !== undefined ? { retries: spec.retries } : {}),
        },
      ];
    case 'dep_add':
    case 'dep_rm':
      if (spec.target === service) throw ambiguous(`${service} cannot depend on itself`);
      return [{ op: spec.s === 'dep_add' ? 'add_dependency' : 'remove_dependency', service, depends_on: spec.target }];
  }
}

/**
 * The deterministic intent parser (English and Korean, offline), by slot filling: the request is cut into clauses;
 * in each, the services it names (exact, plural, part of a name, image name, Korean spelling, one typo; a list of
 * them takes the change each), the settings its words are about (a lexicon of synonyms per operation) and the
 * values it states, typed by their form (sizes, durations, port mappings, versions, KEY=VALUE, counts, relative
 * changes), each value given to the setting whose cue stands next to it. A value that could be for two settings, or
 * is near none, is a refusal (`ambiguous`), never a guess: a wrong operation is worse than none. Injections and
 * requests outside the vocabulary are refused before anything else; unknown services, contradictions and requests
 * that change nothing each have their code.
 */
export function parseIntent(text: string, services: Record<string, ServiceNow>): IntentOperation[] {
  const names = Object.keys(services);
  if (isInjection(text, names)) throw new IntentError('injection', 'the request tries to instruct bcon instead of describing a change; nothing was done');
  // a question asks for nothing to change
  if (/^\s*(?:what|how|why|which|who|where|is|are|does|do|did|was|were|has|have)\b[^]*\?\s*$/i.test(text)) throw ambiguous(`"${text}" is a question; bcon intent changes the file (say the change: "scale api to 3")`);
  const quoted: string[] = [];
  const toks = tokenize(normalize(text, quoted), quoted, namerFor(services));
  const parts = clauses(toks);
  const anyHc = toks.some((t) => t.tags.has('hc'));
  // "the runners are choking on the rust builds — give runner 512 MB more": what is going on, said before the change
  const context = new Set(parts.filter((c, k) => k < parts.length - 1 && situation(c)));
  for (const [k, c] of parts.entries()) {
    const why = outOfScope(c, anyHc, parts[k - 1]);
    // (context may name a compose setting in passing, "the rust builds"; anything else out of scope still refuses)
    if (why && !(context.has(c) && / is a compose setting bcon does not edit/.test(why))) throw new IntentError('out_of_scope', why);
  }

  const ops: IntentOperation[] = [];
  const ctx: Ctx = { services, names, current: [], prev: undefined, hcFor: new Set() };
  // changes said before any service was named, waiting for a clause that ends "… on SERVICE"
  let pending: Spec[] = [];
  let lastSpecs: Spec[] = [];
  const held: Array<{ services: string[]; families: string[]; values?: number[] }> = [];
  const unclear: string[] = [];
  for (const c of parts) {
    if (context.has(c)) {
      // ("web is getting slammed, scale it up by 2": the one service it names is what "it" is after it)
      const named = [...new Set(c.flatMap((t) => (t.svc ? [t.svc] : [])))];
      if (named.length === 1) ctx.current = named;
      continue;
    }
    const out = analyze(c, ctx);
    let { specs } = out;
    if (pending.length && out.subjects.length && out.trailing) specs = [...pending, ...specs];
    // a change said before any service, then a clause about a service that does not take it ("open 8080 and scale
    // api to 2"): which service the first change is for is a guess, never dropped
    if (pending.length && out.subjects.length && !out.trailing) throw ambiguous(`which service is "${clauseText(parts[parts.indexOf(c) - 1] ?? [])}" for? the file has: ${names.join(', ')}`);
    if (out.subjects.length) pending = [];
    // "…, worker too": the clause before, for these services
    // "…, worker too", "scale api to 3 and web": a clause of services alone repeats the change before for them
    const bare = c.every((t) => t.svc || joiner(t) || hasTag(t, 'too', 'sep') || t.w === 'the');
    if (!specs.length && out.subjects.length && (bare || c.some((t) => t.tags.has('too'))) && lastSpecs.length && !c.some((t) => t.val)) specs = lastSpecs;
    if (specs.length) lastSpecs = specs;
    if (out.subjects.length) ctx.current = out.subjects;
    ctx.prev = out.prev;
    if (out.held?.services.length) held.push(out.held);
    // "3으로 올리되 지금보다는 낮춰", "raise it to 3, but lower it": a clause of a direction alone, the other way from the change before
    const way = clauseWay(c);
    if (!specs.length && way && !out.subjects.length && !c.some((t) => t.val) && lastSpecs.some((x) => specWay(x) === -way)) {
      throw new IntentError('contradictory', `"${clauseText(c)}" goes the other way from the change before it`);
    }
    // a clause that asks for a change (a verb, a setting) and yields none was not understood: the rest alone would be half the request
    // ("…, i moved", "we upgraded last week": what the person did is narration, not a change asked for)
    const narration = /^(i|we)$/.test(c[0]?.w ?? '') && /^(?:\w+ed|did|had|was|were|went|got|made|ran|set|put)$/.test(c[1]?.w ?? '') && !/^(?:need|feed|speed|seed|exceed|proceed|succeed)$/.test(c[1]?.w ?? '') && !c.some((t) => t.val || t.svc);
    if (!specs.length && !out.quiet && !narration && (asksForChange(c) || c.some((t) => !t.used && ((envKeyLike(t) && !t.tags.has('foreign') && !PROSE_ACRONYMS.test(t.raw)) || t.tagWord)))) unclear.push(clauseText(c));
    if (!specs.length) continue;
    const who = out.subjects.length ? out.subjects : ctx.current.length ? ctx.current : names.length === 1 ? names : [];
    if (!who.length) {
      pending.push(...specs);
      continue;
    }
    ctx.current = who;
    for (const spec of specs) {
      for (const service of who) {
        if (spec.s === 'port_target') {
          // the port this request publishes on the service, with no container side said yet
          const last = ops.findLast((o): o is Extract<IntentOperation, { op: 'add_port' }> => o.op === 'add_port' && o.service === service);
          if (!last || last.target !== last.published) throw ambiguous(`container port ${spec.target} of ${service}: published on which host port? write HOST:CONTAINER`);
          last.target = spec.target;
          continue;
        }
        for (const op of toOps(spec, service, services[service])) {
          // more of a healthcheck this request already sets ("…every 30s, time out after 5s")
          const earlier = op.op === 'set_healthcheck' ? ops.find((o): o is Extract<IntentOperation, { op: 'set_healthcheck' }> => o.op === 'set_healthcheck' && o.service === service) : undefined;
          if (earlier && op.op === 'set_healthcheck') {
            for (const [k, v] of Object.entries(op)) {
              if (k === 'op' || k === 'service') continue;
              const had = (earlier as Record<string, unknown>)[k];
              if (had !== undefined && JSON.stringify(had) !== JSON.stringify(v)) throw new IntentError('contradictory', `the request sets the healthcheck ${k} of ${service} twice, differently`);
              (earlier as Record<string, unknown>)[k] = v;
            }
            continue;
          }
          ops.push(op);
          if (op.op === 'set_healthcheck') ctx.hcFor.add(service);
        }
      }
    }
  }
  if (pending.length) {
    // "redis needs 2 replicas", "scale up the kafka broker to 3": the first word bcon has no meaning for, early in the
    // request, is a name the file does not have (a service the person thinks is there)
    const first = toks.find((t) => !t.val && !t.svc && t.tags.size === 0 && !isVocabulary(t.w));
    if (first && toks.indexOf(first) <= 3 && !first.several && /^[a-z][a-z0-9_.-]{3,40}$/i.test(first.raw) && !/^[A-Z0-9_]+$/.test(first.raw) && !isKorean(first))
      throw new IntentError('unknown_service', `no service named "${first.raw}"; the file has: ${names.join(', ')}`);
    throw ambiguous(`which service? the file has: ${names.join(', ')}`);
  }
  // "scale web to 3, actually 4", "웹 3개 아니 4개": which value is meant is a guess
  const fix = toks.find((t) => t.tags.has('fix'));
  if (ops.length && fix) throw ambiguous(`"${fix.raw}": the request corrects itself; say only the change you want`);
  if (ops.length && unclear.length) throw ambiguous(`"${unclear[0]}" asks for a change bcon did not understand (no setting and value it can write); nothing was changed`);
  // "scale api and db to 3 but leave the db alone": a change to what the request also says to keep
  for (const op of ops) {
    // (values said to stay count only where the change is to one of them: "remove 80, 443 stays as is" is no contradiction)
    const touches = (values: number[] | undefined) => !values?.length || !/_port$/.test(op.op) || Object.values(op).some((v) => typeof v === 'number' && values.includes(v));
    const h = held.find((x) => x.services.includes(op.service) && (!x.families.length || x.families.includes(op.op)) && touches(x.values));
    if (h) throw new IntentError('contradictory', `the request changes ${op.service} (${op.op}) and also says to leave it as it is`);
  }
  if (!ops.length) throw ambiguous(`no change bcon can make was understood in "${text}" (it can scale, set memory/CPU limits, env, image, ports, restart policy, healthcheck, dependencies)`);
  // the same setting twice with different values (adding and removing the same port, env or dependency too)
  const seen = new Map<string, string>();
  for (const op of ops) {
    const family = op.op.replace(/^(set|unset|add|remove)_/, '');
    const key = `${family === 'env' ? 'env' : family}:${op.service}:${'name' in op ? op.name : 'published' in op ? op.published : 'depends_on' in op ? op.depends_on : ''}`;
    const value = JSON.stringify(op);
    if (seen.has(key) && seen.get(key) !== value) throw new IntentError('contradictory', `the request sets ${family} of ${op.service} twice, differently`);
    seen.set(key, value);
  }
  const unique = [...new Map(ops.map((o) => [JSON.stringify(o), o])).values()];
  // what the file already says (compared normalised, per operation type) is not emitted; nothing left is no_change
  const todo = unique.flatMap((o) => stillToDo(o, services[o.service]) ?? []);
  if (!todo.length) throw new IntentError('no_change', 'the file already says that: nothing to change');
  return todo;
}
