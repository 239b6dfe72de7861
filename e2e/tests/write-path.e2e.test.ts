// The one write path (@bcon/ops executeApproved) on a real engine and a real git repository: scaling stays inside its
// compose project; intent goes through risk, tiers, approval, the lock and the journal and never writes a secret
// down; a process killed mid-recreate is reported and can be undone; two-person approval is two people with unused
// codes; a repository may only tighten its guardrails and the tier is recomputed at approval; a lock has a lease and
// an owner, shows stale, and is broken with a reason.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Proposal } from '@bcon/decision';
import { assessRisk, coveredContainers, describeAction, fingerprintOf, totp } from '@bcon/decision';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { listAudit, openStore, saveProposal } from '@bcon/store';
import { BCON_BIN, REPO, runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const A = 'e2ewpa';
const B = 'e2ewpb';
const SLEEP = 'trap "exit 0" TERM; sleep 3600 & wait';
const SECRETS = { ALICE: 'JBSWY3DPEHPK3PXP', BOB: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
let home: string;
const env = (over: Record<string, string> = {}) => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_TOTP_SECRET_ALICE: SECRETS.ALICE, BCON_TOTP_SECRET_BOB: SECRETS.BOB, ...over });
const names = (project: string, service: string) =>
  docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`, '--format', '{{.Names}}'])
    .split('\n')
    .filter(Boolean)
    .sort();
const audit = () => {
  const s = openStore({ home });
  try {
    return listAudit(s);
  } finally {
    s.close();
  }
};

/** Store a proposal for the given actions, fingerprinted and risk-assessed against the real containers, as propose would. */
async function seed(target: string, actions: Action[], tier?: Proposal['options'][number]['tier'], extra: Partial<Proposal> = {}): Promise<Proposal> {
  const client = new EngineClient(endpointFromEnv());
  const all = await collectContainers(client).finally(() => client.close());
  const mine = all.filter((c) => c.compose?.project === A || c.compose?.project === B);
  const p: Proposal = {
    id: `p-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}`,
    target,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    fingerprint: fingerprintOf(coveredContainers(all, mine.map((c) => c.name))),
    containers: mine.map((c) => c.name).sort(),
    notes: [],
    options: actions.map((a, i) => {
      const r = assessRisk(a, { containers: mine.filter((c) => 'container' in a && c.name === a.container), replicas: 1 });
      const { type, ...params } = a;
      return { n: i + 1, action: type, params, summary: describeAction(a), risk: r.risk, tier: tier ?? r.tier, reasons: r.reasons, cause: 'crash_loop', culprit: target };
    }),
    ...extra,
  };
  const store = openStore({ home });
  saveProposal(store, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target, status: 'pending', body: p });
  store.close();
  return p;
}

describe('one write path', () => {
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'bcon-wp-home-'));
    removeProject(A);
    removeProject(B);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    for (const project of [A, B]) runComposeContainer({ project, service: 'api', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    runComposeContainer({ project: B, service: 'api', number: 2, image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
  }, 120_000);
  afterAll(() => {
    removeProject(A);
    removeProject(B);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('scaling one project\'s api up and down by approve never touches the other project\'s api', async () => {
    const bBefore = names(B, 'api');
    expect(bBefore).toEqual([`${B}-api-1`, `${B}-api-2`]);
    let p = await seed('api', [{ type: 'service.scale', service: 'api', from: 1, to: 2, project: A }]);
    let r = await runBcon(['approve', p.id, '--option', '1', '--yes', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(names(A, 'api')).toEqual([`${A}-api-1`, `${A}-api-2`]);
    expect(docker(['inspect', '-f', '{{index .Config.Labels "com.docker.compose.project"}}', `${A}-api-2`])).toBe(A);
    expect(names(B, 'api')).toEqual(bBefore);
    p = await seed('api', [{ type: 'service.scale', service: 'api', from: 2, to: 1, project: A }]);
    r = await runBcon(['approve', p.id, '--option', '1', '--yes', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(names(A, 'api')).toEqual([`${A}-api-1`]);
    expect(names(B, 'api')).toEqual(bBefore);
    // a count that differs from the decided one is refused (here: the fingerprint sees the replica set changed)
    p = await seed('api', [{ type: 'service.scale', service: 'api', from: 1, to: 3, project: A }]);
    runComposeContainer({ project: A, service: 'api', number: 5, image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
    r = await runBcon(['approve', p.id, '--option', '1', '--yes'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changed since proposal/);
    docker(['rm', '-f', `${A}-api-5`]);
  }, 90_000);

  it('two-person approval: one person under two spellings is refused, and a used code cannot be used again', async () => {
    const p = await seed('api', [{ type: 'container.restart', container: `${A}-api-1` }], 'prohibited');
    const code = totp(SECRETS.ALICE, Date.now());
    let r = await runBcon(['approve', p.id, '--option', '1', '--yes', '--approver', `alice:${code}`, '--approver', `ALICE:${code}`], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs two different approvers/);
    const a = totp(SECRETS.ALICE, Date.now());
    const b = totp(SECRETS.BOB, Date.now());
    r = await runBcon(['approve', p.id, '--option', '1', '--yes', '--json', '--approver', `alice:${a}`, '--approver', `bob:${b}`], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ approval: 'two-person', status: 'succeeded' });
    // the same codes again, on another prohibited proposal, within their window
    const q = await seed('api', [{ type: 'container.restart', container: `${A}-api-1` }], 'prohibited');
    r = await runBcon(['approve', q.id, '--option', '1', '--yes', '--approver', `alice:${a}`, '--approver', `bob:${b}`], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/was used before/);
    expect(audit().filter((e) => e.action === 'approval.refused').map((e) => e.result)).toEqual(expect.arrayContaining(['needs_two_approvers', 'code_reused']));
  }, 90_000);

  it('a repository may only tighten a tier; the user config may loosen it; the tier is recomputed at approval', async () => {
    const repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'intent'), 'wp-guard', { 'bcon.yaml': 'guardrails:\n  container.remove_untracked: autonomous\n' });
    try {
      runComposeContainer({ project: A, service: 'stray', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
      const { buildProposal } = await import('@bcon/decision');
      const { currentGuardrails } = await import('@bcon/ops');
      const g = await currentGuardrails(repo.dir, { ...process.env, BCON_HOME: home });
      const client = new EngineClient(endpointFromEnv());
      const c = (await collectContainers(client).finally(() => client.close())).find((x) => x.name === `${A}-stray-1`);
      if (!c) throw new Error('stray is not running');
      const loose = buildProposal({ target: 'stray', hypotheses: [{ cause: 'untracked_container', culprit: 'stray', confidence: 0.9, summary: '', evidence: [], suggestions: [] }], services: { stray: { containers: [c], untracked: true } }, guardrails: g });
      expect(loose.options[0]?.tier).toBe('explicit');
      expect(loose.options[0]?.reasons.join(' ')).toMatch(/ignored: a repository may only tighten/);
      mkdirSync(home, { recursive: true });
      writeFileSync(path.join(home, 'config.yaml'), 'guardrails:\n  container.remove_untracked: notify\n');
      const user = buildProposal({ target: 'stray', hypotheses: [{ cause: 'untracked_container', culprit: 'stray', confidence: 0.9, summary: '', evidence: [], suggestions: [] }], services: { stray: { containers: [c], untracked: true } }, guardrails: await currentGuardrails(repo.dir, { ...process.env, BCON_HOME: home }) });
      expect(user.options[0]?.tier).toBe('notify');
      rmSync(path.join(home, 'config.yaml'));
      // proposed as notify, then the repository tightens restart of stray to prohibited: the approval needs two people
      const p = await seed('stray', [{ type: 'container.restart', container: `${A}-stray-1` }], 'notify', { repo: repo.dir });
      writeFileSync(path.join(repo.dir, 'bcon.yaml'), 'guardrails:\n  container.restart: prohibited\n');
      const r = await runBcon(['approve', p.id, '--option', '1', '--yes'], env());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/prohibited-tier: it needs two different approvers/);
    } finally {
      docker(['rm', '-f', `${A}-stray-1`], { allowFail: true });
      rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    }
  }, 60_000);

  it('locks have a lease and an owner: a run-out lease shows stale in lock status and hosts, and is broken with a reason (audited)', async () => {
    let r = await runBcon(['lock', 'acquire', '--message', 'short', '--lease', '1s'], env({ BCON_ACTOR: 'user/carol' }));
    expect(r.code, r.stderr).toBe(0);
    await new Promise((res) => setTimeout(res, 1500));
    r = await runBcon(['lock', 'status', '--json'], env());
    expect(JSON.parse(r.stdout)).toMatchObject({ lock: { holder: 'user/carol' }, stale: expect.stringMatching(/lease ran out/) });
    r = await runBcon(['hosts'], env());
    expect(r.stdout).toMatch(/user\/carol since \S+ \(STALE\)/);
    r = await runBcon(['lock', 'break'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--reason/);
    r = await runBcon(['lock', 'break', '--reason', 'carol left for the day'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(audit().at(-1)).toMatchObject({ action: 'lock.break', context: { reason: 'carol left for the day', holder: 'user/carol' } });
    expect((await runBcon(['lock', 'status', '--json'], env())).stdout).toMatch(/"lock": null/);
  }, 60_000);

  it('SIGKILL mid-recreate: the next command reports it with what the engine shows, a concurrent approve is refused without a false "interrupted", and journal resolve --undo puts the previous container back', async () => {
    // the new container becomes healthy only after a long time: approve waits in verification, and is killed there
    runComposeContainer({ project: A, service: 'slow', image: BUSYBOX_IMAGE, command: ['sh', '-c', `[ -n "$NEW" ] && sleep 60; touch /tmp/ok; ${SLEEP}`], health: { cmd: 'test -f /tmp/ok', interval: '1s', retries: 100 } });
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', `${A}-slow-1`]) === 'healthy', 30_000, 'slow to be healthy');
    const oldId = docker(['inspect', '-f', '{{.Id}}', `${A}-slow-1`]);
    const p = await seed('slow', [{ type: 'service.set_env', service: 'slow', container: `${A}-slow-1`, name: 'NEW', value: '1' }]);
    const q = await seed('api', [{ type: 'container.restart', container: `${A}-api-1` }]);
    const child = spawn(process.execPath, [BCON_BIN, 'approve', p.id, '--option', '1', '--yes', '--timeout', '120'], { env: { ...process.env, ...env() }, stdio: 'ignore' });
    waitFor(() => docker(['ps', '-aq', '--filter', `name=${A}-slow-1-bcon-old`]) !== '', 60_000, 'the recreate to swap containers');
    // a second approve while the first one runs: refused by the lock, and the running execution is not "interrupted"
    const second = await runBcon(['approve', q.id, '--option', '1', '--yes'], env());
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/is locked by user\/e2e/);
    expect(second.stderr).not.toMatch(/never finished/);
    expect(audit().filter((e) => e.action.endsWith('.interrupted'))).toEqual([]);
    child.kill('SIGKILL');
    await new Promise((res) => child.on('exit', res));
    // the next command says so, with what the engine shows
    let r = await runBcon(['journal', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { interrupted: Array<{ id: number; action: string; now: string }> };
    expect(j.interrupted).toHaveLength(1);
    expect(j.interrupted[0]).toMatchObject({ action: 'service.set_env', now: expect.stringContaining(`the previous container is kept as ${A}-slow-1-bcon-old`) });
    expect(audit().filter((e) => e.action === 'service.set_env.interrupted')).toHaveLength(1);
    // the lock of the killed process is stale; it is broken with a reason, then the execution is undone
    r = await runBcon(['lock', 'status', '--json'], env());
    expect(JSON.parse(r.stdout)).toMatchObject({ stale: expect.stringMatching(/is gone/) });
    expect((await runBcon(['lock', 'break', '--reason', 'approve was killed'], env())).code).toBe(0);
    r = await runBcon(['journal', 'resolve', String(j.interrupted[0]?.id), '--undo', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(docker(['inspect', '-f', '{{.Id}} {{.State.Running}}', `${A}-slow-1`])).toBe(`${oldId} true`);
    expect(docker(['ps', '-aq', '--filter', 'name=bcon-old'])).toBe('');
    expect((JSON.parse((await runBcon(['journal', '--json'], env())).stdout) as { interrupted: unknown[] }).interrupted).toEqual([]);
    expect((await runBcon(['lock', 'status', '--json'], env())).stdout).toMatch(/"lock": null/);
  }, 180_000);

  it('SIGKILL mid-re-create of a memory limit removal (no engine removes a limit live): journal resolve --undo puts the previous container back, its limit with it', async () => {
    // healthy only with a memory limit (cgroup v1 or v2): the container re-created without one waits in
    // verification, and approve is killed there
    const limited = 'l=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes); [ "$l" != max ] && [ ${#l} -lt 12 ]';
    const c = runComposeContainer({ project: A, service: 'capped', image: BUSYBOX_IMAGE, memory: '64m', command: ['sh', '-c', SLEEP], health: { cmd: limited, interval: '1s', retries: 100 } });
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', c]) === 'healthy', 30_000, 'capped to be healthy');
    const oldId = docker(['inspect', '-f', '{{.Id}}', c]);
    const p = await seed('capped', [{ type: 'service.set_memory', service: 'capped', containers: [c], memoryBytes: 0, previousBytes: 64 * 1024 * 1024 }]);
    const child = spawn(process.execPath, [BCON_BIN, 'approve', p.id, '--option', '1', '--yes', '--timeout', '120'], { env: { ...process.env, ...env() }, stdio: 'ignore' });
    waitFor(() => docker(['ps', '-aq', '--filter', `name=${c}-bcon-old`]) !== '', 60_000, 'the re-create to swap containers');
    child.kill('SIGKILL');
    await new Promise((res) => child.on('exit', res));
    expect(docker(['inspect', '-f', '{{.HostConfig.Memory}}', c])).toBe('0');
    let r = await runBcon(['journal', '--json'], env());
    const j = JSON.parse(r.stdout) as { interrupted: Array<{ id: number; action: string; now: string }> };
    expect(j.interrupted).toEqual([expect.objectContaining({ action: 'service.set_memory', now: expect.stringContaining(`the previous container is kept as ${c}-bcon-old`) })]);
    expect((await runBcon(['lock', 'break', '--reason', 'approve was killed'], env())).code).toBe(0);
    r = await runBcon(['journal', 'resolve', String(j.interrupted[0]?.id), '--undo', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(docker(['inspect', '-f', '{{.Id}} {{.State.Running}} {{.HostConfig.Memory}}', c])).toBe(`${oldId} true ${64 * 1024 * 1024}`);
    expect(docker(['ps', '-aq', '--filter', 'name=bcon-old'])).toBe('');
    expect(docker(['ps', '-aq', '--filter', 'name=bcon-new'])).toBe('');
    expect((JSON.parse((await runBcon(['journal', '--json'], env())).stdout) as { interrupted: unknown[] }).interrupted).toEqual([]);
  }, 180_000);
});

describe('bcon intent through the write path', () => {
  const P = 'e2ewpi';
  let repo: ReturnType<typeof fixtureRepo>;
  beforeAll(async () => {
    const { execFileSync } = await import('node:child_process');
    removeProject(P);
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'intent'), P);
    execFileSync('docker-compose', ['--compatibility', '-p', P, 'up', '-d'], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    // another project with an api of its own: intent must not touch it
    runComposeContainer({ project: `${P}other`, service: 'api', image: BUSYBOX_IMAGE, command: ['sh', '-c', SLEEP] });
  }, 120_000);
  afterAll(() => {
    removeProject(P);
    removeProject(`${P}other`);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
  });
  const head = () => repo.git(['rev-parse', 'HEAD']);
  const file = () => readFileSync(path.join(repo.dir, 'compose.yaml'), 'utf8');

  it('--yes applies within autonomous/notify, journaled, only in its own project', async () => {
    const r = await runBcon(['intent', 'scale api to 2', '--repo', repo.dir, '--yes', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tier: 'notify', applied: [{ action: 'service.scale', status: 'succeeded' }] });
    expect(names(P, 'api')).toHaveLength(2);
    expect(names(`${P}other`, 'api')).toEqual([`${P}other-api-1`]);
    const down = await runBcon(['intent', 'scale api to 1', '--repo', repo.dir, '--yes', '--json'], env());
    expect(down.code, down.stderr).toBe(0);
    expect(names(P, 'api')).toHaveLength(1);
    expect(names(`${P}other`, 'api')).toEqual([`${P}other-api-1`]);
    const s = openStore({ home });
    const rows = s.sqlite.prepare("SELECT action, status, owner FROM executions WHERE proposal_id LIKE 'i-%'").all() as Array<{ action: string; status: string; owner: string }>;
    s.close();
    expect(rows.map((x) => [x.action, x.status])).toEqual([
      ['service.scale', 'succeeded'],
      ['service.scale', 'succeeded'],
    ]);
    expect(JSON.parse(rows[0]?.owner ?? '{}')).toMatchObject({ pid: expect.any(Number), host: expect.any(String) });
  }, 90_000);

  it('explicit-tier changes (scale to 0, a new image, a secret) are not applied by --yes: they wait for bcon approve', async () => {
    for (const text of ['scale worker to 0', 'set api image to bcon-test/busybox:latest', 'set DB_PASSWORD=hunter2-s3cret on api']) {
      const before = head();
      const r = await runBcon(['intent', text, '--repo', repo.dir, '--yes', '--json'], env());
      expect(r.code, `${text}: ${r.stderr}`).toBe(1);
      expect(JSON.parse(r.stdout), text).toMatchObject({ status: 'pending', tier: 'explicit' });
      expect(head(), text).toBe(before);
    }
  }, 90_000);

  it('a secret set by intent and approved: applied, but its value is in no commit message and no audit entry', async () => {
    const r = await runBcon(['intent', 'set DB_PASSWORD=hunter2-s3cret on api', '--repo', repo.dir, '--yes', '--json'], env());
    const { proposal } = JSON.parse(r.stdout) as { proposal: string };
    const ok = await runBcon(['approve', proposal, '--yes', '--json'], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(docker(['inspect', '-f', '{{json .Config.Env}}', `${P}_api_1`])).toContain('DB_PASSWORD=hunter2-s3cret');
    expect(file()).toContain('DB_PASSWORD');
    expect(repo.git(['log', '-1', '--format=%B'])).not.toContain('hunter2');
    expect(JSON.stringify(audit())).not.toContain('hunter2');
    expect(ok.stdout).not.toContain('hunter2');
  }, 90_000);

  it('a credential in an ordinary-named value is masked too (audit, JSON, journal); a staged file is never swept into the commit', async () => {
    writeFileSync(path.join(repo.dir, 'notes.txt'), 'staged by hand\n');
    repo.git(['add', 'notes.txt']);
    const before = head();
    const r = await runBcon(['intent', 'set DATABASE_URL=postgres://app:S3cretPw9@db/app on worker', '--repo', repo.dir, '--yes', '--json'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/staged changes \(notes\.txt\)/);
    expect(head()).toBe(before);
    repo.git(['reset', '-q', 'notes.txt']);
    const ok = await runBcon(['intent', 'set DATABASE_URL=postgres://app:S3cretPw9@db/app on worker', '--repo', repo.dir, '--yes', '--json'], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(repo.git(['show', '--stat', '--format=%B', 'HEAD'])).not.toMatch(/notes\.txt|S3cretPw9/);
    expect(ok.stdout).not.toContain('S3cretPw9');
    expect(JSON.stringify(audit())).not.toContain('S3cretPw9');
    expect((await runBcon(['journal', '--json'], env())).stdout).not.toContain('S3cretPw9');
    expect((await runBcon(['proposals', '--all', '--json'], env())).stdout).not.toContain('S3cretPw9');
  }, 90_000);

  it('compose-only edits (a port) go through the guardrails too: a repository that makes the service prohibited holds them', async () => {
    writeFileSync(path.join(repo.dir, 'bcon.yaml'), 'guardrails:\n  worker: prohibited\n');
    repo.commit('guard the worker');
    try {
      const before = head();
      const r = await runBcon(['intent', 'publish port 18080:80 on worker', '--repo', repo.dir, '--yes', '--json'], env());
      expect(r.code, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'pending', tier: 'prohibited' });
      expect(head()).toBe(before);
    } finally {
      rmSync(path.join(repo.dir, 'bcon.yaml'));
      repo.commit('unguard');
    }
  }, 60_000);

  it('refuses while another operator holds the lock, and commits nothing', async () => {
    expect((await runBcon(['lock', 'acquire', '--message', 'db migration'], env({ BCON_ACTOR: 'user/dave' }))).code).toBe(0);
    try {
      const before = head();
      const r = await runBcon(['intent', 'scale api to 2', '--repo', repo.dir, '--yes'], env());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/locked by user\/dave since \S+ \(db migration\): nothing was done/);
      expect(head()).toBe(before);
      expect(names(P, 'api')).toHaveLength(1);
    } finally {
      await runBcon(['lock', 'release'], env({ BCON_ACTOR: 'user/dave' }));
    }
  }, 60_000);
});
