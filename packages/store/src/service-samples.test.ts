import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open.js';
import { recordServiceSamples, serviceBaseline } from './service-samples.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bcon-store-'));
  dirs.push(dir);
  return openStore({ home: dir });
}

const row = (at: number, latency: number) => ({ project: 'shop', service: 'api', at, cpuPercent: 5, memoryBytes: 100, restarts: 0, errorsPerMinute: 0.5, latencyP50Ms: latency, latencyP95Ms: latency * 2 });

describe('service baselines in a real SQLite file', () => {
  it('is the median of earlier samples, and leaves out the last 10 minutes', () => {
    const s = store();
    const now = 1_800_000_000_000;
    recordServiceSamples(s, 'unix:///x', [row(now - 3_600_000, 40), row(now - 3_000_000, 50), row(now - 2_400_000, 45), row(now - 60_000, 2000)], now);
    const b = serviceBaseline(s, 'unix:///x', 'shop', 'api', { now });
    expect(b).toMatchObject({ samples: 3, latencyP50Ms: 45, latencyP95Ms: 90, errorsPerMinute: 0.5 });
    expect(serviceBaseline(s, 'unix:///x', 'shop', 'web', { now })).toBeUndefined();
    expect(serviceBaseline(s, 'unix:///other', 'shop', 'api', { now })).toBeUndefined();
    s.close();
  });

  it('needs three samples before it says what is usual', () => {
    const s = store();
    const now = 1_800_000_000_000;
    recordServiceSamples(s, 'e', [row(now - 3_600_000, 40), row(now - 3_000_000, 50)], now);
    expect(serviceBaseline(s, 'e', 'shop', 'api', { now })).toBeUndefined();
    s.close();
  });
});
