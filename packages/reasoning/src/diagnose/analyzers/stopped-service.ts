import type { ContainerFacts } from '@bcon/sensor';
import { at, citeState } from '../cite.js';
import type { Analyzer, AnalyzerContext, Finding } from '../finding.js';
import { finishedJob, isDown, stopsAsked } from '../service-state.js';
import type { ServiceSignals } from '../signals.js';
import { said } from '../text.js';

/**
 * A service with no running container that nothing else explains: stopped by hand (a stop/kill event, exit 0 or
 * 143, unless the evidence shows a job that finished by itself: see finishedJob) and not restarted, or declared in the committed files with no container at all. When another service is the
 * one asked about, dependency-down reports it from that side.
 */
export const stoppedService: Analyzer = {
  name: 'stopped-service',
  causes: ['stopped_service'],
  analyze(service, ctx) {
    const paused = service.containers.filter((c) => c.state === 'paused');
    if (paused.length) return [frozen(service, paused, ctx)];
    if (!isDown(service)) return [];
    // Compose v2 creates every container first and starts one only once what it waits for is ready: one left in
    // `created` (never started, no start error: a port or a mount that failed has its own finding) is as good as none
    // and compose's own `up` is not caught half-way: created a minute ago at least
    const neverStarted = service.containers.length > 0 && service.containers.every((c) => c.state === 'created' && !c.startedAt && !c.error && c.exitCode === 0 && ctx.now - Date.parse(c.createdAt) >= CREATED_FOR_MS);
    if (!service.containers.length || neverStarted) {
      // declared with no replica (scale: 0), or a job others wait for: no container is what the files say
      if (!service.spec || !service.spec.replicas || service.spec.completionAwaitedBy?.length) return [];
      // it waits for a job to finish (`condition: service_completed_successfully`) that has not: compose's order
      if (awaitedJobs(service, ctx).length) return [];
      const what = neverStarted
        ? `${service.containers.map((c) => c.name).join(', ')} created at ${service.containers.map((c) => c.createdAt).join(', ')} and never started`
        : `declared in ${ctx.signals.desiredSource ?? 'the compose files'} with ${service.spec?.replicas} replica(s); no container on this engine`;
      const has = neverStarted ? said(`has a container that was never started`, `에는 시작된 적 없는 컨테이너만 있습니다`) : said('has no container', '에는 컨테이너가 없습니다');
      // compose creates it only once what it waits to be healthy is (`condition: service_healthy`): with that one
      // unhealthy or down, no container is the dependency's doing — a symptom; healthcheck-failing or a deeper
      // cause names the dependency
      const waitingOn = unhealthyAwaited(service, ctx);
      if (waitingOn.length) {
        return [
          {
            cause: 'stopped_service',
            culprit: service.name,
            observedOn: service.name,
            confidence: 0.4,
            root: false,
            summary: said(
              `${service.name} ${has.en}: it waits for ${waitingOn.join(', ')} to be healthy, and ${waitingOn.length === 1 ? 'it is' : 'they are'} not`,
              `${service.name}${has.ko}: ${waitingOn.join(', ')}이(가) healthy가 되기를 기다리는데 그렇지 않습니다`,
            ),
            evidence: [
              ctx.evidence.add(neverStarted ? 'state' : 'drift', service.name, what),
              ctx.evidence.add('config', service.name, `depends_on ${waitingOn.join(', ')} with condition: service_healthy`),
            ],
            suggestions: [said(`make ${waitingOn.join(', ')} healthy first: bcon diagnose ${waitingOn[0]}`, `먼저 ${waitingOn.join(', ')}을(를) healthy로 만드세요: bcon diagnose ${waitingOn[0]}`)],
          },
        ];
      }
      return [
        {
          cause: 'stopped_service',
          culprit: service.name,
          observedOn: service.name,
          confidence: 0.8,
          root: true,
          summary: neverStarted
            ? said(`${service.name} was created but never started`, `${service.name}은(는) 생성되었지만 시작된 적이 없습니다`)
            : said(`${service.name} is declared but has no container`, `${service.name}은(는) 선언되어 있지만 컨테이너가 없습니다`),
          evidence: [ctx.evidence.add(neverStarted ? 'state' : 'drift', service.name, what)],
          suggestions: [said(`start it: docker compose up -d ${service.name}`, `시작하세요: docker compose up -d ${service.name}`)],
        },
      ];
    }
    const evidence: string[] = [];
    let byHand = false;
    for (const c of service.containers) {
      evidence.push(citeState(ctx, c));
      const asked = stopsAsked(service, c);
      if (asked.length) {
        byHand = true;
        const signal = asked.find((e) => e.attributes['signal'])?.attributes['signal'];
        evidence.push(ctx.evidence.add('event', c.name, `${asked.map((e) => e.action).join(', ')} requested through the engine${signal ? ` (signal ${signal})` : ''}`));
      }
      if (c.exitCode === 0 || c.exitCode === 143) byHand ||= c.restartCount === 0 && c.state === 'exited' && !finishedJob(service, c, ctx);
    }
    // a container that crashed or loops is crash-loop's (or a deeper cause's), not a stopped service
    if (!byHand) return [];
    return [
      {
        cause: 'stopped_service',
        culprit: service.name,
        observedOn: service.name,
        confidence: 0.8,
        root: true,
        summary: said(`${service.name} was stopped and not started again`, `${service.name}이(가) 중지된 뒤 다시 시작되지 않았습니다`),
        evidence,
        suggestions: [said(`start it again: docker compose up -d ${service.name}`, `다시 시작하세요: docker compose up -d ${service.name}`)],
      },
    ];
  },
};

/** How long a container stays `created` before it is read as never started: compose's own `up` creates it first. */
const CREATED_FOR_MS = 60_000;

/** The jobs it waits to finish (`condition: service_completed_successfully`) that have not finished with exit 0. */
function awaitedJobs(service: ServiceSignals, ctx: AnalyzerContext): string[] {
  return ctx.signals.services.filter((j) => j.spec?.completionAwaitedBy?.includes(service.name) && !j.containers.some((c) => c.state === 'exited' && c.exitCode === 0)).map((j) => j.name);
}

/** The services it waits to be healthy before compose creates it that are not: unhealthy, starting, or down. */
function unhealthyAwaited(service: ServiceSignals, ctx: AnalyzerContext): string[] {
  return (service.spec?.healthyDependencies ?? []).filter((name) => {
    const d = ctx.service(name);
    if (!d) return false;
    const running = d.containers.filter((c) => c.state === 'running');
    return running.length === 0 || running.some((c) => c.health.status !== 'healthy' && c.health.status !== 'none');
  });
}

/**
 * Containers frozen by `docker pause` (a snapshot or backup script that never thawed them): the engine calls them up
 * and they hold their ports, but nothing in them runs, so callers hang until their own time-out. A stopped service
 * all the same, whose repair keeps everything as it was: unpause. Every replica paused is the whole service down;
 * some of them, a service short of replicas.
 */
function frozen(service: ServiceSignals, paused: readonly ContainerFacts[], ctx: AnalyzerContext): Finding {
  const evidence: string[] = [];
  for (const c of paused) {
    evidence.push(citeState(ctx, c));
    const asked = service.events.filter((e) => e.containerId === c.id && e.action === 'pause');
    const last = asked[asked.length - 1];
    if (last) evidence.push(ctx.evidence.add('event', c.name, `paused through the engine at ${at(last.at)} and not unpaused`));
  }
  const all = paused.length === service.containers.length;
  const names = paused.map((c) => c.name).join(', ');
  return {
    cause: 'stopped_service',
    culprit: service.name,
    observedOn: service.name,
    confidence: all ? 0.85 : 0.6,
    root: true,
    summary: all
      ? said(`${service.name} is paused (docker pause): it holds its ports but runs nothing, so its callers hang`, `${service.name}이(가) 일시 정지(docker pause) 상태입니다: 포트는 잡고 있지만 아무것도 실행하지 않아 호출하는 쪽이 멈춥니다`)
      : said(`${names} of ${service.name} paused (docker pause): those replicas serve nothing`, `${service.name}의 ${names}이(가) 일시 정지 상태입니다: 그 복제본은 아무것도 처리하지 않습니다`),
    evidence,
    suggestions: [said(`unpause it: docker compose unpause ${service.name}`, `일시 정지를 푸세요: docker compose unpause ${service.name}`)],
  };
}
