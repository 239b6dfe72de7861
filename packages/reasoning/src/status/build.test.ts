import { describe, expect, it } from 'vitest';
import { StatusReportSchema } from './schema.js';
import { NOW, container, snapshot, stats } from '../__fixtures__/facts.js';
import { buildStatusReport } from './build.js';

describe('buildStatusReport', () => {
  const web = container({ service: 'web' });
  const api1 = container({ service: 'api', number: 1 });
  const api2 = container({ service: 'api', number: 2, state: 'exited', exitCode: 1 });
  const db = container({ project: 'data', service: 'db', state: 'restarting', exitCode: 3, restartCount: 4 });
  const job = container({ service: 'migrate', state: 'exited', exitCode: 0 });
  const run = container({ service: 'web', number: 9, oneoff: true, state: 'exited', exitCode: 2 });
  const loose = { ...container({ id: 'loose' }), name: 'scratch', compose: undefined };
  const report = buildStatusReport(snapshot([web, api1, api2, db, job, run, loose], [stats(web.id, 1024, 12.345)]), { now: NOW });

  it('matches the documented schema', () => {
    expect(StatusReportSchema.parse(report)).toEqual(report);
  });

  it('groups by project and service, sorted', () => {
    expect(report.projects.map((p) => p.name)).toEqual(['data', 'shop']);
    expect(report.projects[1]?.services.map((s) => s.name)).toEqual(['api', 'migrate', 'web']);
    expect(report.standalone.map((s) => s.name)).toEqual(['scratch']);
  });

  it('gives each service a verdict with its reason', () => {
    const shop = report.projects[1]!;
    const api = shop.services[0]!;
    expect(api).toMatchObject({ verdict: 'degraded', replicas: { running: 1, total: 2 } });
    expect(api.reason).toBe('1/2 running; shop-api-2: exited (1)');
    expect(shop.services[1]).toMatchObject({ name: 'migrate', verdict: 'ok', reason: 'completed (exit 0)' });
    expect(report.projects[0]?.services[0]).toMatchObject({ verdict: 'down', reason: 'restarting: exited (3), restarted 4 times' });
    expect(report.projects[0]?.verdict).toBe('down');
    expect(shop.verdict).toBe('degraded');
  });

  it('keeps one-off runs out of the replica count and the verdict', () => {
    const w = report.projects[1]!.services[2]!;
    expect(w).toMatchObject({ verdict: 'ok', replicas: { running: 1, total: 1 } });
    expect(w.containers.map((c) => c.oneoff)).toEqual([false, true]);
    expect(w.containers[0]).toMatchObject({ cpuPercent: 12.35, statsSource: 'cgroup', memory: { usageBytes: 1024, limitBytes: null, percent: null } });
  });

  it('counts verdicts', () => {
    expect(report.summary).toEqual({ projects: 2, services: 5, containers: 7, running: 3, ok: 3, degraded: 1, down: 1 });
  });
});

describe('buildStatusReport: verdicts that agree with the diagnosis', () => {
  const at = (s: number) => new Date(NOW - s * 1000).toISOString();
  const errors = (n: number, text = 'Error: connect ECONNREFUSED 127.0.0.1:5432') => Array.from({ length: n }, (_, i) => ({ stream: 'stderr' as const, timestamp: at(n - i), text }));
  const db = container({ service: 'db', state: 'exited', exitCode: 137, finishedAt: at(30) });

  it('a running service behind a dependency that is down is degraded, naming it', () => {
    const api = container({ service: 'api', labels: { 'com.docker.compose.depends_on': 'db:service_started:false' } });
    const r = buildStatusReport(snapshot([api, db]), { now: NOW });
    const s = r.projects[0]!.services.find((x) => x.name === 'api')!;
    expect(s.verdict).toBe('degraded');
    expect(s.reason).toMatch(/^dependency db \(depends_on\) is down: exited \(137, killed \(SIGKILL\)\) 30s ago$/);
    expect(r.summary).toMatchObject({ degraded: 1, down: 1, ok: 0 });
  });

  it('does not cascade down a chain, and keeps ok what needs an ok or completed service', () => {
    const web = container({ service: 'web', labels: { 'com.docker.compose.depends_on': 'api:service_started:false' } });
    const api = container({ service: 'api', labels: { 'com.docker.compose.depends_on': 'db:service_started:false,migrate:service_completed_successfully:false' } });
    const migrate = container({ service: 'migrate', state: 'exited', exitCode: 0 });
    const r = buildStatusReport(snapshot([web, api, db, migrate]), { now: NOW });
    const v = Object.fromEntries(r.projects[0]!.services.map((s) => [s.name, s.verdict]));
    expect(v).toEqual({ api: 'degraded', db: 'down', migrate: 'ok', web: 'ok' });
  });

  it('a running container whose recent output is dominated by errors is degraded (only with logs read)', () => {
    const api = container({ service: 'api' });
    expect(buildStatusReport(snapshot([api]), { now: NOW }).projects[0]!.services[0]!.verdict).toBe('ok');
    const r = buildStatusReport(snapshot([api]), { now: NOW, logs: { [api.id]: errors(30) } });
    expect(r.projects[0]!.services[0]).toMatchObject({ verdict: 'degraded', reason: expect.stringMatching(/^errors in 30 of 30 log lines of the last 2m: "Error: connect ECONNREFUSED/) });
  });

  it('keeps a healthy-but-noisy service ok: warnings, a small share of errors, old errors', () => {
    const noisy = container({ service: 'noisy' });
    const warn = Array.from({ length: 50 }, (_, i) => ({ stream: 'stdout' as const, timestamp: at(50 - i), text: i % 5 ? 'WARN cache is cold' : 'ERROR one request failed' }));
    const old = errors(40).map((l) => ({ ...l, timestamp: at(600) }));
    for (const lines of [warn, old]) expect(buildStatusReport(snapshot([noisy]), { now: NOW, logs: { [noisy.id]: lines } }).projects[0]!.services[0]!.verdict).toBe('ok');
  });
});
