import { OpsError } from '../../errors.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CONFIG, parsePolicyConfig } from './config.js';

function problem(raw: unknown): string {
  try {
    parsePolicyConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('config_invalid');
    expect((err as OpsError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('policy config defaults', () => {
  it('fills every default when bcon.yaml says nothing', () => {
    expect(parsePolicyConfig({ projects: [{ path: '.' }] })).toEqual({
      reconcile: { intervalMs: 30_000, selfHeal: true, prune: false, pull: false, sweepMs: 300_000, budget: { perServicePerHour: 3, perHostPerHour: 10 }, windows: [], pauseGraceMs: 60_000, minReadyMs: 10_000, memoryCeilingBytes: 0 },
      recovery: { maxFailureRate: 0.1, healthCheckTimeoutMs: 60_000, autoRollback: true, keepPrevious: 1 },
      notify: [],
    });
    expect(DEFAULT_POLICY_CONFIG).toEqual(parsePolicyConfig(undefined));
  });

  it('reads a section written with nothing after it (null) as its defaults', () => {
    expect(parsePolicyConfig({ reconcile: null, recovery: null, notify: null })).toEqual(DEFAULT_POLICY_CONFIG);
    expect(parsePolicyConfig({ reconcile: { budget: null } }).reconcile.budget).toEqual({ perServicePerHour: 3, perHostPerHour: 10 });
  });

  it('reads memory_ceiling as a size in binary units, off for none, and refuses what is no size', () => {
    expect(parsePolicyConfig({ reconcile: { memory_ceiling: '1g' } }).reconcile.memoryCeilingBytes).toBe(1024 ** 3);
    expect(parsePolicyConfig({ reconcile: { memory_ceiling: '512MiB' } }).reconcile.memoryCeilingBytes).toBe(512 * 1024 ** 2);
    expect(parsePolicyConfig({ reconcile: { memory_ceiling: 'off' } }).reconcile.memoryCeilingBytes).toBe(0);
    expect(problem({ reconcile: { memory_ceiling: 'lots' } })).toMatch(/memory_ceiling.*expected a memory size of at least 8m/);
    expect(problem({ reconcile: { memory_ceiling: '1k' } })).toMatch(/memory_ceiling/);
  });

  it('reads min_ready as a duration, 0s for none', () => {
    expect(parsePolicyConfig({ reconcile: { min_ready: '30s' } }).reconcile.minReadyMs).toBe(30_000);
    expect(parsePolicyConfig({ reconcile: { min_ready: '0s' } }).reconcile.minReadyMs).toBe(0);
    expect(problem({ reconcile: { min_ready: 'soon' } })).toMatch(/min_ready/);
  });

  it('fills the rest of a partly written section', () => {
    const c = parsePolicyConfig({ reconcile: { self_heal: false, budget: { per_host_per_hour: 4 } }, recovery: { auto_rollback: false, keep_previous: 0 } });
    expect(c.reconcile).toMatchObject({ intervalMs: 30_000, selfHeal: false, budget: { perServicePerHour: 3, perHostPerHour: 4 } });
    expect(c.recovery).toEqual({ maxFailureRate: 0.1, healthCheckTimeoutMs: 60_000, autoRollback: false, keepPrevious: 0 });
  });
});

describe('the contract example', () => {
  it('parses into the policy', () => {
    const c = parsePolicyConfig({
      reconcile: { interval: '1m', self_heal: true, prune: false, budget: { per_service_per_hour: 3, per_host_per_hour: 10 }, windows: [{ deny: '0 18 * * 5', duration: '60h' }, { deny: '0 9 * * 1-5', duration: '30m', tz: 'Asia/Seoul' }] },
      recovery: { max_failure_rate: 0.25, health_check_timeout: '90s', auto_rollback: true, keep_previous: 2 },
      notify: [{ webhook: 'https://hooks.example/T000/B000' }, { slack: '#ops' }, { slack: 'C0123ABCD' }],
    });
    expect(c.reconcile.intervalMs).toBe(60_000);
    expect(c.reconcile.windows).toEqual([
      { cron: '0 18 * * 5', durationMs: 216_000_000, label: 'deny "0 18 * * 5" for 60h (UTC)' },
      { cron: '0 9 * * 1-5', durationMs: 1_800_000, tz: 'Asia/Seoul', label: 'deny "0 9 * * 1-5" for 30m (Asia/Seoul)' },
    ]);
    expect(c.recovery).toEqual({ maxFailureRate: 0.25, healthCheckTimeoutMs: 90_000, autoRollback: true, keepPrevious: 2 });
    expect(c.notify).toEqual([
      { kind: 'webhook', url: 'https://hooks.example/T000/B000' },
      { kind: 'slack', channel: '#ops' },
      { kind: 'slack', channel: 'C0123ABCD' },
    ]);
  });

  it('reads the sweep as a duration, or off', () => {
    expect(parsePolicyConfig({ reconcile: { sweep: '2m' } }).reconcile.sweepMs).toBe(120_000);
    expect(parsePolicyConfig({ reconcile: { sweep: 'off' } }).reconcile.sweepMs).toBe(0);
    expect(parsePolicyConfig({ reconcile: { sweep: false } }).reconcile.sweepMs).toBe(0);
  });

  it('reads health_check_timeout as seconds when it is a bare number', () => {
    expect(parsePolicyConfig({ recovery: { health_check_timeout: 60 } }).recovery.healthCheckTimeoutMs).toBe(60_000);
  });
});

describe('errors name the file and the key path', () => {
  it.each<[string, unknown, RegExp]>([
    ['a negative budget', { reconcile: { budget: { per_host_per_hour: -1 } } }, /^bcon\.yaml: reconcile\.budget\.per_host_per_hour: expected a whole number ≥ 0/],
    ['a fractional budget', { reconcile: { budget: { per_service_per_hour: 1.5 } } }, /reconcile\.budget\.per_service_per_hour: expected a whole number/],
    ['a bad interval', { reconcile: { interval: 'soon' } }, /reconcile\.interval: expected a duration of at least 1s such as 30s, got "soon"/],
    ['a number as interval', { reconcile: { interval: 30 } }, /reconcile\.interval: expected a duration/],
    ['a string for a flag', { reconcile: { self_heal: 'yes' } }, /reconcile\.self_heal: expected true or false/],
    ['a sweep too often', { reconcile: { sweep: '1s' } }, /reconcile\.sweep: expected a duration of at least 10s such as 5m, or off/],
    ['a sweep that is not a duration', { reconcile: { sweep: 'hourly' } }, /reconcile\.sweep: expected a duration of at least 10s such as 5m, or off/],
    ['a misspelt key', { reconcile: { intervall: '30s' } }, /reconcile\.intervall: unknown key/],
    ['a cron with 4 fields', { reconcile: { windows: [{ deny: '0 18 * *', duration: '60h' }] } }, /reconcile\.windows\.0\.deny: "0 18 \* \*" has 4 fields; expected 5/],
    ['a cron out of range', { reconcile: { windows: [{ deny: '61 18 * * 5', duration: '60h' }] } }, /reconcile\.windows\.0\.deny: "61 18 \* \* 5" is not a valid cron expression/],
    ['a 6-field cron', { reconcile: { windows: [{ deny: '0 0 18 * * 5', duration: '60h' }] } }, /reconcile\.windows\.0\.deny: .*has 6 fields/],
    ['a bad window duration', { reconcile: { windows: [{ deny: '0 18 * * 5', duration: 'weekend' }] } }, /reconcile\.windows\.0\.duration: "weekend" is not a duration/],
    ['a bad time zone', { reconcile: { windows: [{ deny: '0 18 * * 5', duration: '1h', tz: 'Mars/Olympus' }] } }, /reconcile\.windows\.0\.tz: "Mars\/Olympus" is not an IANA time zone/],
    ['a window without duration', { reconcile: { windows: [{ deny: '0 18 * * 5' }] } }, /reconcile\.windows\.0\.duration: expected a duration/],
    ['windows not a list', { reconcile: { windows: { deny: '0 18 * * 5' } } }, /reconcile\.windows: expected a list/],
    ['a failure rate above 1', { recovery: { max_failure_rate: 1.5 } }, /recovery\.max_failure_rate: expected a share between 0 and 1/],
    ['rollback with nothing kept', { recovery: { keep_previous: 0 } }, /recovery\.keep_previous: auto_rollback needs at least 1 previous version kept/],
    ['an unknown notify target', { notify: [{ email: 'ops@example.com' }] }, /notify\.0: expected \{ webhook: "https:\/\/…" \} or \{ slack: "#channel" \}/],
    ['a webhook that is not http', { notify: [{ webhook: 'ftp://example.com/x' }] }, /notify\.0\.webhook: expected an http\(s\) URL/],
    ['a slack channel without #', { notify: [{ slack: 'ops' }] }, /notify\.0\.slack: expected a channel such as "#ops"/],
    ['notify not a list', { notify: { slack: '#ops' } }, /notify: expected a list of/],
    ['a section not a mapping', { reconcile: 'on' }, /reconcile: expected \{ interval, self_heal, prune, pull, sweep, budget, windows, pause_grace, min_ready, memory_ceiling \}/],
  ])('%s', (_name, raw, message) => expect(problem(raw)).toMatch(message));

  it('reports every problem, one line each', () => {
    const lines = problem({ reconcile: { interval: 'x', prune: 1 }, notify: [{ slack: 'ops' }] }).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.startsWith('bcon.yaml: '))).toBe(true);
  });

  it('names the file it was given', () => {
    expect(() => parsePolicyConfig({ reconcile: { prune: 'no' } }, 'ops/bcon.yaml')).toThrow(/^ops\/bcon\.yaml: reconcile\.prune:/);
  });
});
