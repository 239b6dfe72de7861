import type { SwarmServiceFacts, SwarmTaskFacts } from '@bcon/sensor';
import type { ServiceSpec } from '@bcon/sensor/desired';
import { describe, expect, it } from 'vitest';
import { buildStackDriftReport } from './stack-drift.js';
import { diagnoseSwarmService, SwarmDiagnosisSchema } from './swarm-diagnose.js';
import { assessSwarmService } from './swarm-status.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();

const task = (over: Partial<SwarmTaskFacts> = {}): SwarmTaskFacts => ({
  id: `t${Math.random().toString(36).slice(2).padEnd(24, '0').slice(0, 24)}`,
  slot: 1,
  node: 'node1',
  desiredState: 'running',
  state: 'running',
  message: 'started',
  error: undefined,
  exitCode: undefined,
  containerId: 'c1',
  image: 'shop/web:1',
  timestamp: at(30),
  ...over,
});

const service = (over: Partial<SwarmServiceFacts> = {}): SwarmServiceFacts => ({
  id: 'svc1',
  name: 'shop_web',
  stack: 'shop',
  shortName: 'web',
  image: 'shop/web:1',
  imageDigest: undefined,
  mode: 'replicated',
  desired: 2,
  running: 2,
  env: { MODE: 'blue' },
  labels: {},
  command: null,
  args: null,
  memoryBytes: undefined,
  nanoCpus: undefined,
  version: 10,
  update: undefined,
  updateConfig: undefined,
  previousImage: undefined,
  tasks: [task({ slot: 1 }), task({ slot: 2 })],
  ...over,
});

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name: 'web',
  image: 'shop/web:1',
  hasBuild: false,
  containerName: undefined,
  command: null,
  entrypoint: null,
  environment: { MODE: 'blue' },
  ports: [],
  volumes: [],
  managedMountTargets: [],
  volumesFrom: false,
  replicas: 2,
  memoryBytes: undefined,
  memoryReservationBytes: undefined,
  nanoCpus: undefined,
  restart: undefined,
  healthcheck: undefined,
  labels: {},
  dependsOn: [],
  networkMode: undefined,
  profiles: [],
  unrendered: [],
  ...over,
});

describe('swarm stack drift', () => {
  const drift = (s: SwarmServiceFacts[], services: Record<string, ServiceSpec> = { web: spec() }) => buildStackDriftReport({ name: 'shop', services }, 'shop', s, { source: 'HEAD@abc', now: new Date(NOW) });

  it('is IN_SYNC when the spec is what the file says, whatever the tasks do', () => {
    expect(drift([service({ running: 1 })]).status).toBe('IN_SYNC');
  });

  it('reports replicas, image, env and limits of the spec, a secret only fingerprinted', () => {
    const r = drift([service({ desired: 1, image: 'shop/web:2', env: { MODE: 'green', API_TOKEN: 'hunter2hunter2' }, memoryBytes: 64 * 1024 * 1024 })]);
    expect(r.status).toBe('DRIFTED');
    expect(r.differences.map((d) => d.field).sort()).toEqual(['environment', 'image', 'memory', 'replicas']);
    expect(r.differences.find((d) => d.field === 'replicas')).toMatchObject({ service: 'web', expected: { replicas: 2 }, actual: { replicas: 1 } });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('reports a service of the file not deployed and one of the stack not in the file; other stacks are not looked at', () => {
    const r = drift([service({ shortName: 'old', name: 'shop_old' }), service({ stack: 'other', name: 'other_web' })]);
    expect(r.differences).toEqual([expect.objectContaining({ service: 'web', field: 'status', expected: { deployed: true } })]);
    expect(r.orphans.map((o) => o.container)).toEqual(['shop_old']);
  });

  it('compares compose command with the task args (how a stack maps it)', () => {
    expect(drift([service({ args: ['sleep', '1'] })], { web: spec({ command: ['sleep', '1'] }) }).status).toBe('IN_SYNC');
    expect(drift([service({ args: ['sleep', '2'] })], { web: spec({ command: ['sleep', '1'] }) }).differences[0]?.field).toBe('command');
  });
});

describe('swarm service verdicts', () => {
  it('ok, degraded, down from desired vs running, with the last task error', () => {
    expect(assessSwarmService(service()).verdict).toBe('ok');
    const failed = task({ slot: 2, state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (3)', exitCode: 3 });
    expect(assessSwarmService(service({ running: 1, tasks: [task(), failed] }))).toMatchObject({ verdict: 'degraded', lastFailure: { error: 'task: non-zero exit (3)', exitCode: 3 } });
    expect(assessSwarmService(service({ running: 0, tasks: [failed] })).verdict).toBe('down');
  });

  it('a paused update is degraded even with every task running', () => {
    const s = assessSwarmService(service({ update: { state: 'paused', message: 'update paused due to failure', startedAt: at(60), completedAt: undefined } }));
    expect(s.verdict).toBe('degraded');
    expect(s.reason).toContain('update paused');
  });
});

describe('swarm diagnosis', () => {
  it('a healthy service gets no hypothesis at or above 0.5', () => {
    const d = diagnoseSwarmService(service(), [], { now: NOW });
    expect(d.hypotheses.filter((h) => h.confidence >= 0.5)).toEqual([]);
    expect(SwarmDiagnosisSchema.parse(d)).toBeTruthy();
  });

  it('rejected tasks for a missing image: task_rejected citing swarm error', () => {
    const rejected = [1, 2, 3].map((i) => task({ state: 'rejected', desiredState: 'shutdown', error: 'No such image: shop/web:9', containerId: undefined, timestamp: at(10 * i) }));
    const d = diagnoseSwarmService(service({ running: 0, desired: 1, image: 'shop/web:9', tasks: rejected }), [], { now: NOW });
    const top = d.hypotheses[0];
    expect(top?.cause).toBe('task_rejected');
    expect(top?.confidence).toBeGreaterThanOrEqual(0.8);
    const cited = d.evidence.filter((e) => top?.evidence.includes(e.id)).map((e) => e.text).join('\n');
    expect(cited).toContain('No such image: shop/web:9');
  });

  it('containers that exit: crash_loop with the exit code and the last error line; 127 is a bad command', () => {
    const exits = (code: number) => [1, 2].map((i) => task({ state: 'failed', desiredState: 'shutdown', error: `task: non-zero exit (${code})`, exitCode: code, timestamp: at(5 * i) }));
    const logs = [{ timestamp: at(6), stream: 'stderr' as const, text: 'FATAL could not open config file /etc/app.yaml' }];
    const d = diagnoseSwarmService(service({ running: 0, tasks: exits(3) }), logs, { now: NOW });
    expect(d.hypotheses[0]).toMatchObject({ cause: 'crash_loop' });
    expect(d.hypotheses[0]?.summary).toContain('exit code 3');
    expect(d.evidence.some((e) => e.kind === 'log' && e.text.includes('FATAL could not open config'))).toBe(true);
    expect(diagnoseSwarmService(service({ running: 0, tasks: exits(127) }), [], { now: NOW }).hypotheses[0]?.cause).toBe('bad_command');
  });

  it('no suitable node and a paused update are causes of their own', () => {
    const pending = task({ state: 'pending', error: 'no suitable node (insufficient resources on 1 node)', containerId: undefined });
    expect(diagnoseSwarmService(service({ running: 0, desired: 1, tasks: [pending] }), [], { now: NOW }).hypotheses[0]?.cause).toBe('no_suitable_node');
    const paused = diagnoseSwarmService(service({ update: { state: 'paused', message: 'update paused due to failure or early termination of task x', startedAt: at(60), completedAt: undefined } }), [], { now: NOW });
    expect(paused.hypotheses[0]).toMatchObject({ cause: 'update_failed' });
    expect(paused.hypotheses[0]?.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('a task swarm stopped itself (an update, exit 137 after the stop timeout) is not a crash', () => {
    const stopped = task({ state: 'shutdown', desiredState: 'shutdown', exitCode: 137, image: 'shop/web:0' });
    expect(diagnoseSwarmService(service({ tasks: [task(), task({ slot: 2 }), stopped] }), [], { now: NOW }).hypotheses).toEqual([]);
  });

  it('tasks swarm killed for failing their healthcheck: healthcheck_failing, not a crash', () => {
    const killed = [1, 2].map((i) => task({ state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (137): dockerexec: unhealthy container', exitCode: 137, timestamp: at(5 * i) }));
    const d = diagnoseSwarmService(service({ running: 0, tasks: killed }), [], { now: NOW });
    expect(d.hypotheses[0]?.cause).toBe('healthcheck_failing');
    expect(d.hypotheses.some((h) => h.cause === 'crash_loop')).toBe(false);
  });

  it("an update swarm rolled back because its tasks failed: update_failed first, how they failed second", () => {
    const bad = [1, 2].map((i) => task({ state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (1)', exitCode: 1, image: 'shop/web:2', timestamp: at(20 * i) }));
    const s = service({ tasks: [task(), task({ slot: 2 }), ...bad], previousImage: 'shop/web:2', update: { state: 'rollback_completed', message: 'rollback completed', startedAt: at(60), completedAt: at(10) } });
    const d = diagnoseSwarmService(s, [], { now: NOW });
    expect(d.hypotheses.map((h) => h.cause).slice(0, 2)).toEqual(['update_failed', 'crash_loop']);
  });

  it('the line that names the missing variable is read, not only error-level lines', () => {
    const exits = [1, 2].map((i) => task({ state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (1)', exitCode: 1, timestamp: at(5 * i) }));
    const logs = ['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', '    password = os.environ["SMTP_PASSWORD"]', "KeyError: 'SMTP_PASSWORD'"].map((text, i) => ({ timestamp: at(10 - i), stream: 'stderr' as const, text }));
    const d = diagnoseSwarmService(service({ running: 0, tasks: exits }), logs, { now: NOW });
    const cited = d.evidence.filter((e) => d.hypotheses[0]?.evidence.includes(e.id)).map((e) => e.text).join('\n');
    expect(cited).toContain('SMTP_PASSWORD');
  });

  it('old failures (over 15 minutes) are history, not a cause now', () => {
    const old = task({ state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (1)', exitCode: 1, timestamp: at(3600) });
    expect(diagnoseSwarmService(service({ tasks: [task(), task({ slot: 2 }), old] }), [], { now: NOW }).hypotheses).toEqual([]);
  });
});

describe('compose drift on a swarm manager', () => {
  it("leaves swarm's task containers alone: they are not untracked containers to remove", async () => {
    const { buildDriftReport } = await import('../drift/report.js');
    const { container } = await import('../__fixtures__/facts.js');
    const task = { ...container({ name: 'shop_web.1.abc' }), compose: undefined, labels: { 'com.docker.swarm.task.id': 'abc', 'com.docker.swarm.service.name': 'shop_web' } };
    const byHand = { ...container({ name: 'byhand', id: 'byhand-id' }), compose: undefined, labels: {} };
    const r = buildDriftReport({ source: 'HEAD@abc', commit: 'abc', projects: [] }, [task, byHand], new Map());
    expect(r.untracked.map((u) => u.container)).toEqual(['byhand']);
  });
});
