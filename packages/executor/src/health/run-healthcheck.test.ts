// The parts of the healthcheck runner that need no engine: reading Config.Healthcheck and demultiplexing an exec
// stream. Running it and the health gate are proven on real engines (Docker and Podman) in
// e2e/tests/podman-health.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { ExecOutput, PROBE_OUTPUT_BYTES, healthcheckOf, lastBytes } from './run-healthcheck.js';

const frame = (type: number, text: string | Buffer) => {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};

describe('healthcheckOf', () => {
  it('runs CMD as given and CMD-SHELL through /bin/sh -c, with its timings in ms', () => {
    expect(healthcheckOf({ Test: ['CMD', 'redis-cli', 'ping'], Interval: 2e9, Timeout: 5e8, Retries: 5, StartPeriod: 1e10 })).toEqual({
      cmd: ['redis-cli', 'ping'],
      test: 'redis-cli ping',
      intervalMs: 2000,
      timeoutMs: 500,
      retries: 5,
      startPeriodMs: 10_000,
    });
    expect(healthcheckOf({ Test: ['CMD-SHELL', 'test -f /tmp/ok || exit 1'] })?.cmd).toEqual(['/bin/sh', '-c', 'test -f /tmp/ok || exit 1']);
  });

  it("fills in Docker's defaults for fields left at 0: 30 s interval and timeout, 3 retries, no start period", () => {
    expect(healthcheckOf({ Test: ['CMD-SHELL', 'true'], Interval: 0, Retries: 0 })).toMatchObject({ intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 });
  });

  it('no healthcheck: none, empty, NONE, or a test without a command', () => {
    expect(healthcheckOf(undefined)).toBeNull();
    expect(healthcheckOf(null)).toBeNull();
    expect(healthcheckOf({})).toBeNull();
    expect(healthcheckOf({ Test: [] })).toBeNull();
    expect(healthcheckOf({ Test: ['NONE'] })).toBeNull();
    expect(healthcheckOf({ Test: ['CMD'] })).toBeNull();
  });

  it('a test of another kind is an error, not a guess', () => {
    expect(() => healthcheckOf({ Test: ['ls', '/'] })).toThrow(/neither CMD, CMD-SHELL nor NONE/);
  });
});

describe('ExecOutput', () => {
  it('joins stdout and stderr frames split across chunks at any byte, and drops other stream types', () => {
    const all = Buffer.concat([frame(1, 'out line\n'), frame(2, 'err line\n'), frame(0, 'stdin echo'), frame(1, '  tail  \n')]);
    for (const cut of [1, 3, 8, 9, 17, all.length - 1]) {
      const o = new ExecOutput();
      o.push(all.subarray(0, cut));
      o.push(all.subarray(cut));
      expect(o.text()).toBe('out line\nerr line\n  tail');
    }
  });

  it('a frame not complete yet is not read', () => {
    const o = new ExecOutput();
    o.push(frame(1, 'whole').subarray(0, 10));
    expect(o.text()).toBe('');
  });

  it('keeps the end of long output: at most ~2 KB, the last lines', () => {
    const o = new ExecOutput();
    for (let i = 0; i < 2000; i++) o.push(frame(1, `line ${i}\n`));
    const t = o.text();
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(PROBE_OUTPUT_BYTES);
    expect(Buffer.byteLength(t)).toBeGreaterThan(PROBE_OUTPUT_BYTES - 16);
    expect(t.endsWith('line 1999')).toBe(true);
    expect(t).not.toContain('line 1000\n');
  });
});

describe('lastBytes', () => {
  it('cuts on a character boundary', () => {
    const t = lastBytes('가나다라마', 7); // 3 bytes per character: 2 whole ones fit
    expect(t).toBe('라마');
    expect(lastBytes('short', 100)).toBe('short');
  });
});
