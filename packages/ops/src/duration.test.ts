import { describe, expect, it } from 'vitest';
import { parseInterval } from './duration.js';

describe('parseInterval', () => {
  it('reads durations', () => {
    expect(parseInterval('5m')).toBe(300_000);
    expect(parseInterval('1h30m')).toBe(5_400_000);
    expect(parseInterval('2s')).toBe(2000);
  });
  it('refuses what is not a duration of at least a second', () => {
    expect(() => parseInterval('5')).toThrow(/not a duration/);
    expect(() => parseInterval('500ms')).toThrow(/at least 1s/);
    expect(() => parseInterval('5 minutes')).toThrow(/not a duration/);
  });
});
