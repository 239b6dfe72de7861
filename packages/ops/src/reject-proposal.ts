import type { Store } from '@bcon/store';
import { audit } from './audit.js';
import { OpsError } from './errors.js';
import type { Channel } from './execute-approved.js';

/**
 * Reject a pending proposal (the web UI and the Slack bot; `bcon reject` does the same): unknown is
 * `unknown_proposal`, decided is `not_pending`; the rejection is audited with its actor, reason and channel.
 */
export async function rejectProposal(input: { store: Store; id: string; actor: string; reason?: string; channel?: Channel }): Promise<{ id: string; status: 'rejected' }> {
  const { getProposal, setProposalStatus } = await import('@bcon/store');
  const p = getProposal(input.store, input.id);
  if (!p) throw new OpsError(`no proposal ${input.id}: see bcon proposals`, 'unknown_proposal');
  if (!setProposalStatus(input.store, input.id, 'rejected')) throw new OpsError(`proposal ${input.id} is ${p.status}, not pending`, 'not_pending');
  audit(input.store, { actor: input.actor, action: 'proposal.reject', target: p.target, approval: 'explicit', result: 'rejected', context: { proposal: p.id, reason: input.reason ?? '', proposed_by: 'bcon', ...(input.channel ? { channel: input.channel } : {}) } });
  return { id: p.id, status: 'rejected' };
}
