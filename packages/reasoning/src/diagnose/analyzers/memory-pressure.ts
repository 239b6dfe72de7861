import { formatBytes } from '../../status/format.js';
import { citeHits } from '../cite.js';
import type { Analyzer, Finding } from '../finding.js';
import { clamp } from '../finding.js';
import { replyOwner } from '../reply-owner.js';
import type { ServiceSignals } from '../signals.js';
import { said } from '../text.js';

const NEAR = 0.85;

/** Its command or entrypoint sets Redis's memory ceiling (`--maxmemory 16mb`). */
const setsMaxmemory = (s: ServiceSignals): boolean =>
  [s.spec?.command, s.spec?.entrypoint, ...s.containers.flatMap((c) => [c.config.cmd, c.config.entrypoint])].some((argv) => (argv ?? []).some((a) => /(?:^|\s)--maxmemory(?:\s|=|$)/.test(a)));

/** The most the Redis setting a client is told of may claim when the Redis's container is itself near its limit. */
const RELAYED_LEAD = 0.4;

/** Its share of its container memory limit, at or above NEAR, for one of its containers. */
function nearLimit(s: ServiceSignals): boolean {
  return s.containers.some((c) => {
    const st = s.stats[c.id];
    return st !== undefined && c.limits.memoryBytes !== undefined && c.limits.memoryBytes > 0 && st.memory.usageBytes / c.limits.memoryBytes >= NEAR;
  });
}

/** A running container close to its memory limit, or software saying it cannot allocate memory. */
export const memoryPressure: Analyzer = {
  name: 'memory-pressure',
  causes: ['memory_pressure', 'bad_command'],
  analyze(service, ctx) {
    const evidence: string[] = [];
    let confidence = 0;
    let detail = '';
    for (const c of service.containers) {
      const s = service.stats[c.id];
      const limit = c.limits.memoryBytes;
      if (!s || !limit) continue;
      const share = s.memory.usageBytes / limit;
      if (share >= NEAR) {
        confidence = Math.max(confidence, share >= 0.95 ? 0.8 : 0.7);
        detail = `${formatBytes(s.memory.usageBytes)} of ${formatBytes(limit)} (${Math.round(share * 100)}%)`;
        evidence.push(ctx.evidence.add('stats', c.name, `memory ${detail}`));
      }
    }
    const digest = ctx.digests.get(service.name);
    // a server's reply quoted by its client (Redis's `-OOM command not allowed`): the server is short, not the client
    const relayed = new Map<string, { owner: ServiceSignals; evidence: string[]; confidence: number; detail: string }>();
    for (const hits of digest?.hits.values() ?? []) {
      const pattern = hits.matches[0]?.pattern;
      if (pattern?.cause !== 'memory_pressure') continue;
      const owner = replyOwner(service, pattern, ctx);
      if (owner && setsMaxmemory(owner)) {
        const r = relayed.get(owner.name) ?? { owner, evidence: [], confidence: 0, detail: hits.matches[0]?.description ?? '' };
        // its own ceiling is what binds only when its container has room above it: near the container's limit, a
        // higher maxmemory would only be OOM-killed there — the memory is short (the owner's own memory_pressure),
        // and the setting is a lead
        r.confidence = Math.max(r.confidence, nearLimit(owner) ? RELAYED_LEAD : clamp(0.55 + 0.3 * pattern.weight));
        r.evidence.push(citeHits(ctx, hits));
        relayed.set(owner.name, r);
        continue;
      }
      confidence = Math.max(confidence, clamp(0.55 + 0.3 * (hits.matches[0]?.pattern.weight ?? 0.5)));
      evidence.push(citeHits(ctx, hits));
      detail ||= hits.matches[0]?.description ?? '';
    }
    const base = service.baseline?.memoryBytes;
    if (evidence.length && base) evidence.push(ctx.evidence.add('baseline', service.name, `usual memory ${formatBytes(base)} (median of ${service.baseline?.samples} samples)`));
    // Redis refusing writes at the `--maxmemory` its command sets (with `noeviction`) is a setting of Redis, not a
    // container short of memory: bad_command, whose answer is a change to that command — not a restart (it empties
    // and fills again) nor a container limit (Redis stops at its own). Set elsewhere (a redis.conf), nothing names the
    // setting: the line stays the client's, as before
    const out: Finding[] = [...relayed.values()].map((r) => ({
      cause: 'bad_command',
      culprit: r.owner.name,
      observedOn: service.name,
      confidence: r.confidence,
      root: true,
      summary: said(`${r.owner.name} refuses writes at its own memory setting, as ${service.name} is told: ${r.detail}`, `${service.name}이(가) 받은 응답으로 보아 ${r.owner.name}이(가) 자체 메모리 설정에서 쓰기를 거부합니다: ${r.detail}`),
      evidence: r.evidence,
      suggestions: [
        said(`raise ${r.owner.name}'s maxmemory in its command or config, or let it evict (maxmemory-policy allkeys-lru), then recreate it: a restart empties it and it fills again`, `${r.owner.name}의 maxmemory를 올리거나 제거 정책(maxmemory-policy allkeys-lru)을 둔 뒤 다시 만드세요: 재시작은 비우기만 하고 다시 찹니다`),
      ],
    }));
    if (!evidence.length) return out;
    const f: Finding = {
      cause: 'memory_pressure',
      culprit: service.name,
      observedOn: service.name,
      confidence,
      root: true,
      summary: said(`${service.name} is short of memory: ${detail}`, `${service.name}의 메모리가 부족합니다: ${detail}`),
      evidence,
      suggestions: [
        said(`raise the memory limit of ${service.name} or lower what it caches in memory`, `${service.name}의 메모리 제한을 올리거나 메모리 캐시 크기를 줄이세요`),
        said(`check for a leak: compare memory over time (bcon status, several runs)`, `메모리 누수를 확인하세요: 시간에 따른 메모리 변화를 비교하세요 (bcon status 여러 번)`),
      ],
    };
    return [...out, f];
  },
};
