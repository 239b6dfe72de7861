import type { ContainerFacts } from '@bcon/sensor';
import { at, citeState } from '../cite.js';
import type { Analyzer } from '../finding.js';
import type { ServiceSignals } from '../signals.js';
import { stopsAsked } from '../service-state.js';
import { said } from '../text.js';
import { citeDrift } from './drift-findings.js';

/** Stopped from outside rather than failed by itself: a stop/kill asked through the engine, exit 0/143, or SIGKILL with no OOM kill and no memory limit. */
function stoppedFromOutside(service: ServiceSignals, c: ContainerFacts): boolean {
  if (stopsAsked(service, c).length) return true;
  if (c.exitCode === 0 || c.exitCode === 143) return true;
  return c.exitCode === 137 && !c.oomKilled && c.limits.memoryBytes === undefined;
}

/**
 * Fewer (or more) replicas than the committed files declare: capacity differs from what was declared. Counted from
 * what runs, so a replica that was removed (drift: replicas) and one that was stopped or killed and not started
 * again (drift: status; the `degraded` of status) both count. The declared number is the committed one, else (no
 * repository read) the containers compose made for the service. A replica stopped from outside, or removed, is the
 * cause; one that failed by itself (a crash, an OOM kill) is a symptom of whatever made it fail.
 */
export const replicaDrift: Analyzer = {
  name: 'replica-drift',
  causes: ['replica_drift'],
  analyze(service, ctx) {
    if (service.kind !== 'service') return [];
    const d = service.drift.find((x) => x.field === 'replicas');
    const replicas = service.containers.filter((c) => !c.compose?.oneoff);
    const declared = service.spec?.replicas ?? (d ? Number(d.expected['replicas']) : replicas.length > 1 ? replicas.length : undefined);
    if (declared === undefined || !Number.isFinite(declared)) return [];
    const running = replicas.filter((c) => c.state === 'running');
    const have = running.length;
    // none at all: the service is stopped (or crashing), not short of replicas
    if (!have) return [];
    if (have >= declared) {
      const made = d ? Number(d.actual['replicas']) : replicas.length;
      if (!d || made <= declared) return [];
      return [
        {
          cause: 'replica_drift',
          culprit: service.name,
          observedOn: service.name,
          confidence: 0.7,
          root: true,
          summary: said(`${service.name} runs ${made} of ${declared} declared replicas`, `${service.name}은(는) 선언된 복제본 ${declared}개 중 ${made}개를 실행 중입니다`),
          evidence: [citeDrift(ctx, d)],
          suggestions: [said(`restore the declared scale: docker compose up -d --scale ${service.name}=${declared} ${service.name} (or bcon propose ${service.name})`, `선언된 복제본 수로 되돌리세요: docker compose up -d --scale ${service.name}=${declared} ${service.name} (또는 bcon propose ${service.name})`)],
        },
      ];
    }
    const stopped = replicas.filter((c) => c.state !== 'running');
    // containers of the service removed in the window, when some are missing (a redeploy also removes its old ones)
    const removed = replicas.length < declared ? service.events.filter((e) => e.action === 'destroy').length : 0;
    const evidence: string[] = [];
    if (d) evidence.push(citeDrift(ctx, d));
    for (const c of stopped.slice(0, 3)) {
      const status = service.drift.find((x) => x.field === 'status' && x.container === c.name);
      if (status) evidence.push(citeDrift(ctx, status));
      evidence.push(citeState(ctx, c));
      const asked = stopsAsked(service, c);
      if (asked.length) {
        const signal = asked.find((e) => e.attributes['signal'])?.attributes['signal'];
        evidence.push(ctx.evidence.add('event', c.name, `${[...new Set(asked.map((e) => e.action))].join(', ')} requested through the engine at ${at((asked[asked.length - 1] as (typeof asked)[number]).at)}${signal ? ` (signal ${signal})` : ''}`));
      }
    }
    if (removed) evidence.push(ctx.evidence.add('event', service.name, `${removed} container${removed === 1 ? '' : 's'} of ${service.name} removed in the window`));
    // a replica that failed by itself is a symptom: the crash or the OOM kill is the cause
    const fromOutside = stopped.every((c) => stoppedFromOutside(service, c));
    const names = stopped.slice(0, 3).map((c) => `${c.name} ${c.state}${c.state === 'exited' ? ` (${c.exitCode})` : ''}`);
    const detail = names.length ? `: ${names.join(', ')}` : '';
    return [
      {
        cause: 'replica_drift',
        culprit: service.name,
        observedOn: service.name,
        confidence: fromOutside ? 0.85 : 0.55,
        root: fromOutside,
        summary: said(`${service.name} runs ${have} of ${declared} declared replicas${detail}`, `${service.name}은(는) 선언된 복제본 ${declared}개 중 ${have}개만 실행 중입니다${detail}`),
        evidence,
        suggestions: [
          said(`restore the declared scale: docker compose up -d --scale ${service.name}=${declared} ${service.name} (or bcon propose ${service.name})`, `선언된 복제본 수로 되돌리세요: docker compose up -d --scale ${service.name}=${declared} ${service.name} (또는 bcon propose ${service.name})`),
          ...(stopped.length ? [said(`find out who or what stopped ${stopped[0]?.name} (engine events, host OOM killer: dmesg) before starting it again`, `${stopped[0]?.name}을(를) 누가 또는 무엇이 멈췄는지 확인한 뒤 다시 시작하세요 (엔진 이벤트, 호스트 OOM killer: dmesg)`)] : []),
        ],
      },
    ];
  },
};
