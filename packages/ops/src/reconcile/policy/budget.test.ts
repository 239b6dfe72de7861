import { describe, expect, it } from 'vitest';
import { ActionBudget, BudgetStateSchema } from './budget.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-07T12:00:00Z');
const limits = { perServicePerHour: 3, perHostPerHour: 10 };
const api = { host: 'a', service: 'shop/api' };

describe('action budget', () => {
  it('starts full', () => {
    const b = new ActionBudget(limits);
    expect(b.left(api, T0)).toEqual({ service: 3, host: 10 });
    expect(b.freesAt({ service: 'shop/api' }, T0)).toBeUndefined();
  });

  it('slides: a spend counts for one hour exactly, then comes back', () => {
    const b = new ActionBudget(limits);
    b.spend(api, T0);
    b.spend(api, T0 + 10 * MIN);
    b.spend(api, T0 + 20 * MIN);
    expect(b.remaining({ service: 'shop/api' }, T0 + 30 * MIN)).toBe(0);
    expect(b.freesAt({ service: 'shop/api' }, T0 + 30 * MIN)).toBe(T0 + 60 * MIN);
    expect(b.remaining({ service: 'shop/api' }, T0 + 60 * MIN - 1)).toBe(0);
    expect(b.remaining({ service: 'shop/api' }, T0 + 60 * MIN)).toBe(1);
    expect(b.remaining({ service: 'shop/api' }, T0 + 70 * MIN)).toBe(2);
    expect(b.remaining({ service: 'shop/api' }, T0 + 80 * MIN)).toBe(3);
    expect(b.remaining({ host: 'a' }, T0 + 30 * MIN)).toBe(7);
  });

  it('counts a host over all its services', () => {
    const b = new ActionBudget(limits);
    for (let i = 0; i < 10; i++) b.spend({ host: 'a', service: `shop/s${i}` }, T0 + i * MIN);
    expect(b.left({ host: 'a', service: 'shop/s99' }, T0 + 10 * MIN)).toEqual({ service: 3, host: 0 });
    expect(b.left({ host: 'b', service: 'shop/s99' }, T0 + 10 * MIN)).toEqual({ service: 3, host: 10 });
  });

  it('counts a service over all hosts', () => {
    const b = new ActionBudget(limits);
    for (const host of ['a', 'b', 'c']) b.spend({ host, service: 'shop/api' }, T0);
    expect(b.left({ host: 'd', service: 'shop/api' }, T0 + MIN)).toEqual({ service: 0, host: 10 });
  });

  it('ignores spends recorded after now (a clock that stepped back)', () => {
    const b = new ActionBudget(limits);
    b.spend(api, T0 + 5 * MIN);
    expect(b.remaining({ service: 'shop/api' }, T0)).toBe(3);
  });

  it('drops spends older than the window from the stored state', () => {
    const b = new ActionBudget(limits);
    b.spend(api, T0);
    b.spend(api, T0 + 2 * 60 * MIN);
    expect(b.toJSON().spent).toEqual([{ at: T0 + 2 * 60 * MIN, host: 'a', service: 'shop/api' }]);
  });

  it('describes what is left and when one comes back', () => {
    const b = new ActionBudget({ perServicePerHour: 1, perHostPerHour: 10 });
    b.spend({ ...api, action: 'container.restart' }, T0);
    expect(b.describe({ service: 'shop/api' }, T0 + MIN)).toBe('0 of 1 left for service shop/api this hour (one back at 2026-01-07T13:00:00Z)');
    expect(b.describe({ host: 'a' }, T0 + MIN)).toBe('9 of 10 left for host a this hour');
  });

  it('a limit of 0 allows no autonomous action', () => {
    expect(new ActionBudget({ perServicePerHour: 0, perHostPerHour: 10 }).left(api, T0)).toEqual({ service: 0, host: 10 });
  });

  it('survives a round trip through JSON between passes', () => {
    const b = new ActionBudget(limits);
    b.spend({ ...api, action: 'container.restart' }, T0);
    b.spend(api, T0 + MIN);
    const stored = JSON.parse(JSON.stringify(b.toJSON())) as unknown;
    expect(BudgetStateSchema.safeParse(stored).success).toBe(true);
    expect(ActionBudget.fromJSON(stored, limits).left(api, T0 + 2 * MIN)).toEqual({ service: 1, host: 8 });
    expect(() => ActionBudget.fromJSON({ version: 1, spent: [{ at: 'noon' }] }, limits)).toThrow();
  });
});
