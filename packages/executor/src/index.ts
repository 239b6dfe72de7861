// @bcon/executor — the only package allowed to change a host. The Docker write adapter, git commits of desired
// state and SSH execution arrive with their issues; nothing here writes yet.
import type { GuardrailTier } from '@bcon/decision';

/** What every executed action will be journaled with. */
export interface JournalEntry {
  at: string;
  action: string;
  target: string;
  tier: GuardrailTier;
  result: 'success' | 'failure' | 'rolled_back';
}
