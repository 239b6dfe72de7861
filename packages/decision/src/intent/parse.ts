import type { IntentOperation } from './operations.js';
import { IntentError } from './operations.js';
import { numberWord, parseMemory } from './units.js';

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
}

const INJECTION =
  /\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rules|prompts?|guardrails|polic(y|ies)|constraints)\b|^\s*(system|assistant)\s*:|system prompt|you are now|developer mode|jailbreak|act as (an? )?(admin|root)|(이전|앞의?|위의?)\s*(지시|명령|지침|규칙).{0,10}무시|(지시|지침|규칙)[은는을를]?.{0,6}무시|시스템 프롬프트/i;
const OUT_OF_SCOPE =
  /\b(delete|drop|wipe|destroy|format|prune|truncate)\b|\brm\s+-|\b(run|execute|exec)\b.*\b(shell|command|script|bash|sh)\b|\b(npm|yarn|pnpm|pip|python|node|bash|sh|psql|mysql|redis-cli|curl)\s+\S+|\bshell\b|\bvolumes?\b.*\b(remove|delete)\b|\b(remove|delete)\b.*\bvolumes?\b|\bssh\b|\bsudo\b|삭제|지워|없애|명령(어)?(을|를)? ?실행|들어가서|돌려줘|쉘|셸|볼륨/i;

/** Split a request into clauses, in order: "and", commas, semicolons, Korean connectives (-고, 그리고, 하고). */
function clauses(text: string): string[] {
  return text
    .replace(/([가-힣])고\s+/g, '$1고 ;; ')
    .split(/\s*;;\s*|\s*(?:,|;|\band\b|\bthen\b|\balso\b|그리고|하고|및)\s*/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** How Korean writers spell common service names: matched to a service of that name when the file has one. */
const HANGUL_NAMES: Record<string, string[]> = {
  웹: ['web', 'www'], 워커: ['worker', 'workers'], 캐시: ['cache'], 캐쉬: ['cache'], 디비: ['db', 'database'], 데이터베이스: ['db', 'database'],
  레디스: ['redis'], 포스트그레스: ['postgres', 'postgresql'], 엔진엑스: ['nginx'], 프론트: ['frontend', 'front', 'web'], 프론트엔드: ['frontend'],
  백엔드: ['backend', 'api'], 에이피아이: ['api'], 스케줄러: ['scheduler'], 큐: ['queue'], 프록시: ['proxy'], 게이트웨이: ['gateway'], 몽고: ['mongo', 'mongodb'],
};

const PARTICLES = /(?:서버|서비스|컨테이너|service|server|container)?(?:의|를|을|는|은|이|가|에|에서|도|로|으로)?$/;

/** Edit distance with adjacent transpositions (a typo like "wroker" is one edit from "worker"). */
function editDistance(a: string, b: string): number {
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

// words after a verb that are not service names
const NOT_A_NAME = new Set(['to', 'up', 'down', 'it', 'the', 'all', 'everything', 'memory', 'cpu', 'cpus', 'env', 'image', 'port', 'policy', 'restart', 'replicas', 'out', 'in', 'a', 'an', 'more', 'less', 'version', 'each', 'every', 'this', 'that', 'my', 'our', 'its', 'one', 'two', 'some', 'them', 'by', 'at']);

/** Services a clause names: exact names (case-insensitive, Korean particles and "서버/service" stripped), then one typo. */
function servicesIn(clause: string, names: readonly string[]): { found: string[]; unknown: string | undefined } {
  const words = clause.split(/[\s,.!?"'():]+/).filter(Boolean);
  const found: string[] = [];
  for (const raw of words) {
    const w = raw.toLowerCase().replace(PARTICLES, '');
    if (!w) continue;
    const exact = names.find((n) => n.toLowerCase() === w) ?? (HANGUL_NAMES[w] ?? []).map((h) => names.find((n) => n.toLowerCase() === h)).find(Boolean);
    if (exact) found.push(exact);
  }
  if (!found.length) {
    for (const raw of words) {
      const w = raw.toLowerCase().replace(PARTICLES, '');
      if (w.length < 4) continue;
      const close = names.filter((n) => n.length >= 4 && editDistance(n.toLowerCase(), w) === 1);
      if (close.length === 1 && close[0]) found.push(close[0]);
    }
  }
  // "the foo service" / "foo 서버" naming a service that is not there
  const named =
    /\b([a-z][\w-]*)\s+(?:service|server|container)\b|([a-z][\w-]*)\s*(?:서버|서비스|컨테이너)/i.exec(clause) ??
    /\b(?:scale|restart|deploy|update|redeploy|give|cap|limit|raise|bump)\s+(?:the\s+)?([a-z][\w-]*)/i.exec(clause);
  const candidateRaw = named ? (named[1] ?? named[2] ?? named[3] ?? '').toLowerCase() : undefined;
  const candidate = candidateRaw && !NOT_A_NAME.has(candidateRaw) ? candidateRaw : undefined;
  const unknown = !found.length && candidate && !names.some((n) => n.toLowerCase() === candidate) ? candidate : undefined;
  return { found: [...new Set(found)], unknown };
}

const SIZE = /(\d+(?:\.\d+)?)\s*(kib|mib|gib|tib|kb|mb|gb|tb|k|m|g|t|킬로|메가|기가|테라)(?:바이트)?(?![a-z])/i;

function opsOf(clause: string, service: string, now: ServiceNow | undefined): IntentOperation[] {
  const c = clause.toLowerCase();
  const ops: IntentOperation[] = [];
  const memory = /memory|\bmem\b|\bram\b|메모리|램|\bcap\b.*\d\s*[kmgt]i?b?\b/.test(c);
  const cpu = /\bcpus?\b|\bcores?\b|코어|씨피유|프로세서/.test(c);
  const size = SIZE.exec(clause);
  // a value being set in an env var is not a memory setting ("JAVA_OPTS to -Xmx512m")
  const envAssignment = /[A-Z_][A-Z0-9_]{1,}\s*(?:=|\bto\b)/.test(clause);
  if (memory && size && !envAssignment) {
    const bytes = parseMemory(`${size[1]}${size[2]}`);
    if (bytes) ops.push(/reserv|예약|최소/.test(c) ? { op: 'set_memory_reservation', service, bytes } : { op: 'set_memory_limit', service, bytes });
  }
  if (cpu) {
    const n = /(\d+(?:\.\d+)?)\s*(?:cpus?|cores?|코어|개의? ?(?:cpu|코어))/i.exec(clause) ?? /(?:cpus?|cores?|코어)\D{0,12}?(\d+(?:\.\d+)?)/i.exec(clause);
    if (n?.[1]) ops.push({ op: 'set_cpu_limit', service, cpus: Number(n[1]) });
  }
  const scaleWord = /\bscale\b|replica|instance|copies|\bcopy\b|늘려|늘리|줄여|줄이|개로|대로|개 ?(?:로|까지)|복제|인스턴스|레플리카|more|less|fewer|another|down by|up by|추가|더/.test(c);
  if (scaleWord && !memory && !cpu) {
    const to = /(?:to|=)\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|(\d+)\s*(?:replicas?|instances?|copies|개|대)|([가-힣]+)\s*(?:개|대)로/i.exec(clause);
    const rel =
      /\b(one|two|three|four|five|\d+)?\s*(more|less|fewer)\b|\b(?:up|down) by (one|two|three|four|five|\d+)\b|([가-힣]+|\d+)\s*(?:개|대)?\s*(?:더\s*)?(늘려|늘리|추가|줄여|줄이|빼)|another|add (one|a) (replica|instance)/i.exec(clause);
    if (to) {
      const v = numberWord(to[1] ?? to[2] ?? to[3] ?? '');
      if (v !== undefined) ops.push({ op: 'set_replicas', service, value: v });
    } else if (rel && now && (rel[4] === undefined || numberWord(rel[4]) !== undefined)) {
      const word = rel[1] ?? rel[3] ?? rel[4] ?? 'one';
      const n = numberWord(word) ?? 1;
      const down = /less|fewer|down by|줄|빼/.test(rel[0]);
      ops.push({ op: 'set_replicas', service, value: Math.max(0, now.replicas + (down ? -n : n)) });
    } else {
      const n = /(\d+)/.exec(clause);
      if (n?.[1] && /scale|늘려|늘리|줄여|줄이/.test(c)) ops.push({ op: 'set_replicas', service, value: Number(n[1]) });
    }
  }
  const unset = /(?:unset|remove|drop|delete|clear)\s+(?:the\s+)?(?:env(?:ironment)?(?:\s+var(?:iable)?)?\s+)?([A-Z_][A-Z0-9_]*)\b|([A-Z_][A-Z0-9_]{2,})\s*(?:환경 ?변수)?\s*(?:를|을)?\s*(?:제거|빼|지우)/.exec(clause);
  const setEnv = /([A-Z_][A-Z0-9_]{1,})\s*(?:=|\bto\b|을|를)\s*(?:"([^"]*)"|'([^']*)'|([^\s"',]+))/.exec(clause);
  if (unset && (unset[1] ?? unset[2])) ops.push({ op: 'unset_env', service, name: (unset[1] ?? unset[2]) as string });
  else if (setEnv?.[1] && /\benv|environment|variable|set\b|환경 ?변수|설정|=/.test(clause) && !/^(CPU|RAM|MB|GB)$/.test(setEnv[1])) {
    const value = setEnv[2] ?? setEnv[3] ?? (setEnv[4] ?? '').replace(/(으)?로$/, '');
    ops.push({ op: 'set_env', service, name: setEnv[1], value });
  }
  const image = /(?:image|이미지|deploy|version|버전)\D*?([\w./-]+:[\w.-]+)/i.exec(clause) ?? /(?:to|으로|로)\s+([\w./-]+:[\w.-]+)/i.exec(clause);
  if (image?.[1]) ops.push({ op: 'set_image', service, image: image[1] });
  else {
    const version = /(?:version|버전|tag|태그)\s*v?(\d+[\w.-]*)|v(\d+(?:\.\d+)+)\b/i.exec(clause);
    if (version && now?.image) ops.push({ op: 'set_image', service, image: `${now.image.replace(/:[^:/]+$/, '')}:${version[1] ?? version[2]}` });
  }
  const port =
    /(?:expose|publish|open|add|map|열어|추가)\D{0,10}?(?:port\s*)?(\d+)(?::(\d+))?(?:\/(udp|sctp|tcp))?|port\s*(\d+)(?::(\d+))?(?:\/(udp|sctp|tcp))?\s*(?:열|추가|공개)|(?:포트\s*)?(\d+)(?::(\d+))?\s*(?:번)?\s*(?:포트)?\s*(?:매핑)?\s*(?:을|를)?\s*(?:열|추가|공개)/i.exec(clause);
  const closePort = /(?:close|unpublish|remove|drop|stop publishing)\D{0,10}?port\s*(\d+)|(?:포트\s*)?(\d+)\s*(?:번)?\s*포트.*(?:닫|제거|빼|안\s*하)/i.exec(clause);
  if (closePort) ops.push({ op: 'remove_port', service, published: Number(closePort[1] ?? closePort[2]) });
  else if (port) {
    const published = Number(port[1] ?? port[4] ?? port[7]);
    // "host port 6380 to container port 6379"
    const mapped = /port\s*\d+\s+(?:to|->|→)\s+(?:the\s+)?(?:container(?:'s)?\s+)?port\s*(\d+)/i.exec(clause);
    const target = Number(mapped?.[1] ?? port[2] ?? port[5] ?? port[8] ?? published);
    const proto = (port[3] ?? port[6])?.toLowerCase();
    if (/port|포트|\/(udp|tcp|sctp)|expose|publish|:\d/.test(port[0])) ops.push({ op: 'add_port', service, published, target, ...(proto && proto !== 'tcp' ? { protocol: proto as 'udp' | 'sctp' } : {}) });
  }
  const restart = /restart(?:\s+policy)?.*?\bto\s+(always|unless-stopped|on-failure|no|never)\b/i.exec(clause) ?? /restart(?:\s+policy)?(?:\s+(?:of|for)\s+[\w-]+)?\s+(?:=\s*)?(always|unless-stopped|on-failure|no|never)\b/i.exec(clause) ?? (/항상 재시작|재시작.*항상/.test(clause) ? ['', 'always'] : /재시작\s*(?:안|하지 ?마|끄)/.test(clause) ? ['', 'no'] : null);
  if (restart?.[1]) ops.push({ op: 'set_restart', service, policy: (restart[1] === 'never' ? 'no' : restart[1]) as 'no' | 'always' | 'on-failure' | 'unless-stopped' });
  const hc = /health ?check|헬스 ?체크|\bhealth\b|\bprobe\b/.test(c);
  if (hc) {
    const interval = /interval\D{0,6}(\d+\s*(?:ms|s|m|h))|(\d+)\s*초\s*마다|every\s+(\d+\s*(?:ms|s|m|h))/i.exec(clause);
    const retries = /(\d+)\s*(?:retries|times|failed checks|failures|번)/i.exec(clause);
    const command = /`([^`]+)`/.exec(clause);
    const timeout = /time ?out\D{0,10}(\d+\s*(?:ms|s|m))\b|(\d+)\s*초\s*(?:타임아웃|안에)/i.exec(clause);
    const iv = interval ? (interval[1] ?? (interval[2] ? `${interval[2]}s` : interval[3]))?.replace(/\s+/g, '') : undefined;
    const op: IntentOperation = {
      op: 'set_healthcheck',
      service,
      ...(command?.[1] ? { test: ['CMD', ...command[1].trim().split(/\s+/)] } : {}),
      ...(iv ? { interval: iv } : {}),
      ...(timeout?.[1] || timeout?.[2] ? { timeout: timeout[1] ? timeout[1].replace(/\s+/g, '') : `${timeout[2]}s` } : {}),
      ...(retries?.[1] ? { retries: Number(retries[1]) } : {}),
    };
    if (Object.keys(op).length > 2) ops.push(op);
  }
  return ops;
}

/**
 * The deterministic intent parser (English and Korean, offline): clauses in order, the service each names (carried
 * over to the clauses after it), the operations each says. Refuses injections and requests outside the vocabulary
 * before anything else; says when a service is unknown, when a request is ambiguous or contradicts itself, and when
 * it would change nothing.
 */
export function parseIntent(text: string, services: Record<string, ServiceNow>): IntentOperation[] {
  const names = Object.keys(services);
  if (INJECTION.test(text)) throw new IntentError('injection', 'the request tries to instruct bcon instead of describing a change; nothing was done');
  const deps =
    /\b([a-z][\w-]*)\s+(?:should\s+|has to\s+|must\s+|needs to\s+)?(?:(?:no longer|not|does not|doesn't|should not|shouldn't|must not)\s+)?(?:depends?|wait)\s+(?:on|for)\s+([a-z][\w-]*)|([a-z][\w-]*)\s*(?:가|이)\s*([a-z][\w-]*)\s*(?:에|을|를)\s*(?:의존|기다)|([a-z][\w-]*)\s*에서\s*([a-z][\w-]*)\s*(?:에 ?대한 ?)?의존(?:성|관계)?\s*(?:을|를)?\s*(?:제거|빼|없애|끊)/i;
  if (OUT_OF_SCOPE.test(text) && !/\b(unset|remove|drop|delete|clear)\s+(?:the\s+)?(?:env|environment|port|[A-Z_][A-Z0-9_]*\b)/.test(text)) {
    throw new IntentError('out_of_scope', 'bcon can scale, set limits, env, image, ports, restart policy, healthcheck and dependencies; deleting data or running commands is out of scope');
  }
  const ops: IntentOperation[] = [];
  let current: string | undefined;
  let lastVerb: string | undefined;
  for (const clause of clauses(text)) {
    const dep = deps.exec(clause);
    if (dep) {
      const fromName = dep[1] ?? dep[3] ?? dep[5] ?? '';
      const toName = dep[2] ?? dep[4] ?? dep[6] ?? '';
      const from = names.find((n) => n.toLowerCase() === fromName.toLowerCase());
      const to = names.find((n) => n.toLowerCase() === toName.toLowerCase());
      if (!from || !to) throw new IntentError('unknown_service', `no service named "${!from ? fromName : toName}"; the file has: ${names.join(', ')}`);
      ops.push(/\bnot\b|no longer|stop|안|않|제거|빼|없애|끊/.test(clause) ? { op: 'remove_dependency', service: from, depends_on: to } : { op: 'add_dependency', service: from, depends_on: to });
      current = from;
      continue;
    }
    const { found, unknown } = servicesIn(clause, names);
    if (found.length > 1) throw new IntentError('ambiguous', `"${clause}" names several services (${found.join(', ')}): say one change per service`);
    if (unknown) throw new IntentError('unknown_service', `no service named "${unknown}"; the file has: ${names.join(', ')}`);
    const service = found[0] ?? current ?? (names.length === 1 ? names[0] : undefined);
    let clauseOps = service ? opsOf(clause, service, services[service]) : [];
    const last = ops[ops.length - 1];
    if (service && !clauseOps.length && last) {
      // "…, time out after 5s, and 5 retries": more of the healthcheck before it
      if (last.op === 'set_healthcheck' && last.service === service) {
        const more = opsOf(`healthcheck ${clause}`, service, services[service]).find((o) => o.op === 'set_healthcheck');
        if (more) {
          Object.assign(last, { ...more, ...last, ...Object.fromEntries(Object.entries(more).filter(([k]) => !(k in last))) });
          continue;
        }
      }
      // "scale api to 2 and worker to 3": the verb of the clause before carries over
      if (lastVerb) clauseOps = opsOf(`${lastVerb} ${clause}`, service, services[service]);
    }
    if (clauseOps.length) lastVerb = clause.split(/\s+/)[0]?.toLowerCase() ?? lastVerb;
    if (!service && opsOf(clause, names[0] ?? 'x', undefined).length) throw new IntentError('ambiguous', `which service? the file has: ${names.join(', ')}`);
    ops.push(...clauseOps);
    if (found[0]) current = found[0];
  }
  if (!ops.length) throw new IntentError('ambiguous', `no change bcon can make was understood in "${text}" (it can scale, set memory/CPU limits, env, image, ports, restart policy, healthcheck, dependencies)`);
  // the same setting twice with different values
  const seen = new Map<string, string>();
  for (const op of ops) {
    const key = `${op.op}:${op.service}:${'name' in op ? op.name : 'published' in op ? op.published : ''}`;
    const value = JSON.stringify(op);
    if (seen.has(key) && seen.get(key) !== value) throw new IntentError('contradictory', `the request sets ${op.op.replace(/^set_|^add_|^remove_/, '')} of ${op.service} twice, differently`);
    seen.set(key, value);
  }
  const unique = [...new Map(ops.map((o) => [JSON.stringify(o), o])).values()];
  if (unique.every((o) => unchanged(o, services[o.service]))) throw new IntentError('no_change', 'the file already says that: nothing to change');
  return unique;
}

function unchanged(op: IntentOperation, now: ServiceNow | undefined): boolean {
  if (!now) return false;
  switch (op.op) {
    case 'set_replicas':
      return now.replicas === op.value;
    case 'set_memory_limit':
      return now.memoryBytes === op.bytes;
    case 'set_memory_reservation':
      return now.memoryReservationBytes === op.bytes;
    case 'set_cpu_limit':
      return now.cpus === op.cpus;
    case 'set_env':
      return now.environment[op.name] === op.value;
    case 'unset_env':
      return !(op.name in now.environment);
    case 'set_image':
      return now.image === op.image;
    case 'set_restart':
      return now.restart === op.policy;
    case 'add_dependency':
      return now.dependsOn.includes(op.depends_on);
    case 'remove_dependency':
      return !now.dependsOn.includes(op.depends_on);
    case 'add_port':
      return now.published.includes(op.published);
    case 'remove_port':
      return !now.published.includes(op.published);
    default:
      return false;
  }
}
