import { citeHits } from '../cite.js';
import type { Analyzer } from '../finding.js';
import { clamp } from '../finding.js';
import { isTroubled, isUnavailable, troubledInEngine } from '../service-state.js';
import { namedInSettings, ranOnThrough } from '../settings-names.js';
import { warnedOnly } from './from-patterns.js';
import type { PatternHits } from '../log-digest.js';
import { lineLevel, writtenLevel } from '../log-level.js';
import type { ServiceSignals } from '../signals.js';
import { said } from '../text.js';

/** A lookup that failed for now, not a name that does not exist. */
const TRANSIENT = /\bEAI_AGAIN\b|[Tt]emporary failure in name resolution|\b[Tt]ry again\b|i\/o timeout|server misbehaving/;

/** How many lines of its own work (written below warning) a nameless failure needs after it to be one it carried past. */
const WORK_AFTER = 3;

/**
 * Whether the service wrote lines of its work (info or below, by the level it wrote) after the first of these
 * failures: it went on working — where an app retrying the one name it needs writes only its retries.
 */
function workWentOn(service: ServiceSignals, hits: readonly PatternHits[]): boolean {
  const since = Math.min(...hits.map((h) => h.first.at ?? Number.POSITIVE_INFINITY));
  if (!Number.isFinite(since)) return false;
  let work = 0;
  for (const lines of Object.values(service.logs)) {
    for (const l of lines) {
      const at = l.timestamp ? Date.parse(l.timestamp) : Number.NaN;
      if (Number.isNaN(at) || at <= since) continue;
      const level = writtenLevel(l.text);
      if (level === 'info') work++;
    }
  }
  return work >= WORK_AFTER;
}

/** What a resolver writes of a lookup it failed or answered: a DNS reply code, or a question as `name. A IN`. */
const DNS_WORDS = /\b(?:SERVFAIL|NXDOMAIN|REFUSED)\b|\b(?:A|AAAA|CNAME|SRV|PTR|MX|TXT|NS|SOA) IN\b/;

/**
 * The dependency that answers the service's lookups and says it failed them: a resolver of the stack (Unbound,
 * dnsmasq, CoreDNS) the service needs directly, whose warning or error lines name a host the service could not
 * resolve in a resolver's words (`SERVFAIL <billing.corp.internal. A IN>: all the configured … forward servers
 * failed`). Never for a name a service of the stack answers to (the engine's DNS answers those), nor from a backend
 * that only fails the same outside name (its own lookup, not the service's). The lines naming it, or nothing.
 */
function failingResolver(service: ServiceSignals, hosts: ReadonlySet<string>, ctx: Parameters<Analyzer['analyze']>[1]): { name: string; lines: string[] } | undefined {
  const names = [...hosts].map((h) => h.toLowerCase().replace(/\.$/, '')).filter((h) => ctx.graph.resolveName(h) === undefined);
  if (!names.length) return undefined;
  for (const [dep, distance] of ctx.graph.closure(service.name)) {
    const d = ctx.service(dep);
    if (!d || dep === service.name || distance !== 1) continue;
    const lines: string[] = [];
    for (const ls of Object.values(d.logs)) {
      for (const l of ls) {
        if (!DNS_WORDS.test(l.text)) continue;
        const text = l.text.toLowerCase();
        if (!names.some((n) => nameIn(text, n))) continue;
        const level = lineLevel(l.text);
        if (level === 'error' || level === 'warn' || /\b(?:SERVFAIL|REFUSED)\b/.test(l.text)) lines.push(l.text);
      }
    }
    if (lines.length) return { name: dep, lines };
  }
  return undefined;
}

/**
 * The host name as a whole name in the text (`billing.corp.internal`, or rooted `billing.corp.internal.` before a
 * space, `>` or the end): not a part of a longer name (`api` in `api.partner.com`).
 */
function nameIn(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text.slice(at + name.length, at + name.length + 2);
    if (before !== undefined && /[\w.-]/.test(before)) continue;
    if (after === '' || !/^[\w.-]/.test(after) || /^\.(?:$|[\s>])/.test(after)) return true;
  }
  return false;
}

/** A name does not resolve (ENOTFOUND, EAI_AGAIN, no such host): a typo, a missing network, or no DNS at all. */
export const dnsFailure: Analyzer = {
  name: 'dns-failure',
  causes: ['dns_failure'],
  analyze(service, ctx) {
    const hits = [...(ctx.digests.get(service.name)?.hits.values() ?? [])].filter((h) => h.matches[0]?.pattern.cause === 'dns_failure');
    if (!hits.length) return [];
    // a name that belongs to a service that is down is that service's absence (dependency-down), not DNS
    const hosts = new Set<string>();
    let owned = 0;
    for (const h of hits) {
      for (const m of h.matches) {
        const owner = ctx.graph.addressOwner(service.name, m.target?.host, undefined);
        const dep = owner ? ctx.service(owner) : undefined;
        if (dep && isUnavailable(dep, ctx)) owned++;
        else if (m.target?.host) hosts.add(m.target.host);
      }
    }
    if (owned && !hosts.size) return [];
    const best = Math.max(...hits.map((h) => h.matches[0]?.pattern.weight ?? 0.5));
    // one failed lookup in a service that runs well (a background sync that could not reach an outside host, and the
    // service carried on): a lead, not a claim — a name that does not resolve fails at every try
    const troubled = isTroubled(service, ctx);
    const runsWell = service.containers.length > 0 && !troubledInEngine(service);
    // (a transient failure only — EAI_AGAIN, a temporary failure, a time-out: a name that does not exist, ENOTFOUND,
    // fails the same at every try, and one try may be all one request makes)
    const transient = hits.every((h) => TRANSIENT.test(h.first.text));
    const once = runsWell && transient && hits.every((h) => h.count === 1) && new Set(hits.map((h) => h.first)).size === 1;
    // names its settings never give it (no value of its environment or word of its command names them, no service of
    // the stack is called so), in a service that has run on, sound, since the first failure: calls its code makes on
    // its own to outside hosts — an update check, telemetry, a plugin catalog — that a host with no outbound DNS
    // fails; a dependency it is told to use is in its settings. A lead. A line that names no host says nothing of
    // which name it was: it stays a claim — unless the software wrote every such line as a warning and ran on since
    // the first (a federation worker whose peers' names are gone, a webhook to a host that was removed): it stated a
    // failed call and carried on past it, where a name it needs to work fails louder, or stops it.
    const nameless = hits.some((h) => h.matches.some((m) => m.target?.host === undefined));
    const given = (host: string) => namedInSettings(service, host, (n) => ctx.graph.resolveName(n) !== undefined);
    const outside = ranOnThrough(service, hits) && (nameless ? warnedOnly(hits) && workWentOn(service, hits) && [...hosts].every((h) => !given(h)) : hosts.size > 0 && [...hosts].every((h) => !given(h)));
    const names = [...hosts].slice(0, 3).join(', ');
    const network = service.containers[0]?.networkMode;
    const evidence = hits.slice(0, 2).map((h) => citeHits(ctx, h));
    // the lookups go to a resolver of the stack that says it failed them: the fault is there (its upstream, its
    // configuration), not in the names the service asks for
    const resolver = failingResolver(service, hosts, ctx);
    const own = (confidence: number) => ({
      cause: 'dns_failure' as const,
      culprit: service.name,
      observedOn: service.name,
      confidence,
      root: true,
      summary: said(`${service.name} cannot resolve ${names || 'a host name'}`, `${service.name}이(가) ${names || '호스트 이름'}을(를) 찾지 못합니다 (DNS)`),
      evidence,
      suggestions: [said(`check the host name ${service.name} uses${names ? ` (${names})` : ''} and the resolver it asks`, `${service.name}이(가) 쓰는 호스트 이름${names ? ` (${names})` : ''}과 묻는 리졸버를 확인하세요`)],
    });
    if (resolver) {
      const cited = ctx.evidence.add('log', resolver.name, `${resolver.lines.length} line${resolver.lines.length === 1 ? '' : 's'} naming what ${service.name} could not resolve, like: ${resolver.lines[resolver.lines.length - 1]}`);
      return [
        {
          cause: 'dns_failure',
          culprit: resolver.name,
          observedOn: service.name,
          confidence: clamp(0.7 + 0.2 * best),
          root: true,
          summary: said(`${resolver.name} fails the lookups of ${names} that ${service.name} needs: it says so itself`, `${resolver.name}이(가) ${service.name}에 필요한 ${names} 조회에 실패합니다 (스스로 기록)`),
          evidence: [cited, ...evidence],
          suggestions: [
            said(`look at what ${resolver.name} forwards or delegates those names to (an upstream it cannot reach, a zone it does not have)`, `${resolver.name}이(가) 그 이름을 넘기는 곳(닿지 않는 상위 서버, 없는 영역)을 확인하세요`),
          ],
        },
        // the service's own failure stays, below its resolver's (what it sees; a restart of it fixes nothing)
        own(Math.min(once || outside ? 0.4 : clamp(0.55 + 0.3 * best), 0.45)),
      ];
    }
    if (network) evidence.push(ctx.evidence.add('config', service.name, `network_mode ${network}`));
    return [
      {
        cause: 'dns_failure',
        culprit: service.name,
        observedOn: service.name,
        confidence: once || outside ? 0.4 : clamp(0.55 + 0.3 * best + (troubled ? 0.05 : 0)),
        root: true,
        summary: once
          ? said(`${service.name} could not resolve ${names || 'a host name'} once, and runs on`, `${service.name}이(가) ${names || '호스트 이름'}을(를) 한 번 찾지 못했고, 계속 실행 중입니다 (DNS)`)
          : outside
            ? said(`${service.name} could not resolve ${names || 'a host name'}, which none of its settings names, and runs on`, `${service.name}이(가) 설정에 없는 ${names || '호스트 이름'}을(를) 찾지 못했고, 계속 실행 중입니다 (DNS)`)
            : said(`${service.name} cannot resolve ${names || 'a host name'}`, `${service.name}이(가) ${names || '호스트 이름'}을(를) 찾지 못합니다 (DNS)`),
        evidence,
        suggestions: [
          said(`check the host name ${service.name} uses${names ? ` (${names})` : ''} for typos, and that ${service.name} is on a network that can resolve it${network === 'none' ? ' (network_mode: none has no DNS)' : ''}`, `${service.name}이(가) 쓰는 호스트 이름${names ? ` (${names})` : ''}의 오타와, 그 이름을 해석할 수 있는 네트워크에 연결되어 있는지 확인하세요${network === 'none' ? ' (network_mode: none에는 DNS가 없습니다)' : ''}`),
        ],
      },
    ];
  },
};
