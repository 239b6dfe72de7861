// `bcon status` verdicts that agree with the diagnosis, on a real engine: a service whose dependency was killed is
// degraded with the dependency named (declared depends_on, and inferred from an env value as diagnose infers it), a
// service whose output is all connection errors is degraded, and a healthy service with noisy logs (warnings, a
// small share of errors) stays ok.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusReportSchema } from '@bcon/reasoning/schemas';
import type { ServiceStatus, StatusReport } from '@bcon/reasoning';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { inspect, runComposeContainer } from '../harness/fixtures.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2esv';
// a process that stops at once when asked (sleep as PID 1 would ignore SIGTERM)
const SLEEP = 'trap "exit 0" TERM; sleep 3600 & wait';
let home: string;

async function status(): Promise<StatusReport> {
  const res = await runBcon(['status', '--json'], { BCON_HOME: home });
  expect(res.code, res.stderr).toBe(0);
  return StatusReportSchema.parse(JSON.parse(res.stdout));
}

function service(report: StatusReport, name: string): ServiceStatus {
  const found = report.projects.find((p) => p.name === P)?.services.find((s) => s.name === name);
  if (!found) throw new Error(`service ${P}/${name} missing from the report`);
  return found;
}

describe('bcon status: verdicts that agree with the diagnosis', () => {
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'bcon-sv-home-'));
    removeProject(P);
    const base = { project: P, image: BUSYBOX_IMAGE };
    runComposeContainer({ ...base, service: 'db', command: ['sh', '-c', SLEEP] });
    // declared: compose writes depends_on as a label; it says nothing until its database goes
    runComposeContainer({ ...base, service: 'api', labels: { 'com.docker.compose.depends_on': 'db:service_started:false' }, command: ['sh', '-c', `while :; do echo "GET /orders 200 4ms"; sleep 1; done`] });
    // inferred: its env names the db service as a host, as diagnose reads it
    runComposeContainer({ ...base, service: 'worker', env: { DATABASE_URL: 'postgres://app@db:5432/app' }, command: ['sh', '-c', SLEEP] });
    // healthy but noisy: a burst of errors at start, then warnings and requests, an error now and then
    const noisy = [
      'for i in 1 2 3 4 5 6; do echo "ERROR cache not warmed yet (startup)" >&2; done',
      'n=0; while :; do n=$((n+1)); echo "WARN slow upstream: 250ms"; echo "GET /items 200 3ms"; [ $((n % 8)) -eq 0 ] && echo "ERROR one request timed out" >&2; sleep 0.2; done',
    ].join('; ');
    runComposeContainer({ ...base, service: 'noisy', command: ['sh', '-c', noisy] });
    waitFor(() => docker(['logs', `${P}-noisy-1`], { allowFail: true }).split('\n').length > 20, 20_000, 'noisy to log');
  }, 120_000);

  afterAll(() => {
    removeProject(P);
    rmSync(home, { recursive: true, force: true });
  });

  it('everything ok while the database runs; a healthy-but-noisy service is ok', async () => {
    const r = await status();
    for (const name of ['db', 'api', 'worker', 'noisy']) expect({ name, verdict: service(r, name).verdict, reason: service(r, name).reason }).toEqual({ name, verdict: 'ok', reason: null });
  });

  it('the database killed: its dependents are degraded, naming it; the api logging ECONNREFUSED is degraded by its logs too', async () => {
    docker(['kill', `${P}-db-1`]);
    waitFor(() => inspect(`${P}-db-1`, '{{.State.Status}}') === 'exited', 20_000, 'db to exit');
    // the api now fails every request, as an api whose database is gone does
    docker(['rm', '-f', `${P}-api-1`]);
    runComposeContainer({
      project: P,
      service: 'api',
      image: BUSYBOX_IMAGE,
      labels: { 'com.docker.compose.depends_on': 'db:service_started:false' },
      command: ['sh', '-c', 'while :; do echo "Error: connect ECONNREFUSED 127.0.0.1:5432"; sleep 0.5; done'],
    });
    waitFor(() => docker(['logs', `${P}-api-1`], { allowFail: true }).split('\n').filter(Boolean).length >= 8, 30_000, 'the api to log its errors');
    const r = await status();
    expect(service(r, 'db')).toMatchObject({ verdict: 'down', reason: expect.stringMatching(/^exited \(137/) });
    const api = service(r, 'api');
    expect(api.verdict).toBe('degraded');
    expect(api.reason).toMatch(/errors in \d+ of \d+ log lines of the last 2m: "Error: connect ECONNREFUSED 127\.0\.0\.1:5432"/);
    expect(api.reason).toMatch(/dependency db \(depends_on\) is down: exited \(137/);
    const worker = service(r, 'worker');
    expect(worker).toMatchObject({ verdict: 'degraded', reason: expect.stringMatching(/^dependency db \(DATABASE_URL\) is down: exited \(137/) });
    // its containers are fine by their own state: the verdict comes from the dependency, not from them
    expect(worker.containers[0]).toMatchObject({ state: 'running', verdict: 'ok', restartCount: 0 });
    expect(service(r, 'noisy')).toMatchObject({ verdict: 'ok', reason: null });
    expect(r.summary.degraded).toBeGreaterThanOrEqual(2);

    // and the text says it
    const text = await runBcon(['status'], { BCON_HOME: home });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/worker\s+degraded\s+1\/1\s.*dependency db \(DATABASE_URL\) is down/);
  });
});
