// The read-only proof on Podman: every Level 1 command (status with either stats source, drift once and --watch,
// logs, diagnose with and without a target) and a full sensor snapshot send only GET and HEAD to Podman's
// Docker-compatible API, recorded by a proxy in front of its socket. (That @bcon/sensor packed alone has no write
// function and refuses one before the socket does not depend on the engine: readonly-proof.e2e.test.ts.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, collectSnapshot, parseEngineAddress } from '@bcon/sensor';
import { BCON_BIN, runBcon } from '../harness/bcon.js';
import { waitFor } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { startRecordingProxy } from '../harness/recording-proxy.js';
import type { Runtime } from './podman-runtimes.js';
import { cli, compose, composeDir, startRuntime } from './podman-runtimes.js';

const P = 'e2epodproof';
const STACK = `services:
  app:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "echo hello from app; echo oops >&2; trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck:
      test: ["CMD-SHELL", "true"]
      interval: 1s
      timeout: 1s
  job:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "echo done"]
`;

let rt: Runtime;
let fixture: string;
let repo: ReturnType<typeof fixtureRepo>;
let work: string;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

const writes = (from: number) => proxy.records.slice(from).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

describe('on Podman, Level 1 sends only GET and HEAD', () => {
  beforeAll(async () => {
    rt = await startRuntime('Podman');
    fixture = composeDir(STACK);
    repo = fixtureRepo(fixture, P);
    compose(rt, repo.dir, P, ['up', '-d']);
    waitFor(() => cli(rt, ['inspect', '-f', '{{.State.Status}}', `${P}_job_1`]) === 'exited', 30_000, 'job to complete');
    work = mkdtempSync(path.join(tmpdir(), 'bcon-podproof-'));
    proxy = await startRecordingProxy(rt.dockerHost.slice('unix://'.length), path.join(work, 'proxy.sock'));
  }, 240_000);
  afterAll(async () => {
    await proxy?.close();
    await rt?.stop();
    if (repo) rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    for (const d of [fixture, work]) if (d) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('a full sensor snapshot (containers, stats from either source, events, logs)', async () => {
    const before = proxy.records.length;
    const client = new EngineClient(parseEngineAddress(proxy.dockerHost));
    try {
      await client.ping();
      for (const statsSource of ['engine', 'auto'] as const) {
        const snap = await collectSnapshot(client, { statsSource, eventsWindowSeconds: 600, logTail: 50 });
        expect(snap.engine.runtime).toBe('Podman');
        const app = snap.containers.find((c) => c.name === `${P}_app_1`);
        expect(app).toBeDefined();
        expect(Object.keys(snap.stats).length).toBeGreaterThanOrEqual(1);
        expect((snap.logs?.[app?.id ?? ''] ?? []).map((l) => `${l.stream}:${l.text}`)).toEqual(expect.arrayContaining(['stdout:hello from app', 'stderr:oops']));
      }
    } finally {
      client.close();
    }
    const paths = proxy.records.slice(before).map((r) => r.url);
    for (const want of [/\/containers\/json/, /\/stats\?/, /\/events\?/, /\/logs\?/]) expect(paths.some((p) => want.test(p)), String(want)).toBe(true);
    expect(writes(before)).toEqual([]);
  }, 60_000);

  it('bcon status, drift (once and --watch), logs and diagnose', async () => {
    const before = proxy.records.length;
    const home = mkdtempSync(path.join(tmpdir(), 'bcon-home-'));
    const env = { DOCKER_HOST: proxy.dockerHost, BCON_HOME: home };
    try {
      for (const source of ['auto', 'engine']) {
        const res = await runBcon(['status', '--json', '--stats-source', source], env);
        expect(res.code, res.stderr).toBe(0);
        expect(JSON.parse(res.stdout)).toMatchObject({ engine: { runtime: 'Podman' } });
      }
      const drift = await runBcon(['drift', '--repo', repo.dir, '--json'], env);
      expect(drift.code, drift.stdout).toBe(0);
      const logs = await runBcon(['logs', 'app', '--json'], env);
      expect(logs.code, logs.stderr).toBe(0);
      expect((JSON.parse(logs.stdout) as { lines: number }).lines).toBeGreaterThan(0);
      for (const args of [['diagnose', 'app', 'is it ok?', '--repo', repo.dir, '--json'], ['diagnose', '--repo', repo.dir, '--json']]) {
        const d = await runBcon(args, env);
        expect(d.code, d.stderr).toBe(0);
        expect((JSON.parse(d.stdout) as { hypotheses: unknown[] }).hypotheses).toBeInstanceOf(Array);
      }
      const watch = spawn(process.execPath, [BCON_BIN, 'drift', '--repo', repo.dir, '--watch', '--interval', '1s', '--json'], { env: { ...process.env, ...env } });
      await new Promise((r) => setTimeout(r, 2500));
      watch.kill('SIGINT');
      await new Promise((r) => watch.once('close', r));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const seen = proxy.records.slice(before);
    expect(seen.filter((r) => /\/containers\/json/.test(r.url)).length).toBeGreaterThanOrEqual(6);
    expect(seen.some((r) => /\/logs\?/.test(r.url))).toBe(true);
    expect(seen.some((r) => /\/events\?/.test(r.url))).toBe(true);
    expect(writes(before)).toEqual([]);
  }, 120_000);

  it('the proxy records writes when there are some (a docker restart through it): the proof can fail', async () => {
    const before = proxy.records.length;
    const res = await new Promise<number>((resolve) => {
      const p = spawn('docker', ['restart', '-t', '1', `${P}_app_1`], { env: { ...process.env, DOCKER_HOST: proxy.dockerHost }, stdio: 'ignore' });
      p.on('close', (code) => resolve(code ?? -1));
    });
    expect(res).toBe(0);
    expect(writes(before).map((r) => r.method)).toContain('POST');
  }, 60_000);
});
