import { describe, expect, it } from 'vitest';
import { decide, recordExecuted } from './decide.js';
import { loadPolicyMemory, savePolicyMemory } from './state.js';

const T0 = Date.parse('2026-01-07T12:00:00Z');
const restart = { host: 'a', service: 'shop/api', actionType: 'container.restart', tier: 'autonomous' as const, reasons: [], containerKey: 'a/shop-api-1' };

describe('policy memory between passes', () => {
  it('starts empty on the first pass', () => {
    const m = loadPolicyMemory(undefined, { budget: { perServicePerHour: 3, perHostPerHour: 10 } });
    expect(savePolicyMemory(m)).toEqual({ backoff: { version: 1, containers: {} }, budget: { version: 1, spent: [] }, breaker: { version: 1, recent: [], open: {} } });
  });

  it('carries backoff, budget and an open breaker through JSON', () => {
    const options = { budget: { perServicePerHour: 3, perHostPerHour: 10 } };
    const m = loadPolicyMemory(undefined, options);
    for (const s of [0, 10, 30]) recordExecuted(restart, m, T0 + s * 1000);
    const again = loadPolicyMemory(JSON.parse(JSON.stringify(savePolicyMemory(m))), options);
    expect(again.breaker.isOpen('shop/api')).toBe(true);
    expect(again.budget.left(restart, T0 + 60_000)).toEqual({ service: 0, host: 7 });
    expect(again.backoff.wait('a/shop-api-1', T0 + 31_000)?.delayMs).toBe(40_000);
    expect(decide(restart, { now: T0 + 60_000, selfHeal: true, ...again }).mode).toBe('proposed');
  });

  it('refuses a corrupt stored value rather than forgetting open breakers', () => {
    expect(() => loadPolicyMemory({ backoff: {}, budget: {}, breaker: {} }, { budget: { perServicePerHour: 3, perHostPerHour: 10 } })).toThrow();
  });
});
