import type { Analyzer } from '../finding.js';
import { said } from '../text.js';

/** Below this share of CPU periods throttled, a container is not held back by its quota. */
export const THROTTLED = 0.3;

/** The share of a container's CPU periods its quota throttled (0 before 20 periods: too few to tell). */
export function throttledShare(cpu: { periods: number; throttledPeriods: number }): number {
  return cpu.periods >= 20 ? cpu.throttledPeriods / cpu.periods : 0;
}

/** A container that spends all the CPU it may: throttled by its cgroup quota, or busy at its limit. */
export const cpuSaturation: Analyzer = {
  name: 'cpu-saturation',
  causes: ['cpu_saturation'],
  analyze(service, ctx) {
    const evidence: string[] = [];
    let confidence = 0;
    let detail = '';
    for (const c of service.containers) {
      const s = service.stats[c.id];
      if (!s) continue;
      const { periods, throttledPeriods } = s.cpu;
      const share = throttledShare(s.cpu);
      const limitCpus = c.limits.nanoCpus ? c.limits.nanoCpus / 1e9 : undefined;
      const capacity = (limitCpus ?? s.cpu.onlineCpus) * 100;
      const used = s.cpu.percent !== undefined ? s.cpu.percent / capacity : undefined;
      // the counters add up since the start: a container throttled while it warmed up but idle now is not saturated
      const busyNow = used === undefined || used >= 0.5;
      if (share >= THROTTLED && busyNow) {
        confidence = Math.max(confidence, share >= 0.6 ? 0.85 : 0.7);
        evidence.push(ctx.evidence.add('stats', c.name, `throttled in ${throttledPeriods} of ${periods} CPU periods (${Math.round(share * 100)}%)${limitCpus ? `, limit ${limitCpus} CPU` : ''}`));
        detail = `throttled in ${Math.round(share * 100)}% of CPU periods${limitCpus ? ` at its ${limitCpus} CPU limit` : ''}`;
      }
      if (used !== undefined && used >= 0.9 && s.cpu.percent !== undefined) {
        confidence = Math.max(confidence, limitCpus ? 0.75 : 0.6);
        evidence.push(ctx.evidence.add('stats', c.name, `CPU ${s.cpu.percent.toFixed(1)}% of ${limitCpus ? `a ${limitCpus} CPU limit` : `${s.cpu.onlineCpus} CPUs`} (${Math.round(used * 100)}% used)`));
        detail ||= `using ${Math.round(used * 100)}% of the CPU it may use`;
      }
    }
    if (!evidence.length) return [];
    const base = service.baseline?.cpuPercent;
    if (base !== undefined) evidence.push(ctx.evidence.add('baseline', service.name, `usual CPU ${base.toFixed(1)}% (median of ${service.baseline?.samples} samples)`));
    return [
      {
        cause: 'cpu_saturation',
        culprit: service.name,
        observedOn: service.name,
        confidence,
        root: true,
        summary: said(`${service.name} is CPU-bound: ${detail}`, `${service.name}이(가) CPU를 모두 쓰고 있습니다: ${detail}`),
        evidence,
        suggestions: [
          said(`raise the CPU limit of ${service.name} (cpus / deploy.resources.limits.cpus) or run more replicas`, `${service.name}의 CPU 제한(cpus / deploy.resources.limits.cpus)을 올리거나 복제본을 늘리세요`),
          said(`profile what ${service.name} spends CPU on`, `${service.name}이(가) CPU를 어디에 쓰는지 프로파일링하세요`),
        ],
      },
    ];
  },
};
