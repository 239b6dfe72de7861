import type { AnalyzerContext } from './finding.js';
import { quantile } from './log-digest.js';
import type { ServiceSignals } from './signals.js';

/** A service with no running container (none created, all exited, or restarting between attempts). */
export function isDown(s: ServiceSignals): boolean {
  return !s.containers.some((c) => c.state === 'running' || c.state === 'paused');
}

/** A service showing trouble of its own: errors in its logs, restarts, a failed health, or a container down. */
export function isTroubled(s: ServiceSignals, ctx: AnalyzerContext): boolean {
  const d = ctx.digests.get(s.name);
  return (
    (d?.errors ?? 0) > 0 ||
    s.containers.some((c) => c.state !== 'running' || c.restartCount > 0 || c.health.status === 'unhealthy') ||
    s.events.some((e) => e.action === 'die')
  );
}

export interface Slowness {
  /** median latency now, ms */
  now: number;
  /** what is usual, ms, and where that figure comes from */
  usual: number | undefined;
  usualFrom: 'baseline' | 'earlier logs' | undefined;
  p95: number;
  samples: number;
}

/**
 * Request latency now against the usual: the stored baseline when there is one, else the earlier part of the
 * same log window. Slow = the median is at least 3× the usual and 150 ms more; with no usual figure, a median over
 * one second.
 */
export function slowness(s: ServiceSignals, ctx: AnalyzerContext): (Slowness & { slow: boolean }) | undefined {
  const lat = ctx.digests.get(s.name)?.latency;
  if (!lat || lat.recent.length < 3) return undefined;
  const now = quantile(lat.recent, 0.5) as number;
  const p95 = quantile(lat.recent, 0.95) as number;
  const fromBaseline = s.baseline?.latencyP50Ms;
  const fromEarlier = quantile(lat.earlier, 0.5);
  const usual = fromBaseline ?? fromEarlier;
  const usualFrom = fromBaseline !== undefined ? 'baseline' : fromEarlier !== undefined ? 'earlier logs' : undefined;
  const slow = usual !== undefined ? now >= usual * 3 && now - usual >= 150 : now >= 1000;
  return { now, usual, usualFrom, p95, samples: lat.recent.length, slow };
}
