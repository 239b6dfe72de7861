// Level 2 on a real engine: propose → approve → execute → verify → audit for every catalog action (and a failing
// one that is undone), a stale proposal refused, a prohibited action refused without two approvers with TOTP codes,
// audit tampering detected by `bcon audit --verify`, and the AI budget's thresholds against the local model server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, GuardrailTier, Proposal } from '@bcon/decision';
import { assessRisk, describeAction, fingerprintOf, totp } from '@bcon/decision';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { listAudit, openStore, recordLlmCall, saveProposal } from '@bcon/store';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import type { FakeLlm } from '../harness/fake-llm.js';
import { startFakeLlm } from '../harness/fake-llm.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2el2';
// a service that stops at once when asked (sleep as PID 1 would ignore SIGTERM and cost the 10 s stop timeout)
const SLEEP = 'trap "exit 0" TERM; sleep 3600 & wait';
const SECRETS = { ALICE: 'JBSWY3DPEHPK3PXP', BOB: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
let home: string;
const env = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_TOTP_SECRET_ALICE: SECRETS.ALICE, BCON_TOTP_SECRET_BOB: SECRETS.BOB });
const name = (service: string, n = 1) => `${P}-${service}-${n}`;
const inspect = (c: string, f: string) => docker(['inspect', '-f', f, c]);

async function facts() {
  const client = new EngineClient(endpointFromEnv());
  try {
    return (await collectContainers(client)).filter((c) => c.compose?.project === P || c.name.startsWith(P));
  } finally {
    client.close();
  }
}

/** Store a proposal with the given actions, built and risk-assessed against the real containers, as propose would. */
async function seed(target: string, actions: Action[], tier?: GuardrailTier): Promise<Proposal> {
  const all = await facts();
  const p: Proposal = {
    id: `p-e2e${Math.random().toString(16).slice(2, 8)}`,
    target,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    fingerprint: fingerprintOf(all),
    containers: all.map((c) => c.name).sort(),
    notes: [],
    options: actions.map((a, i) => {
      const r = assessRisk(a, { containers: all.filter((c) => 'container' in a && c.name === a.container), replicas: 1 });
      const { type, ...params } = a;
      return { n: i + 1, action: type, params, summary: describeAction(a), risk: r.risk, tier: tier ?? r.tier, reasons: r.reasons, cause: 'crash_loop', culprit: target };
    }),
  };
  const store = openStore({ home });
  saveProposal(store, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target, status: 'pending', body: p });
  store.close();
  return p;
}

async function approve(id: string, extra: string[] = []) {
  const res = await runBcon(['approve', id, '--option', '1', '--yes', '--json', '--timeout', '20', ...extra], env());
  return { code: res.code, stderr: res.stderr, out: res.stdout ? (JSON.parse(res.stdout) as { status: string; state: string; steps: string[]; error?: { code: string } }) : undefined };
}

describe('level 2: propose, approve, execute, verify, audit', () => {
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'bcon-l2-home-'));
    removeProject(P, [`${P}-adhoc`]);
    runComposeContainer({ project: P, service: 'hog', image: BUSYBOX_IMAGE, memory: '24m', restart: 'no', command: ['sh', '-c', 'echo loading; exec tail /dev/zero'] });
    runComposeContainer({ project: P, service: 'app', image: BUSYBOX_IMAGE, env: { MODE: 'blue' }, command: ['sh', '-c', `[ -n "$BREAK" ] && { echo "fatal: BREAK is set" >&2; exit 3; }; ${SLEEP}`] });
    runComposeContainer({ project: P, service: 'pool', image: BUSYBOX_IMAGE, cpus: '0.5', command: ['sh', '-c', SLEEP] });
    runComposeContainer({ project: P, service: 'idle', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    docker(['stop', '-t', '1', name('idle')]);
    docker(['run', '-d', '--name', `${P}-adhoc`, '--network', 'none', BUSYBOX_IMAGE, 'sleep', '3600']);
    docker(['tag', BUSYBOX_IMAGE, 'bcon-test/busybox:l2prev']);
    waitFor(() => inspect(name('hog'), '{{.State.Status}}') === 'exited', 30_000, 'hog to be OOM-killed');
  }, 120_000);
  afterAll(() => {
    removeProject(P, [`${P}-adhoc`]);
    docker(['rmi', 'bcon-test/busybox:l2prev'], { allowFail: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('bcon propose (JSON contract) → approve → the memory limit is raised, verified and audited', async () => {
    const res = await runBcon(['propose', 'hog', 'the job stopped', '--json'], env());
    expect(res.code, res.stderr).toBe(0);
    const { proposal } = JSON.parse(res.stdout) as { proposal: { id: string; target: string; expiresAt: string; options: Array<{ n: number; action: string; params: Record<string, unknown>; risk: string; tier: string; reasons: string[] }> } };
    expect(proposal.target).toBe('hog');
    const mem = proposal.options.find((o) => o.action === 'service.set_memory');
    expect(mem).toMatchObject({ params: { memoryBytes: 64 * 1024 * 1024, previousBytes: 24 * 1024 * 1024 }, tier: 'notify' });
    expect(mem?.reasons[0]).toMatch(/answers oom_killed of hog/);
    const r = await runBcon(['approve', proposal.id, '--option', String(mem?.n), '--yes', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'succeeded', approval: 'explicit' });
    expect(inspect(name('hog'), '{{.HostConfig.Memory}}')).toBe(String(64 * 1024 * 1024));
    // the same proposal cannot be approved twice
    const again = await runBcon(['approve', proposal.id, '--option', '1', '--yes'], env());
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is approved, not pending/);
  });

  it('bcon diagnose --propose: the diagnosis and a stored proposal in one run', async () => {
    const r = await runBcon(['diagnose', 'hog', 'the job stopped', '--propose', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { hypotheses: Array<{ cause: string }>; proposal: { id: string; options: Array<{ action: string }> } };
    expect(out.hypotheses[0]?.cause).toBe('oom_killed');
    expect(out.proposal.options.map((o) => o.action)).toContain('service.set_memory');
    const list = JSON.parse((await runBcon(['proposals', '--json'], env())).stdout) as { proposals: Array<{ id: string }> };
    expect(list.proposals.map((p) => p.id)).toContain(out.proposal.id);
  });

  const cases: Array<[string, () => Action, () => void]> = [
    ['container.start', () => ({ type: 'container.start', container: name('idle') }), () => expect(inspect(name('idle'), '{{.State.Running}}')).toBe('true')],
    ['container.restart', () => ({ type: 'container.restart', container: name('app') }), () => expect(inspect(name('app'), '{{.RestartCount}} {{.State.Running}}')).toMatch(/true$/)],
    ['service.set_cpus', () => ({ type: 'service.set_cpus', service: 'pool', containers: [name('pool')], cpus: 1, previousCpus: 0.5 }), () => expect(inspect(name('pool'), '{{.HostConfig.NanoCpus}}')).toBe('1000000000')],
    ['service.scale up', () => ({ type: 'service.scale', service: 'pool', from: 1, to: 2 }), () => expect(inspect(name('pool', 2), '{{.State.Running}} {{index .Config.Labels "com.docker.compose.service"}} {{index .Config.Labels "com.docker.compose.container-number"}}')).toBe('true pool 2')],
    ['service.scale down', () => ({ type: 'service.scale', service: 'pool', from: 2, to: 1 }), () => expect(docker(['ps', '-aq', '--filter', `name=${name('pool', 2)}`])).toBe('')],
    ['service.set_env', () => ({ type: 'service.set_env', service: 'app', container: name('app'), name: 'MODE', value: 'green' }), () => expect(inspect(name('app'), '{{json .Config.Env}}')).toContain('MODE=green')],
    ['service.unset_env', () => ({ type: 'service.unset_env', service: 'app', container: name('app'), name: 'MODE' }), () => expect(inspect(name('app'), '{{json .Config.Env}}')).not.toContain('MODE=')],
    ['service.recreate', () => ({ type: 'service.recreate', service: 'app', container: name('app') }), () => expect(inspect(name('app'), '{{.State.Running}} {{index .Config.Labels "com.docker.compose.project"}}')).toBe(`true ${P}`)],
    ['service.rollback_image', () => ({ type: 'service.rollback_image', service: 'app', container: name('app'), image: 'bcon-test/busybox:l2prev', currentImage: BUSYBOX_IMAGE }), () => expect(inspect(name('app'), '{{.Config.Image}}')).toBe('bcon-test/busybox:l2prev')],
    ['container.stop', () => ({ type: 'container.stop', container: name('pool') }), () => expect(inspect(name('pool'), '{{.State.Running}}')).toBe('false')],
    ['container.remove_untracked', () => ({ type: 'container.remove_untracked', container: `${P}-adhoc` }), () => expect(docker(['ps', '-aq', '--filter', `name=${P}-adhoc`])).toBe('')],
  ];
  for (const [label, action, check] of cases) {
    it(`${label}: approved, executed, verified and audited`, async () => {
      const p = await seed('e2e', [action()]);
      const before = listAudit(openStore({ home })).length;
      const r = await approve(p.id);
      expect(r.code, `${r.stderr} ${JSON.stringify(r.out)}`).toBe(0);
      expect(r.out?.status).toBe('succeeded');
      check();
      const store = openStore({ home });
      const entries = listAudit(store).slice(before);
      store.close();
      expect(entries.map((e) => [e.action, e.approval, e.result])).toEqual([
        ['proposal.approve', 'explicit', 'option 1'],
        [action().type, 'explicit', 'success'],
      ]);
    }, 60_000);
  }

  it('a change that fails verification is undone, and the result says the state', async () => {
    const oldId = inspect(name('app'), '{{.Id}}');
    const p = await seed('app', [{ type: 'service.set_env', service: 'app', container: name('app'), name: 'BREAK', value: '1' }]);
    const r = await approve(p.id);
    expect(r.code).toBe(1);
    expect(r.out?.status).toBe('rolled_back');
    expect(r.out?.state).toMatch(/the previous container\) is running; the change was not applied/);
    expect(inspect(name('app'), '{{.Id}} {{.State.Running}}')).toBe(`${oldId} true`);
    expect(docker(['ps', '-aq', '--filter', 'name=bcon-new'])).toBe('');
  }, 60_000);

  it('refuses a stale proposal: the target changed since it was made', async () => {
    const p = await seed('app', [{ type: 'container.restart', container: name('app') }]);
    const spec = inspect(name('app'), '{{.Id}}');
    docker(['rm', '-f', name('app')]);
    runComposeContainer({ project: P, service: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    expect(inspect(name('app'), '{{.Id}}')).not.toBe(spec);
    const r = await runBcon(['approve', p.id, '--option', '1', '--yes'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcon: app changed since proposal p-e2e\w+ was made .*run bcon propose app again/);
  });

  it('refuses a prohibited option without two approvers with valid codes, and runs it with them', async () => {
    const p = await seed('pool', [{ type: 'container.start', container: name('pool') }], 'prohibited');
    let r = await runBcon(['approve', p.id, '--option', '1', '--yes'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prohibited-tier: it needs two different approvers, each with a one-time code/);
    const now = Date.now();
    r = await runBcon(['approve', p.id, '--option', '1', '--yes', '--approver', `alice:${totp(SECRETS.ALICE, now)}`, '--approver', 'bob:000000'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the one-time code of bob is missing or wrong/);
    const ok = await approve(p.id, ['--approver', `alice:${totp(SECRETS.ALICE, Date.now())}`, '--approver', `bob:${totp(SECRETS.BOB, Date.now())}`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.out).toMatchObject({ status: 'succeeded', approval: 'two-person' });
    const store = openStore({ home });
    expect(listAudit(store).at(-1)).toMatchObject({ actor: 'alice+bob', approval: 'two-person', result: 'success' });
    expect(listAudit(store).filter((e) => e.action === 'approval.refused').map((e) => e.result)).toEqual(expect.arrayContaining(['stale', 'needs_two_approvers', 'bad_code']));
    store.close();
  }, 60_000);

  it('the per-host lock: another holder refuses the action and says who since when; only the holder releases it', async () => {
    const alice = { ...env(), BCON_ACTOR: 'user/alice' };
    let r = await runBcon(['lock', 'acquire', '--message', 'migrating the db'], alice);
    expect(r.code, r.stderr).toBe(0);
    const status = await runBcon(['status', '--json', '--no-stats'], env());
    expect((JSON.parse(status.stdout) as { notices: string[] }).notices.join('\n')).toMatch(/this host is locked by user\/alice since .*: migrating the db \(bcon lock\)/);
    const p = await seed('app', [{ type: 'container.restart', container: name('app') }]);
    r = await runBcon(['approve', p.id, '--option', '1', '--yes'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bcon: the host is locked by user\/alice since \S+ \(migrating the db\): nothing was done/);
    r = await runBcon(['lock', 'release'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locked by user\/alice since .*not by user\/e2e: only they may release it/);
    r = await runBcon(['lock', 'release'], alice);
    expect(r.code).toBe(0);
    expect((await runBcon(['lock', 'status'], env())).stdout).toMatch(/is not locked/);
    // the proposal is still pending and now runs, taking and giving back the lock
    const ok = await approve(p.id);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await runBcon(['lock', 'status', '--json'], env())).stdout).toMatch(/"lock": null/);
  }, 60_000);

  it('bcon audit --verify: 0 when intact, 1 naming the first edited, deleted or reordered entry', async () => {
    let r = await runBcon(['audit', '--verify'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit log intact: \d+ entries/);
    const list = await runBcon(['audit', '--json'], env());
    const n = (JSON.parse(list.stdout) as { audit_log: unknown[] }).audit_log.length;
    expect(n).toBeGreaterThan(20);
    const tampers: Array<[string, string, RegExp]> = [
      ['edit', "UPDATE audit_log SET result = 'nothing happened' WHERE seq = 3", /TAMPERED at entry 3: its content does not match its hash \(it was edited\)/],
      ['delete', 'DELETE FROM audit_log WHERE seq = 5', /TAMPERED at entry 6: expected entry 5 here, found 6/],
      ['reorder', 'UPDATE audit_log SET seq = CASE seq WHEN 4 THEN -4 ELSE seq END; UPDATE audit_log SET seq = 4 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -4', /TAMPERED at entry 4/],
    ];
    for (const [label, sql, message] of tampers) {
      const copy = mkdtempSync(path.join(tmpdir(), `bcon-l2-${label}-`));
      mkdirSync(copy, { recursive: true });
      const db0 = new Database(path.join(home, 'bcon.db'));
      await db0.backup(path.join(copy, 'bcon.db'));
      db0.close();
      const db = new Database(path.join(copy, 'bcon.db'));
      db.exec(sql);
      db.close();
      r = await runBcon(['audit', '--verify'], { BCON_HOME: copy });
      expect(r.code, label).toBe(1);
      expect(r.stdout, label).toMatch(message);
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

const B = 'e2el2b';
describe('AI budgets against the local model server', () => {
  let llm: FakeLlm;
  let repo: string;
  let budgetHome: string | undefined;
  beforeAll(async () => {
    llm = await startFakeLlm();
    llm.fallback = () => ({ kind: 'content', content: '{"hypotheses":[],"explanation":""}' });
    repo = mkdtempSync(path.join(tmpdir(), 'bcon-l2-budget-'));
    writeFileSync(path.join(repo, 'bcon.yaml'), `llm:\n  base_url: ${llm.baseUrl}\n  model: fake-model\n  cache_ttl_seconds: 0\n  prices:\n    fake-model: { input: 3, output: 15 }\nbudgets:\n  daily_usd: 1\n  monthly_usd: 20\n`);
    removeProject(B);
    runComposeContainer({ project: B, service: 'svc', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    runComposeContainer({ project: B, service: 'gone', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    docker(['stop', '-t', '1', `${B}-gone-1`]);
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q'], { cwd: repo });
  });
  afterAll(async () => {
    removeProject(B);
    await llm.close();
    rmSync(repo, { recursive: true, force: true });
    if (budgetHome) rmSync(budgetHome, { recursive: true, force: true });
  });
  const spend = (usd: number) => {
    // a fresh BCON_HOME per spend; the last one goes with the suite
    if (budgetHome) rmSync(budgetHome, { recursive: true, force: true });
    budgetHome = mkdtempSync(path.join(tmpdir(), 'bcon-l2-bh-'));
    const s = openStore({ home: budgetHome });
    recordLlmCall(s, { at: Date.now(), provider: 'x', model: 'fake-model', task: 'troubleshooting', promptTokens: 0, completionTokens: 0, costUsd: usd, latencyMs: 1, cacheHit: false, outcome: 'ok' });
    s.close();
  };
  const diagnose = async (target: string) => {
    const before = llm.requests.length;
    const r = await runBcon(['diagnose', target, '--ai', '--json', '--repo', repo], { BCON_HOME: budgetHome, BCON_LLM_BASE_URL: llm.baseUrl });
    expect(r.code, r.stderr).toBe(0);
    return { asked: llm.requests.length > before, notices: (JSON.parse(r.stdout) as { notices: string[] }).notices.join('\n') };
  };
  const ask = async () => {
    const before = llm.requests.length;
    const r = await runBcon(['ask', 'anything wrong?', '--repo', repo], { BCON_HOME: budgetHome, BCON_LLM_BASE_URL: llm.baseUrl });
    return { asked: llm.requests.length > before, code: r.code, stderr: r.stderr };
  };

  it('under 50 %: no notice; at 50 %: notifies; at 80 %: only essential tasks; at 100 %: only troubleshooting a service that is down', async () => {
    spend(0.2);
    expect(await diagnose('svc')).toMatchObject({ asked: true, notices: expect.not.stringMatching(/AI budget/) });
    spend(0.55);
    const half = await diagnose('svc');
    expect(half.asked).toBe(true);
    expect(half.notices).toMatch(/AI budget: 55% used/);
    spend(0.85);
    expect(await diagnose('svc')).toMatchObject({ asked: true });
    const refusedAsk = await ask();
    expect(refusedAsk).toMatchObject({ asked: false, code: 2 });
    expect(refusedAsk.stderr).toMatch(/the AI budget is at 85%; ask waits until it resets/);
    spend(1.0);
    const running = await diagnose('svc');
    expect(running.asked).toBe(false);
    expect(running.notices).toMatch(/AI unavailable \(the model was not asked: the AI budget is spent \(100%\)/);
    // a service that is down may still be troubleshot with the model
    expect(await diagnose('gone')).toMatchObject({ asked: true });
    const cost = await runBcon(['cost', '--repo', repo], { BCON_HOME: budgetHome, BCON_LLM_BASE_URL: llm.baseUrl });
    expect(cost.code).toBe(0);
    expect(cost.stdout).toMatch(/today\s+\$1\.\d\d of \$1\.00\s+\[█{20}\] 10\d%/);
    expect(cost.stdout).toMatch(/now: exhausted/);
  }, 90_000);
});
