import { formatMs as ms } from '../status/format.js';
import { explainExitCode } from '../status/exit-codes.js';
import type { AnalyzerContext } from './finding.js';
import { slowness } from './service-state.js';
import type { ServiceSignals } from './signals.js';
import type { Said } from './text.js';
import { said } from './text.js';

export interface Symptom {
  service: string;
  text: Said;
  evidence: string[];
}


/** What is visibly wrong with a service, before any cause: state, restarts, health, latency, error lines. */
export function symptomsOf(s: ServiceSignals, ctx: AnalyzerContext): Symptom[] {
  const out: Symptom[] = [];
  if (!s.containers.length && s.spec) out.push({ service: s.name, text: said(`${s.name} has no container`, `${s.name} 컨테이너 없음`), evidence: [] });
  for (const c of s.containers) {
    if (c.state !== 'running') {
      const meaning = explainExitCode(c.exitCode);
      out.push({
        service: s.name,
        text: said(`${c.name} is ${c.state}${c.state === 'exited' ? `, exit code ${c.exitCode}${meaning ? ` (${meaning})` : ''}` : ''}`, `${c.name} 상태 ${c.state}${c.state === 'exited' ? `, 종료 코드 ${c.exitCode}` : ''}`),
        evidence: [],
      });
    } else if (c.restartCount > 0) out.push({ service: s.name, text: said(`${c.name} restarted ${c.restartCount} times`, `${c.name} ${c.restartCount}회 재시작`), evidence: [] });
    if (c.health.status === 'unhealthy') out.push({ service: s.name, text: said(`${c.name} is unhealthy`, `${c.name} 헬스체크 실패 (unhealthy)`), evidence: [] });
  }
  for (const c of s.containers) {
    const st = s.stats[c.id];
    if (!st) continue;
    const cpus = c.limits.nanoCpus ? c.limits.nanoCpus / 1e9 : undefined;
    if (cpus && st.cpu.percent !== undefined && st.cpu.percent >= cpus * 90) {
      out.push({ service: s.name, text: said(`${c.name} uses ${st.cpu.percent.toFixed(1)}% CPU, all of its ${cpus} CPU limit`, `${c.name} CPU ${st.cpu.percent.toFixed(1)}% 사용 — 제한 ${cpus} CPU를 모두 사용 중`), evidence: [] });
    }
    const limit = c.limits.memoryBytes;
    if (limit && st.memory.usageBytes >= limit * 0.85) {
      out.push({ service: s.name, text: said(`${c.name} uses ${Math.round((st.memory.usageBytes / limit) * 100)}% of its memory limit`, `${c.name} 메모리 제한의 ${Math.round((st.memory.usageBytes / limit) * 100)}% 사용 중`), evidence: [] });
    }
  }
  const slow = slowness(s, ctx);
  if (slow?.slow) {
    out.push({
      service: s.name,
      text: slow.route
        ? said(`${s.name} ${slow.route}: median response time ${ms(slow.now)}, p95 ${ms(slow.p95)} (its other requests ${ms(slow.usual ?? 0)})`, `${s.name} ${slow.route}: 응답 시간 중앙값 ${ms(slow.now)}, p95 ${ms(slow.p95)} (다른 요청 ${ms(slow.usual ?? 0)})`)
        : said(`${s.name} median response time ${ms(slow.now)}, p95 ${ms(slow.p95)}${slow.usual !== undefined ? ` (usual ${ms(slow.usual)})` : ''}`, `${s.name} 응답 시간 중앙값 ${ms(slow.now)}, p95 ${ms(slow.p95)}${slow.usual !== undefined ? ` (평소 ${ms(slow.usual)})` : ''}`),
      evidence: [],
    });
  }
  const d = ctx.digests.get(s.name);
  if (d && d.errors > 0) out.push({ service: s.name, text: said(`${s.name} logged ${d.errors} error lines in ${d.lines} read`, `${s.name} 오류 로그 ${d.errors}줄 (읽은 ${d.lines}줄 중)`), evidence: [] });
  return out;
}
