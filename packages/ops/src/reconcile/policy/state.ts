// The policy's memory between passes: backoff, budget and breaker, one plain JSON value the loop stores and loads.
import { z } from 'zod';
import { BackoffStateSchema, RestartBackoff, type BackoffOptions } from './backoff.js';
import { CircuitBreaker, BreakerStateSchema, type BreakerOptions } from './breaker.js';
import { ActionBudget, BudgetStateSchema } from './budget.js';
import type { BudgetLimits } from './config.js';

export const PolicyStateSchema = z.object({
  backoff: BackoffStateSchema,
  budget: BudgetStateSchema,
  breaker: BreakerStateSchema,
});
export type PolicyState = z.infer<typeof PolicyStateSchema>;

/** The three state objects `decide` reads and `recordExecuted` books into. */
export interface PolicyMemory {
  backoff: RestartBackoff;
  budget: ActionBudget;
  breaker: CircuitBreaker;
}

export interface PolicyMemoryOptions {
  budget: BudgetLimits;
  backoff?: Partial<BackoffOptions>;
  breaker?: Partial<BreakerOptions>;
}

/**
 * The memory from stored JSON; `undefined` (first pass) starts empty. Throws a ZodError on a corrupt value: starting
 * afresh would forget open breakers, so the caller decides (and says so).
 */
export function loadPolicyMemory(json: unknown, options: PolicyMemoryOptions): PolicyMemory {
  const state = json === undefined ? undefined : PolicyStateSchema.parse(json);
  return {
    backoff: new RestartBackoff(state?.backoff, options.backoff),
    budget: new ActionBudget(options.budget, state?.budget),
    breaker: new CircuitBreaker(state?.breaker, options.breaker),
  };
}

export function savePolicyMemory(memory: PolicyMemory): PolicyState {
  return { backoff: memory.backoff.toJSON(), budget: memory.budget.toJSON(), breaker: memory.breaker.toJSON() };
}
