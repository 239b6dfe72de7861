import { describe, expect, it } from 'vitest';
import { whyFreshFails } from './fresh-failure.js';

describe('whyFreshFails', () => {
  const T = Date.parse('2026-12-04T10:00:00Z');
  const c = { id: 'c1', createdAt: new Date(T).toISOString() };
  const ev = (s: number, action: string, exitCode?: number, containerId = 'c1') => ({ at: T + s * 1000, action, containerId, exitCode });
  const loop = (from: number, n: number, lasts: number) => Array.from({ length: n }, (_, i) => [ev(from + i * (lasts + 1), 'start'), ev(from + i * (lasts + 1) + lasts, 'die', 1)]).flat();

  it('every run since it was made died at once (a bad setting): a fresh container fails too', () => {
    const why = whyFreshFails(c, [ev(0, 'create'), ...loop(0.2, 4, 0.5)]);
    expect(why).toMatch(/first run died after 0\.5 s \(exit code 1\), and none of its 4 runs lasted 30 s/);
  });

  it('a first run that lasted (a stale pid file left by a crash after it): a fresh container may clear it', () => {
    expect(whyFreshFails(c, [ev(0, 'create'), ev(0.2, 'start'), ev(600, 'die', 137), ...loop(601, 3, 0.4)])).toBeUndefined();
    // under 30 s, but longer than every later run: it served, then something it left made the others die at once
    expect(whyFreshFails(c, [ev(0, 'create'), ev(0.2, 'start'), ev(20, 'die', 137), ...loop(21, 3, 0.4)])).toBeUndefined();
    // a first run that died otherwise (exit 1: its database not up yet), the later ones another way (exit 3)
    expect(whyFreshFails(c, [ev(0, 'create'), ev(0.2, 'start'), ev(1.5, 'die', 1), ev(2, 'start'), ev(2.3, 'die', 3), ev(3, 'start'), ev(3.3, 'die', 3)])).toBeUndefined();
    // a slower boot that fails the same way each time is still a first run as short as the others
    expect(whyFreshFails(c, [ev(0, 'create'), ...loop(0.2, 3, 8)])).toMatch(/first run died after 8\.0 s/);
  });

  it('unknown when the events do not reach back to its making, or it never died', () => {
    expect(whyFreshFails(c, loop(0.2, 4, 0.5))).toBeUndefined();
    expect(whyFreshFails(c, [ev(0, 'create'), ev(0.2, 'start')])).toBeUndefined();
    expect(whyFreshFails(c, [ev(0, 'create'), ...loop(0.2, 1, 0.5)])).toBeUndefined();
    // another container's create is not this one's
    expect(whyFreshFails(c, [ev(0, 'create', undefined, 'c2'), ...loop(0.2, 4, 0.5)])).toBeUndefined();
    // a create far from the container's own time (another container of that id? a clock apart): not trusted
    expect(whyFreshFails({ id: 'c1', createdAt: new Date(T - 3600_000).toISOString() }, [ev(0, 'create'), ...loop(0.2, 4, 0.5)])).toBeUndefined();
  });
});
