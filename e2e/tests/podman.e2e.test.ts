// The same commands on Podman's Docker-compatible API (a private rootful `podman system service`): the runtime is
// named; status, drift and hosts answer as on Docker for a stack docker-compose v1 brought up against the socket;
// the executor's catalog (scale, limits — re-created where Podman cannot update them live —, env re-create) works
// through intent, and a reconciler pass repairs a stopped container, unpauses a paused one and makes a removed one again from the files. Podman's own healthchecks need systemd, which
// PID 1 is not here: the stack has none.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runBcon } from '../harness/bcon.js';
import { filesRepo, fixtureRepo } from '../harness/git-repo.js';
import { startPodman } from '../testbed/podman.mjs';

const P = 'e2epodman';
const GONE_STACK = `services:
  web:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    mem_limit: 48m
    environment:
      GREETING: hello
    command: ["sh", "-c", "trap 'exit 0' TERM; echo listening; while true; do sleep 1; done"]
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
let podman: Awaited<ReturnType<typeof startPodman>>;
let repo: ReturnType<typeof fixtureRepo>;
let home: string;
const env = () => ({ DOCKER_HOST: podman.dockerHost, BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
const pdocker = (args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: podman.dockerHost }, encoding: 'utf8' }).trim();

describe('on Podman', () => {
  beforeAll(async () => {
    podman = await startPodman();
    home = mkdtempSync(path.join(tmpdir(), 'bcon-podman-home-'));
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'intent'), P);
    execFileSync('docker-compose', ['--compatibility', '-p', P, 'up', '-d'], { cwd: repo.dir, env: { ...process.env, DOCKER_HOST: podman.dockerHost }, stdio: ['ignore', 'ignore', 'pipe'] });
  }, 240_000);
  afterAll(async () => {
    await podman?.stop();
    if (repo) rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('status names the runtime and reads the stack as on Docker', async () => {
    const r = await runBcon(['status', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { engine: { runtime: string; version: string }; services: unknown; summary: { ok: number; down: number; degraded: number } };
    expect(report.engine.runtime).toBe('Podman');
    expect(report.summary).toMatchObject({ ok: 2, degraded: 0, down: 0 });
    const text = await runBcon(['status'], env());
    expect(text.stdout).toMatch(/^Podman \d+\.\d+\.\d+ at unix:/);
    expect(text.stdout).not.toMatch(/running \(\)/);
    expect((await runBcon(['hosts'], env())).stdout).toMatch(/Podman \d+\.\d+/);
  }, 60_000);

  it('drift is IN_SYNC for a stack brought up from the files (the variables Podman adds are not drift)', async () => {
    const r = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ drift_report: { status: 'IN_SYNC' } });
  }, 60_000);

  it('the executor on Podman: scale up, a memory limit (re-created: no live update there) and an env change, then drift is IN_SYNC', async () => {
    const r = await runBcon(['intent', 'scale api to 2 and give it 128M of memory', '--repo', repo.dir, '--yes', '--json'], env());
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect((JSON.parse(r.stdout) as { applied: Array<{ status: string }> }).applied.map((a) => a.status)).toEqual(['succeeded', 'succeeded']);
    for (const n of [1, 2]) expect(pdocker(['inspect', '-f', '{{.State.Running}} {{.HostConfig.Memory}}', `${P}_api_${n}`])).toBe(`true ${128 * 1024 * 1024}`);
    const e = await runBcon(['intent', 'set LOG_LEVEL=debug on worker', '--repo', repo.dir, '--yes', '--json'], env());
    expect(e.code, e.stderr + e.stdout).toBe(0);
    expect(pdocker(['inspect', '-f', '{{json .Config.Env}}', `${P}_worker_1`])).toContain('LOG_LEVEL=debug');
    const d = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect(JSON.parse(d.stdout)).toMatchObject({ drift_report: { status: 'IN_SYNC' } });
  }, 120_000);

  it('a reconciler pass on Podman starts a stopped container', async () => {
    pdocker(['stop', '-t', '1', `${P}_worker_1`]);
    const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir], env());
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { pass: { decisions: Array<{ service: string; mode: string; action: string }> } }).pass.decisions.find((x) => x.service === `${P}/worker`)).toMatchObject({ action: 'container.start', mode: 'executed' });
    expect(pdocker(['inspect', '-f', '{{.State.Running}}', `${P}_worker_1`])).toBe('true');
  }, 60_000);

  it('a reconciler pass on Podman unpauses a paused replica (docker pause: Podman reads it as paused too), not the one that runs', async () => {
    // a replica no pass has touched (the worker's start above puts the worker in its restart backoff)
    pdocker(['pause', `${P}_api_1`]);
    const pass = async () => {
      const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir], env());
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { pass: { decisions: Array<{ service: string; mode: string; action: string; result: string }> } }).pass.decisions.filter((x) => x.service === `${P}/api`);
    };
    // Podman's events show the pause too: a fresh one waits its grace (reconcile.pause_grace, 60 s by default)
    const fresh = await pass();
    expect(fresh, JSON.stringify(fresh)).toEqual([expect.objectContaining({ action: 'container.unpause', mode: 'refused', result: expect.stringMatching(/^waiting: paused at /) })]);
    writeFileSync(path.join(repo.dir, 'bcon.yaml'), 'reconcile:\n  pause_grace: 0s\n');
    repo.commit('no pause grace');
    const decisions = await pass();
    expect(decisions, JSON.stringify(decisions)).toEqual([expect.objectContaining({ action: 'container.unpause', mode: 'executed' })]);
    expect(pdocker(['inspect', '-f', '{{.State.Status}}', `${P}_api_1`])).toBe('running');
  }, 60_000);

  it('a reconciler pass on Podman makes a server whose only container was removed (rm -f) again from the committed files', async () => {
    // a service its files restart always: the evidence that it is a server (Podman's events do not tell a forced
    // removal from one a person meant, so a removal alone is no evidence there: docs/reconciler.md)
    const G = 'e2epodgone';
    const gone = filesRepo(G, { 'compose.yaml': GONE_STACK }, 'a web server and a worker');
    try {
      execFileSync('docker-compose', ['-p', G, 'up', '-d'], { cwd: gone.dir, env: { ...process.env, DOCKER_HOST: podman.dockerHost }, stdio: ['ignore', 'ignore', 'pipe'] });
      // (the environment as a set, without HOSTNAME: Podman sets it to the container's id)
      const settings = () => {
        const [limit, restart, env] = pdocker(['inspect', '-f', '{{.HostConfig.Memory}}|{{.HostConfig.RestartPolicy.Name}}|{{json .Config.Env}}', `${G}_web_1`]).split('|');
        return { limit, restart, env: (JSON.parse(env ?? '[]') as string[]).filter((v) => !v.startsWith('HOSTNAME=')).sort() };
      };
      const before = settings();
      pdocker(['rm', '-f', `${G}_web_1`]);
      const r = await runBcon(['reconcile', '--once', '--json', '--repo', gone.dir], env());
      expect(r.code, r.stderr).toBe(0);
      const decisions = (JSON.parse(r.stdout) as { pass: { decisions: Array<{ service: string; mode: string; action: string; result: string }> } }).pass.decisions;
      expect(decisions.find((x) => x.service === `${G}/web`), JSON.stringify(decisions)).toMatchObject({ action: 'service.scale', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
      expect(pdocker(['inspect', '-f', '{{.State.Running}}', `${G}_web_1`])).toBe('true');
      // as the files say: what compose made before the removal
      expect(settings()).toEqual(before);
      // (the other test project on this Podman is untracked for this repository: only this one's differences count)
      const d = await runBcon(['drift', '--repo', gone.dir, '--json'], env());
      expect((JSON.parse(d.stdout) as { drift_report: { differences: unknown[] } }).drift_report.differences, d.stdout).toEqual([]);
    } finally {
      spawnSync('docker-compose', ['-p', G, 'down', '-t', '1'], { cwd: gone.dir, env: { ...process.env, DOCKER_HOST: podman.dockerHost }, stdio: 'ignore' });
      rmSync(path.dirname(gone.dir), { recursive: true, force: true });
    }
  }, 120_000);
});
