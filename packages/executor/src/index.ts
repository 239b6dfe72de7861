// @bcon/executor — the only package that changes a host: the Docker write adapter for the catalog actions of
// @bcon/decision, each verified and undone where undo exists. Nothing here runs without an approval record: the
// caller (@bcon/ops executeApproved, the only one allowed to import this package) checks the approval, takes the
// lock and journals the execution first.
import type { GuardrailTier } from '@bcon/decision';

export type { ExecuteOptions, ExecutionResult } from './execute.js';
export { executeAction } from './execute.js';
export type { HealthGateOptions, HealthGateResult, HealthcheckSpec, ProbeResult, RunHealthcheckOptions } from './health/run-healthcheck.js';
export { healthGate, healthcheckOf, runHealthcheck } from './health/run-healthcheck.js';
export { dockerFromEnv } from './docker/connect.js';
export { cloneSpec, replicaName } from './docker/clone.js';
export type { FromFiles } from './docker/create-from-spec.js';
export { createFromSpec } from './docker/create-from-spec.js';

/** What every executed action is journaled with. */
export interface JournalEntry {
  at: string;
  action: string;
  target: string;
  tier: GuardrailTier;
  result: 'success' | 'failure' | 'rolled_back';
}
export { commitAuthor, commitFile, stagedFiles } from './git-commit.js';
export type { HostLock } from './lock.js';
export type { AcquireResult, LockOwner } from './lock.js';
export { LOCK_NAME, acquireLock, breakLock, readLock, releaseLock, releaseOwnLock } from './lock.js';
export { interruptedState, resolveInterrupted } from './recover.js';
export type { HostPause } from './pause.js';
export { PAUSE_NAME, clearPause, readPause, setPause } from './pause.js';
