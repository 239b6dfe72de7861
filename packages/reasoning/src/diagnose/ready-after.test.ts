import { describe, expect, it } from 'vitest';
import { readyAfter } from './ready-after.js';
import type { ServiceSignals } from './signals.js';

const T = Date.parse('2026-12-07T10:00:00Z');
const redis = (text: string) =>
  ({ name: 'redis', containers: [{ state: 'running' }], events: [], logs: { 'p-redis-1': [{ stream: 'stdout', timestamp: new Date(T + 5000).toISOString(), text }] } }) as unknown as ServiceSignals;

describe('readyAfter', () => {
  it("reads a time's minutes and seconds as no port: Redis's own stamp does not hide its ready line", () => {
    expect(readyAfter(redis('1:M 07 Dec 2026 10:00:05.123 * Ready to accept connections tcp'), T, 6379)).toBe(true);
    expect(readyAfter(redis('Ready to accept connections'), T, 6379)).toBe(true);
    // a port named, and another: not that port's readiness
    expect(readyAfter(redis('ready for connections. port: 33060'), T, 6379)).toBe(false);
    expect(readyAfter(redis('* Running mode=standalone, port=6379. listening on 127.0.0.1:6379'), T, 6379)).toBe(true);
  });
});
