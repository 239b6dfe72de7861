import type { Analyzer } from '../finding.js';
import { said } from '../text.js';
import { citeDrift } from './drift-findings.js';

/** Fewer (or more) containers than the committed replicas: capacity differs from what was declared. */
export const replicaDrift: Analyzer = {
  name: 'replica-drift',
  causes: ['replica_drift'],
  analyze(service, ctx) {
    const d = service.drift.find((x) => x.field === 'replicas');
    if (!d) return [];
    const want = Number(d.expected['replicas']);
    const have = Number(d.actual['replicas']);
    if (!have) return []; // none at all: the service is stopped, not short of replicas
    const removed = service.events.filter((e) => e.action === 'destroy').length;
    return [
      {
        cause: 'replica_drift',
        culprit: service.name,
        observedOn: service.name,
        confidence: have < want ? 0.85 : 0.7,
        root: true,
        summary: said(`${service.name} runs ${have} of ${want} declared replicas`, `${service.name}은(는) 선언된 복제본 ${want}개 중 ${have}개만 실행 중입니다`),
        evidence: [citeDrift(ctx, d), ...(removed ? [ctx.evidence.add('event', service.name, `${removed} container${removed === 1 ? '' : 's'} of ${service.name} removed in the window`)] : [])],
        suggestions: [
          said(`restore the declared scale: docker compose up -d --scale ${service.name}=${want} ${service.name} (or bcon propose ${service.name})`, `선언된 복제본 수로 되돌리세요: docker compose up -d --scale ${service.name}=${want} ${service.name} (또는 bcon propose ${service.name})`),
        ],
      },
    ];
  },
};
