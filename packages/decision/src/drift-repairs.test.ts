// Catalog repairs for the two drift holes the two-host chaos run found: a stopped replica of a service whose other
// replicas run, and a memory or CPU limit added to a service whose files set none.
import type { ContainerFacts } from '@bcon/sensor';
import { describe, expect, it } from 'vitest';
import { ActionSchema } from './proposal-schema.js';
import { buildProposal } from './proposal.js';
import { assessRisk } from './risk/risk.js';
import type { Action } from './actions/catalog.js';
import { describeAction } from './actions/catalog.js';

const MiB = 1024 * 1024;
const replica = (n: number, over: Partial<ContainerFacts> = {}): ContainerFacts =>
  ({
    id: `id${n}`,
    name: `shop_worker_${n}`,
    image: 'busybox:1',
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
    limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: undefined },
    networkMode: 'none',
    tty: false,
    labels: {},
    compose: { project: 'shop', service: 'worker', number: n, oneoff: false, configHash: undefined, composeMajor: 1, workingDir: undefined, configFiles: [] },
    config: { cmd: null, entrypoint: null, env: [], healthcheck: undefined },
    portBindings: [],
    mounts: [],
    ...over,
  }) as ContainerFacts;

describe('replica drift with every declared replica there, one stopped', () => {
  const h = [{ cause: 'replica_drift' as const, culprit: 'worker', confidence: 0.85, summary: 's', evidence: ['e1'], suggestions: [] }];
  it('starts the stopped replica (autonomous), and only it', () => {
    const p = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1), replica(2, { state: 'exited', exitCode: 0 })], declaredReplicas: 2 } }, now: 0 });
    expect(p.options.map((o) => [o.action, o.params, o.tier])).toEqual([['container.start', { container: 'shop_worker_2' }, 'autonomous']]);
  });
  it('still scales when a replica is missing, and proposes nothing when all run', () => {
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1)], declaredReplicas: 2 } }, now: 0 }).options.map((o) => [o.action, o.params])).toEqual([['service.scale', { service: 'worker', from: 1, to: 2, project: 'shop' }]]);
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1), replica(2)], declaredReplicas: 2 } }, now: 0 }).options).toEqual([]);
  });
});

describe('a memory limit the files do not set', () => {
  const h = [{ cause: 'config_drift' as const, culprit: 'worker', confidence: 0.6, summary: 's', evidence: ['e1'], suggestions: [] }];
  const limited = { limits: { memoryBytes: 128 * MiB, memoryReservationBytes: undefined, nanoCpus: undefined } };
  it('is removed: set_memory to 0 (no limit) on the limited containers, notify tier like a re-create', () => {
    const p = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, limited), replica(2)], declaredMemoryBytes: 0 } }, now: 0 });
    expect(p.options.map((o) => [o.action, o.params, o.tier])).toEqual([['service.set_memory', { service: 'worker', containers: ['shop_worker_1', 'shop_worker_2'], memoryBytes: 0, previousBytes: 128 * MiB }, 'notify']]);
    expect(p.options[0]?.summary).toBe('remove the memory limit of worker (now 128 MiB): its containers are re-created without one');
    expect(p.options[0]?.reasons.join(' ')).toMatch(/re-created without it/);
  });
  it('is nothing to do when no container has one; the files not read (undefined) propose nothing', () => {
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1)], declaredMemoryBytes: 0 } }, now: 0 }).options).toEqual([]);
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, limited)] } }, now: 0 }).options).toEqual([]);
  });
  it('a production service: explicit, as any change there', () => {
    const prod = { labels: { 'bcon.environment': 'production' } };
    const a: Action = { type: 'service.set_memory', service: 'worker', containers: ['shop_worker_1'], memoryBytes: 0, previousBytes: 128 * MiB };
    expect(assessRisk(a, { containers: [replica(1, { ...limited, ...prod })], replicas: 1 }).tier).toBe('explicit');
    expect(describeAction({ ...a, previousBytes: null } as Action)).toBe('remove the memory limit of worker: its containers are re-created without one');
  });
});

describe('a CPU limit the files do not set', () => {
  const h = [{ cause: 'config_drift' as const, culprit: 'worker', confidence: 0.6, summary: 's', evidence: ['e1'], suggestions: [] }];
  const limited = { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 5e8 } };
  it('is removed: set_cpus to 0 (no limit), notify tier, medium risk like a re-create', () => {
    const p = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, limited), replica(2)], declaredMemoryBytes: 0, declaredCpus: 0 } }, now: 0 });
    expect(p.options.map((o) => [o.action, o.params, o.tier, o.risk])).toEqual([['service.set_cpus', { service: 'worker', containers: ['shop_worker_1', 'shop_worker_2'], cpus: 0, previousCpus: 0.5 }, 'notify', 'medium']]);
    expect(p.options[0]?.summary).toBe('remove the CPU limit of worker (now 0.5): its containers are re-created without one');
    expect(p.options[0]?.reasons.join(' ')).toMatch(/re-created without it/);
  });
  it('a limit the files set is put back live; none anywhere is nothing to do', () => {
    const p = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, limited)], declaredMemoryBytes: 0, declaredCpus: 1 } }, now: 0 });
    expect(p.options.map((o) => [o.action, o.params, o.risk])).toEqual([['service.set_cpus', { service: 'worker', containers: ['shop_worker_1'], cpus: 1, previousCpus: 0.5 }, 'medium']]);
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1)], declaredMemoryBytes: 0, declaredCpus: 0 } }, now: 0 }).options).toEqual([]);
  });
});

describe('a CPU limit that throttles a service, set by hand away from its files', () => {
  const h = [{ cause: 'cpu_saturation' as const, culprit: 'worker', confidence: 0.85, summary: 's', evidence: ['e1'], suggestions: [] }];
  const throttled = { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 1e8 } };
  it("puts the files' limit back (none: removed), not a doubled one", () => {
    const none = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, throttled)], declaredMemoryBytes: 0, declaredCpus: 0 } }, now: 0 });
    expect(none.options.map((o) => [o.action, o.params])).toEqual([['service.set_cpus', { service: 'worker', containers: ['shop_worker_1'], cpus: 0, previousCpus: 0.1 }]]);
    const two = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, throttled)], declaredMemoryBytes: 0, declaredCpus: 2 } }, now: 0 });
    expect(two.options.map((o) => o.params)).toEqual([{ service: 'worker', containers: ['shop_worker_1'], cpus: 2, previousCpus: 0.1 }]);
  });
  it('the limit the files set (or files not read): a raise, as before', () => {
    const asFiles = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, throttled)], declaredMemoryBytes: 0, declaredCpus: 0.1 } }, now: 0 });
    expect(asFiles.options[0]?.params).toMatchObject({ cpus: 0.2, previousCpus: 0.1 });
    const unread = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, throttled)] } }, now: 0 });
    expect(unread.options[0]?.params).toMatchObject({ cpus: 0.2, previousCpus: 0.1 });
  });
  it("never above the host's CPUs (the engine refuses more), and no limit where none holds it (the host is short: a limit would be a cut)", () => {
    const atHalf = { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 1.5e9 } };
    const capped = buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, atHalf)], declaredMemoryBytes: 0, declaredCpus: 1.5, hostCpus: 2 } }, now: 0 });
    expect(capped.options[0]).toMatchObject({ action: 'service.set_cpus', params: { cpus: 2, previousCpus: 1.5 } });
    const full = { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 2e9 } };
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, full)], declaredMemoryBytes: 0, declaredCpus: 2, hostCpus: 2 } }, now: 0 }).options.map((o) => o.action)).toEqual(['service.scale']);
    const none = { limits: { memoryBytes: undefined, memoryReservationBytes: undefined, nanoCpus: 0 } };
    expect(buildProposal({ target: 'worker', hypotheses: h, services: { worker: { containers: [replica(1, none)], declaredMemoryBytes: 0, declaredCpus: 0, hostCpus: 8 } }, now: 0 }).options.map((o) => o.action)).toEqual(['service.scale']);
  });
});

describe('the action schema', () => {
  it('takes cpus 0 (no limit) and refuses a negative one', () => {
    const a = (cpus: number) => ({ type: 'service.set_cpus', service: 'w', containers: ['w1'], cpus, previousCpus: null });
    expect(ActionSchema.safeParse(a(0)).success).toBe(true);
    expect(ActionSchema.safeParse(a(-0.5)).success).toBe(false);
  });
  it('takes memoryBytes 0 (no limit) and refuses a negative one', () => {
    const a = (memoryBytes: number) => ({ type: 'service.set_memory', service: 'w', containers: ['w1'], memoryBytes, previousBytes: null });
    expect(ActionSchema.safeParse(a(0)).success).toBe(true);
    expect(ActionSchema.safeParse(a(-1)).success).toBe(false);
  });
});

describe('a service with no container left, its project up (made again from the committed files)', () => {
  const gone = (over: Record<string, unknown> = {}) => ({ cause: 'stopped_service' as const, culprit: 'mailer', observedOn: 'mailer', confidence: 0.8, root: true, summary: 'mailer is declared but has no container', evidence: [], suggestions: [], ...over });
  const facts = (fromFiles?: { project: string; labels: Record<string, string> }, declaredReplicas = 1) => ({ mailer: { containers: [], declaredReplicas, ...(fromFiles ? { fromFiles } : {}) } });
  it('scales it from 0 to the declared replicas in its project, autonomous', () => {
    const p = buildProposal({ target: 'mailer', hypotheses: [gone()], services: facts({ project: 'shop', labels: {} }) });
    expect(p.options[0]).toMatchObject({ action: 'service.scale', params: { service: 'mailer', from: 0, to: 1, project: 'shop' }, tier: 'autonomous' });
  });
  it('a production service (its declared labels, or its project name) waits for a person', () => {
    expect(buildProposal({ target: 'mailer', hypotheses: [gone()], services: facts({ project: 'shop', labels: { 'bcon.environment': 'production' } }) }).options[0]).toMatchObject({ action: 'service.scale', tier: 'explicit' });
    expect(buildProposal({ target: 'mailer', hypotheses: [gone()], services: facts({ project: 'shop-prod', labels: {} }) }).options[0]).toMatchObject({ tier: 'explicit' });
  });
  it('more than one declared replica is a change people hear of; none without the files, none for a cause no container answers', () => {
    expect(buildProposal({ target: 'mailer', hypotheses: [gone()], services: facts({ project: 'shop', labels: {} }, 3) }).options[0]).toMatchObject({ params: { from: 0, to: 3 }, tier: 'notify' });
    expect(buildProposal({ target: 'mailer', hypotheses: [gone()], services: facts(undefined) }).options).toEqual([]);
    expect(buildProposal({ target: 'mailer', hypotheses: [gone({ cause: 'oom_killed' })], services: facts({ project: 'shop', labels: {} }) }).options).toEqual([]);
  });
});
