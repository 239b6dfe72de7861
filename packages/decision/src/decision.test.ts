import type { ContainerFacts } from '@bcon/sensor';
import { describe, expect, it } from 'vitest';
import { checkApproval } from './approval/check.js';
import { totp, verifyTotp } from './approval/totp.js';
import type { ProposalOption } from './proposal.js';
import { buildProposal, fingerprintOf } from './proposal.js';
import { assessRisk } from './risk/risk.js';

const c = (over: Partial<ContainerFacts> = {}): ContainerFacts =>
  ({
    id: 'id1',
    name: 'shop_db_1',
    image: 'postgres:16',
    imageId: 'sha256:1',
    createdAt: '2026-01-01T00:00:00Z',
    state: 'running',
    pid: 1,
    startedAt: undefined,
    finishedAt: undefined,
    exitCode: 0,
    oomKilled: false,
    error: undefined,
    restartCount: 0,
    restartPolicy: { name: 'no', maximumRetryCount: 0 },
    health: { status: 'none', failingStreak: 0, log: [] },
    limits: { memoryBytes: 256 * 1024 * 1024, memoryReservationBytes: undefined, nanoCpus: undefined },
    networkMode: 'none',
    tty: false,
    labels: {},
    compose: { project: 'shop', service: 'db', number: 1, oneoff: false, configHash: undefined, composeMajor: 1, workingDir: undefined, configFiles: [] },
    config: { cmd: null, entrypoint: null, env: [], healthcheck: undefined },
    portBindings: [],
    mounts: [],
    ...over,
  }) as ContainerFacts;

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vector and accepts one step of drift', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    expect(totp(secret, 59_000)).toBe('287082');
    expect(totp(secret, 1111111109_000)).toBe('081804');
    expect(verifyTotp(secret, '081804', 1111111109_000 + 30_000)).toBe(true);
    expect(verifyTotp(secret, '081804', 1111111109_000 + 90_000)).toBe(false);
  });
});

describe('risk', () => {
  it('is bcon\'s own: raised for state, the last replica, production and secrets', () => {
    expect(assessRisk({ type: 'container.restart', container: 'shop_db_1' }, { containers: [c()], replicas: 1 })).toMatchObject({ risk: 'medium', tier: 'autonomous' });
    const stop = assessRisk({ type: 'container.stop', container: 'shop_db_1' }, { containers: [c({ mounts: [{ type: 'volume', source: '/v', name: 'shop_pg', target: '/var/lib/postgresql/data', readOnly: false }] })], replicas: 1 });
    expect(stop.tier).toBe('explicit');
    expect(stop.reasons).toEqual(expect.arrayContaining(['stateful: a named volume is mounted', 'the last replica: the service will be down']));
    const secret = assessRisk({ type: 'service.set_env', service: 'db', container: 'shop_db_1', name: 'DB_PASSWORD', value: 'x' }, { containers: [c()], replicas: 1 });
    expect(secret.tier).toBe('explicit');
    const prod = assessRisk({ type: 'container.remove_untracked', container: 'shop_db_1' }, { containers: [c({ labels: { 'bcon.environment': 'production' }, mounts: [{ type: 'volume', source: '/v', name: 'd', target: '/d', readOnly: false }] })], replicas: 1 });
    expect(prod.tier).toBe('prohibited');
    expect(assessRisk({ type: 'container.restart', container: 'shop_db_1' }, { containers: [c()], replicas: 1, guardrails: { repository: { db: 'explicit' } } })).toMatchObject({ tier: 'explicit' });
  });
});

describe('proposals and approvals', () => {
  const hypotheses = [{ cause: 'oom_killed' as const, culprit: 'db', confidence: 0.95, summary: 's', evidence: ['e1'], suggestions: [] }];
  const services = { db: { containers: [c({ state: 'exited', exitCode: 137, oomKilled: true })] } };
  it('turns a hypothesis into ranked catalog options with risk, tier and reasons', () => {
    const p = buildProposal({ target: 'db', hypotheses, services, now: 0 });
    expect(p.options.map((o) => [o.n, o.action, o.tier])).toEqual([
      [1, 'container.start', 'autonomous'],
      [2, 'service.set_memory', 'notify'],
    ]);
    expect(p.options[1]?.params).toMatchObject({ memoryBytes: 512 * 1024 * 1024, previousBytes: 256 * 1024 * 1024 });
    expect(p.expiresAt).toBe('1970-01-01T01:00:00.000Z');
  });
  it('an OOM kill its restart policy already answered (running again, or between runs) gets no restart of ours: the limit leads', () => {
    const policy = { name: 'unless-stopped', maximumRetryCount: 0 };
    for (const state of ['running', 'restarting'] as const) {
      const p = buildProposal({ target: 'db', hypotheses, services: { db: { containers: [c({ state, exitCode: 0, oomKilled: true, restartCount: 4, restartPolicy: policy })] } }, now: 0 });
      expect(p.options.map((o) => o.action)).toEqual(['service.set_memory']);
      expect(p.options[0]?.reasons.join(' ')).toMatch(/OOM-killed at its 256 MiB limit and its restart policy \(unless-stopped\) restarted it 4 times: a restart is what the engine already did/);
    }
    // not: exited (nothing restarts it: a start), no policy, no limit of its own (the host's OOM killer), or a memory
    // pressure that has not killed it
    for (const over of [{ state: 'exited' as const, exitCode: 137 }, { restartPolicy: { name: 'no', maximumRetryCount: 0 } }, { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: undefined } }]) {
      const p = buildProposal({ target: 'db', hypotheses, services: { db: { containers: [c({ state: 'running', oomKilled: true, restartCount: 4, restartPolicy: policy, ...over })] } }, now: 0 });
      expect(p.options[0]?.action, JSON.stringify(over)).toMatch(/^container\.(start|restart)$/);
    }
    const pressure = buildProposal({ target: 'db', hypotheses: [{ cause: 'memory_pressure' as const, culprit: 'db', confidence: 0.9, summary: 's', evidence: ['e1'], suggestions: [] }], services: { db: { containers: [c({ state: 'running', oomKilled: true, restartCount: 4, restartPolicy: policy })] } }, now: 0 });
    expect(pressure.options[0]?.action).toBe('container.restart');
  });
  it('answers the replica the fault shows on, not a sound one beside it', () => {
    const replica = (n: number, over: Partial<ContainerFacts> = {}) => c({ id: `id${n}`, name: `media_transcoder_${n}`, ...over });
    // of three, the third was OOM-killed and exited: it is started, the two running are left alone
    const oom = buildProposal({ target: 'transcoder', hypotheses: [{ ...hypotheses[0], culprit: 'transcoder' } as (typeof hypotheses)[0]], services: { transcoder: { containers: [replica(1), replica(2), replica(3, { state: 'exited', exitCode: 137, oomKilled: true })] } }, now: 0 });
    expect(oom.options[0]).toMatchObject({ action: 'container.start', params: { container: 'media_transcoder_3' } });
    expect(oom.options.some((o) => o.action === 'container.restart')).toBe(false);
    // an unhealthy one among healthy ones: it is restarted, and a re-create is of it too
    const sick = [replica(1, { health: { status: 'healthy', failingStreak: 0, log: [] } }), replica(2, { health: { status: 'unhealthy', failingStreak: 4, log: [] } })];
    const hc = buildProposal({ target: 'transcoder', hypotheses: [{ cause: 'healthcheck_failing', culprit: 'transcoder', confidence: 0.85, summary: 's', evidence: ['e1'], suggestions: [] }], services: { transcoder: { containers: sick } }, now: 0 });
    expect(hc.options.map((o) => [o.action, (o.params as { container?: string }).container])).toEqual([
      ['container.restart', 'media_transcoder_2'],
      ['service.recreate', 'media_transcoder_2'],
    ]);
    // a third stopped by a person (exit 0) beside them: the failing check is still the unhealthy one's
    const stopped = buildProposal({ target: 'transcoder', hypotheses: [{ cause: 'healthcheck_failing', culprit: 'transcoder', confidence: 0.85, summary: 's', evidence: ['e1'], suggestions: [] }], services: { transcoder: { containers: [...sick, replica(3, { state: 'exited', exitCode: 0 })] } }, now: 0 });
    expect(stopped.options[0]).toMatchObject({ action: 'container.restart', params: { container: 'media_transcoder_2' } });
  });
  it('answers a full disk with a restart only where the full file system is a tmpfs of the container\'s own', () => {
    const full = [{ cause: 'disk_full' as const, culprit: 'web', confidence: 0.85, summary: 's', evidence: ['e1'], suggestions: ['free space'] }];
    const web = (n: number) => c({ id: `w${n}`, name: `shop_web_${n}` });
    const onTmpfs = buildProposal({ target: 'web', hypotheses: full, services: { web: { containers: [web(1), web(2)], fullTmpfs: { shop_web_2: [{ target: '/tmp', usedBytes: 4 << 20, sizeBytes: 4 << 20 }] } } }, now: 0 });
    expect(onTmpfs.options.map((o) => [o.action, (o.params as { container?: string }).container, o.tier])).toEqual([['container.restart', 'shop_web_2', 'autonomous']]);
    expect(onTmpfs.options[0]?.reasons.join(' ')).toMatch(/tmpfs of its own, \/tmp \(4096 KiB of 4096 KiB\)/);
    // one the engine restarted fills it at each start: a restart would fill it again
    const looping = buildProposal({ target: 'web', hypotheses: full, services: { web: { containers: [c({ name: 'shop_web_1', restartCount: 3 })], fullTmpfs: { shop_web_1: [{ target: '/tmp', usedBytes: 4 << 20, sizeBytes: 4 << 20 }] } } }, now: 0 });
    expect(looping.options).toEqual([]);
    const elsewhere = buildProposal({ target: 'web', hypotheses: full, services: { web: { containers: [web(1), web(2)] } }, now: 0 });
    expect(elsewhere.options).toEqual([]);
    expect(elsewhere.notes.join(' ')).toMatch(/disk_full \(web\) needs space freed/);
  });
  it('refuses an expired or stale proposal, and a prohibited option without two approvers with codes', () => {
    const p = buildProposal({ target: 'db', hypotheses, services, now: 0, guardrails: { repository: { 'db:service.set_memory': 'prohibited' } } });
    const base = { proposal: p, status: 'pending', option: 1, approvers: [{ actor: 'alice' }], now: 1000, currentFingerprint: p.fingerprint, totpSecret: () => 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
    expect(checkApproval(base)).toMatchObject({ ok: true, approval: 'explicit' });
    expect(checkApproval({ ...base, now: 4_000_000 })).toMatchObject({ ok: false, code: 'expired' });
    expect(checkApproval({ ...base, currentFingerprint: fingerprintOf([c({ id: 'id2' })]) })).toMatchObject({ ok: false, code: 'stale' });
    // a loop under the restart policy (running ↔ restarting) is the same container; a stop or a pause is a change
    expect(fingerprintOf([c({ state: 'restarting' })])).toBe(fingerprintOf([c()]));
    expect(fingerprintOf([c({ state: 'exited' })])).not.toBe(fingerprintOf([c()]));
    expect(fingerprintOf([c({ state: 'paused' })])).not.toBe(fingerprintOf([c()]));
    expect(checkApproval({ ...base, option: 2 })).toMatchObject({ ok: false, code: 'needs_two_approvers' });
    expect(checkApproval({ ...base, option: 2, approvers: [{ actor: 'alice', code: totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1000) }, { actor: 'bob', code: '000000' }] })).toMatchObject({ ok: false, code: 'bad_code' });
    const code = totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1000);
    expect(checkApproval({ ...base, option: 2, approvers: [{ actor: 'alice', code }, { actor: 'bob', code }] })).toMatchObject({ ok: true, approval: 'two-person' });
  });
});

describe('untracked containers', () => {
  const h = [{ cause: 'untracked_container' as const, culprit: 'db', confidence: 0.9, summary: 's', evidence: ['e1'], suggestions: [] }];
  it('proposes removal only of a container bcon saw undeclared, never because a hypothesis (or a model) says so', () => {
    expect(buildProposal({ target: 'db', hypotheses: h, services: { db: { containers: [c()] } }, now: 0 }).options).toEqual([]);
    expect(buildProposal({ target: 'db', hypotheses: h, services: { db: { containers: [c()], untracked: true } }, now: 0 }).options.map((o) => o.action)).toEqual(['container.remove_untracked']);
  });
});

describe('two-person approval', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it('is two people: names are compared folded, so one person under two spellings is one approver', async () => {
    const { checkTier, normalizeActor } = await import('./approval/check.js');
    const option: ProposalOption = { n: 1, action: 'container.stop', params: {}, summary: 's', risk: 'high', tier: 'prohibited', reasons: [], cause: 'crash_loop', culprit: 'db' };
    const code = totp(secret, 1000);
    expect(normalizeActor(' ALICE ')).toBe('alice');
    expect(normalizeActor('ａｌｉｃｅ')).toBe('alice');
    expect(checkTier({ ...option }, { approvers: [{ actor: 'alice', code }, { actor: 'ALICE', code }], now: 1000, totpSecret: () => secret })).toMatchObject({ ok: false, code: 'needs_two_approvers' });
    expect(checkTier({ ...option }, { approvers: [{ actor: 'alice', code }, { actor: 'bob', code }], now: 1000, totpSecret: () => secret, codeUsed: (a) => a === 'BCON_TOTP_SECRET_BOB' })).toMatchObject({ ok: false, code: 'code_reused' });
    // names that read the same secret are one person; look-alike letters are refused
    expect(checkTier({ ...option }, { approvers: [{ actor: 'ops-lead', code }, { actor: 'ops_lead', code }], now: 1000, totpSecret: () => secret })).toMatchObject({ ok: false, code: 'needs_two_approvers' });
    expect(checkTier({ ...option }, { approvers: [{ actor: 'alice', code }, { actor: 'alıce', code }], now: 1000, totpSecret: () => secret })).toMatchObject({ ok: false, code: 'bad_code' });
    expect(checkTier({ ...option }, { approvers: [{ actor: 'alice', code }, { actor: 'Bob', code }], now: 1000, totpSecret: () => secret })).toMatchObject({ ok: true, approvers: ['alice', 'bob'], codes: [{ actor: 'BCON_TOTP_SECRET_ALICE' }, { actor: 'BCON_TOTP_SECRET_BOB' }] });
  });
});

describe('guardrail overrides', () => {
  const stop = { type: 'container.stop', container: 'shop_db_1' } as const;
  it('a repository may only tighten a tier; the user config may loosen it', () => {
    expect(assessRisk(stop, { containers: [c()], replicas: 2, guardrails: { repository: { 'container.stop': 'autonomous' } } }).tier).toBe('notify');
    expect(assessRisk(stop, { containers: [c()], replicas: 2, guardrails: { repository: { db: 'prohibited' } } }).tier).toBe('prohibited');
    expect(assessRisk(stop, { containers: [c()], replicas: 2, guardrails: { user: { 'container.stop': 'autonomous' } } }).tier).toBe('autonomous');
    expect(assessRisk(stop, { containers: [c()], replicas: 2, guardrails: { user: { 'container.stop': 'autonomous' }, repository: { 'db:container.stop': 'explicit' } } }).tier).toBe('explicit');
  });
});

describe('paused containers', () => {
  const h = (cause: 'stopped_service' | 'dependency_down' | 'replica_drift') => [{ cause, culprit: 'db', confidence: 0.9, summary: 's', evidence: ['e1'], suggestions: [] }];
  const actions = (p: ReturnType<typeof buildProposal>) => p.options.map((o) => [o.action, (o.params as { container?: string }).container, o.tier]);
  it('a paused container is unpaused (autonomous), never restarted or started', () => {
    const paused = c({ state: 'paused' });
    for (const cause of ['stopped_service', 'dependency_down'] as const) {
      expect(actions(buildProposal({ target: 'api', hypotheses: h(cause), services: { db: { containers: [paused] } }, now: 0 }))).toEqual([['container.unpause', 'shop_db_1', 'autonomous']]);
    }
  });
  it('of two replicas, only the paused one is brought back: the one that runs is not restarted', () => {
    const two = [c({ state: 'paused' }), c({ id: 'id2', name: 'shop_db_2' })];
    expect(actions(buildProposal({ target: 'db', hypotheses: h('stopped_service'), services: { db: { containers: two } }, now: 0 }))).toEqual([['container.unpause', 'shop_db_1', 'autonomous']]);
    expect(actions(buildProposal({ target: 'db', hypotheses: h('replica_drift'), services: { db: { containers: two } }, now: 0 }))).toEqual([['container.unpause', 'shop_db_1', 'autonomous']]);
  });
  it('an unpause is offered only while the container is paused', () => {
    expect(buildProposal({ target: 'db', hypotheses: h('stopped_service'), services: { db: { containers: [c({ state: 'exited', exitCode: 137 })] } }, now: 0 }).options.map((o) => o.action)).toEqual(['container.start']);
  });
});

describe('a memory limit cut by hand that kills the service', () => {
  const MiB = 1024 * 1024;
  const h = [{ cause: 'oom_killed' as const, culprit: 'db', confidence: 0.9, summary: 's', evidence: ['e1'], suggestions: [] }];
  const killed = c({ state: 'restarting', exitCode: 137, oomKilled: true, limits: { memoryBytes: 128 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } });
  const opts = (declaredMemoryBytes: number) => buildProposal({ target: 'db', hypotheses: h, services: { db: { containers: [killed], declaredMemoryBytes } }, now: 0 }).options.map((o) => [o.action, o.params['memoryBytes' as never], o.tier]);
  it('is put back to the files\u2019 roomier limit (notify), not restarted into the same kill nor raised away from Git', () => {
    expect(opts(1024 * MiB)).toEqual([['service.set_memory', 1024 * MiB, 'notify']]);
    // the files set none: back to none
    expect(opts(0)).toEqual([['service.set_memory', 0, 'notify']]);
  });
  it('when the files say as much or less, the usual answer: a start, then a raise', () => {
    expect(opts(128 * MiB).map((o) => o[0])).toEqual(['container.start', 'service.set_memory']);
    expect(opts(64 * MiB).map((o) => o[0])).toEqual(['container.start', 'service.set_memory']);
  });
});
