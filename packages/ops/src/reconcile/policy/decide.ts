// The decision: what the reconciler does with one candidate action, given the policy (docs/architecture.md, "Level 3
// contracts"). Pure: the state objects are only read; after an action ran, `recordExecuted` books it.
import { stricterTier, type GuardrailTier } from '@bcon/decision';
import type { ActionBudget, BudgetLeft } from './budget.js';
import type { BreakerOpen, CircuitBreaker } from './breaker.js';
import { RestartBackoff } from './backoff.js';
import { instant } from './duration.js';
import type { PolicyMemory } from './state.js';
import { inDenyWindow, type ActiveDenyWindow, type DenyWindow } from './windows.js';

/**
 * executed / notified: ran without a person; proposed: waits as a proposal; refused: not now (the reasons say why);
 * reported: wrong, but no catalog action answers it (a file, an image, the host): told to people once per commit.
 */
export type DecisionMode = 'executed' | 'notified' | 'proposed' | 'refused' | 'reported';

/** An action the loop would take, with the tier bcon's risk rules gave it and the evidence for it. */
export interface CandidateAction {
  host: string;
  /** the service as budgets and breakers count it: `project/service` */
  service: string;
  /** a catalog action type (`container.restart`, `service.scale`, …) */
  actionType: string;
  tier: GuardrailTier;
  /** why the action is wanted (the drift or the diagnosis, with evidence) */
  reasons: string[];
  /** the container the action restarts, for the restart backoff */
  containerKey?: string;
  /** marked production: a change waits for a person, whatever its tier */
  production?: boolean;
  /** `drift`: a self-heal repair (self_heal: false makes it a proposal); `incident`: recovery from a diagnosis */
  origin?: 'drift' | 'incident';
  /** the container's healthcheck start_period ends then: no restart before */
  startPeriodEndsAt?: number;
  /** an action on the same container is still running */
  inProgress?: boolean;
  /**
   * a service this one depends on has a decision in the same pass: what this one shows (errors, failed probes, a
   * crash) may be that dependency's doing, so it waits and is judged again after
   */
  afterRepairOf?: string;
  /**
   * the service afterRepairOf names is not repaired now but not ready for this one: how (`is starting (its
   * healthcheck has not passed yet)`, `is not healthy, …`)
   */
  dependencyNotReady?: string;
  /**
   * the service afterRepairOf names is down (no container of it runs, and it failed or is repaired): this one waits
   * for it whether or not its repair runs now — a start or restart into a dependency that is down fails the same way
   */
  dependencyDown?: boolean;
  /** the dependency's readiness comes by itself within seconds (starting, or within reconcile.min_ready) */
  dependencyReadySoon?: boolean;
  /** an unpause: when the engine paused the container (its last `pause` event), if bcon saw it */
  pausedAt?: number;
}

export interface PauseInfo {
  by?: string;
  reason?: string;
  at?: number;
}

/** `bcon pause` (every host) and `bcon pause --host NAME`. */
export interface PauseState {
  global?: PauseInfo;
  hosts?: Record<string, PauseInfo>;
}

/** Everything the decision reads. The state objects are read only; `now` is the pass's clock. */
export interface PolicyContext {
  now: number;
  selfHeal: boolean;
  dryRun?: boolean;
  pause?: PauseState;
  windows?: readonly DenyWindow[];
  /** hosts this pass could not reach */
  unreachableHosts?: readonly string[];
  budget: Pick<ActionBudget, 'left' | 'describe' | 'limits'>;
  breaker: Pick<CircuitBreaker, 'isOpen' | 'describe'>;
  backoff: Pick<RestartBackoff, 'wait'>;
  /** bcon.yaml reconcile.pause_grace (default 60 s) */
  pauseGraceMs?: number;
}

/** The policy inputs a decision was made with, for the audit entry and `bcon reconciler status`. */
export interface PolicyInputs {
  tier: GuardrailTier;
  budgetLeft: BudgetLeft;
  window?: { label: string; startedAt: string; endsAt: string };
  breaker: 'open' | 'closed';
  backoffUntil?: string;
  paused: boolean;
  hostReachable: boolean;
  selfHeal: boolean;
  dryRun: boolean;
}

export interface Decision {
  mode: DecisionMode;
  /** the policy's reasons first (each names its input), then the candidate's own */
  reasons: string[];
  /** run it now: executed or notified, and not a dry run */
  execute: boolean;
  /** tell people: before and after a notified action; with a proposal */
  notify: boolean;
  dryRun: boolean;
  inputs: PolicyInputs;
}

const PROPOSE = 'proposed: waits for a person to approve';

function pauseText(scope: string, p: PauseInfo): string {
  const by = p.by ? ` by ${p.by}` : '';
  const at = p.at === undefined ? '' : ` at ${instant(p.at)}`;
  const why = p.reason ? `: ${p.reason}` : '';
  return `paused (${scope})${by}${at}${why}; bcon resume to continue`;
}

function windowText(w: ActiveDenyWindow): string {
  return `inside deny window ${w.window.label}, open ${instant(w.startedAt)} to ${instant(w.endsAt)}: only proposals`;
}

/** The verdict and its policy reasons; `decide` adds the rest. Checks run from the hardest stop to the softest. */
function verdict(
  a: CandidateAction,
  ctx: PolicyContext,
  tier: GuardrailTier,
  window: ActiveDenyWindow | undefined,
  left: BudgetLeft,
): { mode: DecisionMode; why: string[] } {
  const { now } = ctx;
  if (tier === 'prohibited') return { mode: 'refused', why: [`prohibited: ${a.actionType} is never automatic; only two approvers with codes may run it`] };
  if (ctx.pause?.global) return { mode: 'refused', why: [pauseText('all hosts', ctx.pause.global)] };
  const hostPause = ctx.pause?.hosts?.[a.host];
  if (hostPause) return { mode: 'refused', why: [pauseText(`host ${a.host}`, hostPause)] };
  if (ctx.unreachableHosts?.includes(a.host)) {
    return { mode: 'refused', why: [`host ${a.host} unreachable: state unknown, no change decided; reconciled when it is back`] };
  }
  if (tier === 'explicit') {
    return { mode: 'proposed', why: [a.production ? `production: a change to ${a.service} needs explicit approval; ${PROPOSE}` : `tier explicit: ${PROPOSE}`] };
  }
  if (a.origin === 'drift' && !ctx.selfHeal) return { mode: 'proposed', why: [`self_heal is off: drift repairs are ${PROPOSE}`] };
  if (window) return { mode: 'proposed', why: [windowText(window)] };
  const breaker = ctx.breaker.describe(a.service);
  if (breaker) return { mode: 'proposed', why: [breaker] };
  if (a.inProgress) return { mode: 'refused', why: [`waiting: an action on ${a.containerKey ?? a.service} is in progress`] };
  if (a.afterRepairOf && a.dependencyNotReady) return { mode: 'refused', why: [`waiting: ${a.afterRepairOf}, which it depends on, ${a.dependencyNotReady}; judged again in the next pass`] };
  if (a.afterRepairOf) return { mode: 'refused', why: [`waiting: ${a.afterRepairOf}, which it depends on, is repaired first (this pass); judged again in the next`] };
  const grace = ctx.pauseGraceMs ?? 60_000;
  if (a.actionType === 'container.unpause' && a.pausedAt !== undefined && now < a.pausedAt + grace) {
    return { mode: 'refused', why: [`waiting: paused at ${instant(a.pausedAt)}, less than ${Math.round(grace / 1000)} s ago (a snapshot or backup pauses on purpose, for seconds: reconcile.pause_grace); unpaused from ${instant(a.pausedAt + grace)} if still paused`] };
  }
  if (a.startPeriodEndsAt !== undefined && now < a.startPeriodEndsAt) {
    return { mode: 'refused', why: [`waiting: healthcheck start_period until ${instant(a.startPeriodEndsAt)}`] };
  }
  const wait = a.containerKey === undefined ? undefined : ctx.backoff.wait(a.containerKey, now);
  if (wait) return { mode: 'refused', why: [`waiting: ${RestartBackoff.describe(wait)}`] };
  if (left.service === 0 || left.host === 0) {
    const spent = [
      ...(left.service === 0 ? [ctx.budget.describe({ service: a.service }, now)] : []),
      ...(left.host === 0 ? [ctx.budget.describe({ host: a.host }, now)] : []),
    ];
    return { mode: 'proposed', why: [`over budget: ${spent.join('; ')}; ${PROPOSE}`] };
  }
  const { perServicePerHour, perHostPerHour } = ctx.budget.limits;
  const budget = `budget: ${left.service} of ${perServicePerHour} left for service ${a.service}, ${left.host} of ${perHostPerHour} for host ${a.host} this hour`;
  return tier === 'autonomous'
    ? { mode: 'executed', why: [`tier autonomous: executed without approval (${budget})`] }
    : { mode: 'notified', why: [`tier notify: executed with a notification before and after (${budget})`] };
}

/**
 * What to do with `action`: executed (autonomous), notified (notify & execute), proposed (a person approves) or
 * refused — with the reasons, each naming the policy input that decided. A dry run computes the same mode and
 * executes nothing.
 */
export function decide(action: CandidateAction, ctx: PolicyContext): Decision {
  const dryRun = ctx.dryRun ?? false;
  const tier = action.production ? stricterTier(action.tier, 'explicit') : action.tier;
  const window = inDenyWindow(ctx.windows ?? [], ctx.now);
  const left = ctx.budget.left(action, ctx.now);
  const wait = action.containerKey === undefined ? undefined : ctx.backoff.wait(action.containerKey, ctx.now);
  const { mode, why } = verdict(action, ctx, tier, window, left);
  const runs = mode === 'executed' || mode === 'notified';
  const reasons = [...why, ...(dryRun && runs ? ['dry run: nothing executed'] : []), ...action.reasons];
  return {
    mode,
    reasons,
    execute: runs && !dryRun,
    notify: mode === 'notified' || mode === 'proposed',
    dryRun,
    inputs: {
      tier,
      budgetLeft: left,
      ...(window ? { window: { label: window.window.label, startedAt: instant(window.startedAt), endsAt: instant(window.endsAt) } } : {}),
      breaker: ctx.breaker.isOpen(action.service) ? 'open' : 'closed',
      ...(wait ? { backoffUntil: instant(wait.until) } : {}),
      paused: Boolean(ctx.pause?.global ?? ctx.pause?.hosts?.[action.host]),
      hostReachable: !ctx.unreachableHosts?.includes(action.host),
      selfHeal: ctx.selfHeal,
      dryRun,
    },
  };
}

/**
 * Book an action that ran without a person's approval (executed or notified, not a dry run): it spends both budgets,
 * counts towards the breaker, and starts the container's backoff. Returns the breaker's opening if this tripped it.
 */
export function recordExecuted(
  action: Pick<CandidateAction, 'host' | 'service' | 'actionType' | 'containerKey'>,
  state: PolicyMemory,
  now: number,
): { breakerOpened?: BreakerOpen } {
  state.budget.spend({ host: action.host, service: action.service, action: action.actionType }, now);
  if (action.containerKey !== undefined) state.backoff.record(action.containerKey, now);
  const opened = state.breaker.record(action.service, action.actionType, now);
  return opened ? { breakerOpened: opened } : {};
}
