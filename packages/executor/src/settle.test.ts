import { describe, expect, it } from 'vitest';
import { settleAfterShortRun } from './execute.js';

const state = (StartedAt: string, FinishedAt: string) => ({ State: { StartedAt, FinishedAt } }) as Parameters<typeof settleAfterShortRun>[0];

describe('how long a start must stay running', () => {
  it('waits as long as a short last run, plus 2 s', () => {
    expect(settleAfterShortRun(state('2026-12-03T10:00:00.000Z', '2026-12-03T10:00:03.500Z'), 2_000)).toBe(5_500);
    expect(settleAfterShortRun(state('2026-12-03T10:00:00.000Z', '2026-12-03T10:00:29.000Z'), 2_000)).toBe(31_000);
  });
  it('keeps the default after a long run, no run or a run still going (a very short run: 2 s past it)', () => {
    expect(settleAfterShortRun(state('2026-12-03T10:00:00.000Z', '2026-12-03T12:00:00.000Z'), 2_000)).toBe(2_000);
    expect(settleAfterShortRun(state('2026-12-03T10:00:00.000Z', '2026-12-03T10:00:00.100Z'), 2_000)).toBe(2_100);
    expect(settleAfterShortRun(state('0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'), 2_000)).toBe(2_000);
    // restarted after its last exit (running now): the last run is not known from these two
    expect(settleAfterShortRun(state('2026-12-03T10:00:05.000Z', '2026-12-03T10:00:04.000Z'), 2_000)).toBe(2_000);
  });
});
