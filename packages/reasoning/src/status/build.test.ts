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
