// bcon drift on real stacks: zero false drift on a stack made by Debian's docker-compose (v1) with every syntax it
// understands, and on a monorepo of v2-labelled containers; every perturbation reported exactly, with exit code 1,
// in text, YAML and JSON; bad input gets exit code 2 and a message that says what and where.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftOutputSchema } from '@bcon/reasoning/schemas';
import type { DriftReport } from '@bcon/reasoning';
import { BCON_BIN, REPO, runBcon } from '../harness/bcon.js';
import { docker, removeProject, socketPath, waitFor } from '../harness/docker.js';
import { startRecordingProxy } from '../harness/recording-proxy.js';
import { inspect, runComposeContainer } from '../harness/fixtures.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { BUSYBOX_IMAGE, REDIS_IMAGE } from '../testbed/images.mjs';

const FIXTURES = path.join(REPO, 'e2e', 'fixtures', 'drift');
const RICH = 'e2edriftrich';
const webPort = 30000 + Math.floor(Math.random() * 5000);
const jobPort = webPort + 1;
let rich: ReturnType<typeof fixtureRepo>;
let foreign: string[] = [];

function compose(args: string[], env: Record<string, string> = {}): void {
  const withTimeout = args[0] === 'up' ? ['up', '-t', '1', ...args.slice(1)] : args;
  execFileSync('docker-compose', ['--compatibility', '-f', 'compose.yaml', '-f', 'compose.override.yaml', ...withTimeout], {
    cwd: rich.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Run drift in all three formats; check they agree and return the report and the exit code. */
async function drift(args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number; report: DriftReport; text: string }> {
  const json = await runBcon(['drift', '--json', ...args], env);
  expect(json.stderr).toBe('');
  const report = DriftOutputSchema.parse(JSON.parse(json.stdout)).drift_report;
  const yaml = await runBcon(['drift', '--format', 'yaml', ...args], env);
  const fromYaml = DriftOutputSchema.parse(parseYaml(yaml.stdout)).drift_report;
  expect({ ...fromYaml, timestamp: '' }).toEqual({ ...report, timestamp: '' });
  const text = await runBcon(['drift', ...args], env);
  expect(new Set([json.code, yaml.code, text.code]).size).toBe(1);
  return { code: json.code, report, text: text.stdout };
}

const richDrift = (extra: string[] = []) => drift(['--repo', rich.dir, ...extra]);
const mine = (r: DriftReport) => ({
  differences: r.differences.map(({ project: _p, ...d }) => d),
  untracked: r.untracked.filter((u) => !foreign.includes(u.container)).map((u) => u.container),
  orphans: r.orphans.map((o) => o.container),
});

describe('bcon drift against a stack made by docker-compose v1', () => {
  beforeAll(() => {
    removeProject(RICH);
    foreign = docker(['ps', '-a', '--format', '{{.Names}}']).split('\n').filter(Boolean);
    rich = fixtureRepo(path.join(FIXTURES, 'rich'), RICH, { '.env': `TAG=1\nWEB_PORT=${webPort}\nJOB_PORT=${jobPort}\n` });
    compose(['up', '-d']);
    waitFor(() => inspect(`${RICH}_web_1`, '{{.State.Health.Status}}') === 'healthy', 30_000, 'web to be healthy');
    waitFor(() => inspect(`${RICH}_job_1`, '{{.State.Status}}') === 'exited', 30_000, 'job to complete');
  }, 180_000);

  afterAll(() => {
    removeProject(RICH, ['e2e-untracked-temp']);
    docker(['volume', 'rm', '-f', `${RICH}_data`], { allowFail: true });
    rmSync(path.dirname(rich.dir), { recursive: true, force: true });
  });

  it('reports IN_SYNC with zero differences, in every format', async () => {
    const { code, report, text } = await richDrift();
    expect(mine(report)).toEqual({ differences: [], untracked: [], orphans: [] });
    expect(report.projects).toEqual([RICH]);
    expect(report.source).toMatch(/^HEAD@[0-9a-f]{7}$/);
    expect(code).toBe(foreign.length ? 1 : 0);
    if (!foreign.length) {
      expect(report.status).toBe('IN_SYNC');
      expect(text).toContain('IN_SYNC');
    }
  });

  it('reports a stopped container', async () => {
    docker(['stop', '-t', '1', `${RICH}_worker_1`]);
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    expect(report.status).toBe('DRIFTED');
    expect(mine(report).differences).toEqual([
      { service: 'worker', field: 'status', container: `${RICH}_worker_1`, expected: { status: 'running' }, actual: { status: 'exited (137)' } },
    ]);
    expect(text).toMatch(/worker\s+e2edriftrich_worker_1\s+status\s+running → exited \(137\)/);
    compose(['up', '-d']);
  });

  it('reports one replica fewer', async () => {
    docker(['rm', '-f', `${RICH}_api_2`]);
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    expect(mine(report).differences).toEqual([{ service: 'api', field: 'replicas', expected: { replicas: 2 }, actual: { replicas: 1 } }]);
    expect(text).toMatch(/api\s+replicas\s+2 → 1/);
    compose(['up', '-d']);
  });

  it('reports another image tag, and a tag that now points to another image', async () => {
    docker(['tag', BUSYBOX_IMAGE, 'bcon-test/busybox:2']);
    compose(['up', '-d', '--no-deps', 'batch'], { TAG: '2' });
    let { code, report } = await richDrift();
    expect(code).toBe(1);
    expect(mine(report).differences).toEqual(
      [1, 2].map((n) => ({ service: 'batch', field: 'image', container: `${RICH}_batch_${n}`, expected: { image: 'bcon-test/busybox:1' }, actual: { image: 'bcon-test/busybox:2' } })),
    );
    compose(['up', '-d', '--no-deps', 'batch']);

    // the tag in the file now resolves to another image than the containers run
    const original = docker(['image', 'inspect', '-f', '{{.Id}}', BUSYBOX_IMAGE]);
    docker(['tag', REDIS_IMAGE, BUSYBOX_IMAGE]);
    try {
      ({ code, report } = await richDrift());
      expect(code).toBe(1);
      const ids = mine(report).differences.filter((d) => d.field === 'image_id');
      expect(ids.map((d) => d.container).sort()).toEqual(
        [`${RICH}_api_1`, `${RICH}_api_2`, `${RICH}_batch_1`, `${RICH}_batch_2`, `${RICH}_job_1`, `${RICH}_web_1`, `${RICH}_worker_1`].sort(),
      );
      expect(ids[0]?.actual['image_id']).toBe(original.replace('sha256:', '').slice(0, 12));
      expect(mine(report).differences.filter((d) => d.field !== 'image_id')).toEqual([]);
    } finally {
      docker(['tag', original, BUSYBOX_IMAGE]);
    }
  });

  it('reports changed environment, without printing a secret', async () => {
    const file = path.join(rich.dir, 'compose.yaml');
    const original = execFileSync('cat', [file], { encoding: 'utf8' });
    writeFileSync(file, original.replace('DB_PASSWORD: s3cret-${TAG}', 'DB_PASSWORD: leaked-on-host').replace('- LEVEL=${LEVEL-info}', '- LEVEL=debug'));
    compose(['up', '-d', '--no-deps', 'web', 'api']);
    writeFileSync(file, original);
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    const diffs = mine(report).differences;
    expect(diffs.map((d) => `${d.container}:${d.field}`)).toEqual([`${RICH}_api_1:environment`, `${RICH}_api_2:environment`, `${RICH}_web_1:environment`]);
    expect(diffs[0]?.expected).toEqual({ environment: { LEVEL: 'info' } });
    expect(diffs[0]?.actual).toEqual({ environment: { LEVEL: 'debug' } });
    // a keyed fingerprint (HMAC with BCON_HOME/drift.key), not an unsalted hash a dictionary could reverse
    expect(diffs[2]?.expected['environment']).toEqual({ DB_PASSWORD: expect.stringMatching(/^<redacted hmac:[0-9a-f]{12}>$/) });
    expect(diffs[2]?.actual['environment']).toEqual({ DB_PASSWORD: expect.stringMatching(/^<redacted hmac:[0-9a-f]{12}>$/) });
    expect(diffs[2]?.actual['environment']).not.toEqual(diffs[2]?.expected['environment']);
    expect(JSON.stringify(report)).not.toContain('leaked-on-host');
    expect(JSON.stringify(report)).not.toContain('s3cret');
    expect(text).not.toContain('leaked-on-host');
    compose(['up', '-d', '--no-deps', 'web', 'api']);
  });

  it('reports a changed memory limit', async () => {
    docker(['update', '--memory', '96m', '--memory-swap', '96m', `${RICH}_web_1`]);
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    expect(mine(report).differences).toEqual([
      { service: 'web', field: 'memory', container: `${RICH}_web_1`, expected: { memory: '64 MiB' }, actual: { memory: '96 MiB' } },
    ]);
    expect(text).toMatch(/memory\s+64 MiB → 96 MiB/);
    compose(['up', '-d', '--force-recreate', '--no-deps', 'web']);
    waitFor(() => inspect(`${RICH}_web_1`, '{{.State.Health.Status}}') === 'healthy', 30_000, 'web to be healthy again');
  });

  it('reports a bind-mounted config file edited on the host, or edited after the container started', async () => {
    const conf = path.join(rich.dir, 'conf', 'app.conf');
    writeFileSync(conf, 'x=2\n');
    const edited = await richDrift();
    const { text } = edited;
    let { code, report } = edited;
    expect(code).toBe(1);
    const committed = rich.git(['rev-parse', 'HEAD:conf/app.conf']).slice(0, 7);
    expect(mine(report).differences).toEqual([
      {
        service: 'web',
        field: 'config_file',
        container: `${RICH}_web_1`,
        expected: { file: 'conf/app.conf', content: `blob ${committed} (the ref)` },
        actual: { file: 'conf/app.conf', content: expect.stringMatching(/^blob [0-9a-f]{7} on this host$/) },
      },
    ]);
    expect(text).toMatch(/config_file\s+conf\/app\.conf: blob [0-9a-f]{7} \(the ref\) → blob [0-9a-f]{7} on this host/);
    // the committed content again, but written after the container started: it may still run with the old one
    await new Promise((r) => setTimeout(r, 1100));
    writeFileSync(conf, 'x=1\n');
    ({ code, report } = await richDrift());
    expect(code).toBe(1);
    expect(mine(report).differences.map((d) => [d.field, d.actual['loaded']])).toEqual([['config_file', expect.stringMatching(/after the container started: restart it/)]]);
    compose(['up', '-d', '--force-recreate', '--no-deps', 'web']);
    waitFor(() => inspect(`${RICH}_web_1`, '{{.State.Health.Status}}') === 'healthy', 30_000, 'web to be healthy again');
    expect(mine((await richDrift()).report).differences).toEqual([]);
  });

  it('reports an extra untracked container', async () => {
    docker(['run', '-d', '--name', 'e2e-untracked-temp', '--network', 'none', BUSYBOX_IMAGE, 'sleep', '3600']);
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    expect(mine(report)).toEqual({ differences: [], untracked: ['e2e-untracked-temp'], orphans: [] });
    expect(report.untracked.find((u) => u.container === 'e2e-untracked-temp')?.recommendation).toBe('remove it, or add it to the repository');
    expect(text).toMatch(/Untracked[\s\S]*e2e-untracked-temp\s+remove it, or add it to the repository/);
    docker(['rm', '-f', 'e2e-untracked-temp']);
  });

  it('watches: prints new and resolved drift, survives the engine being unreachable, keeps the history', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'bcon-home-'));
    const listen = path.join(home, 'engine.sock');
    let proxy = await startRecordingProxy(socketPath(), listen);
    const child = spawn(process.execPath, [BCON_BIN, 'drift', '--repo', rich.dir, '--watch', '--interval', '1s', '--json'], {
      env: { ...process.env, DOCKER_HOST: proxy.dockerHost, BCON_HOME: home },
    });
    const events: Array<{ event: string; summary?: string; message?: string; status?: string }> = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
    });
    const until = async (what: string, test: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`watch never printed ${what}; events: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until('a first status', () => events.some((e) => e.event === 'status'));
      docker(['update', '--memory', '80m', '--memory-swap', '80m', `${RICH}_api_1`]);
      await until('the memory drift', () => events.some((e) => e.event === 'drift' && /api_1\) memory: 32 MiB → 80 MiB/.test(e.summary ?? '')));
      await proxy.close();
      await until('the engine being unreachable', () => events.some((e) => e.event === 'error' && /cannot reach the Docker engine/.test(e.message ?? '')));
      proxy = await startRecordingProxy(socketPath(), listen);
      await until('recovery', () => events.some((e) => e.event === 'recovered'));
      compose(['up', '-d', '--force-recreate', '--no-deps', 'api']);
      await until('the drift being resolved', () => events.some((e) => e.event === 'resolved' && /memory/.test(e.summary ?? '')));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
      await proxy.close();
    }
    expect(child.exitCode).toBe(0);
    expect(events.filter((e) => e.event === 'error')).toHaveLength(1); // reported once, not on every tick
    const history = await runBcon(['drift', 'history', '--json', '--limit', '100'], { BCON_HOME: home });
    expect(history.code).toBe(0);
    const rows = JSON.parse(history.stdout).history as Array<{ status: string; drift_report?: DriftReport; error?: string }>;
    expect(rows.some((r) => r.status === 'ERROR' && /cannot reach/.test(r.error ?? ''))).toBe(true);
    expect(rows.some((r) => r.drift_report?.differences.some((d) => d.field === 'memory'))).toBe(true);
    const text = await runBcon(['drift', 'history'], { BCON_HOME: home });
    expect(text.stdout).toMatch(/TIME\s+STATUS\s+SOURCE/);
    expect(text.stdout).toContain('memory: 32 MiB → 80 MiB');
    rmSync(home, { recursive: true, force: true });
  });

  it('reports containers of a service removed from the file as orphans, and compares the working tree on request', async () => {
    const file = path.join(rich.dir, 'compose.yaml');
    const original = execFileSync('cat', [file], { encoding: 'utf8' });
    const start = original.indexOf('  batch:');
    const end = original.indexOf('  debug:');
    writeFileSync(file, original.slice(0, start) + original.slice(end));
    writeFileSync(path.join(rich.dir, 'compose.override.yaml'), 'services:\n  web:\n    environment:\n      MODE: production\n    labels:\n      owner: ops\n');
    // uncommitted: HEAD is still in sync, the working tree is not
    expect(mine((await richDrift()).report).orphans).toEqual([]);
    const worktree = await richDrift(['--worktree']);
    expect(worktree.report.source).toBe('worktree');
    expect(mine(worktree.report).orphans).toEqual([`${RICH}_batch_1`, `${RICH}_batch_2`]);
    rich.commit('drop the batch service');
    const { code, report, text } = await richDrift();
    expect(code).toBe(1);
    expect(mine(report)).toEqual({ differences: [], untracked: [], orphans: [`${RICH}_batch_1`, `${RICH}_batch_2`] });
    expect(report.orphans[0]?.service).toBe('batch');
    expect(text).toMatch(/Orphans[\s\S]*e2edriftrich_batch_1/);
    // the previous commit is still in sync
    expect(mine((await richDrift(['--ref', 'HEAD~1'])).report)).toEqual({ differences: [], untracked: [], orphans: [] });
  });
});

describe('bcon drift on a monorepo of stacks (bcon.yaml, include, v2-style containers)', () => {
  let mono: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    for (const p of ['alpha', 'beta-stack']) removeProject(p);
    mono = fixtureRepo(path.join(FIXTURES, 'mono'), 'mono');
    runComposeContainer({ project: 'alpha', service: 'app', image: BUSYBOX_IMAGE, command: ['sleep', '3600'], env: { DB_HOST: 'db' }, memory: '48m' });
    runComposeContainer({ project: 'alpha', service: 'db', image: REDIS_IMAGE, command: ['/usr/bin/redis-server', '/etc/redis.conf'] });
    runComposeContainer({ project: 'beta-stack', service: 'cron', image: BUSYBOX_IMAGE, command: ['sleep', '3600'], restart: 'always' });
  });
  afterAll(() => {
    for (const p of ['alpha', 'beta-stack']) removeProject(p);
    rmSync(path.dirname(mono.dir), { recursive: true, force: true });
  });

  it('is in sync, and a change in one stack does not mark the other drifted', async () => {
    let { report } = await drift(['--repo', mono.dir]);
    expect(report.projects).toEqual(['alpha', 'beta-stack']);
    const ours = (r: DriftReport) => r.differences.concat().filter((d) => ['alpha', 'beta-stack'].includes(d.project));
    expect(ours(report)).toEqual([]);
    expect(report.orphans).toEqual([]);

    const file = path.join(mono.dir, 'stacks', 'beta', 'compose.yaml');
    writeFileSync(file, execFileSync('cat', [file], { encoding: 'utf8' }).replace('restart: always', 'restart: always\n    mem_limit: 16m'));
    mono.commit('beta: limit cron memory');
    ({ report } = await drift(['--repo', mono.dir]));
    expect(ours(report)).toEqual([
      { project: 'beta-stack', service: 'cron', field: 'memory', container: 'beta-stack-cron-1', expected: { memory: '16 MiB' }, actual: { memory: 'unlimited' } },
    ]);
  });
});

describe('bcon drift never prints a credential', () => {
  const M = 'e2edriftmask';
  const secrets = ['S3cret!', 'committed-pw', 'host-token-l3aked', 'committed-token', 'label-pw-l3aked', 'committed-label-pw', 'cmd-pw-l3aked'];
  let repo: ReturnType<typeof fixtureRepo>;
  let home: string;
  beforeAll(() => {
    removeProject(M);
    const fixture = mkdtempSync(path.join(tmpdir(), 'bcon-mask-fixture-'));
    writeFileSync(
      path.join(fixture, 'compose.yaml'),
      [
        'services:',
        '  app:',
        `    image: ${BUSYBOX_IMAGE}`,
        '    network_mode: none',
        '    command: ["sh", "-c", "sleep 3600", "--db-password", "committed-pw"]',
        '    environment:',
        '      DATABASE_URL: postgres://app:committed-pw@db/app',
        '      API_TOKEN: committed-token',
        '      MODE: prod',
        '    labels:',
        '      basic.auth.users: "admin:committed-label-pw"',
        '',
      ].join('\n'),
    );
    repo = fixtureRepo(fixture, M);
    rmSync(fixture, { recursive: true, force: true });
    home = mkdtempSync(path.join(tmpdir(), 'bcon-mask-home-'));
    runComposeContainer({
      project: M,
      service: 'app',
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', 'sleep 3600', '--db-password', 'cmd-pw-l3aked'],
      env: { DATABASE_URL: 'postgres://app:S3cret!@db/app', API_TOKEN: 'host-token-l3aked', MODE: 'prod' },
      labels: { 'basic.auth.users': 'admin:label-pw-l3aked' },
    });
  });
  afterAll(() => {
    removeProject(M);
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('masks URL passwords, fingerprints secret-named values with a per-installation key, in text, YAML, JSON and the history', async () => {
    const { code, report, text } = await drift(['--repo', repo.dir], { BCON_HOME: home });
    expect(code).toBe(1);
    const ours = report.differences.filter((d) => d.project === M);
    const by = (field: string) => ours.find((d) => d.field === field);
    expect(ours.map((d) => d.field).sort()).toEqual(['command', 'environment', 'labels']);
    // a password only in the URL differs: masked on both sides, and the line still says they differ
    expect(by('environment')?.expected['environment']).toMatchObject({ DATABASE_URL: 'postgres://app:***@db/app', API_TOKEN: expect.stringMatching(/^<redacted hmac:[0-9a-f]{12}>$/) });
    expect(by('environment')?.actual['environment']).toMatchObject({ DATABASE_URL: 'postgres://app:***@db/app (differs in a masked credential)', API_TOKEN: expect.stringMatching(/^<redacted hmac:[0-9a-f]{12}>$/) });
    expect(by('labels')?.actual['labels']).toEqual({ 'basic.auth.users': expect.stringMatching(/^<redacted hmac:[0-9a-f]{12}>$/) });
    expect(by('command')?.actual['command']).toEqual(['sh', '-c', 'sleep 3600', '--db-password', '*** (differs in a masked credential)']);
    expect(text).toMatch(/DATABASE_URL=postgres:\/\/app:\*\*\*@db\/app/);
    const history = await runBcon(['drift', 'history', '--json'], { BCON_HOME: home });
    const historyText = await runBcon(['drift', 'history'], { BCON_HOME: home });
    const stored = ['bcon.db', 'bcon.db-wal'].map((f) => (existsSync(path.join(home, f)) ? readFileSync(path.join(home, f), 'latin1') : '')).join('');
    for (const out of [JSON.stringify(report), text, history.stdout, historyText.stdout, stored]) {
      for (const s of secrets) expect(out, s).not.toContain(s);
    }
    expect(history.stdout).toContain('postgres://app:***@db/app');
    // the key: 0600 in BCON_HOME; the same fingerprint on every run there, another one elsewhere
    expect((statSync(path.join(home, 'drift.key')).mode & 0o777).toString(8)).toBe('600');
    const again = await runBcon(['drift', '--repo', repo.dir, '--json'], { BCON_HOME: home });
    const token = (r: DriftReport) => (r.differences.find((d) => d.project === M && d.field === 'environment')?.actual['environment'] as Record<string, string>)['API_TOKEN'];
    expect(token(DriftOutputSchema.parse(JSON.parse(again.stdout)).drift_report)).toBe(token(report));
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'bcon-mask-home2-'));
    try {
      const other = await runBcon(['drift', '--repo', repo.dir, '--json'], { BCON_HOME: elsewhere });
      expect(token(DriftOutputSchema.parse(JSON.parse(other.stdout)).drift_report)).not.toBe(token(report));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('bcon drift with input it cannot use', () => {
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(() => {
    repo = fixtureRepo(path.join(FIXTURES, 'mono', 'stacks', 'beta'), 'badinput');
  });
  afterAll(() => rmSync(path.dirname(repo.dir), { recursive: true, force: true }));

  async function expectError(args: string[], message: RegExp, env: Record<string, string> = {}) {
    const res = await runBcon(['drift', '--repo', repo.dir, ...args], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
    const json = await runBcon(['drift', '--repo', repo.dir, '--json', ...args], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.message).toMatch(new RegExp(message.source.replace('^bcon: ', '^')));
  }

  const commitCompose = (text: string) => {
    writeFileSync(path.join(repo.dir, 'compose.yaml'), text);
    repo.commit('change');
  };

  it('invalid YAML', async () => {
    commitCompose('services:\n  cron: {image: [busybox\n');
    await expectError([], /^bcon: compose\.yaml:\d+:\d+: invalid YAML: /);
  });
  it('a schema violation', async () => {
    commitCompose('services:\n  cron:\n    image: busybox\n    ports: {web: 80}\n');
    await expectError([], /^bcon: compose\.yaml: services\.cron\.ports: expected array \(Compose Specification\)/);
    commitCompose('services:\n  cron:\n    imagee: busybox\n');
    await expectError([], /^bcon: compose\.yaml: services\.cron: unknown key "imagee"/);
  });
  it('a missing required variable', async () => {
    commitCompose('services:\n  cron:\n    image: busybox:${CRON_TAG:?set CRON_TAG in .env}\n');
    await expectError([], /^bcon: compose\.yaml: services\.cron\.image: required variable CRON_TAG is missing a value: set CRON_TAG in \.env/);
  });
  it('an unknown ref', async () => {
    await expectError(['--ref', 'no-such-branch'], /^bcon: unknown git ref "no-such-branch" in .*: use a branch \(main\)/);
  });
  it('an unreachable engine', async () => {
    commitCompose('services:\n  cron:\n    image: busybox\n');
    await expectError([], /^bcon: cannot reach the Docker engine at unix:\/\/\/nonexistent\.sock/, { DOCKER_HOST: 'unix:///nonexistent.sock' });
  });
});
