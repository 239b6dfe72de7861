// The chaos run on two hosts: the suite's engine reached through a real sshd (bcon.yaml host `a: ssh://…`) and a
// second private dockerd (host `b`), the same committed stack (e2e/fixtures/reconcile) running as one project on
// each. Faults — containers stopped, killed, OOM-killed (a tiny memory limit, then an allocation), limits changed
// with docker update, replicas removed, untracked containers started — land on both hosts at random (seeded,
// bounded in count and in time), with `bcon reconcile --once --json` passes between them. Whatever happens, no
// action runs above its tier, no budget (per service, per host, per hour) is exceeded, the healthy untouched service
// is never named, nothing is removed, every executed decision names its host and the commit, and a production
// service's change waits as a proposal that `bcon approve` then executes on the host it was made for.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, openStore } from '@bcon/store';
import { BCON_BIN, REPO } from '../harness/bcon.js';
import { waitFor } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { startSecondEngine } from '../testbed/second-engine.mjs';
import { startSshHost } from '../testbed/sshd.mjs';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2echaos2';
const PER_SERVICE = 2;
const PER_HOST = 4;
const SEED = 20261202;
const MAX_ROUNDS = 12;
/** the injection phase stops after this long, whatever the round (a busy machine makes passes slower) */
const CHAOS_MS = 90_000;
const SERVICES = ['web', 'worker', 'billing', 'api', 'cache', 'queue', 'jobs'];
const VICTIMS = ['api', 'cache', 'queue', 'jobs', 'worker', 'billing'] as const;
const FAULTS = ['stop', 'kill', 'oom', 'memory', 'replica', 'untracked'] as const;

type HostName = 'a' | 'b';
interface Decision {
  id: string;
  host: string;
  service: string;
  action: string;
  tier: string;
  mode: 'executed' | 'notified' | 'proposed' | 'refused' | 'reported';
  result: string;
  reasons: string[];
  inputs: { budgetLeft: { service: number; host: number } };
}
interface Pass {
  commit: string | null;
  hosts: Array<{ name: string; status: string }>;
  decisions: Decision[];
}

/** A small seeded generator (mulberry32): the run is the same every time, and a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a chaos run against the reconciler on two hosts (one behind a real sshd)', () => {
  let second: Awaited<ReturnType<typeof startSecondEngine>>;
  let ssh: Awaited<ReturnType<typeof startSshHost>>;
  let repo: ReturnType<typeof fixtureRepo>;
  let home: string;
  const engines: Record<HostName, string> = { a: '', b: '' };
  /** the docker CLI straight against one host's engine (the harness may write; bcon goes through bcon.yaml) */
  const on = (h: HostName, args: string[], options: { allowFail?: boolean; timeoutMs?: number } = {}): string => {
    const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: engines[h] }, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
    if (r.status !== 0 && !options.allowFail) throw new Error(`docker ${args.join(' ')} on ${h} failed (${r.status}): ${r.stderr}`);
    return (r.stdout ?? '').trim();
  };
  const removeAll = (h: HostName) => {
    const ids = on(h, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${P}`], { allowFail: true }).split('\n').filter(Boolean);
    on(h, ['rm', '-f', ...ids, 'bcon-lock', 'bcon-pause'], { allowFail: true });
  };
  /** bcon as a user runs it in the desired-state repository: bcon.yaml's hosts, the test's own BCON_HOME */
  const bcon = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BCON_BIN, ...args], {
        cwd: repo.dir,
        env: { ...process.env, NO_COLOR: '1', BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_SSH_KEY: ssh.clientKey, BCON_SSH_KNOWN_HOSTS: ssh.knownHosts, SSH_AUTH_SOCK: '', DOCKER_HOST: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const pass = async (): Promise<Pass> => {
    const r = await bcon(['reconcile', '--once', '--json', '--repo', repo.dir]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { pass: Pass }).pass;
  };
  const started = (h: HostName, c: string) => on(h, ['inspect', '-f', '{{.Id}} {{.State.StartedAt}} {{.State.Running}}', c]);

  beforeAll(async () => {
    engines.a = process.env['DOCKER_HOST'] as string;
    second = await startSecondEngine();
    engines.b = second.dockerHost;
    ssh = await startSshHost(engines.a);
    home = mkdtempSync(path.join(tmpdir(), 'bcon-chaos2-home-'));
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'reconcile'), P, {
      'bcon.yaml': `hosts:\n  a: ${ssh.address}\n  b: ${engines.b}\nreconcile:\n  self_heal: true\n  prune: false\n  budget:\n    per_service_per_hour: ${PER_SERVICE}\n    per_host_per_hour: ${PER_HOST}\n`,
    });
    for (const h of ['a', 'b'] as const) {
      removeAll(h);
      execFileSync('docker-compose', ['--compatibility', '-p', P, 'up', '-d', ...SERVICES], { cwd: repo.dir, env: { ...process.env, DOCKER_HOST: engines[h] }, stdio: ['ignore', 'ignore', 'pipe'] });
    }
  }, 300_000);
  afterAll(async () => {
    for (const h of ['a', 'b'] as const) if (engines[h]) removeAll(h);
    await ssh?.stop();
    await second?.stop();
    if (repo) rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  }, 120_000);

  const strays: Record<HostName, string[]> = { a: [], b: [] };
  /** One fault on one host's container; what happened, for the record (and a replay). */
  const inject = (h: HostName, what: (typeof FAULTS)[number], svc: string): string => {
    const c = `${P}_${svc}_1`;
    if (what === 'stop') on(h, ['stop', '-t', '1', c], { allowFail: true });
    else if (what === 'kill') on(h, ['kill', c], { allowFail: true });
    // worker is the service whose memory limit is committed (64m): another one is drift to set back
    else if (what === 'memory') on(h, ['update', '--memory', '96m', '--memory-swap', '96m', `${P}_worker_1`], { allowFail: true });
    else if (what === 'replica') on(h, ['rm', '-f', `${P}_worker_2`], { allowFail: true });
    else if (what === 'untracked') {
      const name = `${P}-stray-${strays[h].length + 1}`;
      on(h, ['run', '-d', '--name', name, '--network', 'none', '--label', `com.docker.compose.project=${P}`, '--label', 'com.docker.compose.service=stray', BUSYBOX_IMAGE, 'sleep', '3600']);
      strays[h].push(name);
      return `${h}:untracked:${name}`;
    }
    else {
      // OOM: a tiny memory limit, then an allocation that outgrows it; the container's main process is made the
      // kernel's first choice (raising a score needs no privilege), so the container itself is OOM-killed
      if (on(h, ['inspect', '-f', '{{.State.Running}}', c], { allowFail: true }) !== 'true') return `${h}:oom:${svc}(not running)`;
      on(h, ['update', '--memory', '16m', '--memory-swap', '16m', c], { allowFail: true });
      on(h, ['exec', c, 'sh', '-c', 'echo 1000 > /proc/1/oom_score_adj; tail /dev/zero'], { allowFail: true, timeoutMs: 30_000 });
      waitFor(() => on(h, ['inspect', '-f', '{{.State.Running}}', c], { allowFail: true }) !== 'true', 5_000, `${c} on ${h} OOM-killed`);
      return `${h}:oom:${svc}(oom_killed=${on(h, ['inspect', '-f', '{{.State.OOMKilled}}', c], { allowFail: true })})`;
    }
    return `${h}:${what}:${what === 'replica' || what === 'memory' ? 'worker' : svc}`;
  };

  it('never above its tier, never over budget, never a bystander, never a removal; production waits for bcon approve on its host', async () => {
    const commit = repo.git(['rev-parse', 'HEAD']);
    const webBefore = { a: started('a', `${P}_web_1`), b: started('b', `${P}_web_1`) };
    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const done: string[] = [];
    const passes: Pass[] = [];
    const snapshots: string[] = [];
    const t0 = Date.now();
    for (let round = 0; round < MAX_ROUNDS && Date.now() - t0 < CHAOS_MS; round++) {
      // each round, a random fault on a random service of each host, in a random order
      for (const h of random() < 0.5 ? (['a', 'b'] as const) : (['b', 'a'] as const)) done.push(`${round}:${inject(h, pick(FAULTS), pick(VICTIMS))}`);
      passes.push(await pass());
      const down = (h: HostName) => on(h, ['ps', '-a', '--filter', `label=com.docker.compose.project=${P}`, '--filter', 'status=exited', '--format', '{{.Names}}'], { allowFail: true }).split('\n').filter(Boolean).sort().join(',');
      snapshots.push(`after pass ${round}: ${(passes.at(-1) as Pass).decisions.map((d) => `${d.host}/${d.service}:${d.action}:${d.mode}`).join(' ') || 'no decision'}; exited a=[${down('a')}] b=[${down('b')}]`);
    }
    const chaosMs = Date.now() - t0;

    const ranInChaos = passes.flatMap((p) => p.decisions).filter((d) => d.mode === 'executed' || d.mode === 'notified');
    const report = `seed ${SEED}, ${done.length} faults in ${Math.round(chaosMs / 1000)} s, ${passes.length} passes: ${done.join(' ')}\n${snapshots.join('\n')}\n${ranInChaos.length} ran without a person`;
    console.log(report);

    // the production service's change on host a (over SSH) waits as a proposal; bcon approve runs it there only
    on('a', ['stop', '-t', '1', `${P}_billing_1`]);
    const billingB = started('b', `${P}_billing_1`);
    const proposeBilling = async (): Promise<string> => {
      const p = await pass();
      passes.push(p);
      const billing = p.decisions.find((d) => d.host === 'a' && d.service === `${P}/billing`);
      expect(billing, JSON.stringify(p.decisions)).toMatchObject({ mode: 'proposed', tier: 'explicit' });
      expect(on('a', ['inspect', '-f', '{{.State.Running}}', `${P}_billing_1`])).toBe('false');
      expect((billing as Decision).result).toMatch(/^p-[0-9a-f]+$/);
      return (billing as Decision).result;
    };
    let proposalId = await proposeBilling();
    let approved = await bcon(['approve', proposalId, '--option', '1', '--yes', '--json']);
    if (approved.code !== 0) {
      // the pass may point at a pending proposal the chaos made earlier for billing on a whose fingerprint no longer
      // matches the container (seen once while developing this test, with another fault layout): approve refuses it
      // without touching anything; the person rejects it and the next pass proposes anew
      expect(approved.stdout + approved.stderr).toMatch(/"code": "stale"/);
      expect(on('a', ['inspect', '-f', '{{.State.Running}}', `${P}_billing_1`])).toBe('false');
      console.log(`${proposalId} was stale when approved (refused, nothing done): rejected, proposed again`);
      const rejected = await bcon(['reject', proposalId, '--reason', 'stale after the chaos run']);
      expect(rejected.code, rejected.stderr).toBe(0);
      proposalId = await proposeBilling();
      approved = await bcon(['approve', proposalId, '--option', '1', '--yes', '--json']);
    }
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ proposal: proposalId, host: { name: 'a' }, action: 'container.start', status: 'succeeded' });
    waitFor(() => on('a', ['inspect', '-f', '{{.State.Running}}', `${P}_billing_1`]) === 'true', 10_000, 'billing on a running after bcon approve');
    expect(started('b', `${P}_billing_1`)).toBe(billingB);

    const store = openStore({ home });
    const audit = listAudit(store);
    store.close();
    const decisions = audit.filter((e) => e.action === 'reconcile.decision');
    const all = passes.flatMap((p) => p.decisions);
    const ran = all.filter((d) => d.mode === 'executed' || d.mode === 'notified');
    console.log(`${all.length} decisions: ${ran.length} ran without a person, ${all.filter((d) => d.mode === 'proposed').length} proposed, ${all.filter((d) => d.mode === 'refused').length} refused, ${all.filter((d) => d.mode === 'reported').length} reported`);
    expect(passes.every((p) => p.hosts.map((h) => `${h.name}:${h.status}`).join(' ') === 'a:ok b:ok'), report).toBe(true);
    expect(done.filter((d) => /^\d+:a:/.test(d)).length, report).toBeGreaterThan(0);
    expect(done.filter((d) => /^\d+:b:/.test(d)).length, report).toBeGreaterThan(0);
    expect(ran.length, report).toBeGreaterThan(0);
    expect(new Set(ran.map((d) => d.host)), report).toEqual(new Set(['a', 'b']));
    expect(decisions.length, report).toBe(all.length);

    // never above its tier: what ran without a person was autonomous (executed) or notify (executed with notice)
    for (const d of ran) expect(d.mode === 'executed' ? 'autonomous' : 'notify', JSON.stringify(d)).toBe(d.tier);
    for (const e of decisions.filter((x) => x.result === 'executed' || x.result === 'notified')) expect(['autonomous', 'notify'], JSON.stringify(e)).toContain(e.context['tier']);
    const reconcilerWrites = audit.filter((x) => x.actor === 'bcon/reconciler' && /^(container|service)\./.test(x.action));
    for (const e of reconcilerWrites) expect(['autonomous', 'notified'], JSON.stringify(e)).toContain(e.approval);

    // never over budget: per service (counted across hosts, project/service) and per host, all inside the hour
    const count = (key: (d: Decision) => string) => ran.reduce((m, d) => m.set(key(d), (m.get(key(d)) ?? 0) + 1), new Map<string, number>());
    for (const [svc, n] of count((d) => d.service)) expect(n, `${svc}: ${n} automatic actions\n${report}`).toBeLessThanOrEqual(PER_SERVICE);
    for (const [host, n] of count((d) => d.host)) expect(n, `host ${host}: ${n} automatic actions\n${report}`).toBeLessThanOrEqual(PER_HOST);
    // and the budget did bind: some repair waited for a person because it was spent
    expect(all.filter((d) => d.mode === 'proposed' && d.reasons.some((r) => /over budget/.test(r))).length, report).toBeGreaterThan(0);
    for (const d of ran) {
      expect(d.inputs.budgetLeft.service, JSON.stringify(d)).toBeGreaterThan(0);
      expect(d.inputs.budgetLeft.host, JSON.stringify(d)).toBeGreaterThan(0);
    }

    // never a healthy bystander: web was never touched, on either host; no decision names it and it still runs as it did
    expect(all.filter((d) => d.service === `${P}/web`)).toEqual([]);
    expect(decisions.filter((d) => d.target === 'web')).toEqual([]);
    expect({ a: started('a', `${P}_web_1`), b: started('b', `${P}_web_1`) }).toEqual(webBefore);

    // never a removal (prune is off): no remove action, and the untracked containers are still there
    expect(all.filter((d) => /remove/.test(d.action))).toEqual([]);
    expect(audit.filter((e) => /remove/.test(e.action))).toEqual([]);
    for (const h of ['a', 'b'] as const) for (const name of strays[h]) expect(on(h, ['inspect', '-f', '{{.State.Running}}', name]), `${name} on ${h}`).toBe('true');
    expect(strays.a.length + strays.b.length, report).toBeGreaterThan(0);

    // production by itself: never; the approved one ran on host a, by the person, named in the audit log
    for (const d of all.filter((x) => x.service === `${P}/billing`)) expect(['proposed', 'refused', 'reported'], JSON.stringify(d)).toContain(d.mode);
    const approval = audit.filter((e) => e.actor === 'user/e2e' && /^(container|service)\./.test(e.action));
    expect(approval.map((e) => [e.action, e.context['host'], e.approval, e.target, e.context['proposal'], e.context['params']]), JSON.stringify(approval)).toEqual([['container.start', 'a', 'explicit', 'billing', proposalId, { container: `${P}_billing_1` }]]);
    expect(audit.filter((e) => e.action === 'proposal.approve' && e.actor === 'user/e2e').map((e) => [e.context['host'], e.context['proposal'] ?? e.target])).toEqual([['a', proposalId]]);
    // the reconciler approved only what it ran itself (autonomous or notify), never a proposal that waits for a person
    for (const e of audit.filter((x) => x.action === 'proposal.approve' && x.actor === 'bcon/reconciler')) expect(ran.map((d) => d.id), JSON.stringify(e)).toContain(e.context['proposal'] ?? e.target);

    // every executed decision names its host and the commit it converged to
    for (const e of decisions) {
      expect(['a', 'b'], JSON.stringify(e)).toContain(e.context['host']);
      expect(e.context['commit'], JSON.stringify(e)).toBe(commit);
    }
    for (const p of passes) expect(p.commit).toBe(commit);
    for (const e of reconcilerWrites) expect(['a', 'b'], JSON.stringify(e)).toContain(e.context['host']);
  }, 240_000);
});
