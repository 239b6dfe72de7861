// Docker Swarm (issue "Beyond a few hosts", docs/swarm.md) on a real two-node swarm: two private dockerds of this
// file's own (not the suite's engine: `swarm init` changes an engine for good), a manager and a worker joined over
// two loopback addresses picked at random (with a free port each: two swarms on one machine must not meet), stacks
// on the external `host` network. Every point of the "Done when": a stack deployed from a committed
// file is IN_SYNC; a scaled-down service and a changed env are drift; a service whose image never starts is diagnosed
// with the task error cited; an approved scale and a `bcon deploy` with a failing image (swarm rolls back) are
// verified and audited; the reads are GETs only.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { startRecordingProxy } from '../harness/recording-proxy.js';
import { startPrivateEngine, stopPrivateEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

const STACK = 'shop';
let engine: Awaited<ReturnType<typeof startPrivateEngine>>;
let workerEngine: Awaited<ReturnType<typeof startPrivateEngine>> | undefined;
let dockerHost = '';
let work = '';
let repo = '';
let home = '';

const docker = (args: string[], allowFail = false, host = dockerHost): string => {
  const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' });
  if (r.status !== 0 && !allowFail) throw new Error(`docker ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return (r.stdout ?? '').trim();
};
const bcon = (args: string[], extra: Record<string, string> = {}) => runBcon(args, { DOCKER_HOST: dockerHost, BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_HOSTS: undefined, ...extra });
const git = (args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@bcon.test', '-c', 'user.name=e2e', ...args], { cwd: repo, encoding: 'utf8' }).trim();

/** Poll until the check passes (swarm converges on its own schedule), bounded. */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const running = (service: string) => Number(docker(['service', 'ls', '--filter', `name=${service}`, '--format', '{{.Replicas}}']).split('/')[0] ?? 0);
const updateState = (service: string) => docker(['service', 'inspect', service, '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}']);
/** bcon refuses a deploy while swarm is still rolling an earlier update (a by-hand --env-add, a rollback) out */
const settled = (service: string) => !/^(updating|rollback_started)$/.test(updateState(service));
const specImage = (service: string) => docker(['service', 'inspect', service, '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}']).split('@')[0];

const COMPOSE = (web: { replicas: number; mode: string }) => `version: "3.8"
services:
  web:
    image: bcon-swarm/app:1
    environment:
      MODE: ${web.mode}
      API_TOKEN: e2e-canary-8f1d2c
    deploy:
      replicas: ${web.replicas}
      update_config:
        parallelism: 1
        delay: 1s
        monitor: 4s
        failure_action: rollback
    networks: [hostnet]
  worker:
    image: bcon-swarm/app:never
    deploy:
      replicas: 1
    networks: [hostnet]
networks:
  hostnet:
    external: true
    name: host
`;

/** A TCP port free on this address now. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  [engine, workerEngine] = await Promise.all([startPrivateEngine('/tmp/bcon-swarm-'), startPrivateEngine('/tmp/bcon-swarm-w-')]);
  dockerHost = engine.dockerHost;
  buildImages(dockerHost);
  buildImages(workerEngine.dockerHost);
  const net = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}`;
  const [managerAddr, workerAddr] = [`${net}.1`, `${net}.2`];
  const [managerPort, workerPort] = await Promise.all([freePort(managerAddr), freePort(workerAddr)]);
  docker(['swarm', 'init', '--advertise-addr', managerAddr, '--listen-addr', `${managerAddr}:${managerPort}`, '--data-path-port', String(10000 + Math.floor(Math.random() * 20000))]);
  const token = docker(['swarm', 'join-token', '-q', 'worker']);
  docker(['swarm', 'join', '--token', token, '--advertise-addr', workerAddr, '--listen-addr', `${workerAddr}:${workerPort}`, `${managerAddr}:${managerPort}`], false, workerEngine.dockerHost);
  await until('two nodes ready', () => docker(['node', 'ls', '--format', '{{.Status}}']).split('\n').filter((l) => l === 'Ready').length === 2);
  work = mkdtempSync(path.join(tmpdir(), 'bcon-swarm-work-'));
  home = path.join(work, 'home');
  mkdirSync(home, { mode: 0o700 });
  chmodSync(home, 0o700);
  // the app: a good image (sleeps), a failing one (writes its error and exits 3), both from the test busybox
  const build = (tag: string, entrypoint: string) => {
    const dir = path.join(work, `img-${tag}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'Dockerfile'), `FROM bcon-test/busybox:1\nENTRYPOINT ["sh", "-c", ${JSON.stringify(entrypoint)}]\n`);
    // on both nodes: a task may land on either (no registry here)
    for (const host of [dockerHost, workerEngine?.dockerHost as string]) docker(['build', '-q', '-t', `bcon-swarm/app:${tag}`, dir], false, host);
  };
  build('1', "trap 'exit 0' TERM; echo serving v1; sleep 3600 & wait");
  build('2', "trap 'exit 0' TERM; echo serving v2; sleep 3600 & wait");
  build('bad', 'echo starting v3; echo "FATAL cannot read /etc/app/config.yaml: no such file or directory" >&2; exit 3');
  // bcon-swarm/app:never is on no node and in no registry: its tasks are rejected
  repo = path.join(work, STACK);
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(path.join(repo, 'compose.yaml'), COMPOSE({ replicas: 3, mode: 'blue' }));
  git(['add', '-A']);
  git(['commit', '-qm', 'shop stack']);
  docker(['stack', 'deploy', '-c', path.join(repo, 'compose.yaml'), STACK]);
  await until('3 web tasks running', () => running(`${STACK}_web`) === 3);
}, 300_000);

afterAll(async () => {
  if (workerEngine) await stopPrivateEngine(workerEngine);
  if (engine) await stopPrivateEngine(engine);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('bcon on a real single-node swarm', () => {
  it('status: each stack service with desired vs running and a verdict; a manager is required', async () => {
    const r = await bcon(['swarm', 'status', '--json']);
    const report = JSON.parse(r.stdout).swarm;
    const services = report.stacks.find((s: { name: string }) => s.name === STACK).services;
    expect(services.find((s: { name: string }) => s.name === `${STACK}_web`)).toMatchObject({ desired: 3, running: 3, verdict: 'ok', image: 'bcon-swarm/app:1' });
    expect(report.nodes).toHaveLength(2);
    expect(report.nodes.map((n: { role: string }) => n.role).sort()).toEqual(['manager', 'worker']);
    // the tasks are spread over both nodes (their containers are on each engine)
    expect(docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_web`], false, workerEngine?.dockerHost).split('\n').filter(Boolean).length).toBeGreaterThan(0);
    // not a swarm: the suite's own engine is a plain one
    const plain = await runBcon(['swarm', 'status'], { BCON_HOME: home });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/not part of a swarm|Cannot connect|ENOENT|connect/i);
  });

  it('a stack deployed from the committed file is IN_SYNC (web) — the worker that never starts is a status problem, not drift', async () => {
    const r = await bcon(['swarm', 'drift', '--repo', repo, '--json']);
    const report = JSON.parse(r.stdout).drift_report;
    expect(report.projects).toEqual([STACK]);
    expect(report.differences).toEqual([]);
    expect(report.status).toBe('IN_SYNC');
    expect(r.code).toBe(0);
  });

  it('a service whose image never starts is diagnosed with the task error cited', async () => {
    await until('worker tasks rejected', () => docker(['service', 'ps', `${STACK}_worker`, '--no-trunc', '--format', '{{.Error}}']).includes('No such image'));
    const r = await bcon(['swarm', 'diagnose', 'worker', '--json']);
    const d = JSON.parse(r.stdout);
    const top = d.hypotheses[0];
    expect(top.cause).toBe('task_rejected');
    expect(top.confidence).toBeGreaterThanOrEqual(0.8);
    const cited = d.evidence.filter((e: { id: string }) => top.evidence.includes(e.id)).map((e: { text: string }) => e.text).join('\n');
    expect(cited).toContain('No such image: bcon-swarm/app:never');
    const status = JSON.parse((await bcon(['swarm', 'status', '--json'])).stdout).swarm;
    const worker = status.stacks[0].services.find((s: { name: string }) => s.name === `${STACK}_worker`);
    expect(worker).toMatchObject({ verdict: 'down', running: 0 });
    expect(worker.lastFailure.error).toContain('No such image');
    // text output names the cause and the error too
    expect((await bcon(['swarm', 'diagnose', `${STACK}_worker`])).stdout).toMatch(/task_rejected[\s\S]*No such image: bcon-swarm\/app:never/);
  });

  it('a scaled-down service and a changed env are drift; a secret value is never shown', async () => {
    docker(['service', 'scale', '--detach', `${STACK}_web=1`]);
    docker(['service', 'update', '--detach', '--env-add', 'MODE=green', '--env-add', 'API_TOKEN=changed-by-hand-77', `${STACK}_web`]);
    const r = await bcon(['swarm', 'drift', '--repo', repo, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout).drift_report;
    expect(report.status).toBe('DRIFTED');
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'web', field: 'replicas', expected: { replicas: 3 }, actual: { replicas: 1 } }),
        expect.objectContaining({ service: 'web', field: 'environment' }),
      ]),
    );
    const env = report.differences.find((d: { field: string }) => d.field === 'environment');
    expect(env.expected.environment.MODE).toBe('blue');
    expect(env.actual.environment.MODE).toBe('green');
    expect(r.stdout).not.toContain('e2e-canary-8f1d2c');
    expect(r.stdout).not.toContain('changed-by-hand-77');
  });

  it('an approved scale runs through the write path: proposal, approval, verified from the tasks, audited', async () => {
    // the env put in by hand is still rolling out on a fast machine (its task replaced): wait until it is done
    await until('web at 1 task, no update in progress', () => running(`${STACK}_web`) === 1 && settled(`${STACK}_web`));
    // 1 → 3 more than doubles: notify tier, so without --yes it only proposes
    const proposed = await bcon(['swarm', 'scale', 'web', '3', '--json']);
    expect(proposed.code).toBe(2);
    const id = /proposal (p-[0-9a-f]{8})/.exec(proposed.stderr)?.[1];
    expect(id, proposed.stderr).toBeTruthy();
    expect(running(`${STACK}_web`)).toBe(1);
    const approved = await bcon(['approve', id as string, '--option', '1', '--yes', '--json']);
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect(running(`${STACK}_web`)).toBe(3);
    const audit = JSON.parse((await bcon(['audit', '--json'])).stdout).audit_log as Array<{ action: string; result: string; context: Record<string, unknown> }>;
    const executed = audit.find((e) => e.action === 'swarm.scale' && e.context['proposal'] === id);
    expect(executed).toMatchObject({ result: 'success' });
    expect(String(executed?.context['state'])).toMatch(/runs 3 tasks/);
    expect(audit.some((e) => e.action === 'proposal.approve' && e.context['proposal'] === id)).toBe(true);
    // a proposal whose starting point changed since is refused (swarm's spec version, then the count it starts from);
    // an update in progress meanwhile (the env put back by hand) changes the version but not the count: that one runs
    docker(['service', 'update', '--detach', '--env-add', 'MODE=blue', '--env-add', 'API_TOKEN=e2e-canary-8f1d2c', `${STACK}_web`]);
    const stale = await bcon(['swarm', 'scale', 'web', '2']);
    const staleId = /proposal (p-[0-9a-f]{8})/.exec(stale.stderr)?.[1] as string;
    expect(staleId, stale.stderr).toBeTruthy();
    docker(['service', 'scale', '--detach', `${STACK}_web=4`]);
    const late = await bcon(['approve', staleId, '--option', '1', '--yes']);
    expect(late.code).not.toBe(0);
    expect(late.stdout + late.stderr).toMatch(/changed since the proposal/);
    expect(Number(docker(['service', 'inspect', `${STACK}_web`, '--format', '{{.Spec.Mode.Replicated.Replicas}}']))).toBe(4);
    docker(['service', 'scale', '--detach', `${STACK}_web=3`]);
  });

  it('bcon deploy with a failing image: swarm rolls it back; bcon names the failing task and its output, and audits each step', async () => {
    await until('web back at 3 running tasks, no update in progress', () => running(`${STACK}_web`) === 3 && settled(`${STACK}_web`));
    const r = await bcon(['deploy', 'web', '--image', 'bcon-swarm/app:bad', '--yes', '--json', '--repo', repo]);
    expect(r.code, r.stderr).toBe(1);
    const view = JSON.parse(r.stdout).deploy;
    expect(view).toMatchObject({ service: `${STACK}_web`, strategy: 'swarm', result: 'rolled_back', from: 'bcon-swarm/app:1', to: 'bcon-swarm/app:bad' });
    expect(view.failures[0]).toMatchObject({ error: 'task: non-zero exit (3)', exitCode: 3 });
    expect(view.failures[0].output).toContain('FATAL cannot read /etc/app/config.yaml');
    expect(r.stderr).toMatch(/rollback_completed/);
    expect(specImage(`${STACK}_web`)).toBe('bcon-swarm/app:1');
    await until('3 tasks on the old image', () => running(`${STACK}_web`) === 3);
    const audit = JSON.parse((await bcon(['audit', '--json'])).stdout).audit_log as Array<{ action: string; result: string; context: Record<string, unknown> }>;
    const steps = audit.filter((e) => e.action === 'swarm.deploy.step' && e.context['proposal'] === view.proposal).map((e) => String(e.context['step']));
    expect(steps.some((s) => /^FAILED .*exit code 3/.test(s))).toBe(true);
    expect(steps.some((s) => /rollback_completed/.test(s))).toBe(true);
    expect(audit.find((e) => e.action === 'swarm.deploy' && e.context['proposal'] === view.proposal)).toMatchObject({ result: 'rolled_back' });
    expect((await bcon(['audit', '--verify'])).code).toBe(0);
  });

  it('bcon deploy with a good image succeeds, and bcon rollback restores the previous spec', async () => {
    await until('no update in progress', () => settled(`${STACK}_web`) && running(`${STACK}_web`) === 3);
    const r = await bcon(['deploy', 'web', '--image', 'bcon-swarm/app:2', '--yes', '--json', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).deploy).toMatchObject({ result: 'succeeded', to: 'bcon-swarm/app:2' });
    expect(specImage(`${STACK}_web`)).toBe('bcon-swarm/app:2');
    const back = await bcon(['rollback', 'web', '--yes', '--json', '--repo', repo]);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout).deploy).toMatchObject({ result: 'succeeded', action: 'swarm.rollback' });
    expect(specImage(`${STACK}_web`)).toBe('bcon-swarm/app:1');
    // --strategy is for compose services: refused clearly, nothing done
    const strategy = await bcon(['deploy', 'web', '--image', 'bcon-swarm/app:2', '--strategy', 'canary', '--yes']);
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toMatch(/swarm service/);
  });

  it('the reconciler treats the swarm as one more host: a scaled-down service is scaled back to the committed count (dry run first)', async () => {
    writeFileSync(path.join(repo, 'bcon.yaml'), 'reconcile:\n  self_heal: true\n');
    git(['add', 'bcon.yaml']);
    git(['commit', '-qm', 'reconcile: self_heal']);
    await until('web at 3 tasks', () => running(`${STACK}_web`) === 3);
    docker(['service', 'scale', '--detach', `${STACK}_web=1`]);
    await until('web at 1 task', () => running(`${STACK}_web`) === 1);
    const dry = await bcon(['reconcile', '--once', '--dry-run', '--json', '--repo', repo]);
    const dryPass = JSON.parse(dry.stdout).pass;
    const planned = dryPass.decisions.find((d: { action: string }) => d.action === 'swarm.scale');
    expect(planned, dry.stdout).toMatchObject({ service: `${STACK}/web`, cause: 'replica_drift' });
    expect(Number(docker(['service', 'inspect', `${STACK}_web`, '--format', '{{.Spec.Mode.Replicated.Replicas}}']))).toBe(1);
    const r = await bcon(['reconcile', '--once', '--json', '--repo', repo]);
    const pass = JSON.parse(r.stdout).pass;
    const d = pass.decisions.find((x: { action: string }) => x.action === 'swarm.scale');
    expect(d, r.stdout).toMatchObject({ mode: expect.stringMatching(/^(executed|notified)$/) });
    expect(d.result).toMatch(/^succeeded: .*runs 3 tasks/);
    expect(d.evidence.join('\n')).toMatch(/replicas/);
    expect(running(`${STACK}_web`)).toBe(3);
    // nothing else was decided about the stack: the never-starting worker is swarm's to retry, not bcon's to restart
    expect(pass.decisions.filter((x: { service: string; action: string }) => x.action !== 'swarm.scale' && /worker|web/.test(x.service))).toEqual([]);
    const again = JSON.parse((await bcon(['reconcile', '--once', '--json', '--repo', repo])).stdout).pass;
    expect(again.decisions.filter((x: { action: string }) => x.action.startsWith('swarm.'))).toEqual([]);
  });

  it('logs of a service through the service logs endpoint', async () => {
    const r = await bcon(['swarm', 'logs', 'web', '--json']);
    const lines = JSON.parse(r.stdout).lines as Array<{ text: string }>;
    expect(lines.some((l) => /serving v1/.test(l.text))).toBe(true);
  });

  it('the reads are GETs only: status, drift, diagnose and logs through a recording proxy', async () => {
    const proxy = await startRecordingProxy(dockerHost.slice('unix://'.length), path.join(work, 'recording.sock'));
    try {
      const via = { DOCKER_HOST: proxy.dockerHost };
      for (const args of [['swarm', 'status', '--json'], ['swarm', 'drift', '--repo', repo, '--json'], ['swarm', 'diagnose', 'worker', '--json'], ['swarm', 'logs', 'web', '--json']]) {
        const r = await bcon(args, via);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThan(2);
      }
      expect(proxy.records.some((q) => /\/services/.test(q.url))).toBe(true);
      expect(proxy.records.some((q) => /\/tasks/.test(q.url))).toBe(true);
      expect(proxy.records.some((q) => /\/services\/[^/]+\/logs/.test(q.url))).toBe(true);
      expect(proxy.records.filter((q) => q.method !== 'GET' && q.method !== 'HEAD')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
