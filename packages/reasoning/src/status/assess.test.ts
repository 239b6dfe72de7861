import { describe, expect, it } from 'vitest';
import { NOW, ago, container, stats } from '../__fixtures__/facts.js';
import { assessContainer } from './assess.js';

describe('assessContainer', () => {
  it('is ok for a running container with nothing wrong', () => {
    expect(assessContainer(container(), undefined, NOW)).toEqual({ verdict: 'ok', problem: undefined, available: true });
  });

  it('explains an exit by its code, and an OOM kill', () => {
    const oom = container({ state: 'exited', exitCode: 137, oomKilled: true, finishedAt: ago(300) });
    expect(assessContainer(oom, undefined, NOW).problem).toBe('exited (137, OOM killed) 5m ago');
    const notFound = container({ state: 'exited', exitCode: 127, finishedAt: ago(5) });
    expect(assessContainer(notFound, undefined, NOW)).toMatchObject({ verdict: 'down', problem: 'exited (127, command not found) 5s ago' });
  });

  it('takes exit 0 without a restart policy as a completed job, not an outage', () => {
    expect(assessContainer(container({ state: 'exited', exitCode: 0 }), undefined, NOW).verdict).toBe('completed');
    expect(assessContainer(container({ state: 'exited', exitCode: 0, restartPolicy: { name: 'always', maximumRetryCount: 0 } }), undefined, NOW).verdict).toBe('down');
  });

  it('calls an unhealthy container down and quotes its last probe', () => {
    const c = container({
      health: { status: 'unhealthy', failingStreak: 3, log: [{ start: ago(2), end: ago(1), exitCode: 1, output: 'curl: (7) Failed\nto connect' }] },
    });
    expect(assessContainer(c, undefined, NOW)).toEqual({ verdict: 'down', problem: 'unhealthy (3 failing probes): curl: (7) Failed to connect', available: false });
  });

  it('flags memory pressure, recent restarts and a starting health check as degraded', () => {
    const c = container({ limits: { memoryBytes: 100 * 1024 * 1024, memoryReservationBytes: undefined, nanoCpus: undefined } });
    expect(assessContainer(c, stats(c.id, 95 * 1024 * 1024), NOW).problem).toBe('memory at 95% of its 100 MiB limit');
    expect(assessContainer(c, stats(c.id, 50 * 1024 * 1024), NOW).verdict).toBe('ok');
    expect(assessContainer(container({ restartCount: 2, startedAt: ago(30) }), undefined, NOW).problem).toBe('restarted 2 times, up 30s');
    expect(assessContainer(container({ restartCount: 2, startedAt: ago(7200) }), undefined, NOW).verdict).toBe('ok');
    expect(assessContainer(container({ health: { status: 'starting', failingStreak: 0, log: [] } }), undefined, NOW).verdict).toBe('degraded');
  });

  it('calls a container caught running between crashes down (crash loop)', () => {
    expect(assessContainer(container({ restartCount: 5, startedAt: ago(1) }), undefined, NOW)).toEqual({
      verdict: 'down',
      problem: 'crash loop: restarted 5 times, up 1s',
      available: false,
    });
    expect(assessContainer(container({ restartCount: 5, startedAt: ago(30) }), undefined, NOW).verdict).toBe('degraded');
    expect(assessContainer(container({ restartCount: 2, startedAt: ago(1) }), undefined, NOW).verdict).toBe('degraded');
  });

  it('calls a restarting container down', () => {
    const c = container({ state: 'restarting', exitCode: 1, restartCount: 7, finishedAt: ago(1) });
    expect(assessContainer(c, undefined, NOW)).toMatchObject({ verdict: 'down', problem: 'restarting: exited (1) 1s ago, restarted 7 times' });
  });
});
