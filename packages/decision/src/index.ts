// @bcon/decision — level 2: typed actions, bcon's own risk rules, proposals, and the approval check.
export type { GuardrailTier } from './risk/tiers.js';
export { APPROVAL_FOR_TIER, GUARDRAIL_TIERS, stricterTier } from './risk/tiers.js';
export type { Action, ActionType } from './actions/catalog.js';
export { ACTION_TYPES, describeAction, precondition } from './actions/catalog.js';
export type { RiskAssessment, RiskContext, RiskLevel } from './risk/risk.js';
export { assessRisk } from './risk/risk.js';
export type { Proposal, ProposalOption, ServiceFacts } from './proposal.js';
export { actionOf, buildProposal, fingerprintOf } from './proposal.js';
export type { ApprovalCheck, Approver } from './approval/check.js';
export { checkApproval } from './approval/check.js';
export { base32Decode, totp, verifyTotp } from './approval/totp.js';
export type { BudgetStatus, Budgets } from './budget.js';
export { budgetGate, budgetNotice, budgetStatus } from './budget.js';
