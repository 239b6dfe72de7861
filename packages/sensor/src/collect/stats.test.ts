import { describe, expect, it } from 'vitest';
import { cpuPercent, workingSet } from './stats.js';
import type { ApiStats } from '../engine/api-types.js';

describe('cpuPercent', () => {
  it('is the docker CLI formula: container delta / system delta × CPUs × 100', () => {
    const before = { containerId: 'a', at: 0, totalUsage: 1e9, systemUsage: 100e9, onlineCpus: 2 };
    const after = { containerId: 'a', at: 1000, totalUsage: 1.5e9, systemUsage: 102e9, onlineCpus: 2 };
    expect(cpuPercent(before, after)).toBeCloseTo(50);
  });
  it('has no value when the counters went backwards or did not move', () => {
    const s = { containerId: 'a', at: 0, totalUsage: 5, systemUsage: 10, onlineCpus: 1 };
    expect(cpuPercent(s, { ...s, totalUsage: 4, systemUsage: 20 })).toBeUndefined();
    expect(cpuPercent(s, { ...s, at: 10 })).toBeUndefined();
  });
});

describe('workingSet', () => {
  const stats = (usage: number, extra: Record<string, number>) => ({ memory_stats: { usage, stats: extra } }) as unknown as ApiStats;
  it('subtracts inactive file cache (cgroup v1 and v2 names)', () => {
    expect(workingSet(stats(1000, { total_inactive_file: 300 }))).toBe(700);
    expect(workingSet(stats(1000, { inactive_file: 100 }))).toBe(900);
    expect(workingSet(stats(1000, { inactive_file: 5000 }))).toBe(1000);
  });
});
