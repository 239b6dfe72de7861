// The risk budget: at most N autonomous actions (executed or notified, i.e. run without a person's approval) per
// service and per host in any sliding hour. A service is counted across hosts (the loop names it `project/service`),
// so a bad image crashing it on every host still spends one budget.
import { z } from 'zod';
import type { BudgetLimits } from './config.js';
import { instant } from './duration.js';

export const BUDGET_WINDOW_MS = 3_600_000;

const SpendSchema = z.object({ at: z.number(), host: z.string(), service: z.string(), action: z.string().optional() });
export type Spend = z.infer<typeof SpendSchema>;

/** What is stored between passes (plain JSON). */
export const BudgetStateSchema = z.object({ version: z.literal(1), spent: z.array(SpendSchema) });
export type BudgetState = z.infer<typeof BudgetStateSchema>;

/** One budget: a service's (across hosts) or a host's. */
export type BudgetScope = { service: string } | { host: string };

/** Both budgets an action draws on. */
export interface BudgetLeft {
  service: number;
  host: number;
}

export class ActionBudget {
  private readonly state: BudgetState;

  constructor(
    readonly limits: BudgetLimits,
    state?: BudgetState,
    readonly windowMs = BUDGET_WINDOW_MS,
  ) {
    this.state = state ? structuredClone(state) : { version: 1, spent: [] };
  }

  static fromJSON(json: unknown, limits: BudgetLimits): ActionBudget {
    return new ActionBudget(limits, BudgetStateSchema.parse(json));
  }

  limit(scope: BudgetScope): number {
    return 'service' in scope ? this.limits.perServicePerHour : this.limits.perHostPerHour;
  }

  /** Actions in `scope` within the hour before `now` (one exactly an hour old no longer counts). */
  used(scope: BudgetScope, now: number): number {
    return this.counted(scope, now).length;
  }

  remaining(scope: BudgetScope, now: number): number {
    return Math.max(0, this.limit(scope) - this.used(scope, now));
  }

  /** Both budgets an action on `host`/`service` draws on. */
  left(target: { host: string; service: string }, now: number): BudgetLeft {
    return { service: this.remaining({ service: target.service }, now), host: this.remaining({ host: target.host }, now) };
  }

  /** When the next unit of `scope` comes back (its oldest counted action turns an hour old); undefined if none is spent. */
  freesAt(scope: BudgetScope, now: number): number | undefined {
    const oldest = this.counted(scope, now)[0];
    return oldest === undefined ? undefined : oldest.at + this.windowMs;
  }

  /** Record an autonomous action at `now` against both its budgets; older spends drop out of the state. */
  spend(target: { host: string; service: string; action?: string }, now: number): void {
    this.prune(now);
    this.state.spent.push({ at: now, host: target.host, service: target.service, ...(target.action ? { action: target.action } : {}) });
  }

  /** Forget spends that no longer count at `now` (spend does it too). */
  prune(now: number): void {
    this.state.spent = this.state.spent.filter((s) => s.at > now - this.windowMs);
  }

  /** `0 of 3 left for service shop/api this hour (one back at 2026-…Z)`. */
  describe(scope: BudgetScope, now: number): string {
    const name = 'service' in scope ? `service ${scope.service}` : `host ${scope.host}`;
    const back = this.remaining(scope, now) === 0 ? this.freesAt(scope, now) : undefined;
    return `${this.remaining(scope, now)} of ${this.limit(scope)} left for ${name} this hour${back === undefined ? '' : ` (one back at ${instant(back)})`}`;
  }

  toJSON(): BudgetState {
    return structuredClone(this.state);
  }

  private counted(scope: BudgetScope, now: number): Spend[] {
    const from = now - this.windowMs;
    return this.state.spent
      .filter((s) => s.at > from && s.at <= now && ('service' in scope ? s.service === scope.service : s.host === scope.host))
      .sort((a, b) => a.at - b.at);
  }
}
