// The read-only proof: @bcon/sensor packed and installed alone cannot write to a Docker engine.
// (a) no other bcon package comes with it; (b) a write through its transport is refused before it reaches the
// socket, and so is a read it does not make (the transport allow-lists the read endpoints it uses); (c) a full
// level 1 run (and `bcon status`) sends only GET/HEAD to a real engine, recorded by a proxy.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BCON_BIN, REPO, runBcon } from '../harness/bcon.js';
import { removeProject, socketPath } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import type { startRecordingProxy as StartProxy } from '../harness/recording-proxy.js';
import { startRecordingProxy } from '../harness/recording-proxy.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const PROJECT = 'e2eproof';
// The proxy runs in this process: child processes that talk to it must not block the event loop.
const run = promisify(execFile);
const WRITE_NAMES = /^(create|start|stop|restart|kill|remove|rm|update|exec|prune|pull|push|commit|pause|unpause|rename|attach|run|build|delete|put|post|patch|write|import|load|tag)/i;

let work: string;
let proxy: Awaited<ReturnType<typeof StartProxy>>;
let installed: string;

describe('@bcon/sensor, packed and installed alone, cannot write', () => {
  beforeAll(async () => {
    removeProject(PROJECT);
    runComposeContainer({ project: PROJECT, service: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo hello from app; echo oops >&2; sleep 3600'] });
    runComposeContainer({ project: PROJECT, service: 'job', image: BUSYBOX_IMAGE, restart: 'no', command: ['sh', '-c', 'echo done'] });

    work = mkdtempSync(path.join(tmpdir(), 'bcon-sensor-alone-'));
    execFileSync('pnpm', ['--filter', '@bcon/sensor', 'pack', '--pack-destination', work], { cwd: REPO, stdio: 'ignore' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('pnpm pack produced no tarball');
    installed = path.join(work, 'app');
    execFileSync('mkdir', ['-p', installed]);
    writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'sensor-alone', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', path.join(work, tarball)], { cwd: installed, stdio: 'ignore' });

    proxy = await startRecordingProxy(socketPath(), path.join(work, 'proxy.sock'));
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    removeProject(PROJECT);
    rmSync(work, { recursive: true, force: true });
  });

  it('installs with no other bcon package', () => {
    const scoped = readdirSync(path.join(installed, 'node_modules', '@bcon'));
    expect(scoped).toEqual(['sensor']);
    const lock = JSON.parse(readFileSync(path.join(installed, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const bconPackages = Object.keys(lock.packages).filter((p) => p.includes('node_modules/@bcon/'));
    expect(bconPackages).toEqual(['node_modules/@bcon/sensor']);
  });

  it('exposes no write function, and refuses a write before it reaches the socket', async () => {
    const script = `
      import * as sensor from '@bcon/sensor';
      const names = Object.keys(sensor);
      const client = new sensor.EngineClient(sensor.parseEngineAddress(process.env.DOCKER_HOST));
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(client));
      const refused = [];
      for (const [method, p, headers] of [['POST', '/containers/x/stop'], ['DELETE', '/containers/x'], ['PUT', '/containers/x/archive'], ['POST', '/containers/create'], ['GET', '/containers/x/attach/ws'],
          // other spellings of the websocket attach, which the engine decodes or cleans up (hardening.e2e.test.ts shows
          // what it does with each), reads that are not the sensor's, and a protocol switch on an allowed path
          ['GET', '/v1.41/containers/x/attach/w%73'], ['GET', '/v1.41/containers/x/attach/%77s'], ['GET', '/v1.41/containers/x/attach/ws/'],
          ['GET', '/v1.41//containers/x/attach/ws'], ['GET', '/v1.41/containers/y/../x/attach/ws'], ['HEAD', '/v1.41/containers/x/%61ttach/ws'],
          ['GET', '/v1.41/containers/x/export'], ['GET', '/v1.41/exec/x/json'], ['GET', '/v1.41/images/get'],
          ['GET', '/v1.41/containers/x/json', { Upgrade: 'websocket', Connection: 'Upgrade' }]]) {
        try { await client.transport.open({ method, path: p, headers }); refused.push({ method, p, refused: false }); }
        catch (e) { refused.push({ method, p, refused: e instanceof sensor.ReadOnlyViolationError, message: e.message }); }
      }
      client.close();
      console.log(JSON.stringify({ names, methods, refused }));
    `;
    const before = proxy.records.length;
    const { stdout: out } = await run('node', ['--input-type=module', '-e', script], {
      cwd: installed,
      env: { ...process.env, DOCKER_HOST: proxy.dockerHost },
      encoding: 'utf8',
    });
    const result = JSON.parse(out) as { names: string[]; methods: string[]; refused: Array<{ method: string; refused: boolean; message: string }> };
    expect(result.names.filter((n) => WRITE_NAMES.test(n))).toEqual([]);
    expect(result.methods.filter((n) => WRITE_NAMES.test(n))).toEqual([]);
    expect(result.refused.filter((r) => !r.refused)).toEqual([]);
    expect(result.refused).toHaveLength(15);
    expect(result.refused[0]?.message).toMatch(/refused POST \/containers\/x\/stop: @bcon\/sensor is read-only/);
    expect(result.refused[5]?.message).toMatch(/refused GET \/v1\.41\/containers\/x\/attach\/w%73: @bcon\/sensor is read-only .*not written canonically/);
    expect(result.refused[14]?.message).toMatch(/it asks for a protocol switch/);
    expect(proxy.records.length).toBe(before);
  });

  it('sends only GET and HEAD during a full level 1 run, from the installed package', async () => {
    const script = `
      import * as sensor from '@bcon/sensor';
      const client = new sensor.EngineClient(sensor.parseEngineAddress(process.env.DOCKER_HOST));
      await client.ping();
      for (const statsSource of ['engine', 'auto']) {
        const snap = await sensor.collectSnapshot(client, { statsSource, eventsWindowSeconds: 600, logTail: 50 });
        const app = snap.containers.find((c) => c.name === '${PROJECT}-app-1');
        console.log(JSON.stringify({ containers: snap.containers.length, stats: Object.keys(snap.stats).length,
          events: snap.events.length, appLogs: snap.logs[app.id].map((l) => l.stream + ':' + l.text) }));
      }
      client.close();
    `;
    const before = proxy.records.length;
    const { stdout: out } = await run('node', ['--input-type=module', '-e', script], {
      cwd: installed,
      env: { ...process.env, DOCKER_HOST: proxy.dockerHost },
      encoding: 'utf8',
    });
    const runs = out.trim().split('\n').map((l) => JSON.parse(l) as { containers: number; stats: number; events: number; appLogs: string[] });
    for (const run of runs) {
      expect(run.containers).toBeGreaterThanOrEqual(2);
      expect(run.stats).toBeGreaterThanOrEqual(1);
      expect(run.events).toBeGreaterThanOrEqual(2);
      expect(run.appLogs).toEqual(expect.arrayContaining(['stdout:hello from app', 'stderr:oops']));
    }
    const seen = proxy.records.slice(before);
    const paths = seen.map((r) => r.url);
    expect(paths.some((p) => /\/containers\/json/.test(p))).toBe(true);
    expect(paths.some((p) => /\/stats\?/.test(p))).toBe(true);
    expect(paths.some((p) => /\/events\?/.test(p))).toBe(true);
    expect(paths.some((p) => /\/logs\?/.test(p))).toBe(true);
    expect(seen.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });

  it('bcon drift (once and --watch), bcon logs and bcon diagnose send only GET and HEAD as well', async () => {
    const repo = path.join(work, PROJECT);
    execFileSync('mkdir', ['-p', repo]);
    writeFileSync(path.join(repo, 'compose.yaml'), `services:\n  app:\n    image: ${BUSYBOX_IMAGE}\n    network_mode: none\n    command: ["sleep", "3600"]\n`);
    for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.email=e@e', '-c', 'user.name=e', 'commit', '-qm', 'stack']]) execFileSync('git', args, { cwd: repo });
    const before = proxy.records.length;
    const home = mkdtempSync(path.join(tmpdir(), 'bcon-home-'));
    const env = { DOCKER_HOST: proxy.dockerHost, BCON_HOME: home };
    const drift = await runBcon(['drift', '--repo', repo, '--json'], env);
    expect([0, 1]).toContain(drift.code);
    expect(JSON.parse(drift.stdout).drift_report.projects).toEqual([PROJECT]);
    const logs = await runBcon(['logs', 'app', '--json'], env);
    expect(logs.code).toBe(0);
    expect(JSON.parse(logs.stdout).lines).toBeGreaterThan(0);
    for (const args of [['diagnose', 'app', 'is it ok?', '--repo', repo, '--json'], ['diagnose', '--repo', repo, '--json']]) {
      const diagnose = await runBcon(args, env);
      expect(diagnose.code, diagnose.stderr).toBe(0);
      expect(JSON.parse(diagnose.stdout).hypotheses).toBeInstanceOf(Array);
    }
    const watch = spawn(process.execPath, [BCON_BIN, 'drift', '--repo', repo, '--watch', '--interval', '1s', '--json'], { env: { ...process.env, ...env } });
    await new Promise((r) => setTimeout(r, 2500));
    watch.kill('SIGINT');
    await new Promise((r) => watch.once('close', r));
    rmSync(home, { recursive: true, force: true });
    const seen = proxy.records.slice(before);
    expect(seen.some((r) => /\/logs\?/.test(r.url))).toBe(true);
    expect(seen.filter((r) => /\/containers\/json/.test(r.url)).length).toBeGreaterThanOrEqual(5);
    expect(seen.some((r) => /\/events\?/.test(r.url))).toBe(true);
    expect(seen.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });

  it('bcon status sends only GET and HEAD as well', async () => {
    const before = proxy.records.length;
    const home = mkdtempSync(path.join(tmpdir(), 'bcon-home-'));
    for (const source of ['auto', 'engine']) {
      const res = await runBcon(['status', '--json', '--stats-source', source], { DOCKER_HOST: proxy.dockerHost, BCON_HOME: home });
      expect(res.code).toBe(0);
    }
    rmSync(home, { recursive: true, force: true });
    const seen = proxy.records.slice(before);
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });
});
