import type { Tag } from './lexicon.js';
import { EN_NUMBERS, enTags, GO_NOUNS, KO_NAMES, KO_NUMBERS, KO_STEMS, PARTICLES, typoTags } from './lexicon.js';
import { editDistance } from './services.js';
import { parseMemory } from './units.js';

export type Policy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

/** A value a request states, typed by its form (a size, a duration, a port mapping…), before it is given a setting. */
export type Val =
  | { k: 'num'; n: number; dotted: boolean; counter: string | undefined } // 3, 1.5, 3개, 80번, 2코어
  | { k: 'size'; bytes: number; minutes: number | undefined } // 512M, 1기가; a bare "5m" may be minutes
  | { k: 'dur'; d: string } // 30s, 5초
  | { k: 'ver'; v: string } // v1.2, 2.3.1, 2.0.0-rc1
  | { k: 'image'; ref: string } // redis:7.2, ghcr.io/acme/api:2.0
  | { k: 'port'; published: number; target: number; protocol: 'udp' | 'sctp' | undefined; mapped: boolean } // 8443:443, 53/udp
  | { k: 'env'; name: string; value: string } // KEY=VALUE
  | { k: 'quoted'; s: string } // `cmd` or "text"
  | { k: 'policy'; p: Policy } // unless-stopped, on-failure
  | { k: 'rel'; sign: 1 | -1; of: Val } // one more, two fewer, up by 2, 하나 더, 하나 줄여
  | { k: 'mult'; factor: number } // double, twice, half, 5 times, 두배
  | { k: 'bad'; why: string }; // a form bcon cannot express (host IP, port range, percentage)

export interface Tok {
  /** as written */
  raw: string;
  /** the word, lowercased ('' for a value) */
  w: string;
  tags: Set<Tag>;
  val?: Val;
  /** a Korean particle written after it */
  tail?: string;
  /** the service it names */
  svc?: string;
  /** a Korean name of a well-known service the file does not have */
  alias?: string;
  /** a word that could name several services */
  several?: string[];
  /** a tag name that is no version ("latest"): a version only beside an image cue */
  tagWord?: boolean;
  /** written with 's ("nginx's memory") */
  possessive?: boolean;
  /** a Korean "-고" connective ends here: the clause ends after it */
  connective?: boolean;
  /** consumed by a slot */
  used?: boolean;
}

/** A token written in Hangul. */
export const isKorean = (t: Tok) => /^[가-힣]/.test(t.raw);

/** The token has one of the tags. */
export const hasTag = (t: Tok | undefined, ...tags: Tag[]) => !!t && tags.some((g) => t.tags.has(g));

/** An environment key written as one: LOG_LEVEL, QUEUE (capitals, not a word bcon knows, not a service). */
export function envKeyLike(t: Tok, minLength = 3): boolean {
  return !t.svc && !t.val && (t.tags.size === 0 || (t.tags.size === 1 && t.tags.has('foreign'))) && /^[A-Z][A-Z0-9_]*$/.test(t.raw) && (t.raw.includes('_') || t.raw.length >= minLength);
}

/** Resolves a word to a service of the file (exact, alias, Korean spelling, one typo), or says it names none. */
export interface Namer {
  latin(word: string): string | undefined;
  korean(word: string): { svc: string | undefined; known: boolean };
  /** the word is a service's name, written as in the file (any case) */
  isName(word: string): boolean;
  /** the services a word could name when it names more than one ("orders" for orders-api and orders-db) */
  several(word: string): string[];
  /** some service's image is called this (without registry and tag) */
  imageNamed(name: string): boolean;
}

const SIZE_UNIT = /^(\d+(?:\.\d+)?)\s*(k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib|킬로|메가|기가|테라|킬로바이트|메가바이트|기가바이트|테라바이트)$/i;
const SIZE_WORDS: Record<string, string> = {
  gig: 'g', gigs: 'g', gigabyte: 'g', gigabytes: 'g', gib: 'g', gb: 'g', g: 'g', meg: 'm', megs: 'm', megabyte: 'm', megabytes: 'm', mb: 'm',
  mib: 'm', kb: 'k', kib: 'k', kilobytes: 'k', tb: 't', tib: 't', terabyte: 't', terabytes: 't', 기가: 'g', 메가: 'm', 기가바이트: 'g', 메가바이트: 'm',
};
const DUR_UNITS: Record<string, string> = {
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms', 밀리초: 'ms', s: 's', sec: 's', secs: 's', second: 's', seconds: 's', 초: 's', m: 'm', min: 'm',
  mins: 'm', minute: 'm', minutes: 'm', 분: 'm', h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h', 시간: 'h',
};
const COUNTERS = ['개의', '대의', '개', '대', '번', '회', '배', '코어', '명', '가지'];

/**
 * Phrases that mean one word (health check → healthcheck, "unless I stop it" → unless-stopped, "stop publishing"
 * → unpublish), so the slot filler sees one cue for each. Each is a synonym, not a sentence.
 */
const CANON: Array<[RegExp, string]> = [
  [/\b(\w+)n't\b/gi, '$1 not'],
  [/\b(do|does|did|should|would|could|must|is|are|was|were|has|have|had|need)nt\b/gi, '$1 not'],
  [/\bhealth[\s_-]+checks?\b/gi, ' healthcheck '],
  [/\btime[\s-]+outs?\b/gi, ' timeout '],
  // "before timing out", "times out after 5s"
  [/\btim(?:ing|es|ed)[\s-]+out\b/gi, ' timeout '],
  [/\bstart(?:[\s_-]*up)?[\s_-]+(?:period|delay|grace)\b/gi, ' start_period '],
  [/\bdepends?[\s_-]+on\b/gi, ' depends_on '],
  [/\bdepend(?:ing|ed)?[\s_-]+on\b/gi, ' depends_on '],
  [/\brolled?[\s-]+back\b|\broll[\s-]*back\b/gi, ' rollback '],
  [/\bgo(?:es|ing)?\s+back\b/gi, ' rollback '],
  [/\b(?:stop|quit|cease|no longer|don'?t|do not|never|not)\s+(?:publishing|exposing|publish|expose|mapping|forwarding)\b/gi, ' unpublish '],
  [/\bunless[\s_-]+stopped\b|\bunless\s+(?:(?:i|we|you|someone|somebody|anyone|an? \w+|the \w+)\s+)?(?:manually\s+|explicitly\s+|deliberately\s+|by hand\s+)?(?:stop|stops|stopped|halt|halts|kill|kills)(?:\s+(?:it|them|him|that|this))?(?:\s+(?:manually|by hand|explicitly))?\b|\buntil\s+(?:i|we|you|someone|somebody)\s+(?:manually\s+|explicitly\s+)?(?:stop|stops|kill|kills)(?:\s+(?:it|them))?\b/gi, ' unless-stopped '],
  [/\bon[\s_-]+failures?\b|\b(?:only\s+)?(?:when(?:ever)?|if|after|once)\s+(?:it\s+|they\s+|the\s+\w+\s+)?(?:fails|crashes|dies|errors(?:\s+out)?|exits with an error|exits non-?zero|goes down|falls over)\b|\bon (?:crash|crashes|error|errors|failure)\b|\bafter (?:a )?(?:crash|failure)\b/gi, ' on-failure '],
  [/\bno[\s-]+longer\b|\bnot\s+any\s*more\b|\bany\s*more\b/gi, ' nolonger '],
  [/\bas\s+well\b/gi, ' aswell '],
  // "port 80 stays as is", "leave it as it is": said at the end of a clause, the same as "as-is"
  [/\bas\s+(?:it\s+|they\s+)?(?:is|are|was|were)\b(?=\s*(?:$|[,.;!?]|and\b|but\b|please\b|pls\b|plz\b|though\b))/gi, ' as-is '],
  [/\binstead\s+of\b|\brather\s+than\b/gi, ' from '],
  [/\bif\s+(?:possible|you\s+can|that'?s\s+ok(?:ay)?)\b/gi, ' '],
  [/\bat\s+least\b|\bno\s+(?:less|fewer)\s+than\b|\bminimum\s+of\b|\bor\s+more\b/gi, ' atleast '],
  [/\bat\s+most\b|\bno\s+more\s+than\b|\bmaximum\s+of\b|\bor\s+(?:less|fewer)\b|\bnot\s+more\s+than\b/gi, ' atmost '],
  [/\bwhen\b(?=\s+(?:the\s+)?(?:cpu|memory|load|traffic|it|usage|requests|latency|queue|there)\b)/gi, ' if '],
  [/\bscale\s+(?:it\s+|them\s+)?out\b/gi, ' scale up '],
  [/\bscale\s+(?:it\s+|them\s+)?in\b/gi, ' scale down '],
  [/\bget\s+rid\s+of\b/gi, ' remove '],
  [/\bwait(?:s|ing)?\s+(?:for|on|until)\b/gi, ' waitfor '],
  [/\bgive\s+up\s+after\b|\bmark(?:ed)?\s+(?:it\s+)?unhealthy\s+after\b/gi, ' retries '],
  [/(?:둘|셋|넷)\s*(?:다|모두)(?![가-힣])/g, ' both '],
  [/\bcan ?not\b/gi, ' not '],
  [/\b(?:other\s+than|apart\s+from|except\s+for|with\s+the\s+exception\s+of)\b/gi, ' except '],
  [/(?:똑\s*)?같(?:이|게)|동일하게|마찬가지(?:로)?/g, ' too '],
  [/\bcontainer[\s_-]+names?\b/gi, ' container_name '],
  [/\b(every|each|per)\s+(second|minute|hour)\b/gi, '$1 1 $2'],
  [/\bcpu[\s_-]+(shares|quota|period|set)\b/gi, ' cpu_$1 '],
  [/\bread[\s_-]+only\b/gi, ' read_only '],
  [/\bfile[\s_-]*system\b/gi, ' filesystem '],
  [/\bhost[\s_-]*names?\b/gi, ' hostname '],
  [/\bwork(?:ing)?[\s_-]*dir(?:ectory)?\b/gi, ' working_dir '],
  [/\blog(?:ging)?[\s_-]+(?:driver|options?|opts?)\b/gi, ' log_driver '],
  [/\bentry[\s_-]*point\b/gi, ' entrypoint '],
  [/\bextra[\s_-]+hosts?\b/gi, ' extra_hosts '],
  [/\bip[\s_-]+address(?:es)?\b/gi, ' ip '],
  [/\bshm[\s_-]+size\b/gi, ' shm_size '],
  [/\bstop[\s_-]+(?:signal|grace[\s_-]+period)\b/gi, ' stop_signal '],
  [/\b(?:i\s+mean|make\s+that|no\s+wait|scratch\s+that)\b/gi, ' actually '],
  [/엔트리\s*포인트/g, ' 엔트리포인트 '],
  [/작업\s*디렉(?:터|토)리/g, ' 작업디렉터리 '],
  [/로그\s*드라이버/g, ' 로깅 '],
  [/컨테이너\s*이름/g, ' 이름 '],
  [/(^|\s)아니(?:다|야|고|요)?(?=\s|[,.]|$)/g, '$1 actually '],
  [/헬스\s*체크/g, ' 헬스체크 '],
  [/상태\s*(체크|검사|확인)/g, ' 상태$1 '],
  [/환경\s*변수/g, ' 환경변수 '],
  [/타임\s*아웃/g, ' 타임아웃 '],
  [/재\s*시작/g, '재시작'],
  [/제한\s*시간/g, '제한시간'],
  [/더\s*이상/g, ' nolonger '],
  [/(?:실패|에러|오류|장애|크래시|크래쉬)\s*(?:시|할\s*때|하면|했을\s*때|가\s*나면|나면|발생\s*시|났을\s*때|일\s*때)(?:에?만|에)?/g, ' on-failure '],
  [/죽(?:으면|을\s*때|었을\s*때)(?:만)?/g, ' on-failure '],
  [/(?:수동으로|직접|일부러|명시적으로|내가|제가|사람이)?\s*(?:멈추|중지하|정지하|멈출|중지할|정지할|끄|끌|내리|내릴|stop\s*하)(?:기\s*전까지(?:는|만)?|기\s*전에는|기\s*전엔|때까지(?:는)?|지\s*않는\s*한)/g, ' unless-stopped '],
  [/(?:하지|지)\s*(?:말|않)고(?![가-힣])/g, ' 않고 '],
  [/(?:하지|지)\s*(?:마|말|않)/g, ' 않 '],
  [/(^|\s)안\s*(?=(?:하|되|돼|해|할|함|시키|시켜|돌|열|나|걸|쓰|붙|기다))/g, '$1않 '],
  [/(^|\s)못\s+/g, '$1않 '],
];

/** Replaces quoted and backticked text with placeholders so nothing inside is read as a service, a cue or a value. */
function protectQuotes(text: string, quoted: string[]): string {
  return text.replace(/`([^`]*)`|"([^"]*)"|(?<=^|[\s=:(])'([^']*)'(?=$|[\s,.;:)!?]|[가-힣])/g, (_m, a?: string, b?: string, c?: string) => {
    quoted.push(a ?? b ?? c ?? '');
    return ` \uE000${quoted.length - 1}\uE001 `;
  });
}

/** Number words become digits: "two more" → "2 more", "세 개" → "3개", "하나 더" → "1 더". */
function numberWords(text: string): string {
  return text
    .replace(/(^|[^가-힣])반\s*(개|코어)(?=$|[^가-힣]|으로|로|를|을|만|씩|는|은|가|이|도)/g, '$1 0.5$2')
    .replace(/(^|[^가-힣])(하나|한|둘|두|셋|세|석|넷|네|넉|다섯|여섯|일곱|여덟|아홉|열)\s*(개의|대의|개|대|배|번|회|코어|가지)/g, (_m, pre: string, w: string, c: string) => `${pre}${KO_NUMBERS[w]}${c}`)
    .replace(/(^|[^가-힣])(하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)(?=$|[^가-힣]|으로|로|를|을|만|더|씩|는|은|가|이|도)/g, (_m, pre: string, w: string) => `${pre} ${KO_NUMBERS[w]} `)
    .replace(/\b(zero|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\b/gi, (w: string) => String(EN_NUMBERS[w.toLowerCase()]))
    // "another 256m", "an extra 1.5 GB": that much more (a size written after it is the amount, not a count of one)
    .replace(/\b(?:another|an?\s+(?:extra|additional))\s+(\d+(?:\.\d+)?)\s*(k|kb|kib|m|mb|mib|g|gb|gib|gigs?|megs?)\b/gi, (m: string, n: string, u: string) =>
      // (only where the request is about memory, or the unit is a size's alone (MB, GiB, gigs): "another 5m" may be
      // minutes; never with a disk: "another 10g of storage")
      (/\b(?:memory|mem|ram|heap|oom|oomkill(?:ed)?)\b|메모리/i.test(text) || /^(?:kb|kib|mb|mib|gb|gib|gigs?|megs?)$/i.test(u)) && !/\b(?:storage|disk|volume|connections?|containers?|minutes?|wait)\b/i.test(text) ? ` +${n}${u.replace(/^gigs?$/i, 'g').replace(/^megs?$/i, 'm')} ` : m)
    .replace(/\b(?:another|an?\s+(?:extra|additional|more))\b/gi, ' 1 more ')
    .replace(/\b(add|remove|drop)\s+an?\s+(replica|instance|copy|container|node|pod)\b/gi, '$1 1 $2');
}

/** Spaces between scripts, so glued words read as spaced ones: "api메모리2기가" → "api 메모리 2기가". */
function spaceScripts(text: string): string {
  return text
    .replace(/([A-Za-z_])(?=[가-힣])/g, '$1 ')
    .replace(/([가-힣])(?=[A-Za-z\d\uE000])/g, '$1 ')
    .replace(/(\uE001)(?=\S)/g, '$1 ');
}

/** Commands a healthcheck runs, by name: what may start an unquoted probe command (no shell, no path). */
const PROBE_COMMAND = String.raw`(?:curl|wget|redis-cli|pg_isready|mysqladmin|mongosh|nc|grpc_health_probe)`;
/**
 * A probe command written after a healthcheck cue and a colon, or after "test"/"테스트는", without backticks: "add a
 * healthcheck on cache: redis-cli ping every 10s", "테스트는 curl -f http://x/ready 로 바꿔". It runs to the next
 * clause word (every, timeout, interval, retries, a Korean period "30초마다", "로 바꿔") or separator, and is quoted
 * so that nothing inside reads as a service, a cue or a value. Only a command of a known name starts one.
 */
const UNQUOTED_PROBE = new RegExp(
  String.raw`((?:health\s*-?\s*check|helthcheck|healtcheck|probe|헬스\s*체크|헬스체크)(?:\s+(?:on|for|to|of)\s+[\w.-]+)?(?:\s*추가)?\s*[:：]\s*|\b(?:test|command)\s+(?:is|to|=)?\s*|테스트(?:는|은)?\s+)(${PROBE_COMMAND}\b(?:(?!\s+(?:every|each|timeout|interval|retries|retry|and|with|on|for)\b|\s+\d+\s*(?:초|(?:s|sec|secs|seconds?|m|min|mins|minutes?|h)\b)|\s+(?:으?로)(?:\s|$)|[,;]|\.(?:\s|$)).)*)`,
  'gi',
);
/** Words that end a probe command's run or make it no plain probe: another change, a shell, a destructive verb. */
const NOT_A_PROBE = /["'&|;<>$`]|\b(?:then|plus|also|but|and|scale|replicas?|memory|mem|cpus?|restart|rm|drop|delete|stop|kill|truncate)\b|그리고|하고|메모리|재시작/i;
function quoteProbe(text: string): string {
  if (text.includes('`')) return text;
  // only a plain probe (a known command, its flags and an address) is quoted; anything else stays as written, and
  // an unquoted command is refused as before
  return text.replace(UNQUOTED_PROBE, (m: string, cue: string, command: string) => (NOT_A_PROBE.test(command) ? m : `${cue}\`${command.trim()}\` `));
}

/** The canonical text of a request: NFKC, quotes protected, synonyms made one word, numbers as digits, scripts spaced. */
export function normalize(text: string, quoted: string[]): string {
  let t = text.normalize('NFKC').replace(/[“”„‟]/g, '"').replace(/[‘’‚‛]/g, "'").replace(/→|=>/g, ' -> ').replace(/×/g, 'x');
  t = protectQuotes(quoteProbe(t), quoted);
  for (const [re, to] of CANON) t = t.replace(re, to);
  t = numberWords(t);
  // "minus 1", "plus 2", "worker - 1": a signed change (not between two numbers: "8080 - 8090" is a range)
  // "the runners are choking — give runner 512m": a dash between words ends a clause
  t = t.replace(/\s[—–]\s/g, ', ');
  t = t.replace(/\bminus\s+(\d)/gi, ' -$1').replace(/\bplus\s+(\d+(?:\.\d+)?)(?![\d.]*\s*(?:and|,))/gi, ' +$1').replace(/(^|[^\d\s])\s+-\s+(\d)/g, '$1 -$2');
  t = spaceScripts(t);
  return t.replace(/[ \t]+/g, ' ').trim();
}

/** A chunk's trailing Korean particle, if any (the longest that leaves something before it). */
function splitParticle(word: string): [string, string | undefined] {
  for (const p of PARTICLES) if (word.length > p.length && word.endsWith(p)) return [word.slice(0, -p.length), p];
  return [word, undefined];
}

const hasSep = (t: Tok) => t.tags.has('sep');

function tok(raw: string, tags: Tag[] = [], extra: Partial<Tok> = {}): Tok {
  return { raw, w: raw.toLowerCase(), tags: new Set(tags), ...extra };
}

function valTok(raw: string, val: Val, extra: Partial<Tok> = {}): Tok {
  return { raw, w: '', tags: new Set(), val, ...extra };
}

/** What a Latin-script chunk is: an env assignment, a port mapping, an image reference, a version, a size, a duration, a number or a word. */
function latinChunk(raw: string, quoted: string[], namer: Namer, out: Tok[]): void {
  const lower = raw.toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^\uE000(\d+)\uE001$/.exec(raw))) return void out.push(valTok(raw, { k: 'quoted', s: quoted[Number(m[1])] ?? '' }));
  // KEY=VALUE (a setting's own name before "=" is that setting, not an environment variable)
  if ((m = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(raw))) {
    const [, key = '', rest = ''] = m;
    const value = /^\uE000(\d+)\uE001$/.test(rest) ? (quoted[Number(rest.slice(1, -1))] ?? '') : rest;
    // an upper-case key is an environment variable even when it is also a word ("PORT=9090")
    if (!/^[A-Z][A-Z0-9_]*$/.test(key) && (enTags(key.toLowerCase()).length || namer.latin(key))) {
      latinChunk(key, quoted, namer, out);
      out.push(tok('=', ['to']));
      if (rest) latinChunk(rest, quoted, namer, out);
      return;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return void out.push(valTok(raw, { k: 'env', name: key, value }));
  }
  if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+/.test(raw) || /^\[[\da-f:]+\]:\d+/i.test(raw)) return void out.push(valTok(raw, { k: 'bad', why: `"${raw}" binds a host address, which bcon cannot express` }));
  if ((m = /^(\d+):(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(raw)) || (m = /^(\d+)\/(tcp|udp|sctp)$/i.exec(raw))) {
    const published = Number(m[1]);
    const target = m[3] !== undefined || /:/.test(raw) ? Number(m[2]) : published;
    const proto = (/\/(\w+)$/.exec(raw)?.[1] ?? 'tcp').toLowerCase();
    return void out.push(valTok(raw, { k: 'port', published, target, protocol: proto === 'tcp' ? undefined : (proto as 'udp' | 'sctp'), mapped: /:/.test(raw) }));
  }
  if (/^\d+-\d+(?::\d+(?:-\d+)?)?(?:\/\w+)?$/.test(raw)) return void out.push(valTok(raw, { k: 'bad', why: `"${raw}" is a range` }));
  if (/^\d+(?:\.\d+)?%$/.test(raw)) return void out.push(valTok(raw, { k: 'bad', why: `"${raw}" is a percentage` }));
  // an image reference: name[:tag][@digest] with a tag or digest; the name is not a number
  if ((m = /^((?:[a-z0-9][a-z0-9._-]*(?::\d+)?\/)*[a-z0-9][a-z0-9._-]*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:[a-f0-9]{64})?$/i.exec(raw)) && (m[2] !== undefined || m[3] !== undefined) && /[a-z]/i.test(m[1] ?? '') && !/^\d+(?:\.\d+)*$/.test(m[1] ?? '')) {
    const name = m[1] ?? '';
    // "restart:always", "replicas:3": a setting and its value
    if (!name.includes('/') && m[2] !== undefined && enTags(name.toLowerCase()).length) {
      latinChunk(name, quoted, namer, out);
      out.push(tok(':', ['to']));
      return latinChunk(m[2], quoted, namer, out);
    }
    // "api:1.5" where api's image is not called api: a service and a tag, not a reference
    if (!name.includes('/') && namer.latin(name) && !namer.imageNamed(name)) return void out.push(valTok(raw, { k: 'bad', why: `"${raw}" names the service ${name}, not an image of that name` }));
    return void out.push(valTok(raw, { k: 'image', ref: raw }));
  }
  if (/^v\d+(?:\.\d+)*(?:[-+][\w.]+)?$/i.test(raw) || /^\d+\.\d+\.\d+(?:[-+][\w.]+)?$/.test(raw) || /^\d+(?:\.\d+)*-[a-z][\w.]*$/i.test(raw)) return void out.push(valTok(raw, { k: 'ver', v: raw }));
  if ((m = SIZE_UNIT.exec(raw))) {
    const bytes = parseMemory(raw);
    if (bytes) return void out.push(valTok(raw, { k: 'size', bytes, minutes: /m$/.test(raw) ? Number(m[1]) : undefined }));
  }
  if ((m = /^(\d+(?:\.\d+)?)(ms|s|sec|secs|m|min|mins|h|hr|hrs)$/i.exec(raw))) return void out.push(valTok(raw, { k: 'dur', d: `${m[1]}${DUR_UNITS[(m[2] ?? '').toLowerCase()]}` }));
  // a compound duration as compose writes it: 1m30s, 1h15m, 2m500ms
  if (/^(?:\d+(?:h|m|s|ms)){2,}$/i.test(raw) && /^(?:\d+h)?(?:\d+m(?!s))?(?:\d+s)?(?:\d+ms)?$/i.test(raw)) return void out.push(valTok(raw, { k: 'dur', d: raw.toLowerCase() }));
  if ((m = /^(\d+)x$|^x(\d+)$/i.exec(raw))) return void out.push(valTok(raw, { k: 'mult', factor: Number(m[1] ?? m[2]) }));
  if ((m = /^([+-])(\d+(?:\.\d+)?\s*(?:k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib))$/i.exec(raw))) {
    const bytes = parseMemory(m[2] ?? '');
    if (bytes) return void out.push(valTok(raw, { k: 'rel', sign: m[1] === '-' ? -1 : 1, of: { k: 'size', bytes, minutes: undefined } }));
  }
  // "latest", "stable": a tag when an image cue is near (the parser decides)
  if (/^(?:latest|stable|edge|nightly|lts|mainline)$/i.test(raw)) return void out.push(tok(raw, [], { w: lower, tagWord: true }));
  if ((m = /^([+-])(\d+(?:\.\d+)?)$/.exec(raw))) return void out.push(valTok(raw, { k: 'rel', sign: m[1] === '-' ? -1 : 1, of: { k: 'num', n: Number(m[2]), dotted: /\./.test(m[2] ?? ''), counter: undefined } }));
  if (/^\d+(?:\.\d+)?$/.test(raw)) return void out.push(valTok(raw, { k: 'num', n: Number(raw), dotted: /\./.test(raw), counter: undefined }));
  if (/^(?:unless[-_]stopped|on[-_]failure)$/i.test(raw)) return void out.push(valTok(raw, { k: 'policy', p: lower.startsWith('on') ? 'on-failure' : 'unless-stopped' }));
  // a word: a service, a vocabulary word, or neither
  const w = lower.replace(/'s$/, '');
  const svc = namer.latin(raw.replace(/'s$/i, ''));
  const tags = svc ? [] : enTags(w);
  const several = svc ? [] : namer.several(raw.replace(/'s$/i, ''));
  if (several.length > 1) return void out.push(tok(raw, [], { w, several }));
  // (a name in capitals with "_" is a variable's, never a typo of a vocabulary word)
  const named = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(raw);
  out.push(tok(raw.replace(/'s$/i, ''), svc || tags.length || named ? tags : typoTags(w, editDistance), { w, ...(svc ? { svc } : {}), ...(/'s$/i.test(raw) ? { possessive: true } : {}) }));
}

/** A Korean word that starts with a stem or a service's Korean name. */
function startsKnown(word: string): boolean {
  return KO_STEMS.some(([stem]) => word.startsWith(stem)) || Object.keys(KO_NAMES).some((n) => word.startsWith(n));
}

/** Cuts a Korean word into the stems and names it is made of, the rest kept as one word; the particle goes on the last. */
function hangulChunk(word: string, namer: Namer, out: Tok[]): void {
  const pieces: Tok[] = [];
  let i = 0;
  while (i < word.length) {
    const rest = word.slice(i);
    // a service's Korean name (only where a word can end after it: a particle, another stem, or nothing)
    let best: Tok | undefined;
    let len = 0;
    for (const name of Object.keys(KO_NAMES)) {
      if (name.length <= len || !rest.startsWith(name)) continue;
      const after = rest.slice(name.length);
      const boundary = !after || PARTICLES.includes(after) || /^(서버|서비스|컨테이너|쪽|들)/.test(after) || KO_STEMS.some(([s]) => after.startsWith(s)) || Object.keys(KO_NAMES).some((n) => after.startsWith(n));
      if (!boundary) continue;
      const r = namer.korean(name);
      best = tok(name, [], r.svc ? { svc: r.svc } : { alias: name });
      len = name.length;
    }
    // an exact service name written in Hangul
    const exact = namer.korean(splitParticle(rest)[0]);
    if (!best && exact.svc && i === 0) {
      best = tok(splitParticle(rest)[0], [], { svc: exact.svc });
      len = best.raw.length;
    }
    for (const [stem, tags] of KO_STEMS) {
      if (stem.length > len && rest.startsWith(stem)) {
        best = tok(stem, tags);
        len = stem.length;
        break;
      }
    }
    if (best && len) {
      pieces.push(best);
      i += len;
      continue;
    }
    // the rest: a particle on what came before, or a word of its own (with its particle)
    if (pieces.length && PARTICLES.includes(rest)) {
      (pieces[pieces.length - 1] as Tok).tail = rest;
    } else {
      const [stem, particle] = splitParticle(rest);
      const t = tok(stem, [], particle ? { tail: particle } : {});
      if (rest === '더') t.tags.add('more');
      if (rest === '반' || stem === '반') t.tags.add('mult');
      if (rest === '도' && pieces.length) (pieces[pieces.length - 1] as Tok).tail = '도';
      else pieces.push(t);
    }
    break;
  }
  const last = pieces[pieces.length - 1];
  if (last && /고$/.test(word) && !GO_NOUNS.has(word) && word.length >= 2 && !(last.svc && !last.tail)) last.connective = true;
  // "-는데 / -인데" (… and / but …) ends a clause too: "지금 1개인데 3개로"
  if (last && /(?:인|는|은)데요?$/.test(word) && !(last.svc && !last.tail)) last.connective = true;
  // "-되 / -지만" (… but …) after a verb of change: "3개로 올리되 …", "늘리지만 …"
  if (last && /[가-힣](?:되|지만)$/.test(word) && pieces.some((p) => hasTag(p, 'up', 'down', 'wverb', 'vverb', 'add', 'remove')) && !(last.svc && !last.tail)) last.connective = true;
  if (last?.tail === '도') last.tags.add('too');
  if (last?.tail === '랑' || last?.tail === '이랑' || last?.tail === '와' || last?.tail === '과' || last?.tail === '하고') last.tags.add('sep');
  out.push(...pieces);
}

/**
 * The tokens of a normalized request: values typed by form (numbers carry their Korean counters, sizes and
 * durations their units), services resolved, vocabulary tagged, Korean words cut into stems with particles on them.
 */
export function tokenize(text: string, quoted: string[], namer: Namer): Tok[] {
  const out: Tok[] = [];
  // "orders db" for a service called orders-db
  const chunks = text.split(/\s+/).reduce<string[]>((acc, chunk) => {
    const last = acc[acc.length - 1];
    const joined = last !== undefined && /^[A-Za-z][\w]*$/.test(last) && /^[A-Za-z][\w]*$/.test(chunk) ? [`${last}-${chunk}`, `${last}_${chunk}`].find((j) => namer.isName(j)) : undefined;
    if (joined) acc[acc.length - 1] = joined;
    else acc.push(chunk);
    return acc;
  }, []);
  // "cpu2", "api3개", "mem512m": a known word or service glued to a number is two chunks (not a name with a digit: "db1")
  const split = chunks.flatMap((chunk) => {
    const m = /^([A-Za-z][A-Za-z_]*[A-Za-z])(\d[\w.가-힣]*[,;.!?)]*)$/.exec(chunk);
    const word = m?.[1] ?? '';
    // a service only before a Korean counter or unit ("api3개"): "db2" may be a value ("DB_HOST to db2")
    const known = enTags(word.toLowerCase()).length > 0 || (!!namer.latin(word) && /[가-힣]/.test(m?.[2] ?? ''));
    if (!m || namer.isName(chunk) || namer.latin(chunk.replace(/[,;.!?)]+$/, '')) || !known) return [chunk];
    return [word, m[2] ?? ''];
  });
  for (let chunk of split) {
    if (!chunk) continue;
    // punctuation: clause separators and "=" / ":" / "->" stand alone
    const lead = /^[(["]+/.exec(chunk)?.[0] ?? '';
    chunk = chunk.slice(lead.length);
    let trail = '';
    const tm = /(?:[,;!?)\]"]|\.(?!\d))+$/.exec(chunk);
    if (tm && tm.index > 0) {
      trail = tm[0];
      chunk = chunk.slice(0, tm.index);
    } else if (tm && tm.index === 0) {
      out.push(tok(chunk, /[,;]/.test(chunk) ? ['sep'] : []));
      continue;
    }
    if (/^(?:->|=|:|&|\+|\/)$/.test(chunk)) out.push(tok(chunk, chunk === '&' || chunk === '+' ? ['sep'] : chunk === '/' ? [] : ['to']));
    else if (PARTICLES.includes(chunk) && out.length && !(out[out.length - 1] as Tok).tail && !hasSep(out[out.length - 1] as Tok)) (out[out.length - 1] as Tok).tail = chunk;
    else if (/^[가-힣]/.test(chunk)) {
      // "api는db에의존": spacing put the particle of the Latin word before it at the start of the Korean one
      const prevTok = out[out.length - 1];
      const lead = PARTICLES.find((p) => chunk.startsWith(p) && chunk.length > p.length && startsKnown(chunk.slice(p.length)));
      if (lead && prevTok && !prevTok.tail && !hasSep(prevTok) && /^[A-Za-z0-9]/.test(prevTok.raw) && !startsKnown(chunk)) {
        prevTok.tail = lead;
        hangulChunk(chunk.slice(lead.length), namer, out);
      } else hangulChunk(chunk, namer, out);
    }
    else {
      // "api:" (a name before a colon) or "3개로" (a number with a Korean counter and particle)
      const colon = /^([A-Za-z][\w.-]*):$/.exec(chunk);
      const korean = /^(\d+(?:\.\d+)?)([가-힣]+)$/.exec(chunk);
      // "2cores", "3replicas": a number glued to a word that is no unit
      const glued = /^(\d+(?:\.\d+)?)([a-z_]{2,})$/i.exec(chunk);
      const unitGlued = glued && !SIZE_UNIT.test(chunk) && !/^(ms|sec|secs|min|mins|hr|hrs)$/i.test(glued[2] ?? '') ? glued : null;
      if (colon) {
        latinChunk(colon[1] ?? '', [], namer, out);
        out.push(tok(':', ['to']));
      } else if (korean) koreanNumber(Number(korean[1]), korean[1] ?? '', korean[2] ?? '', namer, out);
      else if (/^.*[^가-힣][가-힣]+$/.test(chunk)) {
        // "postgres:17로", "high로": Korean after a value is its particle (or a word of its own)
        const at = chunk.search(/[가-힣]+$/);
        latinChunk(chunk.slice(0, at), quoted, namer, out);
        const korean2 = chunk.slice(at);
        if (PARTICLES.includes(korean2)) (out[out.length - 1] as Tok).tail = korean2;
        else hangulChunk(korean2, namer, out);
      }
      else if (unitGlued) {
        out.push(valTok(unitGlued[1] ?? '', { k: 'num', n: Number(unitGlued[1]), dotted: /\./.test(unitGlued[1] ?? ''), counter: undefined }));
        latinChunk(unitGlued[2] ?? '', quoted, namer, out);
      } else if (chunk.includes('/') && chunk.split('/').every((p) => namer.latin(p))) {
        // "web/api": a list of services
        chunk.split('/').forEach((p, k) => {
          if (k) out.push(tok('/', ['sep']));
          latinChunk(p, quoted, namer, out);
        });
      } else latinChunk(chunk, quoted, namer, out);
    }
    for (const p of trail) if (p === ',' || p === ';' || p === '.' || p === '!' || p === '?') out.push(tok(p, ['sep']));
  }
  return mergeUnits(out);
}

/** A number with Korean after it: a unit (2기가, 5초), a counter (3개, 80번, 2코어, 2배), then stems and a particle. */
function koreanNumber(n: number, digits: string, rest: string, namer: Namer, out: Tok[]): void {
  const size = /^(킬로바이트|메가바이트|기가바이트|테라바이트|킬로|메가|기가|테라)/.exec(rest);
  const dur = /^(밀리초|초|분|시간)/.exec(rest);
  const counter = COUNTERS.find((c) => rest.startsWith(c));
  let after = rest;
  if (size) {
    const bytes = parseMemory(`${digits}${size[1]}`);
    out.push(valTok(`${digits}${size[1]}`, bytes ? { k: 'size', bytes, minutes: undefined } : { k: 'bad', why: `"${digits}${size[1]}"` }));
    after = rest.slice(size[0].length);
  } else if (dur) {
    out.push(valTok(`${digits}${dur[1]}`, { k: 'dur', d: `${digits}${DUR_UNITS[dur[1] ?? '']}` }));
    after = rest.slice(dur[0].length);
  } else if (counter === '배') {
    out.push(valTok(`${digits}배`, { k: 'mult', factor: n }));
    after = rest.slice(1);
  } else if (counter) {
    const c = counter.replace(/의$/, '');
    out.push(valTok(`${digits}${c}`, { k: 'num', n, dotted: /\./.test(digits), counter: c }));
    if (c === '코어') (out[out.length - 1] as Tok).tags.add('cpu');
    after = rest.slice(counter.length);
  } else {
    out.push(valTok(digits, { k: 'num', n, dotted: /\./.test(digits), counter: undefined }));
  }
  if (!after) return;
  if (PARTICLES.includes(after)) (out[out.length - 1] as Tok).tail = after;
  else hangulChunk(after, namer, out);
}

/** "1 GB", "30 seconds", "5 times", "2 more", "up by 2": a number and the word after it make one value. */
function mergeUnits(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    const next = toks[i + 1];
    const v = t.val;
    // KEY="a quoted value"
    if (v?.k === 'env' && v.value === '' && next?.val?.k === 'quoted') {
      out.push(valTok(`${t.raw}${next.raw}`, { k: 'env', name: v.name, value: next.val.s }, next.tail ? { tail: next.tail } : {}));
      i++;
      continue;
    }
    // "half a gig", "half a GB": an amount (a multiple only with no unit after it: "cut it by half")
    const unitOfHalf = toks[i + 2];
    if (t.w === 'half' && !v && (next?.w === 'a' || next?.w === 'an') && unitOfHalf && SIZE_WORDS[unitOfHalf.w] && !unitOfHalf.svc) {
      const bytes = parseMemory(`0.5${SIZE_WORDS[unitOfHalf.w]}`);
      if (bytes) {
        out.push(valTok(`${t.raw} ${next.raw} ${unitOfHalf.raw}`, { k: 'size', bytes, minutes: undefined }, unitOfHalf.tail ? { tail: unitOfHalf.tail } : {}));
        i += 2;
        continue;
      }
    }
    // "another gig", "2 more GB": a relative size
    const unitAfter = toks[i + 2];
    if (v?.k === 'num' && !v.counter && next && (next.tags.has('more') || next.tags.has('less')) && unitAfter && SIZE_WORDS[unitAfter.w] && !unitAfter.svc) {
      const bytes = parseMemory(`${v.n}${SIZE_WORDS[unitAfter.w]}`);
      if (bytes) {
        out.push(valTok(`${t.raw} ${next.raw} ${unitAfter.raw}`, { k: 'rel', sign: next.tags.has('less') ? -1 : 1, of: { k: 'size', bytes, minutes: undefined } }, unitAfter.tail ? { tail: unitAfter.tail } : {}));
        i += 2;
        continue;
      }
    }
    if (v?.k === 'num' && !v.counter && next && !next.val) {
      const unit = SIZE_WORDS[next.w];
      if (unit && !next.svc) {
        const bytes = parseMemory(`${v.n}${unit}`);
        if (bytes) {
          out.push(valTok(`${t.raw} ${next.raw}`, { k: 'size', bytes, minutes: undefined }, next.tail ? { tail: next.tail } : {}));
          i++;
          continue;
        }
      }
      const dur = DUR_UNITS[next.w];
      if (dur && dur !== 'm' && !next.svc && next.w !== 's') {
        out.push(valTok(`${t.raw} ${next.raw}`, { k: 'dur', d: `${v.n}${dur}` }, next.tail ? { tail: next.tail } : {}));
        i++;
        continue;
      }
      if (next.w === 'm' || next.w === 'min' || next.w === 'mins' || next.w === 'minute' || next.w === 'minutes') {
        out.push(valTok(`${t.raw} ${next.raw}`, { k: 'dur', d: `${v.n}m` }));
        i++;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}
