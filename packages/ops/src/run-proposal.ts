import type { Approver, Guardrails, Proposal } from '@bcon/decision';
import type { Store } from '@bcon/store';
import type { Authority, Channel, ExecuteApprovedResult } from './execute-approved.js';
import type { Target } from './target.js';

export interface RunProposalInput {
  store: Store;
  proposal: Proposal;
  /** the proposal's stored status (default pending: one made in this process and saved) */
  status?: string;
  /** the option to run; an intent runs all of its own and ignores this (default 1) */
  option?: number;
  actor: string;
  authority: Authority;
  target: Target;
  /** for the prohibited tier: two different approvers, each with a TOTP code */
  approvers?: Approver[];
  /** the guardrails as they are now (default: read from the proposal's repository) */
  guardrails?: Guardrails;
  verifyTimeoutMs?: number;
  onProgress?: (line: string) => void;
  exitOnSignal?: boolean;
  channel?: Channel;
}

/**
 * A stored proposal run through the one write path, whoever stands behind it: a person's approval (bcon approve, the
 * web chat, Slack), a person's confirmed request (intent --yes, deploy), or the reconciler. An intent runs all of its
 * options with its own steps under the lock (its compose file re-checked, committed before the first action, its
 * compose-only edits' tier); any other proposal runs the one option named. The tier allowed is the authority's
 * (executeApproved decides it under the lock).
 */
export async function runProposal(input: RunProposalInput): Promise<ExecuteApprovedResult> {
  const { proposal } = input;
  const { executeApproved } = await import('./execute-approved.js');
  const guardrails = input.guardrails ?? (await (await import('./guardrails.js')).currentGuardrails(proposal.repo ?? proposal.intent?.root));
  const steps = proposal.intent ? (await import('./intent.js')).intentSteps(proposal, input.store, input.actor) : undefined;
  return executeApproved({
    store: input.store,
    proposal,
    status: input.status ?? 'pending',
    options: proposal.intent ? proposal.options.map((o) => o.n) : [input.option ?? 1],
    actor: input.actor,
    approvers: input.approvers ?? [],
    authority: input.authority,
    target: input.target,
    guardrails,
    ...(input.verifyTimeoutMs ? { verifyTimeoutMs: input.verifyTimeoutMs } : {}),
    ...(steps ? { recheck: steps.recheck, beforeExecute: steps.beforeExecute, extraTier: steps.extraTier } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.exitOnSignal === false ? { exitOnSignal: false } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
  });
}
