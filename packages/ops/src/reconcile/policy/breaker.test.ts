import { describe, expect, it } from 'vitest';
import { BreakerStateSchema, CircuitBreaker } from './breaker.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-07T12:00:00Z');

describe('circuit breaker', () => {
  it('opens when the same action on the same service repeats 3 times within 30 min', () => {
    const b = new CircuitBreaker();
    expect(b.record('shop/api', 'container.restart', T0)).toBeUndefined();
    expect(b.record('shop/api', 'container.restart', T0 + 10 * MIN)).toBeUndefined();
    expect(b.isOpen('shop/api')).toBe(false);
    const opened = b.record('shop/api', 'container.restart', T0 + 29 * MIN);
    expect(opened).toEqual({ openedAt: T0 + 29 * MIN, action: 'container.restart', count: 3, firstAt: T0 });
    expect(b.isOpen('shop/api')).toBe(true);
    expect(b.describe('shop/api')).toBe('breaker open for shop/api since 2026-01-07T12:29:00Z: container.restart 3× within 30m (flapping); a person must reset it');
  });

  it('stays closed when the repetitions are spread wider than the window', () => {
    const b = new CircuitBreaker();
    b.record('shop/api', 'container.restart', T0);
    b.record('shop/api', 'container.restart', T0 + 20 * MIN);
    b.record('shop/api', 'container.restart', T0 + 30 * MIN); // the first is exactly 30 min old: out
    expect(b.isOpen('shop/api')).toBe(false);
    b.record('shop/api', 'container.restart', T0 + 35 * MIN);
    expect(b.isOpen('shop/api')).toBe(true);
  });

  it('counts one action on one service: other actions and services do not add up', () => {
    const b = new CircuitBreaker();
    b.record('shop/api', 'container.restart', T0);
    b.record('shop/api', 'service.recreate', T0 + MIN);
    b.record('shop/web', 'container.restart', T0 + 2 * MIN);
    b.record('shop/api', 'container.restart', T0 + 3 * MIN);
    expect(b.openScopes()).toEqual([]);
  });

  it('stays open until a person resets it, then starts counting afresh', () => {
    const b = new CircuitBreaker();
    for (const m of [0, 1, 2]) b.record('shop/api', 'container.restart', T0 + m * MIN);
    // days later, nothing closes it on its own
    expect(b.isOpen('shop/api')).toBe(true);
    expect(b.record('shop/api', 'container.restart', T0 + 3 * 24 * 60 * MIN)).toBeUndefined();
    expect(b.isOpen('shop/api')).toBe(true);
    expect(b.openScopes()).toEqual([{ scope: 'shop/api', openedAt: T0 + 2 * MIN, action: 'container.restart', count: 3, firstAt: T0 }]);

    expect(b.reset('shop/api')).toBe(true);
    expect(b.isOpen('shop/api')).toBe(false);
    expect(b.describe('shop/api')).toBeUndefined();
    b.record('shop/api', 'container.restart', T0 + 3 * MIN);
    b.record('shop/api', 'container.restart', T0 + 4 * MIN);
    expect(b.isOpen('shop/api')).toBe(false);
    expect(b.reset('shop/api')).toBe(false);
  });

  it('takes another threshold and window', () => {
    const b = new CircuitBreaker(undefined, { threshold: 2, windowMs: 5 * MIN });
    b.record('s', 'container.start', T0);
    expect(b.record('s', 'container.start', T0 + 4 * MIN)?.count).toBe(2);
  });

  it('keeps an open breaker through a round trip through JSON', () => {
    const b = new CircuitBreaker();
    for (const m of [0, 1, 2]) b.record('shop/api', 'container.restart', T0 + m * MIN);
    b.record('shop/web', 'container.restart', T0 + 3 * MIN);
    const stored = JSON.parse(JSON.stringify(b.toJSON())) as unknown;
    expect(BreakerStateSchema.safeParse(stored).success).toBe(true);
    const again = CircuitBreaker.fromJSON(stored);
    expect(again.isOpen('shop/api')).toBe(true);
    again.record('shop/web', 'container.restart', T0 + 4 * MIN);
    expect(again.record('shop/web', 'container.restart', T0 + 5 * MIN)?.count).toBe(3);
    expect(() => CircuitBreaker.fromJSON({ version: 1, recent: [], open: { x: {} } })).toThrow();
  });
});
