// Same answers on both runtimes: the Level 1 checks and the executor's catalog, run on the suite's Docker and on a
// private rootful Podman (docker-compose v1 against each socket), then compared. A named subset of the Docker suite
// (see docs/testing.md, "Podman"): status verdicts; drift IN_SYNC, then a stopped container, a removed replica, a
// changed environment and a changed memory limit with the same differences; diagnose on the incident fixtures that
// need no host network and no CPU-bound loop (e2e/fixtures/diagnose: ledger, mailer, billing, notifier, exporter,
// uploader, thumbnailer, webhooks, and the drift causes cron, reports and settings); logs; and every catalog action
// through `bcon approve`, each verified on the engine.
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '@bcon/decision';
import { REPO } from '../harness/bcon.js';
import { waitFor } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';
import type { Runtime, RuntimeName } from './podman-runtimes.js';
import { approve, bcon, cli, compose, composeDir, logs, removeProject, seedProposal, startRuntime } from './podman-runtimes.js';

const STACK = `# the matrix stack: two replicas with a limit and logs, a worker, a job that completes
x-idle: &idle
  image: bcon-test/busybox:1
  network_mode: none

services:
  web:
    <<: *idle
    mem_limit: 64m
    environment:
      LEVEL: info
    deploy:
      replicas: 2
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        i=0; while [ $$i -lt 20 ]; do echo "GET /api/orders/$$i 200 $$((i * 7)) ms"; i=$$((i + 1)); done
        echo "ERROR: connect ECONNREFUSED 127.0.0.1:5432" >&2
        echo "WARN slow query took 2301 ms"
        sleep 3600 & wait
  worker:
    <<: *idle
    mem_limit: 48m
    command: ["sh", "-c", "trap 'exit 0' TERM; echo 'worker: ready'; sleep 3600 & wait"]
  job:
    <<: *idle
    restart: "no"
    command: ["sh", "-c", "echo 'job: done'"]
`;

/** The incidents of e2e/fixtures/diagnose this matrix runs (no host network, no CPU-bound loop), with their cause. */
const INCIDENTS: Array<[service: string, cause: string]> = [
  ['ledger', 'oom_killed'],
  ['mailer', 'crash_loop'],
  ['billing', 'missing_config'],
  ['notifier', 'connection_refused'],
  ['exporter', 'permission_denied'],
  ['uploader', 'disk_full'],
  ['thumbnailer', 'memory_pressure'],
  ['webhooks', 'dns_failure'],
];
const DRIFT_CAUSES = ['cron', 'reports', 'settings'];

/** What each runtime answered, by check; compared at the end. */
const answers: Record<RuntimeName, Record<string, unknown>> = { Docker: {}, Podman: {} };

interface StatusJson {
  engine: { runtime: string };
  projects: Array<{ name: string; services: Array<{ name: string; verdict: string; replicas: { running: number; total: number } }> }>;
}
interface DriftJson {
  drift_report: { status: string; differences: Array<{ project?: string; service: string; field: string; container?: string; expected: Record<string, unknown>; actual: Record<string, unknown> }>; untracked: unknown[]; orphans: unknown[] };
}
interface DiagnoseJson {
  hypotheses: Array<{ cause: string; culprit: string; confidence: number }>;
}
interface LogsJson {
  lines: number;
  templates: Array<{ template: string; count: number; level: string }>;
}

describe.each<RuntimeName>(['Docker', 'Podman'])('the same checks on %s', (name) => {
  const P = `e2emx${name === 'Docker' ? 'd' : 'p'}`;
  const D = `${P}diag`;
  const norm = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(D, '<D>').replaceAll(P, '<P>')) as unknown;
  let rt: Runtime;
  let app: ReturnType<typeof fixtureRepo>;
  let diag: ReturnType<typeof fixtureRepo>;
  let fixtureDir: string;
  const n = (service: string, i = 1) => `${P}_${service}_${i}`;
  const inspect = (container: string, format: string) => cli(rt, ['inspect', '-f', format, container]);
  const up = (args: string[] = []) => compose(rt, app.dir, P, ['up', '-d', '-t', '1', ...args]);
  const driftJson = async () => {
    const r = await bcon(rt, ['drift', '--repo', app.dir, '--json']);
    return { code: r.code, report: (JSON.parse(r.stdout) as DriftJson).drift_report };
  };

  beforeAll(async () => {
    rt = await startRuntime(name);
    fixtureDir = composeDir(STACK);
    app = fixtureRepo(fixtureDir, P);
    diag = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'diagnose'), D);
    removeProject(rt, P);
    removeProject(rt, D);
    up();
    compose(rt, diag.dir, D, ['up', '-d', ...INCIDENTS.map(([s]) => s), ...DRIFT_CAUSES]);
    const restarts = (s: string) => Number(cli(rt, ['inspect', '-f', '{{.RestartCount}}', `${D}_${s}_1`]));
    waitFor(() => inspect(`${D}_ledger_1`, '{{.State.Status}}') === 'exited', 30_000, 'ledger to be OOM-killed');
    waitFor(() => restarts('mailer') >= 3 && restarts('billing') >= 3, 60_000, 'mailer and billing to crash-loop');
    waitFor(() => restarts('exporter') >= 2 && restarts('uploader') >= 2, 60_000, 'exporter and uploader to fail');
    waitFor(() => logs(rt, `${D}_thumbnailer_1`).includes('render cache ready') && logs(rt, `${D}_webhooks_1`).includes('delivery 1 failed'), 60_000, 'thumbnailer to fill its cache and webhooks to fail');
    // the notifier's refusals make its status degraded from the fifth one in (docs/status.md, the log rule): both
    // runtimes are compared past that point, not at whatever moment each reached here
    const refusals = () => logs(rt, `${D}_notifier_1`).split('publish failed').length - 1;
    waitFor(() => refusals() >= 6, 30_000, 'notifier to log six refusals');
    waitFor(() => inspect(n('job'), '{{.State.Status}}') === 'exited', 30_000, 'job to complete');
    waitFor(() => cli(rt, ['logs', n('web', 2)]).includes('slow query'), 30_000, 'web to log');
  }, 300_000);
  afterAll(async () => {
    if (rt) {
      removeProject(rt, P);
      removeProject(rt, D);
      cli(rt, ['rm', '-f', `${P}-stray`], { allowFail: true });
      cli(rt, ['rmi', 'bcon-test/busybox:prev'], { allowFail: true });
    }
    await rt?.stop();
    for (const r of [app, diag]) if (r) rmSync(path.dirname(r.dir), { recursive: true, force: true });
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  }, 60_000);

  it('status: the runtime is named and every service gets the same verdict', async () => {
    const r = await bcon(rt, ['status', '--json']);
    expect(r.code, r.stderr).toBeLessThan(2);
    const report = JSON.parse(r.stdout) as StatusJson;
    expect(report.engine.runtime).toBe(name);
    const verdicts = Object.fromEntries(
      report.projects.filter((p) => p.name === P || p.name === D).flatMap((p) => p.services.map((s) => [`${p.name === P ? 'app' : 'diag'}/${s.name}`, `${s.verdict} ${s.replicas.running}/${s.replicas.total}`])),
    );
    expect(verdicts['app/web']).toBe('ok 2/2');
    expect(verdicts['app/worker']).toBe('ok 1/1');
    expect(verdicts['diag/cron']).toBe('ok 1/1');
    expect(verdicts['diag/mailer']).toMatch(/^(down|degraded) /);
    // compared: the verdict and the replicas declared (how many of a crash loop run at that instant is timing)
    answers[name]['status'] = Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, v.replace(/ \d+\//, ' /')]));
  }, 60_000);

  it('logs: the same templates, counts and levels', async () => {
    const r = await bcon(rt, ['logs', 'web', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as LogsJson;
    expect(report.lines).toBe(44);
    const templates = Object.fromEntries(report.templates.map((t) => [t.template, `${t.count} ${t.level}`]));
    expect(templates['GET /api/orders/<*> <*> <*> ms']).toBe('40 info');
    answers[name]['logs'] = templates;
  }, 60_000);

  it('diagnose: the same cause and culprit first for each incident', async () => {
    const firsts: Record<string, string> = {};
    const shown: Record<string, string> = {};
    const diagnose = async (target: string) => {
      const r = await bcon(rt, ['diagnose', target, '--repo', diag.dir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const hs = (JSON.parse(r.stdout) as DiagnoseJson).hypotheses;
      const first = hs[0] ? `${hs[0].cause}/${hs[0].culprit}` : 'nothing';
      // the first three with their confidence, for the failure message
      shown[target] = hs.slice(0, 3).map((h) => `${h.cause}/${h.culprit} ${h.confidence}`).join(', ');
      return first;
    };
    try {
      for (const [service, cause] of INCIDENTS) {
        firsts[service] = await diagnose(service);
        expect(firsts[service], `${service}: ${shown[service]}`).toBe(`${cause}/${service}`);
      }
      cli(rt, ['stop', '-t', '1', `${D}_cron_1`]);
      firsts['cron'] = await diagnose('cron');
      expect(firsts['cron']).toBe('stopped_service/cron');
      cli(rt, ['rm', '-f', `${D}_reports_2`]);
      firsts['reports'] = await diagnose('reports');
      expect(firsts['reports']).toBe('replica_drift/reports');
      const file = path.join(diag.dir, 'compose.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
      diag.commit('settings: debug logging');
      firsts['settings'] = await diagnose('settings');
      expect(firsts['settings']).toBe('config_drift/settings');
      answers[name]['diagnose'] = firsts;
    } finally {
      // the crash loops have made their point: they cost CPU (Podman restarts without backoff); gone even when a
      // check above failed, so the next test's drift is not about them
      removeProject(rt, D);
    }
  }, 240_000);

  it('drift (the incidents removed): IN_SYNC, then the same differences for a stopped container, a removed replica, a changed environment and a changed limit', async () => {
    let d = await driftJson();
    expect(d.report.status, JSON.stringify({ differences: d.report.differences, untracked: d.report.untracked, orphans: d.report.orphans })).toBe('IN_SYNC');
    expect(d.code).toBe(0);
    const seen: Record<string, unknown> = {};

    // killed (exit 137): a service that stops with exit code 0 and restart "no" has completed, not drifted
    cli(rt, ['kill', n('worker')]);
    d = await driftJson();
    expect(d.code).toBe(1);
    seen['stopped'] = norm(d.report.differences);
    expect(d.report.differences).toEqual([{ project: P, service: 'worker', field: 'status', container: n('worker'), expected: { status: 'running' }, actual: { status: 'exited (137)' } }]);
    up();

    cli(rt, ['rm', '-f', n('web', 2)]);
    d = await driftJson();
    seen['replica'] = norm(d.report.differences);
    expect(d.report.differences).toEqual([{ project: P, service: 'web', field: 'replicas', expected: { replicas: 2 }, actual: { replicas: 1 } }]);
    up();

    const file = path.join(app.dir, 'compose.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('LEVEL: info', 'LEVEL: debug').replace('mem_limit: 48m', 'mem_limit: 96m'));
      up();
    } finally {
      writeFileSync(file, original);
    }
    d = await driftJson();
    seen['env_and_limit'] = norm(d.report.differences);
    expect(d.report.differences.map((x) => `${x.container}:${x.field}`).sort()).toEqual([`${n('web')}:environment`, `${n('web', 2)}:environment`, `${n('worker')}:memory`]);
    expect(d.report.differences.find((x) => x.field === 'memory')).toMatchObject({ expected: { memory: '48 MiB' }, actual: { memory: '96 MiB' } });
    up();
    d = await driftJson();
    expect(d.report.status, JSON.stringify({ differences: d.report.differences, untracked: d.report.untracked, orphans: d.report.orphans })).toBe('IN_SYNC');
    answers[name]['drift'] = seen;
  }, 180_000);

  describe('the executor catalog through bcon approve, each verified on the engine', () => {
    const results: Record<string, string> = {};
    const run = async (key: string, target: string, action: Action) => {
      const p = await seedProposal(rt, P, target, [action]);
      const r = await approve(rt, p);
      expect(r.code, r.raw).toBe(0);
      expect(r.status, r.raw).toBe('succeeded');
      results[key] = r.status ?? '';
      answers[name]['catalog'] = results;
      return r;
    };

    it('restart', async () => {
      const before = inspect(n('web'), '{{.State.StartedAt}}');
      await run('restart', 'web', { type: 'container.restart', container: n('web') });
      expect(inspect(n('web'), '{{.State.Running}}')).toBe('true');
      expect(inspect(n('web'), '{{.State.StartedAt}}')).not.toBe(before);
    }, 90_000);

    it('stop, then start', async () => {
      await run('stop', 'worker', { type: 'container.stop', container: n('worker') });
      expect(inspect(n('worker'), '{{.State.Running}}')).toBe('false');
      await run('start', 'worker', { type: 'container.start', container: n('worker') });
      expect(inspect(n('worker'), '{{.State.Running}}')).toBe('true');
    }, 90_000);

    it('a memory limit on every replica (live on Docker, re-created on Podman)', async () => {
      const bytes = 96 * 1024 * 1024;
      await run('set_memory', 'web', { type: 'service.set_memory', service: 'web', containers: [n('web'), n('web', 2)], memoryBytes: bytes, previousBytes: 64 * 1024 * 1024 });
      for (const c of [n('web'), n('web', 2)]) expect(inspect(c, '{{.State.Running}} {{.HostConfig.Memory}}')).toBe(`true ${bytes}`);
    }, 120_000);

    it('an environment change (re-create)', async () => {
      await run('set_env', 'worker', { type: 'service.set_env', service: 'worker', container: n('worker'), name: 'LEVEL', value: 'debug' });
      expect(inspect(n('worker'), '{{.State.Running}}')).toBe('true');
      expect(inspect(n('worker'), '{{json .Config.Env}}')).toContain('"LEVEL=debug"');
      expect(inspect(n('worker'), '{{index .Config.Labels "com.docker.compose.service"}}')).toBe('worker');
    }, 90_000);

    it('scale up and back down', async () => {
      const replicas = () => cli(rt, ['ps', '-a', '--filter', `label=com.docker.compose.project=${P}`, '--filter', 'label=com.docker.compose.service=web', '--format', '{{.Names}}']).split('\n').filter(Boolean).sort();
      await run('scale_up', 'web', { type: 'service.scale', service: 'web', from: 2, to: 3, project: P });
      expect(replicas()).toEqual([n('web'), n('web', 2), n('web', 3)]);
      expect(inspect(n('web', 3), '{{.State.Running}}')).toBe('true');
      await run('scale_down', 'web', { type: 'service.scale', service: 'web', from: 3, to: 2, project: P });
      expect(replicas()).toEqual([n('web'), n('web', 2)]);
    }, 120_000);

    it('an image rollback (re-create from another tag)', async () => {
      cli(rt, ['tag', 'bcon-test/busybox:1', 'bcon-test/busybox:prev']);
      await run('rollback_image', 'worker', { type: 'service.rollback_image', service: 'worker', container: n('worker'), image: 'bcon-test/busybox:prev', currentImage: 'bcon-test/busybox:1' });
      expect(inspect(n('worker'), '{{.State.Running}}')).toBe('true');
      // Podman names the image with its registry (docker.io/…), Docker as given
      expect(inspect(n('worker'), '{{.Config.Image}}').replace(/^(docker\.io|localhost)\//, '')).toBe('bcon-test/busybox:prev');
    }, 90_000);

    it('remove an untracked container', async () => {
      cli(rt, ['run', '-d', '--name', `${P}-stray`, '--network', 'none', 'bcon-test/busybox:1', 'sleep', '3600']);
      await run('remove_untracked', `${P}-stray`, { type: 'container.remove_untracked', container: `${P}-stray` });
      expect(cli(rt, ['ps', '-a', '--filter', `name=^${P}-stray$`, '--format', '{{.Names}}'])).toBe('');
    }, 60_000);
  });
});

describe('Docker and Podman answer the same', () => {
  for (const check of ['status', 'logs', 'drift', 'diagnose', 'catalog']) {
    it(check, () => {
      expect(answers.Docker[check], `Docker did not answer ${check}`).toBeDefined();
      expect(answers.Podman[check]).toEqual(answers.Docker[check]);
    });
  }
});
