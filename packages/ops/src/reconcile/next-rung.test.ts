import { describe, expect, it } from 'vitest';
import type { Rung } from './next-rung.js';
import { nextRung } from './next-rung.js';

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
