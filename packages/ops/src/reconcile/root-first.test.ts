import { describe, expect, it } from 'vitest';
import type { Reach } from './root-first.js';
import { dependencyRepairedFirst, mayWaitForDependency } from './root-first.js';

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
