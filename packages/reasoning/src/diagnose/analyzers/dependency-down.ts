import { citeHits, citeState } from '../cite.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import type { PatternHits } from '../log-digest.js';
import { refusalsStopped } from '../refusals-stopped.js';
import { isDown, isFrozen, isTroubled, isUnavailable, refusedBy, unavailableDependencies } from '../service-state.js';
import type { ServiceSignals } from '../signals.js';
import { said } from '../text.js';

function dependencyState(ctx: AnalyzerContext, dep: ServiceSignals): string[] {
  if (!dep.containers.length) return [ctx.evidence.add('state', dep.name, `${dep.name} has no container on this engine`)];
  return dep.containers.slice(0, 2).map((c) => citeState(ctx, c));
}

const isFrozenService = (ctx: AnalyzerContext, name: string): boolean => {
  const s = ctx.service(name);
  return s !== undefined && isFrozen(s);
};

/** How long a dependency that was just started may refuse connections before that says something about it. */
const STARTING_MS = 3_000;

/** When the dependency's running containers (the last of them) started: undefined when none runs or none says. */
function currentRunSince(dep: ServiceSignals): number | undefined {
  const starts = dep.containers.filter((c) => c.state === 'running' && c.startedAt).map((c) => Date.parse(c.startedAt as string)).filter((t) => Number.isFinite(t));
  return starts.length ? Math.max(...starts) : undefined;
}

/**
 * When the dependency last answered its own healthcheck: the latest passing probe, when every running container of
 * it is healthy now (undefined otherwise, or with no healthcheck).
 */
function answeredAt(dep: ServiceSignals): number | undefined {
  const running = dep.containers.filter((c) => c.state === 'running');
  if (!running.length || !running.every((c) => c.health.status === 'healthy')) return undefined;
  const ends = running.flatMap((c) => c.health.log.filter((p) => p.exitCode === 0).map((p) => Date.parse(p.end))).filter((t) => Number.isFinite(t));
  return ends.length ? Math.max(...ends) : undefined;
}

/**
 * A service fails because something it needs cannot answer: its logs say the dependency refused or could not be
 * resolved (and that address belongs to the service, see refusedBy), or a dependency has no running container or
 * keeps crashing and coming back (isUnavailable).
 */
export const dependencyDown: Analyzer = {
  name: 'dependency-down',
  causes: ['dependency_down'],
  analyze(service, ctx) {
    const found = new Map<string, { hits: PatternHits[]; edge: boolean }>();
    const digest = ctx.digests.get(service.name);
    const downDeps = unavailableDependencies(service.name, ctx);
    for (const hits of digest?.hits.values() ?? []) {
      const cause = hits.matches[0]?.pattern.cause;
      // time-outs count only against a paused dependency: it holds its port, so callers hang where they would be refused
      if (cause !== 'connection_refused' && cause !== 'dns_failure' && cause !== 'dependency_down' && cause !== 'dependency_slow') continue;
      // how long its own work took is no time-out against a dependency
      if (hits.matches[0]?.pattern.work) continue;
      for (const m of hits.matches) {
        // the address the line names (by name, by a port only one service listens on, or a loopback/IP address
        // nothing running listens on while one dependency is down); a line that names none (libpq's "Connection
        // refused", MySQL's "Can't connect") is the one dependency that is down, when exactly one is
        const owner = refusedBy(service.name, m.target, ctx);
        if (!owner) continue;
        if (cause === 'dependency_slow' && !isFrozenService(ctx, owner)) continue;
        const entry = found.get(owner) ?? { hits: [], edge: false };
        if (!entry.hits.includes(hits)) entry.hits.push(hits);
        found.set(owner, entry);
      }
    }
    for (const dep of downDeps) found.set(dep.name, { hits: found.get(dep.name)?.hits ?? [], edge: true });
    const out: Finding[] = [];
    const troubled = isTroubled(service, ctx);
    for (const [name, found_] of found) {
      const dep = ctx.service(name);
      if (!dep) continue;
      const down = isUnavailable(dep, ctx);
      // refusals that all came before the dependency's current run (and its first seconds, while it starts to
      // listen), or before its healthcheck last passed (a server that loads for a while before it listens), were its
      // being down or starting then: it runs and answers now, and they say nothing of it any more
      const run = down ? undefined : currentRunSince(dep);
      const bounds = down ? [] : [...(run === undefined ? [] : [run + STARTING_MS]), ...[answeredAt(dep)].filter((t) => t !== undefined)];
      const since = bounds.length ? Math.max(...bounds) : undefined;
      // and refusals that stopped while the dependency runs (the caller logged on without them) were its start-up;
      // a name that does not resolve while the dependency runs is the caller's lookup failing (dns_failure: a network
      // it is not on, a host name a network mode cannot resolve), not the dependency refusing — only a dependency that
      // is down (its name gone with its container) explains it
      const hits = (since === undefined ? found_.hits : found_.hits.filter((h) => h.last.at === undefined || h.last.at >= since)).filter(
        (h) => down || (!refusalsStopped(h, digest) && h.matches[0]?.pattern.cause !== 'dns_failure'),
      );
      if (!down && found_.hits.length && !hits.length) continue;
      // between two crashes it may be caught running: it keeps going down
      const flapping = down && !isDown(dep);
      // refused while the dependency runs: it is there but not answering (not listening yet, wrong port) — if the
      // caller still runs to be refused. A caller that exited (its restart policy gave up) was refused in the past:
      // the dependency may have been starting then and answer now, so that is a hint, never a reason to act on it
      const current = service.containers.some((c) => c.state === 'running' || c.state === 'restarting');
      const confidence = down ? (hits.length ? 0.92 : troubled ? 0.75 : 0.45) : hits.length ? (current ? 0.6 : 0.25) : 0;
      if (!confidence) continue;
      const path = ctx.graph.path(service.name, name);
      const evidence = [
        ...hits.slice(0, 2).map((h) => citeHits(ctx, h)),
        ...dependencyState(ctx, dep),
        ...(path ? [ctx.evidence.add('dependency', service.name, `${path.map((p) => `${p.from} → ${p.to} (${p.via}${p.detail ? ` ${p.detail}` : ''})`).join(', ')}`)] : []),
      ];
      out.push({
        cause: 'dependency_down',
        culprit: name,
        observedOn: service.name,
        confidence,
        root: true,
        summary: isFrozen(dep)
          ? said(`${name}, which ${service.name} needs, is paused (docker pause): it holds its port but answers nothing`, `${service.name}이(가) 의존하는 ${name}이(가) 일시 정지 상태입니다: 포트는 잡고 있지만 응답하지 않습니다`)
          : flapping
          ? said(`${name}, which ${service.name} needs, keeps going down (it crashed and restarted in the last minutes)`, `${service.name}이(가) 의존하는 ${name}이(가) 계속 죽었다 다시 뜹니다 (최근 몇 분 사이 재시작)`)
          : down
          ? said(`${name}, which ${service.name} needs, is down`, `${service.name}이(가) 의존하는 ${name}이(가) 멈춰 있습니다`)
          : said(`${name}, which ${service.name} needs, refuses connections`, `${service.name}이(가) 의존하는 ${name}이(가) 연결을 거부합니다`),
        evidence,
        suggestions: isFrozen(dep)
          ? [said(`unpause ${name}: docker compose unpause ${name}`, `${name}의 일시 정지를 푸세요: docker compose unpause ${name}`)]
          : down
          ? [
              said(`bring ${name} back (docker compose up -d ${name}) and find out why it stopped: bcon diagnose ${name}`, `${name}을(를) 다시 올리고 (docker compose up -d ${name}) 멈춘 이유를 확인하세요: bcon diagnose ${name}`),
              said(`make ${service.name} wait for ${name} (depends_on with condition: service_healthy) and retry its connections`, `${service.name}이(가) ${name}을(를) 기다리도록 하세요 (depends_on condition: service_healthy) 그리고 연결을 재시도하게 하세요`),
            ]
          : [said(`check that ${name} listens on the address ${service.name} uses (port, bind address)`, `${name}이(가) ${service.name}이(가) 쓰는 주소(포트, 바인드 주소)에서 대기하는지 확인하세요`)],
      });
    }
    return out;
  },
};
