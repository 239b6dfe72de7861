import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './policy/breaker.js';
import { breakerForRaise, killedSince, limitsChangedAt, pendingRaise, raiseWithinCeiling } from './memory-raise.js';

const MiB = 1024 * 1024;

describe('raiseWithinCeiling', () => {
  const base = { ceilingBytes: 1024 * MiB, committedBytes: 256 * MiB, liveBytes: 256 * MiB, wantedBytes: 512 * MiB, pull: false };
  it('raises to what the rules want when it is under the ceiling', () => {
    expect(raiseWithinCeiling(base)).toEqual({ bytes: 512 * MiB, capped: false, why: 'raised within reconcile.memory_ceiling (1024 MiB): 256 MiB → 512 MiB' });
  });
  it('caps the raise at the ceiling, and says so', () => {
    const r = raiseWithinCeiling({ ...base, wantedBytes: 1536 * MiB });
    expect(r).toMatchObject({ bytes: 1024 * MiB, capped: true });
    expect(r).toHaveProperty('why', expect.stringContaining('the rules wanted 1536 MiB; capped at the ceiling'));
  });
  it('refuses with no ceiling, with pull on, with no committed limit, and at or over the ceiling', () => {
    expect(raiseWithinCeiling({ ...base, ceilingBytes: 0 })).toEqual({ refused: expect.stringMatching(/memory_ceiling is not set/) });
    expect(raiseWithinCeiling({ ...base, pull: true })).toEqual({ refused: expect.stringMatching(/reconcile\.pull is on/) });
    expect(raiseWithinCeiling({ ...base, committedBytes: undefined })).toEqual({ refused: expect.stringMatching(/set no memory limit/) });
    expect(raiseWithinCeiling({ ...base, committedBytes: 1024 * MiB, liveBytes: 1024 * MiB })).toEqual({ refused: expect.stringMatching(/1024 MiB is at or above reconcile\.memory_ceiling/) });
    expect(raiseWithinCeiling({ ...base, committedBytes: 2048 * MiB, liveBytes: 2048 * MiB })).toHaveProperty('refused');
  });
  it('refuses when the container runs with another limit than the committed one (set by hand: drift repair puts it back)', () => {
    expect(raiseWithinCeiling({ ...base, liveBytes: 512 * MiB })).toEqual({ refused: 'it runs with a limit of 512 MiB, not the committed 256 MiB: the kill was not at the committed limit' });
    expect(raiseWithinCeiling({ ...base, liveBytes: undefined })).toHaveProperty('refused', expect.stringMatching(/runs with no limit/));
  });
  it('refuses a "raise" that is none', () => {
    expect(raiseWithinCeiling({ ...base, wantedBytes: 256 * MiB })).toHaveProperty('refused', expect.stringMatching(/no raise of the committed/));
  });
});

describe('breakerForRaise', () => {
  it('is not held by a breaker a repeated start opened, and is by one repeated raises opened', () => {
    const b = new CircuitBreaker(undefined, { threshold: 2 });
    b.record('shop/api', 'container.start', 1);
    b.record('shop/api', 'container.start', 2);
    b.record('shop/db', 'service.set_memory', 1);
    b.record('shop/db', 'service.set_memory', 2);
    const seen = breakerForRaise(b, 'service.set_memory');
    expect(b.isOpen('shop/api')).toBe(true);
    expect(seen.isOpen('shop/api')).toBe(false);
    expect(seen.describe('shop/api')).toBeUndefined();
    expect(seen.isOpen('shop/db')).toBe(true);
    expect(seen.describe('shop/db')).toMatch(/breaker open for shop\/db/);
  });
});

describe('limitsChangedAt', () => {
  it("the last update event of the service's own containers, or none", () => {
    const events = [
      { at: 1000, action: 'update', containerId: 'a' },
      { at: 3000, action: 'die', containerId: 'a' },
      { at: 2000, action: 'update', containerId: 'a' },
      { at: 4000, action: 'update', containerId: 'other' },
    ];
    expect(limitsChangedAt({ events, containers: [{ id: 'a' }] })).toBe(2000);
    expect(limitsChangedAt({ events, containers: [{ id: 'b' }] })).toBeUndefined();
    expect(limitsChangedAt({ events: [], containers: [{ id: 'a' }] })).toBeUndefined();
  });
});

describe('killedSince', () => {
  it('is an exit after the time given, whatever the OOM flag says', () => {
    const at = Date.parse('2026-12-07T10:00:00Z');
    expect(killedSince([{ finishedAt: '2026-12-07T09:59:59Z' }], at)).toBe(false);
    expect(killedSince([{ finishedAt: undefined }], at)).toBe(false);
    expect(killedSince([{ finishedAt: '2026-12-07T09:59:59Z' }, { finishedAt: '2026-12-07T10:00:01Z' }], at)).toBe(true);
  });
});

describe('pendingRaise', () => {
  const body = { id: 'i-1', intent: { file: 'compose.yaml', operations: [{ op: 'set_memory_limit', service: 'api', bytes: 512 * MiB }] } };
  const stored = { id: 'i-1', createdAt: 0, expiresAt: 10_000, target: 'api', status: 'pending' as const, body };
  it('is a waiting raise to the same limit, not expired', () => {
    expect(pendingRaise(stored, 512 * MiB, 5000)).toMatchObject({ proposal: { id: 'i-1' }, file: 'compose.yaml', value: '512 MiB' });
  });
  it('is none for another limit, a decided or expired one, or nothing stored', () => {
    expect(pendingRaise(stored, 1024 * MiB, 5000)).toBeUndefined();
    expect(pendingRaise({ ...stored, status: 'approved' }, 512 * MiB, 5000)).toBeUndefined();
    expect(pendingRaise(stored, 512 * MiB, 10_000)).toBeUndefined();
    expect(pendingRaise(undefined, 512 * MiB, 5000)).toBeUndefined();
  });
});
