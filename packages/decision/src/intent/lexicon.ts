/**
 * The intent parser's vocabulary: what each word can mean (its tags), in English and Korean. A tag says which
 * setting a word is about (an attribute cue), how a value relates to it (to, by, more, from) or that a word is
 * filler. Nothing here names a sentence: every entry is one word (or one stem, for Korean) and what it is about.
 */
export type Tag =
  // attribute cues
  | 'replicas' // scale, replicas, instances, copies, 레플리카
  | 'container' // "containers": a count of them is replicas, a limit on each is not
  | 'memory'
  | 'reserve' // a memory reservation rather than a limit
  | 'limit' // limit / cap / max: goes with memory or CPU
  | 'cpu'
  | 'image' // image / version / tag: any number after it is a version
  | 'vverb' // upgrade / downgrade / pin / roll back: a version change
  | 'wverb' // update / bump / move / switch / 올려: a version only when a dotted version follows and nothing else is named
  | 'port'
  | 'padd' // expose / publish / open / map
  | 'prm' // close / unpublish
  | 'hostside' // host / published / external: the published half of a mapping
  | 'ctrside' // container / target / internal: the target half
  | 'proto' // udp / tcp / sctp
  | 'restart'
  | 'policy' // "policy" (restart policy)
  | 'pword' // always / never / no / 항상: a restart policy only next to a restart cue
  | 'auto' // automatically / 자동: a restart policy, not a restart now
  | 'hc' // healthcheck / probe
  | 'hint' // interval / every / 마다
  | 'htimeout'
  | 'hretries'
  | 'htest' // test / command
  | 'hstart' // start period: not an operation bcon has
  | 'env'
  | 'unset' // unset: only env
  | 'dep' // depend(s/ing/ency) / 의존
  | 'depweak' // needs / requires / wait for / after / 기다리: a dependency only when a service follows
  | 'depbefore' // before / 먼저: the dependency runs the other way
  // value relations and verbs
  | 'add' // add / 추가 / 넣: adds whatever the clause is about
  | 'remove' // remove / drop / delete / 제거 / 빼: removes whatever the clause is about
  | 'neg'
  | 'up'
  | 'down'
  | 'more' // more / extra / 더
  | 'less' // fewer / less
  | 'by'
  | 'to'
  | 'from'
  | 'mult' // double / twice / half
  | 'times' // "N times": a multiplier before "the/as", else a retry count
  | 'too' // too / as well / 도
  | 'or'
  | 'pron' // it / its / them
  | 'every' // all / every / 모든: not one service
  | 'sep' // list or clause separator
  | 'action' // stop / start / kill / 재시작해: an action now, not a change to the file
  | 'cond' // if / when / at least / at most: a condition or a bound, not a value
  | 'foreign' // dns / network / volume / labels / entrypoint / 네트워크: a compose setting bcon does not edit (out of scope)
  | 'fix' // actually / I mean / 아니: the request corrects itself
  | 'except' // except / excluding / 제외: the services after it are left out
  | 'keep' // alone / untouched / as is / 그대로: what the clause names is to stay as it is
  | 'filler';

const EN: Record<string, Tag[]> = {};
const def = (tags: Tag[], ...words: string[]) => {
  for (const w of words) EN[w] = [...(EN[w] ?? []), ...tags];
};
def(['replicas'], 'scale', 'scaled', 'scaling', 'replica', 'replicas', 'instance', 'instances', 'copy', 'copies', 'pod', 'pods', 'node', 'nodes', 'replication', 'horizontally');
def(['container', 'ctrside'], 'container', 'containers');
def(['memory'], 'memory', 'mem', 'ram', 'mem_limit', 'memory_limit', 'heap');
def(['reserve'], 'floor', 'reserve', 'reserved', 'reservation', 'reservations', 'soft', 'mem_reservation', 'memory_reservation', 'guarantee', 'guaranteed', 'request', 'requests');
def(['limit'], 'limit', 'limits', 'cap', 'capped', 'max', 'maximum', 'ceiling', 'hard', 'throttle', 'throttled', 'constrain', 'restrict');
def(['cpu'], 'cpu', 'cpus', 'vcpu', 'vcpus', 'core', 'cores', 'processor', 'processors', 'cpu_limit', 'nano_cpus');
def(['image'], 'image', 'images', 'version', 'versions', 'tag', 'tags', 'release');
def(['vverb'], 'upgrade', 'upgraded', 'downgrade', 'downgraded', 'pin', 'pinned', 'lock', 'locked', 'rollback', 'revert', 'reverted', 'roll');
def(['wverb'], 'update', 'updated', 'bump', 'bumped', 'move', 'moved', 'switch', 'switched', 'deploy', 'deployed', 'redeploy', 'change', 'changed', 'go', 'use', 'run', 'ship');
def(['port'], 'port', 'ports');
def(['padd'], 'expose', 'exposed', 'publish', 'open', 'opened', 'map', 'mapped', 'forward', 'forwarded', 'bind', 'listen');
def(['prm'], 'close', 'closed', 'unpublish', 'unexpose', 'unmap');
def(['hostside'], 'host', 'published', 'external', 'outside', 'public');
def(['ctrside'], 'target', 'internal', 'inside');
def(['proto'], 'udp', 'tcp', 'sctp');
def(['restart'], 'restart', 'restarts', 'restarting', 'restarted', 'restart_policy');
def(['policy'], 'policy');
def(['pword'], 'always', 'never', 'no', 'none');
def(['auto'], 'automatically', 'auto');
def(['hc'], 'healthcheck', 'healthchecks', 'health', 'probe', 'probes', 'probing', 'liveness', 'readiness');
def(['hint'], 'interval', 'every', 'frequency');
def(['htimeout'], 'timeout', 'timeouts', 'within');
def(['hretries'], 'retries', 'retry', 'retrying', 'attempts', 'attempt', 'tries', 'failures', 'fails', 'failed', 'checks', 'check');
def(['htest'], 'test', 'command', 'cmd');
def(['hstart'], 'start_period', 'grace');
def(['env'], 'env', 'environment', 'variable', 'variables', 'var', 'vars', 'envvar', 'envvars');
def(['unset'], 'unset');
def(['dep'], 'depend', 'depends', 'depending', 'dependency', 'dependencies', 'depends_on', 'dependent');
def(['depweak'], 'need', 'needs', 'needing', 'require', 'requires', 'requiring', 'waitfor', 'after');
def(['depbefore'], 'before');
def(['add'], 'add', 'added', 'adding', 'put', 'insert');
def(['remove', 'neg'], 'without');
def(['remove'], 'remove', 'removed', 'drop', 'dropped', 'delete', 'deleted', 'clear', 'cleared', 'rid');
def(['neg'], 'disable', 'disabled', 'not', "n't", "don't", 'dont', "doesn't", 'doesnt', "shouldn't", "mustn't", "won't", "isn't", 'nolonger', 'stop', 'stopped', 'quit', 'cease');
def(['up'], 'increase', 'increased', 'raise', 'raised', 'grow', 'up', 'out', 'boost', 'higher', 'bigger', 'larger', 'spin', 'bump', 'add');
def(['down'], 'decrease', 'decreased', 'lower', 'lowered', 'reduce', 'reduced', 'cut', 'shrink', 'down', 'trim', 'smaller', 'take');
def(['more'], 'more', 'extra', 'additional');
def(['less'], 'fewer', 'less');
def(['by'], 'by');
def(['to'], 'to', '=', 'at', '->', 'into', 'as', ':', 'is', 'be', 'are', 'of');
def(['from'], 'from');
def(['mult'], 'double', 'twice', 'triple', 'thrice', 'quadruple', 'half', 'halve', 'halved', 'doubled', 'tripled');
def(['times'], 'times');
def(['too'], 'too', 'aswell', 'likewise', 'also', 'same');
def(['or'], 'or', 'either');
def(['pron'], 'it', 'its', 'them', 'their', 'they', 'itself', 'that', 'this', 'those', 'these');
def(['every'], 'all', 'every', 'everything', 'each', 'both', 'everyone', 'whole');
def(['sep'], 'and', 'then', 'but', 'plus', '&', '+', ',', ';', 'afterwards');
def(['cond'], 'if', 'whenever', 'unless', 'atleast', 'atmost', 'between', 'tomorrow', 'tonight', 'weekend', 'weekends', 'weekday', 'weekdays', 'midnight', 'overnight');
def(['except'], 'except', 'excluding', 'besides', 'exceptfor');
def(
  ['foreign'],
  'dns', 'dns_search', 'dns_opt', 'network', 'networks', 'networking', 'network_mode', 'subnet', 'ip', 'ipv4', 'ipv6', 'ipv4_address', 'ipv6_address',
  'mac_address', 'hostname', 'domainname', 'extra_hosts', 'links', 'external_links', 'volume', 'volumes', 'mount', 'mounts', 'mounted', 'bind_mount', 'tmpfs',
  'build', 'dockerfile', 'logging', 'log_driver', 'log_opt', 'label', 'labels', 'labeled', 'labelled', 'entrypoint', 'user', 'uid', 'gid', 'privileged',
  'cap_add', 'cap_drop', 'capability', 'capabilities', 'device', 'devices', 'gpu', 'gpus', 'working_dir', 'workdir', 'ulimit', 'ulimits', 'sysctl', 'sysctls',
  'secret', 'secrets', 'profile', 'profiles', 'platform', 'init', 'stop_signal', 'stop_grace_period', 'shm_size', 'ipc', 'pid', 'pids_limit', 'runtime', 'swap',
  'memswap_limit', 'disk', 'disks', 'diskspace', 'filesystem', 'readonly', 'read_only', 'cpu_quota', 'cpu_period', 'cpuset', 'cpu_shares', 'oom_score_adj', 'oom_kill_disable', 'timezone', 'container_name', 'rename', 'renamed', 'renaming', 'alias', 'aliases', 'security_opt', 'isolation',
);
def(['fix'], 'actually', 'sorry', 'oops', 'correction', 'scratch');
def(['keep'], 'alone', 'untouched', 'unchanged', 'as-is', 'asis', 'intact');
def(['action'], 'start', 'kill', 'reboot', 'pause', 'unpause', 'bounce', 'recreate', 'exec', 'shutdown');
def(
  ['filler'],
  'the', 'a', 'an', 'for', 'on', 'in', 'with', 'should', 'must', 'please', 'pls', 'set', 'give', 'make', 'let', 'allow', 'have', 'has', 'get',
  'now', 'just', 'only', 'per', 'value', 'values', 'so', 'can', 'could', 'would', 'will', 'shall', 'total', 'of', 'about', 'around', 'exactly',
  'same', 'new', 'current', 'currently', 'service', 'services', 'server', 'servers', 'app', 'application', 'apps', 'stack', 'project', 'cluster',
  'system', 'thing', 'things', 'setting', 'settings', 'config', 'configure', 'configured', 'configuration', 'want', 'need', 'like', 'i', 'we',
  'you', 'me', 'us', 'my', 'our', 'your', 'there', 'here', 'way', 'again', 'instead', 'keep', 'kept', 'assign', 'allocate', 'allot', 'apply',
  'running', 'run', 'up', 'over', 'under', 'each', 'one', 'mode', 'right', 'okay', 'ok', 'hey', 'kindly', 'quickly', 'asap', 'immediately',
  'soon', 'today', 'anymore', 'any', 'longer', 'some', 'least', 'most', 'which', 'what', 'where', 'who', 'whose', 'too', 'do', 'does', 'did',
  'sure', 'ensure', 'let’s', "let's", 'lets', 'fine', 'good', 'bit', 'little', 'lot', 'slightly', 'big', 'small', 'level', 'amount', 'size',
  'count', 'number', 'numbers', 'total', 'overall', 'settings', 'give', 'given', 'spec', 'specify', 'define', 'defined', 'declare', 'declared',
  'when', 'then', 'once', 'until', 'while', 'ready', 'healthy', 'alive', 'starts', 'started', 'starting', 'comes', 'come', 'came',
  'first', 'being', 'been', 'was', 'were', 'am', 'only', 'via', 'using', 'through', 'also', 'both', 'limit',
);

/** The tags of an English (or Latin-script) word, lowercased; empty when it is not in the vocabulary. */
export function enTags(word: string): Tag[] {
  return EN[word] ?? [];
}

/**
 * The tags of a word one typo away from exactly one attribute word of five letters or more ("memroy", "replcias",
 * "helthcheck"); none for anything else, so a typo never turns into a word it is equally close to.
 */
export function typoTags(word: string, distance: (a: string, b: string) => number): Tag[] {
  if (word.length < 5 || !/^[a-z_]+$/.test(word) || word in EN || COMMON.has(word)) return [];
  const hits = Object.keys(EN).filter((w) => w.length >= 5 && !(EN[w] ?? []).includes('filler') && distance(w, word) === 1);
  const tagSets = new Set(hits.map((w) => JSON.stringify(EN[w])));
  return tagSets.size === 1 ? (EN[hits[0] as string] ?? []) : [];
}

/** Words that are in the vocabulary: never a service name, a fuzzy match of one, or an environment key. */
export function isVocabulary(word: string): boolean {
  // a compose setting bcon does not edit ("user", "build", "network") may still be part of a service's name
  // ("user-api"): only where no service is called so is it that setting
  const tags = EN[word];
  if (tags && tags.every((g) => g === 'foreign')) return COMMON.has(word);
  return word in EN || COMMON.has(word);
}

/** Common English words a service name could be one edit from ("main" / "mail"): never a fuzzy service mention. */
const COMMON = new Set(
  `about above after again against also always another any anyone anything around back because been before behind below best better between
  both bring build call came cannot case cause change check clean close come could data date days does done down each easy else even ever every
  fast fine first five four free from full gave give goes going gone good great half hand hard have here high hold home hour idea into just
  keep kind know last late left less like line list little live long look lose loss made main make many mark mass mean mind more most move
  much must name near need never next nice none note once only open over part past plan play please plus port post push rate read real rest
  right role room rule runs safe said same save seen self send sent show side sign size slow some soon stay step stop such sure take talk
  task team tell test than that them then they thin this time told took tool turn type unit upon used user very wait walk want warm week
  well went were what when whom wide will with word work year your zero spin swap cash catch cached caches worked works
  apply level lower upper image tags node nodes pods logs load loads mode host hosts path paths file files`.split(/\s+/).filter(Boolean),
);

/**
 * Korean stems: a Korean word is cut into these (longest first, each starting where the one before ended), so glued
 * words read the same as spaced ones ("웹레플리카2개" → 웹 · 레플리카 · 2개). Verbs are listed by stem, endings follow.
 */
const KO: Array<[string, Tag[]]> = [];
const ko = (tags: Tag[], ...stems: string[]) => {
  for (const s of stems) KO.push([s, tags]);
};
ko(['replicas'], '레플리카', '리플리카', '레플리케이션', '인스턴스', '복제본', '복제', '개수', '대수', '스케일', '스케일링');
ko(['container', 'ctrside'], '컨테이너');
ko(['memory'], '메모리', '램', '힙');
ko(['reserve'], '예약', '보장', '최소', '리저베이션', '리저브');
ko(['limit'], '제한', '최대', '상한', '한도', '리밋', '리미트', '캡');
ko(['cpu'], '코어', '씨피유', '시피유', '프로세서');
ko(['image'], '이미지', '버전', '태그');
ko(['vverb'], '업그레이드', '다운그레이드', '롤백', '되돌려', '되돌리', '고정');
ko(['wverb'], '업데이트', '올려', '올리', '올린', '내려', '내리', '내린', '바꿔', '바꾸', '바꿀', '바뀌', '변경', '배포', '교체');
ko(['up'], '올려', '올리', '올린', '높여', '높이');
ko(['down'], '내려', '내리', '내린', '낮춰', '낮추');
ko(['port'], '포트');
ko(['padd'], '열어', '열고', '열기', '열어줘', '열려', '공개', '노출', '매핑', '포워딩', '개방', '퍼블리시', '퍼블리쉬', '바인딩');
ko(['prm'], '닫아', '닫고', '닫기', '닫아줘', '막아', '막고', '차단');
ko(['hostside'], '호스트', '외부');
ko(['ctrside'], '내부');
ko(['restart'], '재시작', '재기동', '리스타트', '재실행');
ko(['policy'], '정책');
ko(['pword'], '항상', '언제나', '무조건');
ko(['auto'], '자동', '자동으로');
ko(['hc'], '헬스체크', '헬스', '상태체크', '상태검사', '상태확인', '헬스첵');
ko(['hint'], '마다', '주기', '간격', '인터벌');
ko(['htimeout'], '타임아웃', '제한시간');
ko(['hretries'], '재시도', '리트라이', '실패');
ko(['htest'], '명령어', '명령', '커맨드');
ko(['env'], '환경변수', '환경', '변수');
ko(['remove'], '제거', '빼', '삭제', '지워', '지우', '없애', '해제', '빠지', '끊', '떼');
ko(['neg'], '않', '말고', '말아', '중단', '그만', '금지', '불가', '없어', '없이', '없다', '없음', '없게', '없는', '없고');
ko(['dep'], '의존성', '의존관계', '의존', '디펜드', '디펜던시');
ko(['depweak'], '기다리', '기다려', '필요', '다음에', '이후에', '뒤에');
ko(['depbefore'], '먼저', '전에');
ko(['add'], '추가', '넣', '붙여');
ko(['up'], '늘려', '늘리', '늘린', '늘여', '증가', '추가', '키워', '키우', '확장');
ko(['down'], '줄여', '줄이', '줄인', '감소', '축소');
ko(['mult'], '절반');
ko(['every'], '모든', '전부', '모두', '전체', '다들');
ko(['pron'], '그거', '이거', '걔', '얘', '거기');
ko(['cond'], '만약', '이상', '이하', '미만', '초과', '최소한', '최대한', '내일', '주말', '평일', '새벽', '자정');
ko(['except'], '제외');
ko(
  ['foreign'],
  '네트워크', '네트웍', '디엔에스', '볼륨', '마운트', '라벨', '레이블', '로깅', '로그드라이버', '엔트리포인트', '호스트네임', '호스트명', '도메인', '특권', '권한',
  '빌드', '도커파일', '시크릿', '디바이스', '장치', '작업디렉터리', '작업디렉토리', '플랫폼', '프로필', '프로파일', '스왑', '아이피', '타임존', '이름', '디스크', '파일시스템', '읽기전용', '서브넷',
);
ko(['keep'], '그대로', '건드리', '건들', '유지', '냅둬', '놔둬', '놔두', '내버려');
ko(['action'], '멈춰', '멈추', '중지', '정지', '꺼', '켜', '죽여');
ko(['filler'], '서버', '서비스', '좀', '설정', '맞춰', '맞추', '지정', '할당', '잡아', '걸어', '해줘', '해주', '해', '주세요', '줘', '하게', '되게', '각', '각각', '값', '정도', '개당', '당', '로', '으로', '시켜', '만들어', '사용', '쓰', '써');

/** Korean stems, longest first (a stem listed under several tags has them all). */
export const KO_STEMS: ReadonlyArray<[string, Tag[]]> = [
  ...KO.reduce((m, [s, tags]) => m.set(s, [...new Set([...(m.get(s) ?? []), ...tags])]), new Map<string, Tag[]>()).entries(),
].sort((a, b) => b[0].length - a[0].length);

/** Korean particles that may follow a word (longest first): kept on the word as its tail. */
export const PARTICLES = [
  '에서는', '에게서', '으로는', '으로도', '으로만', '이랑은', '에서도', '까지는', '에서의', '한테서', '으로써',
  '에서', '에게', '으로', '이랑', '까지', '부터', '한테', '에는', '에도', '로는', '로도', '와는', '과는', '이나', '은요', '는요', '만큼',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '랑', '도', '만', '요', '나',
];

/**
 * How Korean writers spell common service names (transliterations and translations), to the English names a compose
 * file would use: a Korean word names a service when one of these is the service's name, a part of it, or the name
 * of its image.
 */
export const KO_NAMES: Record<string, string[]> = {
  웹: ['web', 'www', 'website'], 웹서버: ['web', 'webserver', 'www'], 웹사이트: ['web', 'website'], 워커: ['worker', 'workers'], 레디스: ['redis'],
  디비: ['db', 'database', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb'],
  데이터베이스: ['db', 'database', 'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb'], 캐시: ['cache', 'redis', 'memcached'], 캐쉬: ['cache', 'redis', 'memcached'],
  포스트그레스: ['postgres', 'postgresql', 'pg'], 포스트그레: ['postgres', 'postgresql', 'pg'], 포스그레: ['postgres', 'postgresql'],
  포스트그레스큐엘: ['postgresql', 'postgres'], 마이에스큐엘: ['mysql'], 마리아디비: ['mariadb'], 몽고: ['mongo', 'mongodb'], 몽고디비: ['mongodb', 'mongo'],
  엔진엑스: ['nginx'], 엔진액스: ['nginx'], 에이피아이: ['api'], 프론트: ['frontend', 'front'], 프론트엔드: ['frontend'], 프런트: ['frontend', 'front'],
  프런트엔드: ['frontend'], 백엔드: ['backend'], 스케줄러: ['scheduler'], 스케쥴러: ['scheduler'], 큐: ['queue'], 프록시: ['proxy'],
  게이트웨이: ['gateway'], 앱: ['app'], 어드민: ['admin'], 관리자: ['admin'], 카프카: ['kafka'], 래빗엠큐: ['rabbitmq'], 래빗: ['rabbitmq', 'rabbit'],
  엘라스틱서치: ['elasticsearch'], 엘라스틱: ['elasticsearch', 'elastic'], 메일러: ['mailer'], 메일: ['mail', 'mailer'], 크론: ['cron'],
  그라파나: ['grafana'], 프로메테우스: ['prometheus'], 미니오: ['minio'], 멤캐시드: ['memcached'], 주키퍼: ['zookeeper'], 셀러리: ['celery'],
  컨슈머: ['consumer'], 프로듀서: ['producer'], 결제: ['payment', 'payments', 'billing'], 빌링: ['billing'], 페이먼트: ['payment', 'payments'],
  스토리지: ['storage'], 인증: ['auth'], 검색: ['search'], 서치: ['search'], 알림: ['notifier', 'notifications', 'notification'],
  노티: ['notifier'], 매니저: ['manager'], 리버스프록시: ['proxy'], 로드밸런서: ['lb', 'loadbalancer'], 이메일: ['mailer', 'email'],
};

/** Korean number words, as a request may use them for small counts. */
export const KO_NUMBERS: Record<string, number> = {
  하나: 1, 한: 1, 둘: 2, 두: 2, 셋: 3, 세: 3, 석: 3, 넷: 4, 네: 4, 넉: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9, 열: 10,
};

/** English number words. */
export const EN_NUMBERS: Record<string, number> = {
  zero: 0, one: 1, single: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20,
};

/** Korean words that end in 고 and are no "-고" connective (nouns, and 말고 "rather than"). */
export const GO_NOUNS = new Set(['말고', '최고', '참고', '경고', '재고', '창고', '로고', '광고', '보고', '사고', '신고', '공고']);
