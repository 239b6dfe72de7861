import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCgroupSample, systemCpu } from './cgroup-stats.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-cgroup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(sub: string, content: Record<string, string>): string {
  const d = path.join(dir, sub);
  mkdirSync(d, { recursive: true });
  for (const [name, text] of Object.entries(content)) writeFileSync(path.join(d, name), text);
  return d;
}

const system = { systemUsage: 5e12, onlineCpus: 2 };

describe('cgroup samples', () => {
  it('reads cgroup v1 counters as docker stats does', async () => {
    const cpu = files('v1/cpu', { 'cpuacct.usage': '123456789\n', 'cpu.stat': 'nr_periods 10\nnr_throttled 4\nthrottled_time 999\n' });
    const memory = files('v1/memory', { 'memory.usage_in_bytes': '1000000\n', 'memory.stat': 'cache 5\ntotal_inactive_file 200000\n', 'memory.limit_in_bytes': '67108864\n' });
    const s = await readCgroupSample('c1', { version: 1, cpu, memory, pids: undefined }, system);
    expect(s).toMatchObject({
      counters: { containerId: 'c1', totalUsage: 123456789, systemUsage: 5e12, onlineCpus: 2 },
      memoryUsageBytes: 800000,
      memoryLimitBytes: 67108864,
      throttledPeriods: 4,
      periods: 10,
      throttledTimeNs: 999,
    });
  });

  it('reads throttling from the cpu controller when cpuacct is mounted apart (cgroup v1)', async () => {
    const cpuacct = files('v1split/cpuacct', { 'cpuacct.usage': '5\n' });
    const cpuController = files('v1split/cpu', { 'cpu.stat': 'nr_periods 257\nnr_throttled 256\nthrottled_time 20407878589\n' });
    const memory = files('v1split/memory', { 'memory.usage_in_bytes': '10\n', 'memory.stat': '', 'memory.limit_in_bytes': '100\n' });
    const s = await readCgroupSample('c4', { version: 1, cpu: cpuacct, memory, pids: undefined, cpuController }, system);
    expect(s).toMatchObject({ throttledPeriods: 256, periods: 257, throttledTimeNs: 20407878589 });
  });

  it('reads cgroup v2 counters', async () => {
    const d = files('v2', {
      'cpu.stat': 'usage_usec 2000\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7\n',
      'memory.current': '4096\n',
      'memory.stat': 'inactive_file 1024\n',
      'memory.max': 'max\n',
      'pids.current': '3\n',
    });
    const s = await readCgroupSample('c2', { version: 2, cpu: d, memory: d, pids: d }, system);
    expect(s).toMatchObject({ counters: { totalUsage: 2_000_000 }, memoryUsageBytes: 3072, memoryLimitBytes: 0, throttledTimeNs: 7000, pids: 3 });
  });

  it('gives up (so the engine is asked instead) when the files are gone', async () => {
    expect(await readCgroupSample('c3', { version: 1, cpu: path.join(dir, 'nope'), memory: path.join(dir, 'nope'), pids: undefined }, system)).toBeUndefined();
  });

  it('reads host CPU time from /proc/stat', async () => {
    const s = await systemCpu();
    expect(s?.onlineCpus).toBeGreaterThanOrEqual(1);
    expect(s?.systemUsage).toBeGreaterThan(0);
  });
});
