import { describe, expect, it } from 'vitest';
import { formatDuration, instant, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['60h', 216_000_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    [' 1.5s ', 1500],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '30', 'soon', '5 m', '-5s', '1h 30m', 's'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('formatDuration and instant', () => {
  it('writes durations as bcon.yaml does', () => {
    expect(formatDuration(40_000)).toBe('40s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(216_000_000)).toBe('60h');
    expect(formatDuration(300)).toBe('300ms');
  });
  it('writes instants in UTC to the second', () => {
    expect(instant(Date.parse('2026-01-02T18:00:40.123Z'))).toBe('2026-01-02T18:00:40Z');
  });
});
