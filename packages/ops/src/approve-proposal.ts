import type { Approver, Proposal } from '@bcon/decision';
import type { Store } from '@bcon/store';
import { OpsError } from './errors.js';
import type { Channel, ExecuteApprovedResult } from './execute-approved.js';
import type { Target } from './target.js';
import type { TargetSelection } from './targets.js';

/** A stored proposal as a front-end shows it before asking which option to run. */
export interface StoredProposal {
  proposal: Proposal;
  /** pending, approved, rejected, expired … as stored */
  status: string;
}

/** Load a stored proposal by id; an unknown id is a clear refusal (code `unknown_proposal`). */
export async function loadProposal(store: Store, id: string): Promise<StoredProposal> {
  const { getProposal } = await import('@bcon/store');
  const stored = getProposal(store, id);
  if (!stored) throw new OpsError(`no proposal ${id}: see bcon proposals`, 'unknown_proposal');
  const { parseProposal } = await import('@bcon/decision');
  return { proposal: parseProposal(stored.body), status: stored.status };
}

export interface ApproveProposalInput {
  store: Store;
  /** the proposal id (p-…) */
  id: string;
  /** the option to run; ignored for an intent (it runs all of its options); required otherwise */
  option?: number | undefined;
  /** who approves (actorName() of the front-end's user: user/<login>, web/<name>, slack/<id> …) */
  actor: string;
  /** for a prohibited-tier option: two different approvers, each with a TOTP code */
  approvers?: Approver[];
  /** the front-end the approval came through, recorded in the audit entries */
  channel?: Channel;
  /** where bcon.yaml hosts and DOCKER_HOST come from (default: resolved from the process's cwd and env) */
  selection?: TargetSelection;
  verifyTimeoutMs?: number;
  onProgress?: (line: string) => void;
  /** default true (a CLI process); a server that must keep running passes false */
  exitOnSignal?: boolean;
}

export interface ApproveProposalResult {
  proposal: Proposal;
  /** the engine it ran on */
  target: Target;
  result: ExecuteApprovedResult;
  /** what `bcon approve --json` prints (the stable shape) */
  view: Record<string, unknown>;
}

/**
 * Approve one option of a stored proposal — the use-case `bcon approve`, the web UI and the Slack bot share. Loads
 * the proposal (unknown: `unknown_proposal`), picks the options (an intent runs all of its own; otherwise `option`,
 * else `no_option`), resolves the engine the proposal was made on (a bcon.yaml host of that name/address, else its
 * address; a selection that picked another engine is refused by executeApproved as `wrong_host`), reads the
 * guardrails as they are now, adds an intent's steps (commit, re-check), and runs it (runProposal) with authority
 * `person`: decided, expired, stale, locked, or a prohibited tier without two approvers' codes are refused there
 * (OpsError, audited). Returns the execution's result and its public JSON view; a failed or undone execution is a
 * result with `ok: false`, not an error.
 */
export async function approveProposal(input: ApproveProposalInput): Promise<ApproveProposalResult> {
  const { store } = input;
  const { proposal, status } = await loadProposal(store, input.id);
  if (!proposal.intent && input.option === undefined) throw new OpsError('name the option to run: --option N (see bcon proposals)', 'no_option');
  const target = await proposalTarget(proposal, input.selection);
  const { runProposal } = await import('./run-proposal.js');
  const result = await runProposal({
    store,
    proposal,
    status,
    ...(input.option !== undefined ? { option: input.option } : {}),
    actor: input.actor,
    approvers: input.approvers ?? [],
    authority: 'person',
    target,
    ...(input.verifyTimeoutMs ? { verifyTimeoutMs: input.verifyTimeoutMs } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.exitOnSignal === false ? { exitOnSignal: false } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
  });
  return { proposal, target, result, view: approvalView(proposal, result) };
}

/** The engine a proposal runs on: the picked one (executeApproved refuses it when it is not the proposal's), else the proposal's own. */
async function proposalTarget(proposal: Proposal, given: TargetSelection | undefined): Promise<Target> {
  const { oneTarget, resolveTargets } = await import('./targets.js');
  const sel = given ?? (await resolveTargets({ cwd: process.cwd(), env: process.env }));
  if (sel.picked) return sel.picked;
  const made = proposal.host;
  if (!made) return oneTarget(sel, 'bcon approve');
  const key = made.name ?? made.address;
  return sel.configured.find((t) => t.name === key || t.address === key) ?? { ...made, env: { ...sel.env, DOCKER_HOST: made.address } };
}

/** The stable JSON of an approval (`bcon approve --json`). */
export function approvalView(proposal: Proposal, result: ExecuteApprovedResult): Record<string, unknown> {
  const host = proposal.host ? { host: proposal.host } : {};
  if (proposal.intent) return { proposal: proposal.id, ...host, approval: result.approval, tier: result.tier, ...result.prepared, applied: result.results, status: result.ok ? 'succeeded' : 'failed' };
  const first = result.results[0];
  return { proposal: proposal.id, ...host, option: first?.option, action: first?.action, params: first?.params, approval: result.approval, tier: result.tier, status: first?.status, steps: first?.steps, state: first?.state };
}
