import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, oneLine, printable } from './format.js';

describe('format', () => {
  it('prints durations and binary sizes as people read them', () => {
    expect([42, 300, 3600, 3660, 200_000].map(formatDuration)).toEqual(['42s', '5m', '1h', '1h1m', '2d']);
    expect([512, 1536, 64 * 1024 ** 2, 1.5 * 1024 ** 3].map(formatBytes)).toEqual(['512 B', '1.5 KiB', '64 MiB', '1.5 GiB']);
  });
  it('flattens untrusted text to one short line', () => {
    expect(oneLine('a\n  b\tc', 10)).toBe('a b c');
    expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
  it('drops terminal escape sequences and control characters from engine data', () => {
    expect(printable('web\u001b[2J\u001b]0;pwned\u0007-1\u0000')).toBe('web]0;pwned-1');
    expect(oneLine('ok\u001b[31m red\r\nnext')).toBe('ok red next');
  });
});
