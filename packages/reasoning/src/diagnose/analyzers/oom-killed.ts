import { formatBytes } from '../../status/format.js';
import { at, citeState } from '../cite.js';
import type { Analyzer, Finding } from '../finding.js';
import { stopsAsked } from '../service-state.js';
import { said } from '../text.js';

/** The kernel killed a container at its memory limit: the OOMKilled flag, an `oom` event, or exit 137 under a limit. */
export const oomKilled: Analyzer = {
  name: 'oom-killed',
  causes: ['oom_killed'],
  analyze(service, ctx) {
    const out: Finding[] = [];
    const ooms = service.events.filter((e) => e.action === 'oom');
    for (const c of service.containers) {
      const evidence = [citeState(ctx, c)];
      const mine = ooms.filter((e) => e.containerId === c.id);
      if (mine.length) {
        const last = mine[mine.length - 1] as (typeof mine)[number];
        evidence.push(ctx.evidence.add('event', c.name, `${mine.length} oom event${mine.length === 1 ? '' : 's'} from the engine, the last at ${at(last.at)}`));
      }
      // exit 137 without a stop/kill request: SIGKILL from the kernel (the OOMKilled flag can lose a race with the exit)
      const asked = stopsAsked(service, c).length > 0;
      const killedUnderLimit = c.exitCode === 137 && c.limits.memoryBytes !== undefined && !asked;
      if (!c.oomKilled && !mine.length && !killedUnderLimit) continue;
      const confidence = c.oomKilled ? 0.95 : mine.length ? 0.9 : 0.65;
      const limit = c.limits.memoryBytes ? formatBytes(c.limits.memoryBytes) : undefined;
      out.push({
        cause: 'oom_killed',
        culprit: service.name,
        observedOn: service.name,
        confidence,
        root: true,
        summary: said(
          `${c.name} was killed for running out of memory${limit ? ` (limit ${limit})` : ''}`,
          `${c.name} 컨테이너가 메모리 부족으로 강제 종료되었습니다${limit ? ` (제한 ${limit})` : ''}`,
        ),
        evidence,
        suggestions: [
          said(
            `raise the memory limit of ${service.name}${limit ? ` above ${limit}` : ''} (mem_limit / deploy.resources.limits.memory), or make it use less (stream input instead of loading it whole)`,
            `${service.name}의 메모리 제한${limit ? `(${limit})` : ''}을 올리거나 (mem_limit / deploy.resources.limits.memory), 입력을 한꺼번에 읽지 말고 나눠 처리해 사용량을 줄이세요`,
          ),
          said(`look at what grew before the kill: bcon logs ${service.name} --since 1h`, `종료 직전에 무엇이 늘었는지 확인하세요: bcon logs ${service.name} --since 1h`),
        ],
      });
    }
    return out.length > 1 ? [{ ...(out[0] as Finding), evidence: out.flatMap((f) => f.evidence), confidence: Math.max(...out.map((f) => f.confidence)) }] : out;
  },
};
