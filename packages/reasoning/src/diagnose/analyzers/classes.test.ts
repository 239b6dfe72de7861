import { describe, expect, it } from 'vitest';
import { NOW, ago } from '../../__fixtures__/facts.js';
import { logLines, service, signals } from '../../__fixtures__/signals.js';
import { diagnose } from '../diagnose.js';
import type { ServiceSignals } from '../signals.js';

// Unit tests for classes of incidents, each with fixtures of its own (not the incidents' names or strings):
// a caller refused by a dependency that is down, a young service whose output turns into errors after a clean
// start, a replica that was stopped in a service declared with several.

const hyps = (s: ReturnType<typeof signals>) => diagnose(s).report.hypotheses;
const order = (s: ReturnType<typeof signals>, n = 3) => hyps(s).slice(0, n).map((h) => `${h.cause}/${h.culprit}`);
const claims = (s: ReturnType<typeof signals>) => hyps(s).filter((h) => h.confidence >= 0.5);
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
/** lines at explicit offsets (seconds before NOW) */
const stamped = (rows: Array<[number, string]>) => rows.map(([secondsAgo, text]) => ({ stream: 'stdout' as const, timestamp: ago(secondsAgo), text }));

describe('a caller refused by a dependency that is down', () => {
  const refusedLines = (port: number) => logLines(repeat(24, (i) => (i % 2 ? `{"level":30,"msg":"request completed","res":{"statusCode":500},"responseTime":2}` : `{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:${port}","err":{"code":"ECONNREFUSED","address":"127.0.0.1","port":${port}}}`)), 500);
  const caller = (over: { dependsOn?: string[]; env?: string[] } = {}) =>
    service('api', {
      spec: { dependsOn: over.dependsOn ?? ['cache'] },
      containers: [{ config: { cmd: ['node', 'server.js'], entrypoint: null, env: over.env ?? ['PATH=/bin'], healthcheck: undefined } }],
      logs: refusedLines(26379),
    });
  const complaints = ['api requests fail with connection refused', 'api returns 500 errors', 'api cannot connect', undefined];

  it('a dependency that crashed, whose port nothing names, is what the caller is refused by', () => {
    // the crashed service never got to listen: no port in its command, its spec or its env
    const cache = service('cache', { containers: [{ state: 'exited', exitCode: 1, restartPolicy: { name: 'no', maximumRetryCount: 0 }, config: { cmd: ['/usr/local/bin/start-cache'], entrypoint: null, env: [], healthcheck: undefined } }] });
    for (const complaint of complaints) {
      const top = order(signals([caller(), cache], 'api', complaint));
      expect(top[0], String(complaint)).toBe('dependency_down/cache');
      expect(top).not.toContain('connection_refused/api');
    }
  });

  it('with no depends_on, the crashed service whose healthcheck probes the refused port is the one refused', () => {
    const probe = { intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined };
    for (const test of [['CMD', 'cache-cli', '-p', '26379', 'ping'], ['CMD-SHELL', 'nc -z 127.0.0.1 26379']]) {
      const cache = service('cache', { containers: [{ state: 'exited', exitCode: 1, config: { cmd: ['/usr/local/bin/start-cache'], entrypoint: null, env: [], healthcheck: { test, ...probe } } }] });
      for (const complaint of complaints) expect(order(signals([caller({ dependsOn: [], env: ['CACHE_URL=cache://127.0.0.1:26379/0'] }), cache], 'api', complaint))[0], `${test.join(' ')} / ${complaint}`).toBe('dependency_down/cache');
    }
    // a probe of another service names that host: it says nothing about where this one listens
    const web = service('web', { containers: [{ config: { cmd: ['web'], entrypoint: null, env: [], healthcheck: { test: ['CMD', 'pg_isready', '-h', 'db', '-p', '26379'], ...probe } } }] });
    expect(order(signals([caller({ dependsOn: [] }), web], 'api', 'api requests fail'))[0]).toBe('connection_refused/api');
  });

  it("a crashed dependency's last failed probes are a symptom of its exit, not a root above dependency_down", () => {
    const cache = service('cache', {
      containers: [{ state: 'exited', exitCode: 78, health: { status: 'unhealthy', failingStreak: 3, log: [{ start: '', end: '', exitCode: 1, output: '' }] }, config: { cmd: ['/usr/local/bin/start-cache'], entrypoint: null, env: [], healthcheck: { test: ['CMD-SHELL', 'nc -z 127.0.0.1 26379'], intervalNs: undefined, timeoutNs: undefined, startPeriodNs: undefined, retries: undefined } } }],
    });
    for (const complaint of complaints) expect(order(signals([caller(), cache], 'api', complaint))[0], String(complaint)).toBe('dependency_down/cache');
  });

  it('a dependency caught running between two crashes still counts as down', () => {
    const cache = service('cache', {
      containers: [{ state: 'running', exitCode: 1, restartCount: 4, restartPolicy: { name: 'always', maximumRetryCount: 0 }, startedAt: ago(1), config: { cmd: ['cache-server', '--port', '26379'], entrypoint: null, env: [], healthcheck: undefined } }],
      events: [{ action: 'die', exitCode: 1, at: NOW - 20_000 }, { action: 'die', exitCode: 1, at: NOW - 12_000 }, { action: 'die', exitCode: 1, at: NOW - 4_000 }],
    });
    for (const complaint of complaints) {
      const r = hyps(signals([caller(), cache], 'api', complaint));
      const rank = (key: string) => r.findIndex((h) => `${h.cause}/${h.culprit}` === key);
      expect(rank('dependency_down/cache'), String(complaint)).toBeGreaterThanOrEqual(0);
      const refused = rank('connection_refused/api');
      if (refused >= 0) expect(refused, String(complaint)).toBeGreaterThan(rank('dependency_down/cache'));
      expect(['dependency_down/cache', 'crash_loop/cache']).toContain(`${r[0]?.cause}/${r[0]?.culprit}`);
    }
  });

  it("the dependency's own root cause stays first, then dependency_down, and the caller's refusal after both", () => {
    const cache = service('cache', {
      containers: [{ state: 'exited', exitCode: 1, config: { cmd: ['/usr/local/bin/start-cache'], entrypoint: null, env: [], healthcheck: undefined } }],
      logs: logLines(['Error: required environment variable CACHE_DIR is not set']),
    });
    for (const complaint of complaints) {
      const top = order(signals([caller(), cache], 'api', complaint), 2);
      expect(top, String(complaint)).toEqual(['missing_config/cache', 'dependency_down/cache']);
    }
  });

  it('with two dependencies down and an address neither is known to own, the refusal still ranks below them', () => {
    const down = (name: string) => service(name, { containers: [{ state: 'exited', exitCode: 1, config: { cmd: [`/usr/local/bin/start-${name}`], entrypoint: null, env: [], healthcheck: undefined } }] });
    for (const complaint of complaints) {
      const r = hyps(signals([caller({ dependsOn: ['cache', 'queue'] }), down('cache'), down('queue')], 'api', complaint));
      const refused = r.findIndex((h) => h.cause === 'connection_refused');
      expect(r[0]?.cause, String(complaint)).toBe('dependency_down');
      const downs = ['cache', 'queue'].map((name) => r.findIndex((h) => h.cause === 'dependency_down' && h.culprit === name));
      expect(Math.min(...downs)).toBeGreaterThanOrEqual(0);
      if (refused >= 0) expect(refused, String(complaint)).toBeGreaterThan(Math.max(...downs));
    }
  });

  it('an address that belongs to no service while every dependency runs is still connection_refused', () => {
    const cache = service('cache', { containers: [{ config: { cmd: ['cache-server', '--port', '6380'], entrypoint: null, env: [], healthcheck: undefined } }] });
    expect(order(signals([caller(), cache], 'api', 'api requests fail'))[0]).toBe('connection_refused/api');
  });
});

describe('error-spike onset without a baseline, on a short history', () => {
  const youngContainer = { createdAt: ago(45), startedAt: ago(44) };
  const startup = (t0: number): Array<[number, string]> => [
    [t0, 'INFO  orders: starting (pid 1)'],
    [t0 - 0.4, 'INFO  orders: connected to the queue'],
    [t0 - 0.8, 'INFO  orders: listening on :8080'],
  ];

  it('a young service whose requests now nearly all log a new ERROR template has a hypothesis', () => {
    // a clean start, then every request fails: an ERROR line and a 500 access line each, one request every 1.5 s
    const rows: Array<[number, string]> = [...startup(43)];
    for (let i = 0; i < 24; i++) {
      const t = 41 - i * 1.5;
      rows.push([t, `ERROR orders.handler: failed to price order ${1000 + i}: TypeError: Cannot read properties of undefined (reading 'currency')`]);
      rows.push([t - 0.01, `10.0.0.${i % 7} - - [01/Jan/2026:11:59:${String(Math.floor(i / 2)).padStart(2, '0')} +0000] "POST /orders HTTP/1.1" 500 81 "-" "shop-web"`]);
    }
    // the container it replaced (a redeploy) died and was removed in the window: not this one's restarts
    const s = service('orders', { containers: [youngContainer], logs: stamped(rows), events: ['kill', 'die', 'destroy'].map((action) => ({ action, at: NOW - 50_000, containerId: 'replaced-orders-container' })) });
    for (const complaint of ['orders requests fail', 'placing an order gives an error', undefined]) {
      const r = hyps(signals([s], 'orders', complaint));
      expect(r[0], String(complaint)).toMatchObject({ cause: 'log_error_spike', culprit: 'orders' });
      expect(r[0]?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('also at a low request rate (a few errors a minute), when errors come from almost every request', () => {
    const rows: Array<[number, string]> = [...startup(100)];
    for (let i = 0; i < 9; i++) rows.push([95 - i * 11, `[2026-01-01 11:58:${String(i).padStart(2, '0')},000] ERROR in payments: charge failed for invoice ${i}: KeyError 'amount_cents'`]);
    const s = service('orders', { containers: [{ createdAt: ago(102), startedAt: ago(101) }], logs: stamped(rows) });
    expect(order(signals([s], 'orders', 'payments fail'))[0]).toBe('log_error_spike/orders');
  });

  it('a young service with a retried error at start and clean traffic after it has no claim', () => {
    const rows: Array<[number, string]> = [...startup(43), [42, 'ERROR orders: queue not ready, retrying in 1 s (attempt 1/5)'], [41, 'ERROR orders: queue not ready, retrying in 1 s (attempt 2/5)']];
    for (let i = 0; i < 60; i++) rows.push([40 - i * 0.6, `10.0.0.${i % 7} - - [01/Jan/2026:11:59:30 +0000] "GET /orders/${i % 30} HTTP/1.1" ${i % 11 === 0 ? 404 : 200} 81 "-" "shop-web"`]);
    expect(claims(signals([service('orders', { containers: [youngContainer], logs: stamped(rows) })], 'orders', 'is orders ok?'))).toEqual([]);
  });

  it('a service that logs a steady error trickle among its requests has no claim', () => {
    const rows: Array<[number, string]> = [...startup(60)];
    for (let i = 0; i < 90; i++) rows.push([58 - i * 0.6, i % 15 === 7 ? 'ERROR orders: cache miss storm for key catalog' : `10.0.0.1 - - [01/Jan/2026:11:59:30 +0000] "GET /orders/${i} HTTP/1.1" 200 81 "-" "shop-web"`]);
    expect(claims(signals([service('orders', { containers: [youngContainer], logs: stamped(rows) })], 'orders', 'orders errors?'))).toEqual([]);
  });

  it('a young healthy worker whose routine lines only mention a failure count has no claim', () => {
    const rows: Array<[number, string]> = [...startup(40)];
    for (let i = 0; i < 30; i++) rows.push([38 - i, `orders: processed batch ${i}: ${100 + (i % 9)} ok, 0 failed`]);
    expect(claims(signals([service('orders', { containers: [youngContainer], logs: stamped(rows) })], 'orders', 'is orders ok?'))).toEqual([]);
  });

  it('errors from the first line on are not an onset (nothing clean to compare with)', () => {
    const rows = Array.from({ length: 20 }, (_, i): [number, string] => [40 - i * 2, `ERROR orders: license check failed for seat ${i}`]);
    expect(hyps(signals([service('orders', { containers: [youngContainer], logs: stamped(rows) })], 'orders')).some((h) => h.cause === 'log_error_spike')).toBe(false);
  });
});

describe('a stopped replica of a service declared with several', () => {
  const killed = (over: { events?: boolean; spec?: boolean; drift?: boolean; memoryBytes?: number } = {}): ServiceSignals => {
    const s = service('api', {
      containers: [{}, { state: 'exited', exitCode: 137, oomKilled: false, restartPolicy: { name: 'no', maximumRetryCount: 0 }, finishedAt: ago(30), limits: { memoryBytes: over.memoryBytes, memoryReservationBytes: undefined, nanoCpus: undefined } }, {}],
      spec: over.spec === false ? false : { replicas: 3 },
      drift: over.drift === false ? [] : [{ project: 'shop', service: 'api', field: 'status', container: 'shop-api-2', expected: { status: 'running' }, actual: { status: 'exited (137)' } }],
      logs: logLines(repeat(12, (i) => `api worker ready, served ${i}`)),
    });
    const id = s.containers[1]?.id ?? 'x';
    if (over.events !== false) s.events = [{ at: NOW - 30_000, type: 'container', action: 'kill', containerId: id, containerName: 'shop-api-2', exitCode: undefined, attributes: { signal: '9' } }, { at: NOW - 30_000, type: 'container', action: 'die', containerId: id, containerName: 'shop-api-2', exitCode: 137, attributes: {} }];
    return s;
  };
  const complaints = ['api seems to have less capacity than usual', 'some api requests fail', 'is api ok?', 'api is slow', 'api 일부 요청이 실패해요', undefined];

  it('reaches the diagnosis as replica_drift, whatever the complaint says', () => {
    for (const complaint of complaints) {
      const r = hyps(signals([killed()], 'api', complaint));
      expect(r[0], String(complaint)).toMatchObject({ cause: 'replica_drift', culprit: 'api' });
      expect(r[0]?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('cites the stopped replica and the kill', () => {
    const r = diagnose(signals([killed()], 'api')).report;
    const cited = r.evidence.filter((e) => r.hypotheses[0]?.evidence.includes(e.id)).map((e) => e.text);
    expect(cited.some((t) => /exit code 137/.test(t))).toBe(true);
    expect(cited.some((t) => /kill/.test(t))).toBe(true);
    expect(r.hypotheses[0]?.summary).toMatch(/2 of 3/);
  });

  it('without the committed files or drift (no repository) and without the kill event, from the containers alone', () => {
    expect(order(signals([killed({ spec: false, drift: false, events: false })], 'api', 'api errors'))[0]).toBe('replica_drift/api');
  });

  it('with no target (every service that is not OK)', () => {
    expect(order(signals([killed()]))[0]).toBe('replica_drift/api');
  });

  it('an OOM kill of the replica stays the root; the missing replica is its consequence', () => {
    const s = killed({ events: false, memoryBytes: 64 * 1024 * 1024 });
    s.containers = s.containers.map((c, i) => (i === 1 ? { ...c, oomKilled: true } : c));
    expect(order(signals([s], 'api', 'api is slow'), 2)).toEqual(['oom_killed/api', 'replica_drift/api']);
  });

  it('all replicas running: nothing', () => {
    const s = service('api', { containers: [{}, {}, {}], spec: { replicas: 3 }, logs: logLines(['api worker ready']) });
    expect(claims(signals([s], 'api', 'some api requests fail'))).toEqual([]);
  });
});

describe('a cause a caller shares with what it needs, and a caller that only shows symptoms', () => {
  const MiB = 1024 * 1024;
  it('the same root cause on a caller and on a service it needs: the one it needs ranks first (the caller relays it)', () => {
    const worker = service('renderer', {
      containers: [{ mounts: [{ type: 'tmpfs', source: '', name: undefined, target: '/tmp', readOnly: false }], limits: { memoryBytes: 64 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } }],
      logs: logLines(repeat(12, (i) => `[2026-12-06 09:00:${String(i).padStart(2, '0')},001: ERROR/ForkPoolWorker-1] render failed: OSError: [Errno 28] No space left on device: '/tmp/render-${i}/out.pdf'`)),
    });
    const web = service('web', {
      spec: { dependsOn: ['renderer'] },
      logs: logLines(repeat(12, (i) => `2026-12-06 09:00:${String(i).padStart(2, '0')},002 ERROR export failed for document ${i}: render task raised OSError(28, 'No space left on device')`)),
    });
    expect(order(signals([web, worker], 'web', 'downloading a document gives an error'), 1)).toEqual(['disk_full/renderer']);
  });

  it('a target with only an error spike does not discount a root in what it needs', () => {
    const ledger = service('ledger', { drift: [{ project: 'shop', service: 'ledger', field: 'image', container: 'shop-ledger-1', expected: { image: 'acme/ledger:2.4.1' }, actual: { image: 'acme/ledger:2.5.0-rc.1' } }] });
    const lines = [...repeat(6, (i) => `INFO:     127.0.0.1:${40000 + i} - "GET /health HTTP/1.1" 200 OK`), ...repeat(20, (i) => `ERROR:    payment ${i} failed: ledger answered 404 for /v1/balances`)];
    const checkout = service('checkout', { spec: { dependsOn: ['ledger'] }, logs: stamped(lines.map((l, i) => [lines.length - i, l] as [number, string])) });
    const ranked = order(signals([checkout, ledger], 'checkout', 'checkout fails'), 2);
    expect(ranked[0], JSON.stringify(hyps(signals([checkout, ledger], 'checkout', 'checkout fails')))).toBe('image_drift/ledger');
  });

  it('a dependency that crashed once (an abort, nothing restarted it) is down for its caller, not a crash loop', () => {
    const broker = service('broker', { containers: [{ state: 'exited', exitCode: 134, restartPolicy: { name: 'no', maximumRetryCount: 0 } }] });
    const consumer = service('consumer', { spec: { dependsOn: ['broker'] }, logs: logLines(repeat(12, () => 'fetch failed: dial tcp 127.0.0.1:9092: connect: connection refused'), 500) });
    const s = signals([consumer, broker], 'consumer', 'orders are not processed');
    expect(order(s, 1)).toEqual(['dependency_down/broker']);
    expect(hyps(s).find((h) => h.cause === 'crash_loop')?.summary).toMatch(/crashed: exit 134/);
  });

  it("a database's errors about the commands it was sent are a lead on it; its own failures are not", () => {
    const db = (level: string, message: string) =>
      service('db', {
        logs: stamped([
          ...Array.from({ length: 8 }, (_, i): [number, string] => [60 - i, `2026-12-06 09:00:0${i}.000 UTC [1] LOG:  checkpoint complete: wrote ${i} buffers`]),
          ...Array.from({ length: 24 }, (_, i): [number, string] => [50 - i * 2, `2026-12-06 09:00:${10 + i}.000 UTC [3${i % 3}] ${level}:  ${message}`]),
        ]),
      });
    const spike = (s: ReturnType<typeof signals>) => hyps(s).find((h) => h.cause === 'log_error_spike' && h.culprit === 'db');
    expect(spike(signals([db('ERROR', 'column invoices.due_on does not exist at character 214')], 'db'))?.confidence ?? 0).toBeLessThan(0.5);
    expect(spike(signals([db('FATAL', 'terminating connection due to administrator command')], 'db'))?.confidence ?? 0).toBeGreaterThanOrEqual(0.5);
    // a probe's login for a role no service uses, at every healthcheck: a stray client's, not the database's
    expect(spike(signals([db('FATAL', 'role "root" does not exist')], 'db'))?.confidence ?? 0).toBeLessThan(0.5);
  });
});
