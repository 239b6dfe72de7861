import { describe, expect, it } from 'vitest';
import { refusalsStopped } from './refusals-stopped.js';

const T = Date.parse('2026-12-04T10:00:00Z');
const hits = (firstS: number, lastS: number, count: number) => ({ count, first: { container: 'a', at: T + firstS * 1000, text: '', level: 'error' as const }, last: { container: 'a', at: T + lastS * 1000, text: '', level: 'error' as const } });

describe('refusalsStopped', () => {
  it('refusals at start-up, then 40 s of other lines: stopped', () => {
    expect(refusalsStopped(hits(0, 5, 6), { endAt: T + 45_000 })).toBe(true);
  });

  it('refusals still the last lines, or followed by less than 10 s: not stopped', () => {
    expect(refusalsStopped(hits(0, 60, 61), { endAt: T + 60_000 })).toBe(false);
    expect(refusalsStopped(hits(0, 60, 61), { endAt: T + 69_000 })).toBe(false);
  });

  it('a service that retries every 30 s is not quiet before three of its intervals', () => {
    expect(refusalsStopped(hits(0, 90, 4), { endAt: T + 150_000 })).toBe(false);
    expect(refusalsStopped(hits(0, 90, 4), { endAt: T + 181_000 })).toBe(true);
  });

  it('unknown times: not stopped', () => {
    expect(refusalsStopped({ ...hits(0, 5, 6), last: { container: 'a', at: undefined, text: '', level: 'error' } }, { endAt: T + 45_000 })).toBe(false);
    expect(refusalsStopped(hits(0, 5, 6), undefined)).toBe(false);
  });
});
