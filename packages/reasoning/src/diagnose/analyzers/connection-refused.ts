import { keyValueList } from '@bcon/sensor';
import { citeHits, citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import type { PatternHits } from '../log-digest.js';
import { clamp } from '../finding.js';
import { readyAfter } from '../ready-after.js';
import { refusalsStopped } from '../refusals-stopped.js';
import { DependencyGraph } from '../graph.js';
import { isTroubled, isUnavailable, refusedBy, unavailableDependencies } from '../service-state.js';
import { writtenLevel } from '../log-level.js';
import { namedInSettings, portInSettings, ranOnThrough } from '../settings-names.js';
import { said } from '../text.js';

/**
 * A service connects to an address where nothing listens, and no service of the stack owns that address: the
 * address in its configuration is wrong, or the thing it names runs elsewhere. (When the address belongs to a
 * service that is down, or to a loopback/IP address nothing running listens on while a dependency is down,
 * dependency-down says so instead.)
 */
export const connectionRefused: Analyzer = {
  name: 'connection-refused',
  causes: ['connection_refused'],
  analyze(service, ctx) {
    // refusals that stopped (it logged on without them for a while) are history: what it was refused then answers now
    const digest = ctx.digests.get(service.name);
    // (a server others need, that needs nothing of the stack itself, naming no address, turns its own clients away:
    // not a refusal it met — a middle tier quoting its database's `Too many connections` met one)
    const needed = ctx.graph.dependentsOf(service.name).length > 0 && ctx.graph.closure(service.name).size === 0;
    const theirs = (h: PatternHits) =>
      needed && h.matches.every((m) => m.pattern.refuser === true && m.target?.host === undefined && m.target?.port === undefined);
    const hits = [...(digest?.hits.values() ?? [])].filter((h) => h.matches[0]?.pattern.cause === 'connection_refused' && !refusalsStopped(h, digest) && !theirs(h));
    if (!hits.length) return [];
    let unowned = 0;
    let ownedRunning = 0;
    // (once per owner and port: the owner's log is read from its end)
    const ready = new Map<string, boolean>();
    const readyOnce = (owner: string, dep: NonNullable<ReturnType<typeof ctx.service>>, at: number, port: number): boolean => {
      const key = `${owner}|${port}|${at}`;
      if (!ready.has(key)) ready.set(key, ctx.graph.listeners(service.name, port).includes(owner) && readyAfter(dep, at, port));
      return ready.get(key) as boolean;
    };
    let address = '';
    let unownedAddress = '';
    // the hosts of the addresses no service of the stack owns; `here`: one of them is this machine, or unnamed
    const outsideHosts = new Set<string>();
    const localPorts = new Set<number>();
    const outsidePorts = new Set<number>();
    let nameless = false;
    let runningOwner = '';
    // a line that names no address, while a dependency is down, is that dependency (dependency-down says so)
    const aDependencyIsDown = unavailableDependencies(service.name, ctx).length > 0;
    for (const h of hits) {
      for (const m of h.matches) {
        if (m.target?.host === undefined && m.target?.port === undefined && aDependencyIsDown) continue;
        // an address of a service that cannot answer now (down, or crashing and coming back) is dependency-down's
        const owner = refusedBy(service.name, m.target, ctx);
        const dep = owner ? ctx.service(owner) : undefined;
        if (dep && isUnavailable(dep, ctx)) continue;
        // refused before the service that owns the address was ready (a database replaying its log after an unclean
        // stop): the address is right, and the refusals are its start-up — what the client did then is its own finding
        if (dep && owner && h.last.at !== undefined && m.target?.port !== undefined && readyOnce(owner, dep, h.last.at, m.target.port)) continue;
        if (!owner) {
          unowned++;
          const host = m.target?.host;
          if (host !== undefined && !DependencyGraph.isLoopback(host)) {
            outsideHosts.add(host);
            if (m.target?.port !== undefined) outsidePorts.add(m.target.port);
          } else if (m.target?.port !== undefined) localPorts.add(m.target.port);
          else nameless = true;
          if (m.target?.port !== undefined) unownedAddress ||= `${m.target.host ?? ''}:${m.target.port}`;
        } else if (dep?.containers.some((c) => c.state === 'running')) {
          ownedRunning++;
          runningOwner ||= owner;
        }
        if (m.target?.port !== undefined) address ||= `${m.target.host ?? ''}:${m.target.port}`;
      }
    }
    if (!unowned && !ownedRunning) return [];
    // nothing listens where it connects, and the one dependency it declares that runs and listens where no service of
    // the stack connects is where it should have connected: the two disagree on the port. When two services or more
    // are configured with the address, the stack agrees on it and the dependency moved (a pooler's listen port
    // changed under its clients); else the one client's address is the odd one.
    const port = Number(unownedAddress.split(':').pop());
    const configured = unownedAddress ? ctx.graph.configuredWith(port) : [];
    // the service itself is told that address (not a default its code holds), and so is another
    const moved = configured.includes(service.name) && configured.length >= 2 ? movedDependency(service.name, port, ctx) : undefined;
    const clients = moved ? configured.filter((n) => n !== moved.name) : [];
    const best = Math.max(...hits.map((h) => h.matches[0]?.pattern.weight ?? 0.5));
    const evidence = hits.slice(0, 2).map((h) => citeHits(ctx, h));
    const failing = service.containers.filter((c) => c.state !== 'running' || c.restartCount > 0);
    for (const c of failing.slice(0, 1)) evidence.push(citeState(ctx, c));
    if (moved && clients.length >= 2) {
      evidence.push(ctx.evidence.add('config', moved.name, `${moved.name}, which ${service.name} depends on, listens on ${moved.ports.join(', ')}; ${clients.join(' and ')} are configured with ${unownedAddress}`));
      return [
        {
          cause: 'connection_refused',
          culprit: moved.name,
          observedOn: service.name,
          confidence: clamp(0.5 + 0.3 * best + (isTroubled(service, ctx) ? 0.05 : 0)),
          root: true,
          summary: said(
            `${clients.join(' and ')} connect to ${unownedAddress}, where nothing listens; ${moved.name}, which they depend on, listens on ${moved.ports.join(', ')}`,
            `${clients.join(', ')}은(는) ${unownedAddress}에 연결하지만 그곳에서 대기하는 것이 없습니다; 의존하는 ${moved.name}은(는) ${moved.ports.join(', ')}에서 대기합니다`,
          ),
          evidence,
          suggestions: [
            said(`make ${moved.name} listen on ${port} again (its listen setting), or point its clients at ${moved.ports.join(', ')}`, `${moved.name}이(가) 다시 ${port}에서 대기하게 하거나(대기 설정), 클라이언트들을 ${moved.ports.join(', ')}(으)로 바꾸세요`),
          ],
        },
      ];
    }
    // refused only where none of its settings tells it to connect (neither the host nor the port), logged by the
    // software itself as a warning, in a service that has run on, sound, since the first refusal: another machine (an
    // integration set up in its own database — a media server's download manager on the LAN — that is off) or a port
    // here (a scrape target gone for weeks) — a lead, not the stack's fault. An address or a port its settings give
    // it (a host name resolved to the IP the line prints), or refusals it logs as errors (nginx's upstream), stay a claim.
    const given = (h: string) => namedInSettings(service, h, (n) => ctx.graph.resolveName(n) !== undefined);
    const quiet = hits.every((h) => [h.first.text, h.last.text].every((t) => ['warn', 'info'].includes(writtenLevel(t) ?? '')));
    const portGiven = (p: number) => portInSettings(service, p) || ctx.graph.configuredWith(p).includes(service.name);
    const outside = !ownedRunning && !nameless && quiet && outsideHosts.size + localPorts.size + outsidePorts.size > 0 && [...outsideHosts].every((h) => !given(h)) && [...localPorts, ...outsidePorts].every((p) => !portGiven(p)) && ranOnThrough(service, hits);
    return [
      {
        cause: 'connection_refused',
        culprit: service.name,
        observedOn: service.name,
        confidence: outside ? 0.4 : clamp((unowned ? 0.5 : 0.4) + 0.3 * best + (isTroubled(service, ctx) ? 0.05 : 0)),
        root: true,
        summary: unowned
          ? said(
              `${service.name} is refused at ${address || 'an address'} that no running service of the stack listens on`,
              `${service.name}이(가) ${address || '어떤 주소'}에 연결을 거부당합니다 — 스택의 어떤 서비스도 그 주소에서 대기하지 않습니다`,
            )
          : said(
              `${service.name} is refused at ${address || 'an address'} of ${runningOwner}, which runs and does not accept there`,
              `${service.name}이(가) ${runningOwner}의 주소 ${address || ''}에서 연결을 거부당합니다 — ${runningOwner}은(는) 실행 중이지만 그 주소에서 받지 않습니다`,
            ),
        evidence,
        suggestions: [
          said(`check the address ${service.name} is configured with (env, config file): host and port`, `${service.name}에 설정된 주소(env, 설정 파일)의 호스트와 포트를 확인하세요`),
          said(`if it is an outside service, check it is up and reachable from the host`, `외부 서비스라면 살아 있고 호스트에서 접근 가능한지 확인하세요`),
        ],
      },
    ];
  },
};

/**
 * The one dependency a service declares (depends_on, links) that runs, whose own definition says where it listens, on
 * ports other than `port`, and where no service of the stack is configured to connect: where the service's address
 * was meant to point.
 */
function movedDependency(name: string, port: number, ctx: Parameters<Analyzer['analyze']>[1]): { name: string; ports: number[] } | undefined {
  const declared = ctx.graph.dependenciesOf(name).filter((e) => e.via === 'depends_on' || e.via === 'links');
  // a port some service is told, as host:port or alone (SMTP_PORT=1025)
  const told = (p: number) =>
    ctx.graph.configuredWith(p).length > 0 ||
    ctx.signals.services.some((s) => s.containers.some((c) => Object.entries(keyValueList(c.config.env)).some(([k, v]) => v === String(p) && /PORT$/i.test(k) && !ctx.graph.surePorts(s.name).includes(p))));
  const candidates: Array<{ name: string; ports: number[] }> = [];
  for (const e of declared) {
    const dep = ctx.service(e.to);
    // a declared dependency that is down, or runs where nobody knows, may be the address's owner: nothing is said
    if (!dep?.containers.some((c) => c.state === 'running')) return undefined;
    const ports = ctx.graph.surePorts(e.to);
    if (!ports.length) return undefined;
    if (ports.includes(port) || ports.some(told)) continue;
    candidates.push({ name: e.to, ports });
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}
