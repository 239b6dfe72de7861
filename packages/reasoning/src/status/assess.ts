import type { ContainerFacts, StatsFacts } from '@bcon/sensor';
import { explainExitCode } from './exit-codes.js';
import { formatBytes, formatDuration, oneLine } from './format.js';
import { LOG_RULES } from './log-errors.js';

export type ContainerVerdict = 'ok' | 'degraded' | 'down' | 'completed';

/** Thresholds of the status verdict; documented in docs/status.md. */
export const STATUS_RULES = {
  /** Working set at or above this share of the memory limit → degraded. */
  memoryPressure: 0.9,
  /** A container that restarted and has been up less than this many seconds → degraded. */
  recentRestartSeconds: 600,
  /**
   * Restarted at least this often and up less than `crashLoopUptimeSeconds` → down (crash loop). Docker resets its
   * restart back-off once a container has run for 10 s, so a shorter uptime after several restarts is a loop caught
   * between two crashes.
   */
  crashLoopRestarts: 3,
  crashLoopUptimeSeconds: 10,
  /** The log rule reads at most this many of a running container's newest lines… */
  logTail: LOG_RULES.tail,
  /** …of the last this many seconds… */
  logWindowSeconds: LOG_RULES.windowSeconds,
  /** …and at most this many bytes (see log-errors.ts for when they make it degraded). */
  logMaxBytes: LOG_RULES.maxBytes,
} as const;

export interface ContainerAssessment {
  verdict: ContainerVerdict;
  /** Short reason, undefined when ok. */
  problem: string | undefined;
  /** Whether this container is serving (running, not unhealthy, not restarting). */
  available: boolean;
}

function secondsSince(iso: string | undefined, now: number): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Math.max(0, (now - t) / 1000);
}

export function describeExit(c: ContainerFacts, now: number): string {
  const meaning = c.oomKilled ? 'OOM killed' : explainExitCode(c.exitCode);
  const ago = secondsSince(c.finishedAt, now);
  return `exited (${c.exitCode}${meaning && c.exitCode !== 0 ? `, ${meaning}` : ''})${ago !== undefined ? ` ${formatDuration(ago)} ago` : ''}`;
}

/** A one-shot job that finished: exited 0, not OOM-killed, with no policy that would restart it. */
export function isCompletedJob(c: ContainerFacts): boolean {
  return c.state === 'exited' && c.exitCode === 0 && !c.oomKilled && ['no', 'on-failure', ''].includes(c.restartPolicy.name);
}

/** The verdict of one container from its state, health, restarts and memory. */
export function assessContainer(c: ContainerFacts, stats: StatsFacts | undefined, now: number): ContainerAssessment {
  switch (c.state) {
    case 'running': {
      if (c.health.status === 'unhealthy') {
        const last = c.health.log.at(-1);
        const output = last ? `: ${oneLine(last.output, 60)}` : '';
        return { verdict: 'down', problem: `unhealthy (${c.health.failingStreak} failing probes)${output}`, available: false };
      }
      const uptime = secondsSince(c.startedAt, now);
      if (c.restartCount >= STATUS_RULES.crashLoopRestarts && uptime !== undefined && uptime < STATUS_RULES.crashLoopUptimeSeconds) {
        return { verdict: 'down', problem: `crash loop: restarted ${c.restartCount} times, up ${formatDuration(uptime)}`, available: false };
      }
      const problems: string[] = [];
      if (c.health.status === 'starting') problems.push('health check starting');
      const limit = c.limits.memoryBytes;
      if (stats && limit && stats.memory.usageBytes / limit >= STATUS_RULES.memoryPressure) {
        problems.push(`memory at ${Math.round((stats.memory.usageBytes / limit) * 100)}% of its ${formatBytes(limit)} limit`);
      }
      if (c.restartCount > 0 && uptime !== undefined && uptime < STATUS_RULES.recentRestartSeconds) {
        problems.push(`restarted ${c.restartCount} time${c.restartCount === 1 ? '' : 's'}, up ${formatDuration(uptime)}`);
      }
      return problems.length > 0
        ? { verdict: 'degraded', problem: problems.join('; '), available: true }
        : { verdict: 'ok', problem: undefined, available: true };
    }
    case 'paused':
      return { verdict: 'degraded', problem: 'paused', available: false };
    case 'restarting':
      return {
        verdict: 'down',
        problem: `restarting: ${describeExit(c, now)}, restarted ${c.restartCount} time${c.restartCount === 1 ? '' : 's'}`,
        available: false,
      };
    case 'created':
      return { verdict: 'down', problem: 'created, never started', available: false };
    case 'removing':
      return { verdict: 'down', problem: 'being removed', available: false };
    case 'exited':
    case 'dead': {
      if (isCompletedJob(c)) return { verdict: 'completed', problem: undefined, available: false };
      return { verdict: 'down', problem: c.state === 'dead' ? 'dead (the engine could not stop or remove it)' : describeExit(c, now), available: false };
    }
  }
}
