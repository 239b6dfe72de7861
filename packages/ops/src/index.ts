// @bcon/ops — the use-cases every front-end shares (CLI today; the reconciler, web chat and Slack next). A front-end
// parses input, calls one of these, renders the result. executeApproved is the only path to @bcon/executor.
export { OpsError } from './errors.js';
export type { Target } from './target.js';
export { targetFromEnv, targetLabel } from './target.js';
export { actorName, thisProcess } from './actor.js';
export { audit } from './audit.js';
export type { UserConfig } from './user-config.js';
export { UserConfigSchema, readUserConfig, repositoryGuardrails, userConfigPath } from './user-config.js';
export { currentGuardrails } from './guardrails.js';
export type { RepositoryConfig } from './repository-config.js';
export { readRepositoryConfig, repositoryRoot } from './repository-config.js';
export type { Authority, Channel, ExecuteApprovedInput, ExecuteApprovedResult, ExecutedOption } from './execute-approved.js';
export { executeApproved, publicParams } from './execute-approved.js';
export type { TargetSelection } from './targets.js';
export { fansOut, oneTarget, resolveTargets, selectedTargets, targetOfService } from './targets.js';
export { storeProposal, publicProposal } from './propose.js';
export type { InterruptedExecution } from './journal.js';
export { describeInterrupted, interruptedExecutions, ownerAlive, publicExecution, resolveInterruptedExecution } from './journal.js';
export type { LockView } from './lock.js';
export { acquireHostLock, breakHostLock, lockStatus, releaseHostLock, viewLock } from './lock.js';
export type { IntentModel, IntentOutcome, IntentPlan } from './intent.js';
export { convergeActions, intentProposal, intentSteps, planIntent, publicIntent } from './intent.js';
export type { ApproveProposalInput, ApproveProposalResult, StoredProposal } from './approve-proposal.js';
export { approvalView, approveProposal, loadProposal } from './approve-proposal.js';
export { rejectProposal } from './reject-proposal.js';
export type { DeployPlan, DeployView, PlanDeployInput } from './deploy.js';
export { DEPLOY_LABELS, deployProposal, deployView, planDeploy, runDeployProposal } from './deploy.js';
