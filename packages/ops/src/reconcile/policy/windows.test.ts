import { describe, expect, it } from 'vitest';
import { DenyWindowSchema, cronProblem, inDenyWindow, type DenyWindow } from './windows.js';

const at = (iso: string) => Date.parse(iso);
const window = (deny: string, duration: string, tz?: string): DenyWindow => DenyWindowSchema.parse({ deny, duration, ...(tz ? { tz } : {}) });

// 2026-01-02 is a Friday
const weekend = window('0 18 * * 5', '60h');

describe('deny windows', () => {
  it('"0 18 * * 5" for 60h covers Friday evening to Monday 06:00 UTC', () => {
    expect(inDenyWindow([weekend], at('2026-01-02T17:59:59Z'))).toBeUndefined();
    expect(inDenyWindow([weekend], at('2026-01-02T18:00:00Z'))).toEqual({ window: weekend, startedAt: at('2026-01-02T18:00:00Z'), endsAt: at('2026-01-05T06:00:00Z') });
    // opened the day before, across midnight
    expect(inDenyWindow([weekend], at('2026-01-03T12:00:00Z'))?.startedAt).toBe(at('2026-01-02T18:00:00Z'));
    expect(inDenyWindow([weekend], at('2026-01-04T23:59:00Z'))).toBeDefined();
    expect(inDenyWindow([weekend], at('2026-01-05T05:59:59Z'))).toBeDefined();
    expect(inDenyWindow([weekend], at('2026-01-05T06:00:00Z'))).toBeUndefined();
    expect(inDenyWindow([weekend], at('2026-01-05T07:00:00Z'))).toBeUndefined();
    expect(inDenyWindow([weekend], at('2026-01-07T12:00:00Z'))).toBeUndefined();
  });

  it('a nightly window spans midnight', () => {
    const nightly = window('0 22 * * *', '4h');
    expect(inDenyWindow([nightly], at('2026-01-07T23:30:00Z'))?.startedAt).toBe(at('2026-01-07T22:00:00Z'));
    expect(inDenyWindow([nightly], at('2026-01-08T01:00:00Z'))?.startedAt).toBe(at('2026-01-07T22:00:00Z'));
    expect(inDenyWindow([nightly], at('2026-01-08T02:00:00Z'))).toBeUndefined();
    expect(inDenyWindow([nightly], at('2026-01-08T21:59:00Z'))).toBeUndefined();
  });

  it('reads the cron in the given time zone', () => {
    // 18:00 in Berlin in January is 17:00 UTC; in July (summer time) 16:00 UTC
    const berlin = window('0 18 * * 5', '1h', 'Europe/Berlin');
    expect(inDenyWindow([berlin], at('2026-01-02T17:30:00Z'))?.startedAt).toBe(at('2026-01-02T17:00:00Z'));
    expect(inDenyWindow([weekend], at('2026-01-02T17:30:00Z'))).toBeUndefined();
    expect(inDenyWindow([berlin], at('2026-07-03T16:30:00Z'))?.startedAt).toBe(at('2026-07-03T16:00:00Z'));
    expect(berlin.label).toBe('deny "0 18 * * 5" for 1h (Europe/Berlin)');
  });

  it('a window longer than its period still covers from its latest opening', () => {
    const daily = window('0 0 * * *', '36h');
    expect(inDenyWindow([daily], at('2026-01-07T13:00:00Z'))?.startedAt).toBe(at('2026-01-07T00:00:00Z'));
  });

  it('standard cron semantics: day-of-month OR day-of-week when both are set', () => {
    const firstOrMonday = window('0 0 1 * 1', '1h');
    expect(inDenyWindow([firstOrMonday], at('2026-01-05T00:30:00Z'))).toBeDefined(); // a Monday
    expect(inDenyWindow([firstOrMonday], at('2026-02-01T00:30:00Z'))).toBeDefined(); // the 1st, a Sunday
    expect(inDenyWindow([firstOrMonday], at('2026-01-06T00:30:00Z'))).toBeUndefined();
  });

  it('returns the covering window that ends last, and nothing for no windows', () => {
    const short = window('0 18 * * 5', '1h');
    expect(inDenyWindow([short, weekend], at('2026-01-02T18:30:00Z'))?.window).toBe(weekend);
    expect(inDenyWindow([], at('2026-01-02T18:30:00Z'))).toBeUndefined();
  });

  it('names what is wrong with an expression', () => {
    expect(cronProblem('0 18 * * 5')).toBeUndefined();
    expect(cronProblem('30 9 * * thu')).toBeUndefined();
    expect(cronProblem('*/15 8-17 1,15 jan-mar mon-fri')).toBeUndefined();
    expect(cronProblem('0 18 * *')).toMatch(/has 4 fields; expected 5/);
    expect(cronProblem('@weekly')).toMatch(/has 1 field;/);
    expect(cronProblem('H 18 * * 5')).toMatch(/H \(hashed\)/);
    expect(cronProblem('0 25 * * 5')).toMatch(/not a valid cron expression/);
  });
});
