import { formatMs as ms } from '../../status/format.js';
import { citeHits } from '../cite.js';
import type { Analyzer, Finding } from '../finding.js';
import { isFrozen, slowness } from '../service-state.js';
import { said } from '../text.js';


/** Patterns where a server says a request of its own ran too long: the service waited, on something else or itself. */
const WAITED = new Set(['request-ran-too-long']);

/**
 * A service is slow because something it needs is slow: its latency rose (against the baseline or the earlier
 * logs) or it logs time-outs, and a dependency logs slow work (slow queries, time-outs) or is CPU-throttled.
 */
export const dependencySlow: Analyzer = {
  name: 'dependency-slow',
  causes: ['dependency_slow'],
  analyze(service, ctx) {
    const own = slowness(service, ctx);
    const digest = ctx.digests.get(service.name);
    const timeouts = [...(digest?.hits.values() ?? [])].filter((h) => h.matches[0]?.pattern.cause === 'dependency_slow' && !h.matches[0].pattern.work);
    if (!own?.slow && !timeouts.length) return [];
    const out: Finding[] = [];
    const symptom: string[] = [];
    if (own?.slow) {
      symptom.push(
        ctx.evidence.add(
          own.usualFrom === 'baseline' ? 'baseline' : 'log',
          service.name,
          own.route
            ? `${own.route}: median response time ${ms(own.now)} over ${own.samples} requests (p95 ${ms(own.p95)}); its other requests: median ${ms(own.usual ?? 0)}`
            : `median response time ${ms(own.now)} over the last ${own.samples} requests (p95 ${ms(own.p95)})${own.usual !== undefined ? `; usual ${ms(own.usual)} (${own.usualFrom})` : ''}`,
        ),
      );
    }
    symptom.push(...timeouts.slice(0, 2).map((h) => citeHits(ctx, h)));
    for (const [dep, distance] of ctx.graph.closure(service.name)) {
      const d = ctx.service(dep);
      // a paused dependency is not slow, it runs nothing: dependency-down and stopped-service say so
      if (!d || isFrozen(d)) continue;
      const evidence: string[] = [];
      let confidence = 0;
      // (a server's own word that a request ran too long says it waited, not on what: not its slow work)
      const slowWork = [...(ctx.digests.get(dep)?.hits.values() ?? [])].filter((h) => h.matches[0]?.pattern.cause === 'dependency_slow' && !WAITED.has(h.matches[0].pattern.id));
      if (slowWork.length) {
        // only a generic `took 2.4s` (no slow log the software keeps for it): it may be routine work (a compaction,
        // a migration), so it claims only beside a caller that is slow itself
        const generic = slowWork.every((h) => h.matches[0]?.pattern.software === 'generic');
        confidence = Math.max(confidence, own?.slow ? (generic ? 0.75 : 0.88) : generic ? 0.4 : 0.6);
        evidence.push(...slowWork.slice(0, 2).map((h) => citeHits(ctx, h)));
      }
      // time-outs of this service that name the dependency's address
      const pointed = timeouts.filter((h) => h.matches.some((m) => ctx.graph.addressOwner(service.name, m.target?.host, m.target?.port) === dep));
      if (pointed.length) {
        confidence = Math.max(confidence, 0.7);
        evidence.push(...pointed.slice(0, 1).map((h) => citeHits(ctx, h)));
      }
      const depSlow = slowness(d, ctx);
      if (depSlow?.slow) {
        confidence = Math.max(confidence, 0.7);
        evidence.push(ctx.evidence.add('log', dep, `median response time ${ms(depSlow.now)}${depSlow.usual !== undefined ? ` (usual ${ms(depSlow.usual)})` : ''}`));
      }
      for (const c of d.containers) {
        const s = d.stats[c.id];
        if (s && s.cpu.periods >= 20 && s.cpu.throttledPeriods / s.cpu.periods >= 0.3) {
          confidence = Math.max(confidence, 0.6);
          evidence.push(ctx.evidence.add('stats', c.name, `throttled in ${Math.round((s.cpu.throttledPeriods / s.cpu.periods) * 100)}% of CPU periods`));
        }
      }
      if (!confidence) continue;
      const example = slowWork[0]?.matches[0]?.description;
      out.push({
        cause: 'dependency_slow',
        culprit: dep,
        observedOn: service.name,
        confidence: confidence - (distance - 1) * 0.05,
        root: true,
        // a latency that rose against the earlier logs (or the baseline): a later reading checks it is still up
        ...(own?.slow && own.usual !== undefined && !own.route ? { onset: { kind: 'latency' as const, service: service.name, usualMs: own.usual } } : {}),
        summary: said(
          `${dep} answers slowly${example ? ` (${example})` : ''}, and ${service.name} waits for it${own?.slow ? `: ${own.route ? `${own.route} ` : ''}median ${ms(own.now)}${own.usual !== undefined ? `, ${own.route ? 'its other requests' : 'usually'} ${ms(own.usual)}` : ''}` : ''}`,
          `${dep}의 응답이 느려${example ? ` (${example})` : ''} ${service.name}이(가) 기다리고 있습니다${own?.slow ? `: ${own.route ? `${own.route} ` : ''}중앙값 ${ms(own.now)}${own.usual !== undefined ? `, ${own.route ? '다른 요청' : '평소'} ${ms(own.usual)}` : ''}` : ''}`,
        ),
        evidence: [...symptom, ...evidence],
        suggestions: slowWork.length
          ? [
              said(`look at the slow statements ${dep} logs: an index on the filtered/sorted columns, or a smaller result`, `${dep}이(가) 기록한 느린 쿼리를 확인하세요: 조건·정렬 컬럼의 인덱스, 결과 크기 축소`),
              said(`consider more resources for ${dep}`, `${dep}에 자원을 더 주는 것을 검토하세요`),
            ]
          : [said(`find out why ${dep} is slow: bcon diagnose ${dep} "slow"`, `${dep}이(가) 느린 이유를 확인하세요: bcon diagnose ${dep} "느림"`)],
      });
    }
    return out;
  },
};
