import { describe, expect, it } from 'vitest';
import type { Reach } from './root-first.js';
import { dependencyHolds, dependencyRepairedFirst, mayWaitForDependency } from './root-first.js';
import type { ProposalOption } from '@bcon/decision';
import type { HeldService } from './root-first.js';

/** A graph from edges: [from, to, declared?] (declared: depends_on and the like; else read from the environment). */
const graph = (edges: Array<[string, string, boolean]>): Reach => ({
  closure(name: string, options: { declaredOnly?: boolean } = {}) {
    const seen = new Map<string, number>([[name, 0]]);
    const queue = [name];
    while (queue.length) {
      const cur = queue.shift() as string;
      for (const [from, to, declared] of edges) {
        if (from !== cur || seen.has(to) || (options.declaredOnly && !declared)) continue;
        seen.set(to, (seen.get(cur) ?? 0) + 1);
        queue.push(to);
      }
    }
    seen.delete(name);
    return seen;
  },
});

describe('dependencyRepairedFirst (the root first)', () => {
  it('a dependent waits for a dependency repaired in the same pass, the nearest first', () => {
    const g = graph([['api', 'db', true], ['web', 'api', true]]);
    expect(dependencyRepairedFirst(g, 'api', new Set(['db', 'api']))).toBe('db');
    expect(dependencyRepairedFirst(g, 'web', new Set(['db', 'api', 'web']))).toBe('api');
    expect(dependencyRepairedFirst(g, 'web', new Set(['db', 'web']))).toBe('db');
  });

  it('nothing to wait for when no dependency is repaired now', () => {
    expect(dependencyRepairedFirst(graph([['api', 'db', true]]), 'api', new Set(['api']))).toBeUndefined();
    expect(dependencyRepairedFirst(graph([['api', 'db', true]]), 'db', new Set(['api', 'db']))).toBeUndefined();
  });

  it('services that need each other are not held for one another', () => {
    const g = graph([['a', 'b', true], ['b', 'a', true]]);
    expect(dependencyRepairedFirst(g, 'a', new Set(['a', 'b']))).toBeUndefined();
    expect(dependencyRepairedFirst(g, 'b', new Set(['a', 'b']))).toBeUndefined();
  });

  it('when the files declare one way and the environment reads the other, the declared way decides', () => {
    const g = graph([['uploader', 'minio', true], ['minio', 'uploader', false]]);
    expect(dependencyRepairedFirst(g, 'uploader', new Set(['minio', 'uploader']))).toBe('minio');
    expect(dependencyRepairedFirst(g, 'minio', new Set(['minio', 'uploader']))).toBeUndefined();
  });
});

describe('mayWaitForDependency (what a dependency repaired first may hold)', () => {
  it('a fault a failing dependency produces waits, whatever the repair', () => {
    expect(mayWaitForDependency({ action: 'container.restart', params: { container: 'api_1' }, cause: 'connection_refused' })).toBe('fault');
    expect(mayWaitForDependency({ action: 'container.restart', params: { container: 'api_1' }, cause: 'crash_loop' })).toBe('fault');
  });

  it('a repair that brings containers up waits, whatever the cause: a start, a service made again from its files, a scale up', () => {
    expect(mayWaitForDependency({ action: 'container.start', params: { container: 'api_1' }, cause: 'stopped_service' })).toBe('up');
    expect(mayWaitForDependency({ action: 'service.scale', params: { service: 'api', from: 0, to: 1 }, cause: 'stopped_service' })).toBe('up');
    expect(mayWaitForDependency({ action: 'service.scale', params: { service: 'api', from: 1, to: 3 }, cause: 'replica_drift' })).toBe('up');
  });

  it('a cause a dependency cannot produce, answered otherwise, does not wait', () => {
    expect(mayWaitForDependency({ action: 'service.scale', params: { service: 'api', from: 3, to: 1 }, cause: 'replica_drift' })).toBeUndefined();
    expect(mayWaitForDependency({ action: 'service.recreate', params: { service: 'api' }, cause: 'config_drift' })).toBeUndefined();
    expect(mayWaitForDependency({ action: 'service.set_memory', params: { service: 'api', memory: '512m' }, cause: 'oom_killed' })).toBeUndefined();
  });
});

describe('dependencyHolds (which repairs wait this pass)', () => {
  const run = (status = 'none') => ({ state: 'running', health: { status } });
  const svc = (name: string, containers: HeldService['containers'], healthyDependencies?: string[]): HeldService => ({ name, containers, ...(healthyDependencies ? { spec: { healthyDependencies } } : {}) });
  type Opt = Pick<ProposalOption, 'action' | 'params' | 'cause' | 'culprit'>;
  const start = (culprit: string, cause = 'stopped_service'): Opt => ({ action: 'container.start', params: {}, cause, culprit }) as unknown as Opt;
  const restart = (culprit: string, cause = 'healthcheck_failing'): Opt => ({ action: 'container.restart', params: {}, cause, culprit }) as unknown as Opt;
  const g = graph([['api', 'db', true]]);

  it('a dependency caught running between two crashes is down for the hold, whether its own repair runs now or not', () => {
    const worker = start('api', 'crash_loop');
    // caught running, its restart refused (a backoff): with no flapping known, the worker's start is not held
    expect(dependencyHolds([worker], [svc('api', []), svc('db', [run()])], g)).toEqual([undefined]);
    // known to be flapping: down
    expect(dependencyHolds([worker], [svc('api', []), svc('db', [run()])], g, new Set(['db']))).toEqual([{ dependency: 'db', down: true }]);
    expect(dependencyHolds([restart('db', 'crash_loop'), worker], [svc('api', []), svc('db', [run()])], g, new Set(['db']))).toEqual([undefined, { dependency: 'db', down: true }]);
  });

  it('a start waits for a dependency still starting, though nothing repairs it now, and for one repaired in this pass when it is down', () => {
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [run('starting')])], g)).toEqual([{ dependency: 'db', notReady: 'is starting (its healthcheck has not passed yet)', soon: true }]);
    expect(dependencyHolds([start('db'), start('api')], [svc('api', []), svc('db', [])], g)).toEqual([undefined, { dependency: 'db', down: true }]);
    // running and healthy, or running without a healthcheck and not repaired: nothing to wait for
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [run('healthy')])], g)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [run()])], g)).toEqual([undefined]);
  });

  it('a dependency that is down holds a start or a restart the dependency may explain, whether or not its own repair runs', () => {
    const restarting = { state: 'restarting', health: { status: 'none' }, exitCode: 0 };
    const crashed = { state: 'exited', health: { status: 'none' }, exitCode: 1 };
    const paused = { state: 'paused', health: { status: 'none' } };
    // nothing repairs the db now (its fix is in its files): the api's start and its crash loop's restart still wait
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [restarting])], g)).toEqual([{ dependency: 'db', down: true }]);
    expect(dependencyHolds([restart('api', 'crash_loop')], [svc('api', [run()]), svc('db', [crashed])], g)).toEqual([{ dependency: 'db', down: true }]);
    expect(dependencyHolds([start('db'), start('api')], [svc('api', []), svc('db', [paused])], g)).toEqual([undefined, { dependency: 'db', down: true }]);
    // a job that finished (exit 0), or a service with no container that nothing repairs (a profile): not down
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [{ state: 'exited', health: { status: 'none' }, exitCode: 0 }])], g)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [])], g)).toEqual([undefined]);
    // a finished job whose repair does not bring it up (a drift waiting for approval) is not down for its dependents:
    // held only while that repair runs in this pass (no `down`: the pass releases it when the repair does not run)
    const drift = { action: 'service.rollback_image', params: {}, cause: 'image_drift', culprit: 'db' } as unknown as Opt;
    expect(dependencyHolds([drift, start('api')], [svc('api', []), svc('db', [{ state: 'exited', health: { status: 'none' }, exitCode: 0 }])], g)[1]).toEqual({ dependency: 'db' });
    // a start that failed (created, exit 127) is down
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [{ state: 'created', health: { status: 'none' }, exitCode: 127 }])], g)).toEqual([{ dependency: 'db', down: true }]);
    // a cause no dependency explains, answered otherwise than by bringing it up (a memory limit): no hold
    expect(dependencyHolds([{ action: 'service.set_memory', params: {}, cause: 'oom_killed', culprit: 'api' } as unknown as Opt], [svc('api', [run()]), svc('db', [crashed])], g)).toEqual([undefined]);
  });

  it('a dependency with no healthcheck (or an unrun one) that started less than min_ready ago holds what may wait for it', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const ready = { now, minReadyMs: 10_000 };
    const at = (ago: number, status = 'none') => ({ state: 'running', health: { status }, startedAt: new Date(now - ago).toISOString() });
    const held = dependencyHolds([start('api')], [svc('api', []), svc('db', [at(3_000)])], g, new Set(), ready)[0];
    expect(held).toEqual({ dependency: 'db', notReady: 'started 3.0 s ago and has no healthcheck to say when it accepts connections: given 10 s first (reconcile.min_ready)', soon: true });
    // Podman's unrun healthchecks say nothing either
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(3_000, 'not_run')])], g, new Set(), ready)[0]?.dependency).toBe('db');
    // a fault the dependency may explain (a restart for refused connections) waits too
    expect(dependencyHolds([restart('api', 'connection_refused')], [svc('api', [run()]), svc('db', [at(1_000)])], g, new Set(), ready)[0]?.dependency).toBe('db');
    // older than the grace, no grace (0 or none given), a healthcheck that says so, or a cause no dependency explains: no hold
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(12_000)])], g, new Set(), ready)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(3_000)])], g, new Set(), { now, minReadyMs: 0 })).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(3_000)])], g)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(3_000, 'healthy')])], g, new Set(), ready)).toEqual([undefined]);
    expect(dependencyHolds([{ action: 'service.set_memory', params: {}, cause: 'oom_killed', culprit: 'api' } as unknown as Opt], [svc('api', [run()]), svc('db', [at(1_000)])], g, new Set(), ready)).toEqual([undefined]);
    // the youngest of its replicas counts; a dependent is never held for a service that depends on it
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(60_000), at(2_000)])], g, new Set(), ready)[0]?.dependency).toBe('db');
    expect(dependencyHolds([start('db')], [svc('db', []), svc('api', [at(1_000)])], g, new Set(), ready)).toEqual([undefined]);
    // a start time well ahead of this clock (another host's clock), or none: unknown, no hold
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [at(-60_000)])], g, new Set(), ready)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [svc('api', []), svc('db', [{ state: 'running', health: { status: 'none' } }])], g, new Set(), ready)).toEqual([undefined]);
  });

  it('a dependency still starting holds even when its own repair is in the pass (a refused one does not release it)', () => {
    expect(dependencyHolds([restart('db', 'log_error_spike'), start('api')], [svc('api', []), svc('db', [run('starting')])], g)[1]).toEqual({ dependency: 'db', notReady: 'is starting (its healthcheck has not passed yet)', soon: true });
  });

  it('as the files say: service_healthy holds a start until the dependency is healthy, whatever is repaired; Podman unrun checks do not hold', () => {
    const api = svc('api', [], ['db']);
    const unhealthy = dependencyHolds([restart('db'), start('api')], [api, svc('db', [run('unhealthy')])], g)[1];
    expect(unhealthy).toEqual({ dependency: 'db', notReady: 'is not healthy, and the files start it only once it is (depends_on condition: service_healthy)' });
    expect(dependencyHolds([start('api')], [api, svc('db', [])], g)[0]?.notReady).toMatch(/^is not healthy/);
    expect(dependencyHolds([start('api')], [api, svc('db', [run()])], g)[0]?.notReady).toMatch(/^has no healthcheck, and the files start it only once it is healthy/);
    expect(dependencyHolds([start('api')], [api, svc('db', [run('healthy')])], g)).toEqual([undefined]);
    expect(dependencyHolds([start('api')], [api, svc('db', [run('not_run')])], g)).toEqual([undefined]);
    // nor an unpause: the container was started already
    expect(dependencyHolds([{ action: 'container.unpause', params: {}, cause: 'stopped_service', culprit: 'api' } as unknown as Opt], [api, svc('db', [run('unhealthy')])], g)).toEqual([undefined]);
    // a restart does not bring it up: the condition is compose's start order, not a reason to leave it broken
    expect(dependencyHolds([restart('api', 'oom_killed')], [api, svc('db', [run('unhealthy')])], g)).toEqual([undefined]);
  });
});
