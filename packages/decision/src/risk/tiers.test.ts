import { describe, expect, it } from 'vitest';
import { APPROVAL_FOR_TIER, GUARDRAIL_TIERS, stricterTier } from './tiers.js';

describe('guardrail tiers', () => {
  it('orders tiers from autonomous to prohibited, each with its approval', () => {
    expect(GUARDRAIL_TIERS).toEqual(['autonomous', 'notify', 'explicit', 'prohibited']);
    expect(APPROVAL_FOR_TIER.prohibited).toBe('two-person');
  });
  it('picks the stricter tier', () => {
    expect(stricterTier('notify', 'explicit')).toBe('explicit');
    expect(stricterTier('prohibited', 'autonomous')).toBe('prohibited');
  });
});
