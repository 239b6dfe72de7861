/**
 * Guardrail tiers, from the least to the most guarded (docs/architecture.md). Level 2 classifies the risk of a
 * proposal with them; level 3 decides by them what may run without a person.
 */
export const GUARDRAIL_TIERS = ['autonomous', 'notify', 'explicit', 'prohibited'] as const;
export type GuardrailTier = (typeof GUARDRAIL_TIERS)[number];

/** The approval an action of each tier needs before it runs. */
export const APPROVAL_FOR_TIER: Record<GuardrailTier, 'autonomous' | 'notified' | 'explicit' | 'two-person'> = {
  autonomous: 'autonomous',
  notify: 'notified',
  explicit: 'explicit',
  prohibited: 'two-person',
};

/** The stricter of two tiers (an override may only ever tighten by this rule, or loosen explicitly). */
export function stricterTier(a: GuardrailTier, b: GuardrailTier): GuardrailTier {
  return GUARDRAIL_TIERS.indexOf(a) >= GUARDRAIL_TIERS.indexOf(b) ? a : b;
}
