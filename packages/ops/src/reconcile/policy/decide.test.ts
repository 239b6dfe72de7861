import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './backoff.js';
import { CircuitBreaker } from './breaker.js';
import { ActionBudget } from './budget.js';
import { decide, recordExecuted, type CandidateAction, type Decision, type PolicyContext } from './decide.js';
import { DenyWindowSchema } from './windows.js';

const WED_NOON = Date.parse('2026-01-07T12:00:00Z');
const SAT_NOON = Date.parse('2026-01-03T12:00:00Z');
const S = 1000;
const MIN = 60 * S;

const restart: CandidateAction = {
  host: 'a',
  service: 'shop/api',
  actionType: 'container.restart',
  tier: 'autonomous',
  reasons: ['crash_loop: shop-api-1 exited 3 times in 5 min (evidence e1)'],
  containerKey: 'a/shop-api-1',
  origin: 'incident',
};

function context(over: Partial<PolicyContext> = {}): PolicyContext {
  return {
    now: WED_NOON,
    selfHeal: true,
    windows: [DenyWindowSchema.parse({ deny: '0 18 * * 5', duration: '60h' })],
    budget: new ActionBudget({ perServicePerHour: 3, perHostPerHour: 10 }),
    breaker: new CircuitBreaker(),
    backoff: new RestartBackoff(),
    ...over,
  };
}

function spent(n: number, target = { host: 'a', service: 'shop/api' }, now = WED_NOON): ActionBudget {
  const b = new ActionBudget({ perServicePerHour: 3, perHostPerHour: 10 });
  for (let i = 0; i < n; i++) b.spend(target, now - (i + 1) * MIN);
  return b;
}

function openBreaker(): CircuitBreaker {
  const b = new CircuitBreaker();
  for (const m of [30, 20, 10]) b.record('shop/api', 'container.restart', WED_NOON - m * MIN);
  return b;
}

function backoffJustRestarted(): RestartBackoff {
  const b = new RestartBackoff();
  b.record('a/shop-api-1', WED_NOON - 5 * S);
  return b;
}

type Case = [name: string, action: Partial<CandidateAction>, ctx: Partial<PolicyContext>, mode: Decision['mode'], reason: RegExp];

const otherServices = spent(10, { host: 'a', service: 'shop/web' });

const cases: Case[] = [
  ['autonomous → executed', {}, {}, 'executed', /^tier autonomous: executed without approval \(budget: 3 of 3 left for service shop\/api, 10 of 10 for host a this hour\)$/],
  ['notify → notified', { tier: 'notify', actionType: 'service.set_memory' }, {}, 'notified', /^tier notify: executed with a notification before and after/],
  ['explicit → proposed', { tier: 'explicit', actionType: 'service.rollback_image' }, {}, 'proposed', /^tier explicit: proposed: waits for a person to approve$/],
  ['prohibited → refused', { tier: 'prohibited', actionType: 'container.remove_untracked' }, {}, 'refused', /^prohibited: container\.remove_untracked is never automatic; only two approvers with codes may run it$/],
  ['prohibited is refused before anything else', { tier: 'prohibited' }, { pause: { global: { by: 'alice' } }, now: SAT_NOON }, 'refused', /^prohibited/],
  ['production raises autonomous to a proposal', { production: true }, {}, 'proposed', /^production: a change to shop\/api needs explicit approval/],
  ['production raises notify to a proposal', { production: true, tier: 'notify' }, {}, 'proposed', /^production/],
  ['global pause → refused', {}, { pause: { global: { by: 'alice', reason: 'migration', at: WED_NOON - MIN } } }, 'refused', /^paused \(all hosts\) by alice at 2026-01-07T11:59:00Z: migration; bcon resume to continue$/],
  ['host pause → refused', {}, { pause: { hosts: { a: { by: 'bob' } } } }, 'refused', /^paused \(host a\) by bob; bcon resume/],
  ['another host paused → executed', {}, { pause: { hosts: { b: { by: 'bob' } } } }, 'executed', /^tier autonomous/],
  ['paused wins over explicit', { tier: 'explicit' }, { pause: { global: {} } }, 'refused', /^paused \(all hosts\)/],
  ['host unreachable → refused', {}, { unreachableHosts: ['a'] }, 'refused', /^host a unreachable: state unknown, no change decided; reconciled when it is back$/],
  ['host unreachable → refused, even a proposal', { tier: 'explicit' }, { unreachableHosts: ['a'] }, 'refused', /^host a unreachable/],
  ['another host unreachable → executed', {}, { unreachableHosts: ['b'] }, 'executed', /^tier autonomous/],
  ['self_heal off: a drift repair → proposed', { origin: 'drift', actionType: 'container.start' }, { selfHeal: false }, 'proposed', /^self_heal is off: drift repairs are proposed/],
  ['self_heal off: incident recovery still executed', { origin: 'incident' }, { selfHeal: false }, 'executed', /^tier autonomous/],
  ['self_heal on: a drift repair → executed', { origin: 'drift', actionType: 'container.start' }, {}, 'executed', /^tier autonomous/],
  ['an unpause of a fresh pause waits its grace (a snapshot pauses on purpose)', { actionType: 'container.unpause', pausedAt: WED_NOON - 20_000 }, {}, 'refused', /^waiting: paused at 2026-01-07T11:59:40Z, less than 60 s ago .*reconcile\.pause_grace\); unpaused from 2026-01-07T12:00:40Z if still paused$/],
  ['an unpause after the grace → executed', { actionType: 'container.unpause', pausedAt: WED_NOON - 61_000 }, {}, 'executed', /^tier autonomous/],
  ['an unpause of a pause bcon did not see → executed', { actionType: 'container.unpause' }, {}, 'executed', /^tier autonomous/],
  ['pause_grace 0s → executed at once', { actionType: 'container.unpause', pausedAt: WED_NOON - 1_000 }, { pauseGraceMs: 0 }, 'executed', /^tier autonomous/],
  ['inside a deny window → proposed, never executed', {}, { now: SAT_NOON }, 'proposed', /^inside deny window deny "0 18 \* \* 5" for 60h \(UTC\), open 2026-01-02T18:00:00Z to 2026-01-05T06:00:00Z: only proposals$/],
  ['inside a deny window, notify → proposed', { tier: 'notify' }, { now: SAT_NOON }, 'proposed', /^inside deny window/],
  ['breaker open → proposed', {}, { breaker: openBreaker() }, 'proposed', /^breaker open for shop\/api since 2026-01-07T11:50:00Z: container\.restart 3× within 30m \(flapping\); a person must reset it$/],
  ['backoff not elapsed → refused', {}, { backoff: backoffJustRestarted() }, 'refused', /^waiting: backoff until 2026-01-07T12:00:05Z \(restart 1, delay 10s\)$/],
  ['backoff of another container → executed', { containerKey: 'a/shop-api-2' }, { backoff: backoffJustRestarted() }, 'executed', /^tier autonomous/],
  ['healthcheck start_period → refused', { startPeriodEndsAt: WED_NOON + 20 * S }, {}, 'refused', /^waiting: healthcheck start_period until 2026-01-07T12:00:20Z$/],
  ['start_period over → executed', { startPeriodEndsAt: WED_NOON - S }, {}, 'executed', /^tier autonomous/],
  ['an action in progress → refused', { inProgress: true }, {}, 'refused', /^waiting: an action on a\/shop-api-1 is in progress$/],
  ['a dependency repaired in the same pass → refused', { afterRepairOf: 'shop/db' }, {}, 'refused', /^waiting: shop\/db, which it depends on, is repaired first \(this pass\); judged again in the next$/],
  ['a dependency still starting → refused', { afterRepairOf: 'shop/db', dependencyNotReady: 'is starting (its healthcheck has not passed yet)' }, {}, 'refused', /^waiting: shop\/db, which it depends on, is starting \(its healthcheck has not passed yet\); judged again in the next pass$/],
  ['a dependency still starting, self_heal off → proposed, not held', { afterRepairOf: 'shop/db', dependencyNotReady: 'is starting (its healthcheck has not passed yet)', origin: 'drift', actionType: 'container.start' }, { selfHeal: false }, 'proposed', /^self_heal is off/],
  ['service over budget → proposed', {}, { budget: spent(3) }, 'proposed', /^over budget: 0 of 3 left for service shop\/api this hour \(one back at 2026-01-07T12:57:00Z\); proposed: waits for a person to approve$/],
  ['host over budget → proposed', {}, { budget: otherServices }, 'proposed', /^over budget: 0 of 10 left for host a this hour \(one back at 2026-01-07T12:50:00Z\)/],
  ['budget with one left → executed', {}, { budget: spent(2) }, 'executed', /1 of 3 left for service shop\/api/],
  ['over budget, notify → proposed', { tier: 'notify' }, { budget: spent(3) }, 'proposed', /^over budget/],
  ['breaker open wins over backoff', {}, { breaker: openBreaker(), backoff: backoffJustRestarted() }, 'proposed', /^breaker open/],
  ['deny window wins over budget', {}, { now: SAT_NOON, budget: spent(3, undefined, SAT_NOON) }, 'proposed', /^inside deny window/],
];

describe('decide', () => {
  it.each(cases)('%s', (_name, action, ctx, mode, reason) => {
    const d = decide({ ...restart, ...action }, context(ctx));
    expect(d.mode).toBe(mode);
    expect(d.reasons[0]).toMatch(reason);
    // the candidate's own reasons (the evidence) follow the policy's
    expect(d.reasons.at(-1)).toBe(restart.reasons[0]);
    expect(d.execute).toBe(mode === 'executed' || mode === 'notified');
    expect(d.notify).toBe(mode === 'notified' || mode === 'proposed');
    expect(d.dryRun).toBe(false);
  });

  it('a dry run computes the same mode and executes nothing', () => {
    for (const [ctx, mode] of [[{}, 'executed'], [{ now: SAT_NOON }, 'proposed'], [{ pause: { global: {} } }, 'refused']] as const) {
      const real = decide(restart, context(ctx));
      const dry = decide(restart, context({ ...ctx, dryRun: true }));
      expect(dry.mode).toBe(mode);
      expect(real.mode).toBe(mode);
      expect(dry.execute).toBe(false);
      expect(dry.dryRun).toBe(true);
      expect(dry.inputs.dryRun).toBe(true);
    }
    expect(decide(restart, context({ dryRun: true })).reasons).toContain('dry run: nothing executed');
    expect(decide({ ...restart, tier: 'notify' }, context({ dryRun: true }))).toMatchObject({ mode: 'notified', execute: false });
  });

  it('carries the policy inputs for the audit entry', () => {
    expect(decide(restart, context({ now: SAT_NOON, breaker: openBreaker(), budget: spent(1, undefined, SAT_NOON) })).inputs).toEqual({
      tier: 'autonomous',
      budgetLeft: { service: 2, host: 9 },
      window: { label: 'deny "0 18 * * 5" for 60h (UTC)', startedAt: '2026-01-02T18:00:00Z', endsAt: '2026-01-05T06:00:00Z' },
      breaker: 'open',
      paused: false,
      hostReachable: true,
      selfHeal: true,
      dryRun: false,
    });
    const i = decide({ ...restart, production: true }, context({ backoff: backoffJustRestarted(), unreachableHosts: ['a'], pause: { hosts: { a: {} } } })).inputs;
    expect(i).toMatchObject({ tier: 'explicit', backoffUntil: '2026-01-07T12:00:05Z', paused: true, hostReachable: false, breaker: 'closed' });
  });

  it('reads the state and never changes it', () => {
    const memory = { budget: spent(1), breaker: openBreaker(), backoff: backoffJustRestarted() };
    const snapshot = () => JSON.stringify([memory.budget.toJSON(), memory.breaker.toJSON(), memory.backoff.toJSON()]);
    const before = snapshot();
    const first = decide(restart, context(memory));
    expect(decide(restart, context(memory))).toEqual(first);
    expect(snapshot()).toBe(before);
  });
});

describe('a crash loop through decide and recordExecuted', () => {
  it('restarts with growing delays, then the breaker opens and a proposal with a notification follows', () => {
    const memory = { budget: new ActionBudget({ perServicePerHour: 10, perHostPerHour: 10 }), breaker: new CircuitBreaker(), backoff: new RestartBackoff() };
    const ctx = (now: number): PolicyContext => ({ now, selfHeal: true, windows: [], ...memory });
    let now = WED_NOON;
    const log: string[] = [];
    for (let pass = 0; pass < 12; pass++, now += 5 * S) {
      const d = decide(restart, ctx(now));
      log.push(`${(now - WED_NOON) / S}s ${d.mode}`);
      if (d.execute) {
        const { breakerOpened } = recordExecuted(restart, memory, now);
        if (breakerOpened) log.push(`breaker opened after ${breakerOpened.count}`);
      }
    }
    // restarts at 0 s, 10 s (after 10 s) and 30 s (after 20 s); the third opens the breaker
    expect(log.filter((l) => !l.endsWith('refused'))).toEqual(['0s executed', '10s executed', '30s executed', 'breaker opened after 3', '35s proposed', '40s proposed', '45s proposed', '50s proposed', '55s proposed']);
    expect(log).toContain('5s refused');
    const after = decide(restart, ctx(now));
    expect(after).toMatchObject({ mode: 'proposed', notify: true, execute: false });
    expect(memory.budget.left(restart, now)).toEqual({ service: 7, host: 7 });
  });

  it('spends the budget of each action run without approval until it proposes', () => {
    const memory = { budget: new ActionBudget({ perServicePerHour: 3, perHostPerHour: 10 }), breaker: new CircuitBreaker(undefined, { threshold: 100 }), backoff: new RestartBackoff() };
    const modes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const now = WED_NOON + i * 10 * MIN;
      const action = { ...restart, containerKey: `a/shop-api-${i}` };
      const d = decide(action, { now, selfHeal: true, ...memory });
      modes.push(d.mode);
      if (d.execute) recordExecuted(action, memory, now);
    }
    expect(modes).toEqual(['executed', 'executed', 'executed', 'proposed', 'proposed']);
    // an hour after the first, one comes back
    expect(decide(restart, { now: WED_NOON + 60 * MIN, selfHeal: true, ...memory }).mode).toBe('executed');
  });
});
