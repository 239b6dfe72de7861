// The reconciler's policy: pure, deterministic decisions over plain-JSON state; no Docker, no I/O, `now` passed in.
export type { BudgetLimits, NotifyTarget, PolicyConfig, ReconcilePolicy, RecoveryPolicy } from './config.js';
export {
  BudgetConfigSchema,
  DEFAULT_POLICY_CONFIG,
  NotifyTargetSchema,
  PolicyConfigSchema,
  ReconcileConfigSchema,
  RecoveryConfigSchema,
  parsePolicyConfig,
} from './config.js';
export type { Clock } from './duration.js';
export { formatDuration, instant, parseDuration } from './duration.js';
export type { BackoffOptions, BackoffState, BackoffWait } from './backoff.js';
export { BACKOFF_DEFAULTS, BackoffStateSchema, RestartBackoff } from './backoff.js';
export type { BudgetLeft, BudgetScope, BudgetState, Spend } from './budget.js';
export { ActionBudget, BUDGET_WINDOW_MS, BudgetStateSchema } from './budget.js';
export type { BreakerOpen, BreakerOptions, BreakerState } from './breaker.js';
export { BREAKER_DEFAULTS, BreakerStateSchema, CircuitBreaker } from './breaker.js';
export type { ActiveDenyWindow, DenyWindow } from './windows.js';
export { DenyWindowSchema, cronProblem, inDenyWindow, lastOpening, timeZoneProblem } from './windows.js';
export type { CandidateAction, Decision, DecisionMode, PauseInfo, PauseState, PolicyContext, PolicyInputs } from './decide.js';
export { decide, recordExecuted } from './decide.js';
export type { PolicyMemory, PolicyMemoryOptions, PolicyState } from './state.js';
export { PolicyStateSchema, loadPolicyMemory, savePolicyMemory } from './state.js';
