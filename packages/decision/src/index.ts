// @bcon/decision — level 2. Proposals, risk and approvals arrive with their issue; the tier vocabulary is here now.
export type { GuardrailTier } from './risk/tiers.js';
export { APPROVAL_FOR_TIER, GUARDRAIL_TIERS, stricterTier } from './risk/tiers.js';
