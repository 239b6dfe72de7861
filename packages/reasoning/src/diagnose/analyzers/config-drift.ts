import type { Analyzer } from '../finding.js';
import { said } from '../text.js';
import { THROTTLED, throttledShare } from './cpu-saturation.js';
import { citeDrift } from './drift-findings.js';

// fields that change how a container behaves; labels and status are not configuration drift
const CONFIG_FIELDS = new Set(['command', 'entrypoint', 'environment', 'ports', 'volumes', 'config_file', 'memory', 'memory_reservation', 'cpus', 'restart', 'healthcheck']);

/** A container runs with other settings than the committed files declare (env, command, ports, limits, mounts). */
export const configDrift: Analyzer = {
  name: 'config-drift',
  causes: ['config_drift'],
  analyze(service, ctx) {
    const diffs = service.drift.filter((x) => CONFIG_FIELDS.has(x.field));
    if (!diffs.length) return [];
    const fields = [...new Set(diffs.map((d) => d.field))];
    // drift that can break the service counts more when the service is in trouble
    const troubled = service.containers.some((c) => c.state !== 'running' || c.restartCount > 0 || c.health.status === 'unhealthy');
    // a CPU limit set below the committed one by hand, and the container throttled by it: the drift is why it is
    // CPU-bound (the saturation is what it does), so it leads
    const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
    const lowered = diffs.some((d) => d.field === 'cpus' && num(d.actual.cpus) < num(d.expected.cpus));
    const throttled = service.containers.some((c) => {
      const cpu = service.stats[c.id]?.cpu;
      return !!cpu && throttledShare(cpu) >= THROTTLED;
    });
    return [
      {
        cause: 'config_drift',
        culprit: service.name,
        observedOn: service.name,
        confidence: lowered && throttled ? 0.95 : 0.6 + (troubled ? 0.1 : 0) + Math.min(0.1, 0.03 * (fields.length - 1)),
        root: true,
        summary: said(`${service.name} runs with settings that differ from the committed files: ${fields.join(', ')}`, `${service.name}이(가) 커밋된 파일과 다른 설정으로 실행 중입니다: ${fields.join(', ')}`),
        evidence: diffs.slice(0, 4).map((d) => citeDrift(ctx, d)),
        suggestions: [
          said(`recreate ${service.name} from the committed files (docker compose up -d ${service.name}), or commit the change if it was meant`, `커밋된 파일로 ${service.name}을(를) 다시 만들거나 (docker compose up -d ${service.name}), 의도한 변경이면 커밋하세요`),
          said(`see every difference: bcon drift`, `모든 차이 확인: bcon drift`),
        ],
      },
    ];
  },
};
