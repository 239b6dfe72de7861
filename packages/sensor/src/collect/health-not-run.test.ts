import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from './containers.js';
import { markHealthNotRun } from './health-not-run.js';

const started = '2026-01-01T00:00:00.000Z';
const t0 = Date.parse(started);
const c = (over: { status?: ContainerFacts['health']['status']; log?: ContainerFacts['health']['log']; state?: ContainerFacts['state']; test?: string[] } = {}): ContainerFacts =>
  ({
    state: over.state ?? 'running',
    startedAt: started,
    health: { status: over.status ?? 'starting', failingStreak: 0, log: over.log ?? [] },
    config: { cmd: null, entrypoint: null, env: [], healthcheck: { test: over.test ?? ['CMD-SHELL', 'true'], intervalNs: 2e9, timeoutNs: 1e9, startPeriodNs: undefined, retries: 2 } },
  }) as unknown as ContainerFacts;

describe('markHealthNotRun', () => {
  it('Podman: no probe one Interval + Timeout + 5 s after the start is not_run; before that it is still starting', () => {
    expect(markHealthNotRun(c(), 'Podman', t0 + 7_000).health.status).toBe('starting');
    expect(markHealthNotRun(c(), 'Podman', t0 + 8_100).health.status).toBe('not_run');
  });

  it('Podman: a last probe that old (a manual podman healthcheck run, long ago) is stale: not_run; a recent one stands', () => {
    const log = [{ start: '2026-01-01T00:00:10.000Z', end: '2026-01-01T00:00:10.100Z', exitCode: 0, output: '' }];
    expect(markHealthNotRun(c({ status: 'healthy', log }), 'Podman', t0 + 12_000).health.status).toBe('healthy');
    expect(markHealthNotRun(c({ status: 'healthy', log }), 'Podman', t0 + 60_000).health.status).toBe('not_run');
  });

  it('Docker runs its checks: left as reported; so are containers without a healthcheck or not running', () => {
    expect(markHealthNotRun(c(), 'Docker', t0 + 600_000).health.status).toBe('starting');
    expect(markHealthNotRun(c({ status: 'none', test: [] }), 'Podman', t0 + 600_000).health.status).toBe('none');
    expect(markHealthNotRun(c({ test: ['NONE'] }), 'Podman', t0 + 600_000).health.status).toBe('starting');
    expect(markHealthNotRun(c({ state: 'exited' }), 'Podman', t0 + 600_000).health.status).toBe('starting');
  });
});
