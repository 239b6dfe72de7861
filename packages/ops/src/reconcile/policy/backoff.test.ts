import { describe, expect, it } from 'vitest';
import { BackoffStateSchema, RestartBackoff } from './backoff.js';
import type { Clock } from './duration.js';

/** A clock the test moves by hand. */
function fakeClock(start = Date.parse('2026-01-07T12:00:00Z')): Clock & { advance(ms: number): number } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const S = 1000;
const MIN = 60 * S;

describe('restart backoff', () => {
  it('lets a container with no history restart at once', () => {
    expect(new RestartBackoff().may('shop-api-1', 0)).toBe(true);
  });

  it('waits 10/20/40/80/160/300/300 s between restarts of a crash loop', () => {
    const clock = fakeClock();
    const b = new RestartBackoff();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      expect(b.may('shop-api-1', clock.now())).toBe(true);
      const w = b.record('shop-api-1', clock.now());
      delays.push(w.delayMs / S);
      // one millisecond before the delay is up: still waiting; at the delay: may
      expect(b.may('shop-api-1', clock.now() + w.delayMs - 1)).toBe(false);
      expect(b.wait('shop-api-1', clock.now() + w.delayMs - 1)).toEqual({ restarts: i + 1, delayMs: w.delayMs, until: clock.now() + w.delayMs });
      clock.advance(w.delayMs);
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts over at 10 s after 10 min healthy', () => {
    const clock = fakeClock();
    const b = new RestartBackoff();
    for (let i = 0; i < 5; i++) clock.advance(b.record('c', clock.now()).delayMs); // 10 … 160 s
    b.healthy('c', clock.now());
    clock.advance(10 * MIN - 1);
    b.healthy('c', clock.now());
    // not yet 10 min: the next restart would wait 300 s
    expect(b.record('c', clock.now()).delayMs).toBe(300 * S);

    clock.advance(300 * S);
    b.healthy('c', clock.now());
    clock.advance(10 * MIN);
    b.healthy('c', clock.now());
    expect(b.toJSON().containers).toEqual({});
    expect(b.record('c', clock.now()).delayMs).toBe(10 * S);
  });

  it('counts the healthy streak as reset even before healthy() is called again', () => {
    const b = new RestartBackoff();
    b.record('c', 0);
    b.record('c', 10 * S); // waits 20 s
    b.healthy('c', 15 * S);
    expect(b.may('c', 20 * S)).toBe(false);
    // 10 min after the streak began the backoff is forgotten, whatever the last delay was
    expect(b.record('c', 15 * S + 10 * MIN).delayMs).toBe(10 * S);
  });

  it('breaks the healthy streak on an unhealthy observation', () => {
    const b = new RestartBackoff();
    b.record('c', 0);
    b.record('c', 10 * S);
    b.healthy('c', 1 * MIN);
    b.unhealthy('c', 6 * MIN);
    b.healthy('c', 7 * MIN);
    b.healthy('c', 11 * MIN + 1); // 10 min after the first healthy, but the streak began at 7 min
    expect(b.record('c', 12 * MIN).delayMs).toBe(40 * S);
  });

  it('keeps containers apart and forgets a removed one', () => {
    const b = new RestartBackoff();
    b.record('a', 0);
    expect(b.may('a', 5 * S)).toBe(false);
    expect(b.may('b', 5 * S)).toBe(true);
    b.forget('a');
    expect(b.may('a', 5 * S)).toBe(true);
  });

  it('survives a round trip through JSON between passes', () => {
    const b = new RestartBackoff();
    b.record('c', 0);
    b.record('c', 10 * S);
    const stored = JSON.parse(JSON.stringify(b.toJSON())) as unknown;
    expect(BackoffStateSchema.safeParse(stored).success).toBe(true);
    const again = RestartBackoff.fromJSON(stored);
    expect(again.wait('c', 11 * S)).toEqual({ restarts: 2, delayMs: 20 * S, until: 30 * S });
    expect(again.record('c', 30 * S).delayMs).toBe(40 * S);
  });

  it('does not share state with the value it was given or returned', () => {
    const state = new RestartBackoff().toJSON();
    const b = new RestartBackoff(state);
    b.record('c', 0);
    expect(state.containers).toEqual({});
    const out = b.toJSON();
    out.containers['c'] = { restarts: 99, lastRestartAt: 0 };
    expect(b.wait('c', 1)?.restarts).toBe(1);
  });

  it('refuses a corrupt stored value', () => {
    expect(() => RestartBackoff.fromJSON({ version: 1, containers: { c: { restarts: 'many' } } })).toThrow();
  });

  it('describes a wait with its time, restart and delay', () => {
    expect(RestartBackoff.describe({ restarts: 3, delayMs: 40 * S, until: Date.parse('2026-01-02T18:00:40Z') })).toBe('backoff until 2026-01-02T18:00:40Z (restart 3, delay 40s)');
  });

  it('takes other delays when asked', () => {
    const b = new RestartBackoff(undefined, { initialMs: 1 * S, maxMs: 4 * S });
    expect([1, 2, 3, 4].map((n) => b.delayAfter(n) / S)).toEqual([1, 2, 4, 4]);
  });
});
