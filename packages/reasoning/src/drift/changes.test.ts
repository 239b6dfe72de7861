import { describe, expect, it } from 'vitest';
import { driftChanges } from './changes.js';
import type { DriftReport } from './schema.js';

const report = (over: Partial<DriftReport>): DriftReport => ({
  timestamp: '2026-01-01T00:00:00Z',
  status: 'DRIFTED',
  source: 'HEAD@abc1234',
  projects: ['shop'],
  differences: [],
  untracked: [],
  orphans: [],
  ...over,
});

const memory = (actual: string) => ({ project: 'shop', service: 'api', field: 'memory', container: 'shop-api-1', expected: { memory: '64 MiB' }, actual: { memory: actual } });

describe('driftChanges', () => {
  it('tells new drift and resolved drift apart, and a changed value counts as new', () => {
    const a = report({ differences: [memory('96 MiB')], untracked: [{ container: 'tmp', recommendation: 'x' }] });
    const b = report({ differences: [memory('128 MiB')] });
    const { appeared, resolved } = driftChanges(a, b);
    expect(appeared.map((i) => i.summary)).toEqual(['shop/api (shop-api-1) memory: 64 MiB → 128 MiB']);
    expect(resolved.map((i) => i.summary)).toEqual(['untracked container tmp']);
  });
  it('reports everything as new without a previous report, and nothing when unchanged', () => {
    const a = report({ differences: [memory('96 MiB')] });
    expect(driftChanges(undefined, a).appeared).toHaveLength(1);
    expect(driftChanges(a, a)).toEqual({ appeared: [], resolved: [] });
  });
});
