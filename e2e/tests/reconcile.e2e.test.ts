// The reconciler (Level 3) on a real engine and a real git repository: drift is repaired within a pass through the
// one write path (a stopped container, a removed replica, a changed memory limit with a webhook before and after),
// each decision audited with its evidence and the commit; dry-run, pause, self_heal: false and a production
// service each refuse or propose the way the contract says; bcon-reconciler serves /healthz and /metrics, repairs
// by itself, and stops cleanly on SIGTERM.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { listAudit, openStore } from '@bcon/store';
import { REPO, runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';

const P = 'e2erec';
let repo: ReturnType<typeof fixtureRepo>;
let home: string;
let hook: http.Server;
const hooks: Array<{ text: string; bcon: { event: string; action: string; tier: string } }> = [];
const env = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
const state = (name: string) => docker(['inspect', '-f', '{{.State.Status}}', name]);
const names = (service: string) =>
  docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${P}`, '--filter', `label=com.docker.compose.service=${service}`, '--format', '{{.Names}}'])
    .split('\n')
    .filter(Boolean)
    .sort();

interface Pass {
  commit: string;
  hosts: Array<{ name: string; status: string }>;
  decisions: Array<{ id: string; host: string; service: string; action: string; tier: string; mode: string; reasons: string[]; result: string; evidence: string[] }>;
}
async function pass(extra: string[] = [], environment: Record<string, string> = env()): Promise<Pass> {
  const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir, ...extra], environment);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { pass: Pass }).pass;
}
const compose = (args: string[]) => execFileSync('docker-compose', ['--compatibility', '-p', P, ...args], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
let edits = 0;
const bconYaml = (text: string) => {
  // every call is a commit of its own (the same settings again are a new commit too)
  writeFileSync(path.join(repo.dir, 'bcon.yaml'), `${text}# edit ${++edits}\n`);
  return repo.commit('reconcile settings');
};

describe('the reconciler', () => {
  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    home = mkdtempSync(path.join(tmpdir(), 'bcon-rec-home-'));
    removeProject(P);
    docker(['rm', '-f', 'bcon-lock', 'bcon-pause'], { allowFail: true });
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'reconcile'), P);
    bconYaml(`reconcile:\n  self_heal: true\nnotify:\n  - webhook: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook\n`);
    // flaky and warming come up in their own test (declared but absent until then: nothing to act on)
    docker(['tag', 'bcon-test/busybox:1', 'bcon-test/busybox:tagged']);
    compose(['up', '-d', 'web', 'worker', 'billing', 'api', 'cache', 'queue', 'jobs', 'tagged', 'stage', 'live']);
  }, 120_000);
  afterAll(async () => {
    removeProject(P);
    docker(['rm', '-f', 'bcon-lock', 'bcon-pause'], { allowFail: true });
    docker(['rmi', '-f', 'bcon-test/busybox:tagged', 'bcon-test/busybox:rollout'], { allowFail: true });
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('nothing to do on a converged stack: no decision, nothing touched', async () => {
    const p = await pass();
    expect(p.hosts).toEqual([{ name: expect.any(String), status: 'ok' }]);
    expect(p.decisions).toEqual([]);
  }, 60_000);

  it('a running service whose every call fails (a typo in a host name; errors that took its output over after a clean start) is reported by the second sweep that finds it, never restarted; a start that went through refusals is not; sweep off: silent', async () => {
    const c = `${P}_payments_1`;
    compose(['--profile', 'sweep', 'up', '-d', 'payments', 'booting', 'charging']);
    onTestFinished(() => void docker(['rm', '-f', c, `${P}_booting_1`, `${P}_charging_1`], { allowFail: true }));
    const logs = (name: string) => {
      const r = spawnSync('docker', ['logs', name], { encoding: 'utf8', env: process.env });
      return `${r.stdout}${r.stderr}`;
    };
    waitFor(() => (logs(c).match(/bad address 'payments-apii'/g) ?? []).length >= 3, 30_000, 'payments to fail its calls');
    waitFor(() => (logs(`${P}_booting_1`).match(/Connection refused/g) ?? []).length >= 3, 30_000, 'booting to go through refusals');
    waitFor(() => (logs(`${P}_charging_1`).match(/401 Unauthorized/g) ?? []).length >= 10, 30_000, 'charging to fail its charges');
    const startedAt = docker(['inspect', '-f', '{{.State.StartedAt}}', c]);
    // its own BCON_HOME: no earlier sweep in its state
    const own = mkdtempSync(path.join(tmpdir(), 'bcon-rec-sweep-'));
    onTestFinished(() => rmSync(own, { recursive: true, force: true }));
    const mine = { ...env(), BCON_HOME: own, COMPOSE_PROFILES: 'sweep' };
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    bconYaml(`reconcile:\n  sweep: off\nnotify:\n  - webhook: ${hookUrl}\n`);
    // the containers look fine (running, no restarts): without the sweep nothing judges them
    expect((await pass([], mine)).decisions).toEqual([]);
    bconYaml(`reconcile:\n  sweep: 10s\nnotify:\n  - webhook: ${hookUrl}\n`);
    hooks.length = 0;
    // the first sweep finds; it reports nothing yet (a fault must persist to the next sweep)
    const first = await pass([], mine);
    expect(first.decisions, JSON.stringify(first.decisions)).toEqual([]);
    const sweptAt = Date.now();
    // booting's cache comes up: it connects, and serves from then on
    docker(['exec', `${P}_booting_1`, 'touch', '/tmp/cache-up']);
    waitFor(() => /connected to the cache/.test(logs(`${P}_booting_1`)), 30_000, 'booting to connect');
    const connectedAt = Date.now();
    const sweepState = () => Object.values((JSON.parse(readFileSync(path.join(own, 'reconciler-state.json'), 'utf8')) as { sweeps: Record<string, { at: string; claims: string[] }> }).sweeps)[0];
    // all three found: the typo, the refusals booting went through at its start, and charging's errors since its
    // clean start (an onset: the sweep marks it with its template)
    expect(sweepState()?.claims).toEqual(expect.arrayContaining([`${P}/payments|dns_failure`, expect.stringMatching(new RegExp(`^${P}/booting\\|`)), `${P}/charging|log_error_spike`]));
    // the next sweep (10 s after the first), once booting has served without a refusal for 10 s
    await new Promise((r) => setTimeout(r, Math.max(0, sweptAt + 10_500 - Date.now(), connectedAt + 11_000 - Date.now())));
    // the next sweep reads the logs since the first: payments still fails, booting's refusals stopped, and
    // charging's errors (no onset in these logs: they begin after it) still take its output over
    const swept = await pass([], mine);
    const bySvc = (p: Pass, svc: string) => p.decisions.find((d) => d.service === `${P}/${svc}`);
    expect(swept.decisions, JSON.stringify(swept.decisions)).toHaveLength(2);
    expect(bySvc(swept, 'payments')).toMatchObject({ action: 'report', mode: 'reported', tier: 'explicit', cause: 'dns_failure', result: expect.stringMatching(/^needs a person/) });
    expect(bySvc(swept, 'payments')?.evidence.join('\n')).toMatch(/bad address 'payments-apii'/);
    expect(bySvc(swept, 'charging')).toMatchObject({ action: 'report', mode: 'reported', cause: 'log_error_spike' });
    expect(bySvc(swept, 'charging')?.evidence.join('\n')).toMatch(/401 Unauthorized[\s\S]*still so in the logs since the last sweep: \d+ lines of it/);
    expect(hooks.filter((h) => h.bcon.event === 'reported').map((h) => h.text).sort()).toEqual([expect.stringMatching(/e2erec\/charging on .* needs a person/), expect.stringMatching(/e2erec\/payments on .* needs a person/)]);
    // the next pass is not a sweep: the report is listed from the last one, told to nobody again
    const sweptLast = sweepState()?.at;
    const next = await pass([], mine);
    expect(sweepState()?.at).toBe(sweptLast);
    expect(next.decisions.map((d) => [d.service, d.mode, d.result.replace(/^.*(\(reported at) .*\)$/, '$1)')]).sort()).toEqual([
      [`${P}/charging`, 'reported', '(reported at)'],
      [`${P}/payments`, 'reported', '(reported at)'],
    ]);
    expect(hooks.filter((h) => h.bcon.event === 'reported')).toHaveLength(2);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}} {{.RestartCount}}', c])).toBe(`${startedAt} 0`);
    bconYaml(`reconcile:\n  self_heal: true\nnotify:\n  - webhook: ${hookUrl}\n`);
  }, 120_000);

  it('a stopped container is started (autonomous), audited with the drift evidence and the commit', async () => {
    docker(['stop', '-t', '1', `${P}_web_1`]);
    const p = await pass();
    const d = p.decisions.find((x) => x.service === `${P}/web`);
    expect(d).toMatchObject({ action: 'container.start', tier: 'autonomous', mode: 'executed' });
    expect(state(`${P}_web_1`)).toBe('running');
    const store = openStore({ home });
    const entry = listAudit(store).find((e) => e.action === 'reconcile.decision' && e.target === 'web');
    const executed = listAudit(store).find((e) => e.action === 'container.start' && e.actor === 'bcon/reconciler');
    store.close();
    expect(entry?.context).toMatchObject({ commit: p.commit, tier: 'autonomous' });
    expect((entry?.context['evidence'] as string[]).join(' ')).toMatch(/exited/);
    expect(executed?.approval).toBe('autonomous');
  }, 60_000);

  it('a removed replica is brought back; a changed memory limit is set back with a webhook before and after', async () => {
    docker(['rm', '-f', `${P}_worker_2`]);
    docker(['update', '--memory', '128m', '--memory-swap', '128m', `${P}_worker_1`]);
    hooks.length = 0;
    const first = await pass();
    expect(first.decisions.find((d) => d.service === `${P}/worker`)).toMatchObject({ action: 'service.scale', mode: 'executed' });
    // one action per service and pass: the best-ranked one first (the missing replica), the limits in the next
    const second = await pass();
    expect(second.decisions.find((d) => d.service === `${P}/worker`)).toMatchObject({ action: 'service.set_memory', tier: 'notify', mode: 'notified' });
    expect(names('worker')).toEqual([`${P}_worker_1`, `${P}_worker_2`]);
    for (const n of names('worker')) expect(docker(['inspect', '-f', '{{.HostConfig.Memory}}', n])).toBe(String(64 * 1024 * 1024));
    expect(hooks.map((h) => [h.bcon.event, h.bcon.action.split(' ')[0]])).toEqual(expect.arrayContaining([['before', 'set'], ['after', 'set']]));
    expect(hooks.every((h) => typeof h.text === 'string' && h.text.startsWith('bcon reconciler'))).toBe(true);
  }, 90_000);

  it('--dry-run decides the same as a real pass and changes nothing', async () => {
    docker(['stop', '-t', '1', `${P}_cache_1`]);
    const dry = await pass(['--dry-run']);
    expect(dry.decisions.find((x) => x.service === `${P}/cache`)).toMatchObject({ mode: 'executed', result: expect.stringMatching(/^dry run/) });
    expect(state(`${P}_cache_1`)).toBe('exited');
    const real = await pass();
    expect(real.decisions.find((x) => x.service === `${P}/cache`)).toMatchObject({ mode: 'executed', action: 'container.start' });
    expect(state(`${P}_cache_1`)).toBe('running');
  }, 60_000);

  it('bcon pause refuses every action on the host until bcon resume', async () => {
    // whatever happens below, the host is not left paused for the next test
    onTestFinished(async () => {
      await runBcon(['resume'], env());
    });
    expect((await runBcon(['pause', '--reason', 'maintenance'], env())).code).toBe(0);
    docker(['stop', '-t', '1', `${P}_api_1`]);
    let p = await pass();
    expect(p.decisions.find((x) => x.service === `${P}/api`)).toMatchObject({ mode: 'refused', reasons: expect.arrayContaining([expect.stringMatching(/paused .*maintenance/)]) });
    expect(state(`${P}_api_1`)).toBe('exited');
    // the pause switch is bcon's own marker: no drift, no untracked container
    const drift = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect(drift.stdout).not.toContain('bcon-pause');
    const resumed = await runBcon(['resume'], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    p = await pass();
    expect(p.decisions.find((x) => x.service === `${P}/api`)).toMatchObject({ mode: 'executed' });
    expect(state(`${P}_api_1`)).toBe('running');
  }, 60_000);

  it('self_heal: false turns a repair into a proposal (once, notified), which bcon approve then runs', async () => {
    bconYaml(`reconcile:\n  self_heal: false\nnotify:\n  - webhook: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook\n`);
    docker(['stop', '-t', '1', `${P}_queue_1`]);
    hooks.length = 0;
    const p = await pass();
    const d = p.decisions.find((x) => x.service === `${P}/queue`);
    expect(d).toMatchObject({ mode: 'proposed', result: expect.stringMatching(/^p-/) });
    expect(state(`${P}_queue_1`)).toBe('exited');
    // the next pass finds the same proposal pending: no second proposal, no second notification
    const again = await pass();
    expect(again.decisions.find((x) => x.service === `${P}/queue`)?.result).toBe(d?.result);
    expect(hooks.filter((h) => h.bcon.event === 'proposed')).toHaveLength(1);
    const ok = await runBcon(['approve', d?.result ?? '', '--option', '1', '--yes'], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(state(`${P}_queue_1`)).toBe('running');
  }, 60_000);

  it('a production service is never changed by itself: its repair waits as an explicit proposal', async () => {
    bconYaml('reconcile:\n  self_heal: true\n');
    docker(['stop', '-t', '1', `${P}_billing_1`]);
    const p = await pass();
    expect(p.decisions.find((x) => x.service === `${P}/billing`)).toMatchObject({ tier: 'explicit', mode: 'proposed' });
    expect(state(`${P}_billing_1`)).toBe('exited');
    docker(['start', `${P}_billing_1`]);
  }, 60_000);

  it('an unhealthy running container is restarted (once; then the backoff waits); one inside its start_period is left alone', async () => {
    compose(['up', '-d', 'flaky', 'warming']);
    for (const until = Date.now() + 20_000; docker(['inspect', '-f', '{{.State.Health.Status}}', `${P}_flaky_1`]) !== 'unhealthy' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
    const startedBefore = docker(['inspect', '-f', '{{.State.StartedAt}}', `${P}_flaky_1`]);
    const p = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir], { ...env() });
    const first = (JSON.parse(p.stdout) as { pass: Pass }).pass;
    expect(first.decisions.find((d) => d.service === `${P}/flaky`)).toMatchObject({ action: 'container.restart', mode: 'executed', result: expect.stringMatching(/^failed: .*unhealthy/) });
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', `${P}_flaky_1`])).not.toBe(startedBefore);
    expect(first.decisions.find((d) => d.service === `${P}/warming`)).toBeUndefined();
    const second = await pass();
    expect(second.decisions.find((d) => d.service === `${P}/flaky`)).toMatchObject({ mode: 'refused', reasons: expect.arrayContaining([expect.stringMatching(/^waiting: /)]) });
    // once the backoff has passed: the restart failed at this commit, so it is not retried by itself
    await new Promise((r) => setTimeout(r, 11_000));
    const third = await pass();
    expect(third.decisions.find((d) => d.service === `${P}/flaky`)).toMatchObject({ mode: 'proposed', reasons: expect.arrayContaining([expect.stringMatching(/apply failed at commit .*not retried automatically/)]) });
    // a new commit is a new decision
    bconYaml('reconcile:\n  self_heal: true\n  # a new commit\n');
    const fourth = await pass();
    expect(fourth.decisions.find((d) => d.service === `${P}/flaky`)).toMatchObject({ mode: 'executed' });
  }, 180_000);

  it('a re-tagged image (the committed tag names another build now) is re-created from the tag, with a notification', async () => {
    const before = docker(['inspect', '-f', '{{.Image}}', `${P}_tagged_1`]);
    docker(['commit', `${P}_web_1`, 'bcon-test/busybox:tagged']);
    const now = docker(['image', 'inspect', '-f', '{{.Id}}', 'bcon-test/busybox:tagged']);
    expect(now).not.toBe(before);
    const p = await pass();
    expect(p.decisions.find((d) => d.service === `${P}/tagged`)).toMatchObject({ action: 'service.recreate', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(docker(['inspect', '-f', '{{.Image}} {{.State.Running}}', `${P}_tagged_1`])).toBe(`${now} true`);
  }, 60_000);

  it('a new image tag committed for a staging service is rolled out as a deploy with a notification before and after; the same for production becomes a proposal', async () => {
    docker(['tag', 'bcon-test/busybox:1', 'bcon-test/busybox:rollout']);
    bconYaml(`reconcile:\n  self_heal: true\nnotify:\n  - webhook: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook\n`);
    const file = path.join(repo.dir, 'compose.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('  stage:\n    <<: *idle\n', '  stage:\n    <<: *idle\n    image: bcon-test/busybox:rollout\n').replace('  live:\n    <<: *idle\n', '  live:\n    <<: *idle\n    image: bcon-test/busybox:rollout\n'));
    const commit = repo.commit('roll out bcon-test/busybox:rollout to stage and live');
    hooks.length = 0;
    const p = await pass();
    expect(p.commit).toBe(commit);
    const stage = p.decisions.find((d) => d.service === `${P}/stage`);
    expect(stage, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.deploy', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(docker(['ps', '--filter', `label=com.docker.compose.project=${P}`, '--filter', 'label=com.docker.compose.service=stage', '--format', '{{.Image}}'])).toBe('bcon-test/busybox:rollout');
    const events = hooks.filter((h) => h.bcon.action.includes('deploy stage')).map((h) => h.bcon.event);
    expect(events, JSON.stringify(hooks)).toEqual(expect.arrayContaining(['before', 'after']));
    const live = p.decisions.find((d) => d.service === `${P}/live`);
    expect(live).toMatchObject({ action: 'service.deploy', mode: 'proposed' });
    expect(hooks.some((h) => h.bcon.event === 'proposed' && h.bcon.action.includes('deploy live'))).toBe(true);
    expect(docker(['inspect', '-f', '{{.Config.Image}}', `${P}_live_1`])).toBe('bcon-test/busybox:1');
  }, 120_000);

  it('inside a deny window a repair is only proposed; an unreachable host is reported and gets no decision', async () => {
    bconYaml(`hosts:\n  here: ${process.env['DOCKER_HOST']}\n  gone: unix:///tmp/bcon-e2e-no-such-engine.sock\nreconcile:\n  windows:\n    - deny: "* * * * *"\n      duration: 1h\n`);
    docker(['stop', '-t', '1', `${P}_queue_1`]);
    try {
      // the hosts come from the repository's bcon.yaml (DOCKER_HOST would pick one engine)
      const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir], { ...env(), DOCKER_HOST: '' });
      expect(r.code, r.stderr).toBe(0);
      const p = (JSON.parse(r.stdout) as { pass: Pass }).pass;
      expect(p.hosts).toEqual([
        { name: 'gone', status: 'unreachable', error: expect.any(String) },
        { name: 'here', status: 'ok' },
      ]);
      expect(p.decisions.filter((d) => d.host === 'gone')).toEqual([]);
      expect(p.decisions.find((d) => d.service === `${P}/queue`)).toMatchObject({ host: 'here', mode: 'proposed', reasons: expect.arrayContaining([expect.stringMatching(/inside deny window/)]) });
      expect(state(`${P}_queue_1`)).toBe('exited');
    } finally {
      bconYaml('reconcile:\n  self_heal: true\n');
      docker(['start', `${P}_queue_1`]);
    }
  }, 60_000);

  it('an approve killed mid-recreate is undone by the next pass, which reports it', async () => {
    const p = await (async () => {
      const { fingerprintOf, describeAction, coveredContainers } = await import('@bcon/decision');
      const { EngineClient, collectContainers, endpointFromEnv } = await import('@bcon/sensor');
      const client = new EngineClient(endpointFromEnv());
      const all = await collectContainers(client).finally(() => client.close());
      const mine = all.filter((c) => c.compose?.project === P && c.compose.service === 'jobs');
      const action = { type: 'service.set_env' as const, service: 'jobs', container: `${P}_jobs_1`, name: 'NEW', value: '1' };
      const { type, ...params } = action;
      const proposal = { id: 'p-reckill1', target: 'jobs', createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 600_000).toISOString(), fingerprint: fingerprintOf(coveredContainers(all, mine.map((c) => c.name))), containers: mine.map((c) => c.name), notes: [], options: [{ n: 1, action: type, params, summary: describeAction(action), risk: 'medium' as const, tier: 'notify' as const, reasons: ['e2e'], cause: 'crash_loop' as const, culprit: 'jobs' }] };
      const store = openStore({ home });
      const { saveProposal } = await import('@bcon/store');
      saveProposal(store, { id: proposal.id, createdAt: Date.now(), expiresAt: Date.parse(proposal.expiresAt), target: 'jobs', status: 'pending', body: proposal });
      store.close();
      return proposal;
    })();
    const oldId = docker(['inspect', '-f', '{{.Id}}', `${P}_jobs_1`]);
    // the re-created container waits long in verification (it never becomes healthy before the kill)
    const child = spawn(process.execPath, [path.join(REPO, 'apps', 'cli', 'bin', 'run.js'), 'approve', p.id, '--option', '1', '--yes', '--timeout', '120'], { env: { ...process.env, ...env(), BCON_ACTOR: 'bcon/reconciler' }, stdio: 'ignore' });
    for (const until = Date.now() + 60_000; docker(['ps', '-aq', '--filter', `name=${P}_jobs_1-bcon-old`]) === '' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const next = await pass();
    expect(next.decisions.find((d) => d.action === 'service.set_env.undo')).toMatchObject({ mode: 'executed', reasons: [expect.stringMatching(/never finished: undone before deciding again/)] });
    expect(docker(['inspect', '-f', '{{.Id}} {{.State.Running}}', `${P}_jobs_1`])).toBe(`${oldId} true`);
    expect(docker(['ps', '-aq', '--filter', 'name=bcon-old'])).toBe('');
    expect((await runBcon(['lock', 'status', '--json'], env())).stdout).toMatch(/"lock": null/);
  }, 120_000);

  it('a service that keeps failing gets repairs with growing delays, then the breaker opens: a proposal and a notification instead', async () => {
    // a budget that earlier tests cannot have spent: only the breaker may stop the fourth repair
    bconYaml(`reconcile:\n  self_heal: true\n  budget:\n    per_service_per_hour: 10\n    per_host_per_hour: 100\nnotify:\n  - webhook: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook\n`);
    compose(['up', '-d', 'crashy']);
    const exitedAgain = async () => {
      for (const until = Date.now() + 40_000; state(`${P}_crashy_1`) !== 'exited' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
    };
    const modes: string[] = [];
    const times: number[] = [];
    hooks.length = 0;
    for (let i = 0; i < 4; i++) {
      await exitedAgain();
      // wait out the backoff of the last repair (10 s, then 20 s) so that only the breaker can stop the next one
      const wait = i === 1 ? 10_500 : i === 2 ? 20_500 : 0;
      if (wait) await new Promise((r) => setTimeout(r, Math.max(0, (times.at(-1) ?? 0) + wait - Date.now())));
      const p = await pass();
      const d = p.decisions.find((x) => x.service === `${P}/crashy`);
      modes.push(`${d?.mode}`);
      if (d?.mode === 'executed') times.push(Date.now());
      if (i === 3) expect(d).toMatchObject({ mode: 'proposed', reasons: expect.arrayContaining([expect.stringMatching(/breaker/i)]) });
    }
    expect(modes).toEqual(['executed', 'executed', 'executed', 'proposed']);
    expect(hooks.filter((h) => h.bcon.event === 'proposed').map((h) => h.bcon.action)).toEqual([expect.stringMatching(/crashy/)]);
    // the proposal a person gets holds what the pass decided as option 1 and the rules' other options after it
    const proposed = await pass();
    const id = proposed.decisions.find((x) => x.service === `${P}/crashy`)?.result as string;
    const shown = await runBcon(['proposals', '--json'], env());
    const mine = (JSON.parse(shown.stdout) as { proposals: Array<{ id: string; options: Array<{ n: number; action: string }> }> }).proposals.find((x) => x.id === id);
    expect(mine?.options.map((o) => o.n), shown.stdout).toEqual(mine?.options.map((_, i) => i + 1));
    expect(mine?.options.length, shown.stdout).toBeGreaterThan(1);
    const status = await runBcon(['reconciler', 'status', '--json'], env());
    expect((JSON.parse(status.stdout) as { openBreakers: string[] }).openBreakers).toContain(`${P}/crashy`);
  }, 240_000);

  // the two holes the two-host chaos run found: both were neither drift nor repaired
  it('one stopped replica of a two-replica service (exit 0, the other running) is drift, and the pass starts it; a one-off run that exited 0 is neither', async () => {
    const driftOf = async () => {
      const r = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
      expect(r.code, r.stderr).toBe(1);
      return (JSON.parse(r.stdout) as { drift_report: { differences: Array<{ service: string; field: string; container?: string; expected: unknown; actual: unknown }> } }).drift_report.differences.filter((d) => d.service === 'worker');
    };
    expect(names('worker')).toEqual([`${P}_worker_1`, `${P}_worker_2`]);
    // a one-off `compose run` of the service that ran to completion (exit 0, restart no): not a replica, not drift
    execFileSync('docker-compose', ['--compatibility', '-p', P, 'run', '-T', '--name', `${P}_worker_run_e2e`, 'worker', 'sh', '-c', 'exit 0'], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    onTestFinished(() => void docker(['rm', '-f', `${P}_worker_run_e2e`], { allowFail: true }));
    expect(docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{index .Config.Labels "com.docker.compose.oneoff"}}', `${P}_worker_run_e2e`])).toBe('exited 0 True');
    expect(await driftOf()).toEqual([]);
    docker(['stop', '-t', '5', `${P}_worker_2`]);
    // restart "no" (docker-compose v1 leaves the policy's name empty): what read as a completed job before
    expect(docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} [{{.HostConfig.RestartPolicy.Name}}]', `${P}_worker_2`])).toMatch(/^exited 0 \[(no)?\]$/);
    expect(await driftOf()).toEqual([{ project: P, service: 'worker', field: 'status', container: `${P}_worker_2`, expected: { status: 'running' }, actual: { status: 'exited (0)' } }]);
    const p = await pass();
    const d = p.decisions.find((x) => x.service === `${P}/worker`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'container.start', tier: 'autonomous', mode: 'executed', result: expect.stringMatching(/^succeeded/) });
    expect(state(`${P}_worker_2`)).toBe('running');
    expect(state(`${P}_worker_run_e2e`)).toBe('exited');
    expect(p.decisions.filter((x) => JSON.stringify(x).includes('worker_run_e2e'))).toEqual([]);
    expect(await driftOf()).toEqual([]);
  }, 180_000);

  it('a memory limit added to a service whose files set none is drift, and the pass re-creates it without one (notify: a webhook before and after)', async () => {
    const before = docker(['inspect', '-f', '{{.Id}}', `${P}_api_1`]);
    expect(docker(['inspect', '-f', '{{.HostConfig.Memory}}', `${P}_api_1`])).toBe('0');
    docker(['update', '--memory', '128m', '--memory-swap', '128m', `${P}_api_1`]);
    const drift = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect(drift.code, drift.stderr).toBe(1);
    const diffs = (JSON.parse(drift.stdout) as { drift_report: { differences: Array<{ service: string }> } }).drift_report.differences.filter((x) => x.service === 'api');
    expect(diffs).toEqual([{ project: P, service: 'api', field: 'memory', container: `${P}_api_1`, expected: { memory: 'unlimited' }, actual: { memory: '128 MiB' } }]);
    hooks.length = 0;
    const p = await pass();
    const d = p.decisions.find((x) => x.service === `${P}/api`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.set_memory', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(docker(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.State.Running}}', `${P}_api_1`])).toBe('0 0 true');
    expect(docker(['inspect', '-f', '{{.Id}}', `${P}_api_1`])).not.toBe(before);
    expect(names('api')).toEqual([`${P}_api_1`]);
    expect(hooks.filter((h) => h.bcon.action.startsWith('remove the memory limit of api')).map((h) => h.bcon.event)).toEqual(['before', 'after']);
    const again = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect((JSON.parse(again.stdout) as { drift_report: { differences: Array<{ service: string }> } }).drift_report.differences.filter((x) => x.service === 'api')).toEqual([]);
  }, 180_000);

  it('a CPU limit added to a service whose files set none is drift, and the pass re-creates it without one (notify: a webhook before and after)', async () => {
    const c = `${P}_cache_1`;
    const before = docker(['inspect', '-f', '{{.Id}}', c]);
    expect(docker(['inspect', '-f', '{{.HostConfig.NanoCpus}}', c])).toBe('0');
    docker(['update', '--cpus', '0.5', c]);
    const drift = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect(drift.code, drift.stderr).toBe(1);
    const diffs = (JSON.parse(drift.stdout) as { drift_report: { differences: Array<{ service: string }> } }).drift_report.differences.filter((x) => x.service === 'cache');
    expect(diffs).toEqual([expect.objectContaining({ field: 'cpus', container: c, expected: { cpus: 'unlimited' }, actual: { cpus: 0.5 } })]);
    hooks.length = 0;
    const p = await pass();
    const d = p.decisions.find((x) => x.service === `${P}/cache`);
    expect(d, JSON.stringify(p.decisions)).toMatchObject({ action: 'service.set_cpus', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(docker(['inspect', '-f', '{{.HostConfig.NanoCpus}} {{.HostConfig.CpuQuota}} {{.State.Running}}', c])).toBe('0 0 true');
    expect(docker(['inspect', '-f', '{{.Id}}', c])).not.toBe(before);
    expect(names('cache')).toEqual([c]);
    expect(hooks.filter((h) => h.bcon.action.startsWith('remove the CPU limit of cache')).map((h) => h.bcon.event)).toEqual(['before', 'after']);
    const again = await runBcon(['drift', '--repo', repo.dir, '--json'], env());
    expect((JSON.parse(again.stdout) as { drift_report: { differences: Array<{ service: string }> } }).drift_report.differences.filter((x) => x.service === 'cache')).toEqual([]);
  }, 180_000);

  it('a service whose command is not in the image is reported (told once per commit, listed in every pass), never restarted; fixed, it is forgotten', async () => {
    const c = `${P}_misnamed_1`;
    compose(['up', '-d', 'misnamed']);
    onTestFinished(() => void docker(['rm', '-f', c], { allowFail: true }));
    waitFor(() => state(c) === 'exited', 20_000, `${c} to exit`);
    const startedAt = docker(['inspect', '-f', '{{.State.StartedAt}}', c]);
    hooks.length = 0;
    const first = await pass();
    const mine = first.decisions.filter((x) => x.service === `${P}/misnamed`);
    expect(mine, JSON.stringify(first.decisions)).toEqual([
      expect.objectContaining({ action: 'report', mode: 'reported', tier: 'explicit', cause: 'bad_command', result: expect.stringMatching(/^needs a person: .*command/) }),
    ]);
    // the restart the rules had answers only the crash loop the missing program causes: held back, and said so
    expect(mine[0]?.reasons.join('\n')).toMatch(/answers only crash_loop \(\d+%\); the leading hypothesis, bad_command \(\d+%\)/);
    expect(mine[0]?.evidence.join('\n')).toMatch(/no-such-exporter|127/);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', c])).toBe(startedAt);
    expect(hooks.filter((h) => h.bcon.event === 'reported').map((h) => h.text)).toEqual([expect.stringMatching(/^bcon reconciler: e2erec\/misnamed on .* needs a person/)]);
    // the next pass lists it again, tells nobody again, audits nothing new, and still restarts nothing
    const second = await pass();
    expect(second.decisions.filter((x) => x.service === `${P}/misnamed`)).toEqual([expect.objectContaining({ mode: 'reported', result: expect.stringMatching(/\(reported at .*\)$/) })]);
    expect(hooks.filter((h) => h.bcon.event === 'reported')).toHaveLength(1);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', c])).toBe(startedAt);
    const status = JSON.parse((await runBcon(['reconciler', 'status', '--json'], env())).stdout) as { reported: Record<string, { cause: string; notified: boolean }> };
    expect(Object.entries(status.reported).filter(([k]) => k.endsWith(`|${P}/misnamed`)).map(([, v]) => [v.cause, v.notified])).toEqual([['bad_command', true]]);
    const store = openStore({ home });
    try {
      expect(listAudit(store).filter((e) => e.action === 'reconcile.decision' && e.target === 'misnamed').map((e) => e.result)).toEqual(['reported']);
    } finally {
      store.close();
    }
    // a person removes it (to fix the file): no report; were it back, it would be told again
    docker(['rm', '-f', c]);
    expect((await pass()).decisions.filter((x) => x.service === `${P}/misnamed`)).toEqual([]);
    compose(['up', '-d', 'misnamed']);
    waitFor(() => state(c) === 'exited', 20_000, `${c} to exit`);
    expect((await pass()).decisions.filter((x) => x.service === `${P}/misnamed`).map((x) => x.result)).toEqual([expect.not.stringMatching(/reported at/)]);
    expect(hooks.filter((h) => h.bcon.event === 'reported')).toHaveLength(2);
  }, 180_000);

  it('bcon-reconciler: /healthz and /metrics on 127.0.0.1, repairs by itself every interval, stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js'), '--repo', repo.dir, '--listen', '127.0.0.1:0', '--interval', '1s'], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      for (const until = Date.now() + 20_000; !/metrics and health on http:\/\/127\.0\.0\.1:(\d+)/.test(err) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
      expect(err).toMatch(/metrics and health on/);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(err)?.[1]);
      const get = (p: string) => fetch(`http://127.0.0.1:${port}${p}`).then(async (r) => ({ status: r.status, text: await r.text() }));
      docker(['stop', '-t', '1', `${P}_jobs_1`]);
      const deadline = Date.now() + 30_000;
      while (state(`${P}_jobs_1`) !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(state(`${P}_jobs_1`)).toBe('running');
      expect(await get('/healthz')).toMatchObject({ status: 200, text: 'ok\n' });
      // the repair happened inside a pass: its counters are there once that pass ended
      let metrics = await get('/metrics');
      for (const until = Date.now() + 15_000; !/bcon_reconcile_decisions_total\{mode="executed"/.test(metrics.text) && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 250));
        metrics = await get('/metrics');
      }
      expect(metrics.text).toMatch(/bcon_reconcile_passes_total\{outcome="ok"\} [1-9]/);
      expect(metrics.text).toMatch(/bcon_reconcile_decisions_total\{mode="executed",tier="autonomous"\} [1-9]/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toMatch(/SIGTERM: finishing the current pass, then stopping/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
