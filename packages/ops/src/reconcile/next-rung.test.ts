import { describe, expect, it } from 'vitest';
import type { Rung } from './next-rung.js';
import { firstRunFailed, nextRung } from './next-rung.js';

const option = (n: number, action: string, extra: Record<string, unknown> = {}) => ({ n, action, tier: 'autonomous', culprit: 'web', cause: 'crash_loop', summary: `${action} web`, params: { container: 'shop_web_1' }, reasons: [`${action} reason`], ...extra });
const rung = (first: ReturnType<typeof option>, ...rest: ReturnType<typeof option>[]): Rung =>
  ({
    host: 'h1',
    option: first,
    proposal: { options: [first, ...rest] },
    candidate: { host: 'h1', service: 'shop/web', actionType: first.action, tier: first.tier, reasons: ['why', 'desired state at commit abc123'] },
  }) as unknown as Rung;

describe('nextRung', () => {
  it('keeps the first rung while it has not failed at this commit', () => {
    const c = rung(option(1, 'container.start'), option(2, 'service.recreate', { tier: 'notify' }));
    expect(nextRung(c, () => false)).toBe(c);
  });

  it('climbs to a re-create of the same cause once the start failed, with the commit kept in its reasons', () => {
    const c = rung(option(1, 'container.restart'), option(2, 'service.recreate', { tier: 'notify' }));
    const next = nextRung(c, (x) => x.option.action === 'container.restart');
    expect(next.option).toMatchObject({ n: 1, action: 'service.recreate' });
    expect(next.candidate).toMatchObject({ actionType: 'service.recreate', tier: 'notify', containerKey: 'h1/shop_web_1' });
    expect(next.candidate.reasons.at(-1)).toBe('desired state at commit abc123');
    expect(next.proposal.options.map((o) => [o.n, o.action])).toEqual([
      [1, 'service.recreate'],
      [2, 'container.restart'],
    ]);
  });

  it('climbs once: a re-create that failed too leaves the first rung (and its proposal) to the policy', () => {
    const c = rung(option(1, 'container.start'), option(2, 'service.recreate'));
    expect(nextRung(c, () => true)).toBe(c);
  });

  it('only for a crash loop, and only to a re-create of the same culprit and cause', () => {
    const unhealthy = rung(option(1, 'container.restart', { cause: 'healthcheck_failing' }), option(2, 'service.recreate', { cause: 'healthcheck_failing' }));
    expect(nextRung(unhealthy, (x) => x === unhealthy)).toBe(unhealthy);
    const other = rung(option(1, 'container.start'), option(2, 'service.recreate', { culprit: 'db' }));
    expect(nextRung(other, (x) => x === other)).toBe(other);
  });
});

describe('nextRung when a fresh container already failed', () => {
  it('does not climb: the start stays, with why no re-create in its reasons', () => {
    const c = { ...rung(option(1, 'container.start'), option(2, 'service.recreate', { tier: 'notify' })), freshFailed: 'a fresh container from the same configuration failed the same way' };
    const next = nextRung(c, (x) => x.option.action === 'container.start');
    expect(next.option.action).toBe('container.start');
    expect(next.candidate.reasons[0]).toBe('no re-create: a fresh container from the same configuration failed the same way');
  });
});

describe('firstRunFailed', () => {
  const T = Date.parse('2026-12-04T10:00:00Z');
  const c = { id: 'c1', createdAt: new Date(T).toISOString() };
  const ev = (s: number, action: string, exitCode?: number, containerId = 'c1') => ({ at: T + s * 1000, action, containerId, exitCode });
  const loop = (from: number, n: number, lasts: number) => Array.from({ length: n }, (_, i) => [ev(from + i * (lasts + 1), 'start'), ev(from + i * (lasts + 1) + lasts, 'die', 1)]).flat();

  it('every run since it was made died at once (a bad setting): a fresh container fails too', () => {
    const why = firstRunFailed(c, [ev(0, 'create'), ...loop(0.2, 4, 0.5)]);
    expect(why).toMatch(/first run died after 0\.5 s \(exit code 1\), and none of its 4 runs lasted 30 s/);
  });

  it('a first run that lasted (a stale pid file left by a crash after it): a fresh container may clear it', () => {
    expect(firstRunFailed(c, [ev(0, 'create'), ev(0.2, 'start'), ev(600, 'die', 137), ...loop(601, 3, 0.4)])).toBeUndefined();
    // under 30 s, but longer than every later run: it served, then something it left made the others die at once
    expect(firstRunFailed(c, [ev(0, 'create'), ev(0.2, 'start'), ev(20, 'die', 137), ...loop(21, 3, 0.4)])).toBeUndefined();
    // a slower boot that fails the same way each time is still a first run as short as the others
    expect(firstRunFailed(c, [ev(0, 'create'), ...loop(0.2, 3, 8)])).toMatch(/first run died after 8\.0 s/);
  });

  it('unknown when the events do not reach back to its making, or it never died', () => {
    expect(firstRunFailed(c, loop(0.2, 4, 0.5))).toBeUndefined();
    expect(firstRunFailed(c, [ev(0, 'create'), ev(0.2, 'start')])).toBeUndefined();
    expect(firstRunFailed(c, [ev(0, 'create'), ...loop(0.2, 1, 0.5)])).toBeUndefined();
    // another container's create is not this one's
    expect(firstRunFailed(c, [ev(0, 'create', undefined, 'c2'), ...loop(0.2, 4, 0.5)])).toBeUndefined();
    // a create far from the container's own time (another container of that id? a clock apart): not trusted
    expect(firstRunFailed({ id: 'c1', createdAt: new Date(T - 3600_000).toISOString() }, [ev(0, 'create'), ...loop(0.2, 4, 0.5)])).toBeUndefined();
  });
});
