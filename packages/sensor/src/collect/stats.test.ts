import { describe, expect, it } from 'vitest';
import { collectStats, cpuPercent, workingSet } from './stats.js';
import type { EngineClient } from '../engine/client.js';
import type { ApiStats } from '../engine/api-types.js';

describe('cpuPercent', () => {
  it('is the docker CLI formula: container delta / system delta × CPUs × 100', () => {
    const before = { containerId: 'a', at: 0, totalUsage: 1e9, systemUsage: 100e9, onlineCpus: 2 };
    const after = { containerId: 'a', at: 1000, totalUsage: 1.5e9, systemUsage: 102e9, onlineCpus: 2 };
    expect(cpuPercent(before, after)).toBeCloseTo(50);
  });
  it('has no value when the host counter did not advance with the wall clock: not the same counter, or too short a window', () => {
    const before = { containerId: 'a', at: 0, totalUsage: 1e9, systemUsage: 147_000e9, onlineCpus: 2 };
    // the second from an engine whose host counter counts otherwise (Podman's endpoint beside /proc/stat)
    expect(cpuPercent(before, { ...before, at: 1000, totalUsage: 1.1e9, systemUsage: 60_000e9 })).toBeUndefined();
    // a window of 5 ms over which /proc/stat moved one 10 ms tick on each CPU: 9 ms of a crash loop's start is not 180%
    expect(cpuPercent(before, { ...before, at: 5, totalUsage: 1.009e9, systemUsage: 147_000e9 + 20e6 })).toBeUndefined();
    // a figure above what the host's CPUs can give
    expect(cpuPercent(before, { ...before, at: 1000, totalUsage: 3.5e9, systemUsage: 147_002e9 })).toBeUndefined();
    // and the same counters over a second still give their figure
    expect(cpuPercent(before, { ...before, at: 1000, totalUsage: 1.9e9, systemUsage: 147_002e9 })).toBeCloseTo(90);
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

describe('collectStats from the engine', () => {
  const api = (at: number, total: number) =>
    ({ read: new Date(at).toISOString(), cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: at * 2e6, online_cpus: 2 }, memory_stats: { usage: 5, limit: 10 } }) as unknown as ApiStats;
  /** an engine whose clock moves 200 ms per request; `looping` fails as `failing` says; each container uses half a CPU */
  const engine = (failing: (call: number) => boolean) => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    let calls = 0;
    return {
      hostFiles: undefined,
      statsOnce: async (id: string) => {
        t += 200;
        if (id === 'looping' && failing(++calls)) throw new Error('container state improper');
        return api(t, t * 5e5);
      },
    } as unknown as EngineClient;
  };
  it("keeps every container's figures when one container's cannot be read, and says so when none can", async () => {
    const got = await collectStats(engine(() => true), [{ id: 'steady', pid: 0 }, { id: 'looping', pid: 0 }], { settleMs: 0 });
    expect([...got.keys()]).toEqual(['steady']);
    expect(got.get('steady')?.memory.usageBytes).toBe(5);
    expect(got.get('steady')?.cpu.percent).toBeCloseTo(50);
    const down = { hostFiles: undefined, statsOnce: async () => { throw new Error('engine gone'); } } as unknown as EngineClient;
    await expect(collectStats(down, [{ id: 'a', pid: 0 }, { id: 'b', pid: 0 }], { settleMs: 0 })).rejects.toThrow('engine gone');
  });
  it('a second round that cannot read the one container it asks about keeps its first reading, and throws nothing', async () => {
    // a baseline for `steady` (so only `looping` is read twice), and `looping` fails the second time
    const baseline = new Map([['steady', { containerId: 'steady', at: Date.parse('2026-01-01T00:00:00Z') + 100, totalUsage: (Date.parse('2026-01-01T00:00:00Z') + 100) * 5e5, systemUsage: (Date.parse('2026-01-01T00:00:00Z') + 100) * 2e6, onlineCpus: 2 }]]);
    const got = await collectStats(engine((call) => call === 2), [{ id: 'steady', pid: 0 }, { id: 'looping', pid: 0 }], { settleMs: 0, baseline });
    expect(got.get('steady')?.cpu.percent).toBeCloseTo(50);
    expect(got.get('looping')?.memory.usageBytes).toBe(5);
    expect(got.get('looping')?.cpu.percent).toBeUndefined();
  });
  it('a baseline that gives no figure with the new counters (another kind of counter) is replaced by a second sample', async () => {
    const baseline = new Map([['steady', { containerId: 'steady', at: Date.parse('2026-01-01T00:00:00Z') - 1000, totalUsage: 0, systemUsage: 1e18, onlineCpus: 2 }]]);
    const got = await collectStats(engine(() => false), [{ id: 'steady', pid: 0 }], { settleMs: 0, baseline });
    expect(got.get('steady')?.cpu.percent).toBeCloseTo(50);
  });
});
