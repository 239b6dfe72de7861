// An OOM kill the reconciler's own start did not cure is answered by a higher memory limit — and the limit is the
// committed files': set live, the next pass's drift repair would put the old one back. So the reconciler proposes an
// intent: the compose file's limit raised, committed when a person approves, the containers updated with it. The
// next pass, at the new commit, starts the service again by itself.
import path from 'node:path';
import type { Proposal, ProposalOption } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import type { Target } from '../target.js';

export type MemoryIntent = { proposal: Proposal; file: string; bytes: number } | { unavailable: string };

/** The compose file the service's containers were made from, inside the repository, or why there is none to edit. */
export function composeFileOf(containers: readonly ContainerFacts[], root: string): { file: string } | { unavailable: string } {
  const c = containers.find((x) => x.compose?.workingDir);
  const files = c?.compose?.configFiles ?? [];
  if (!c?.compose?.workingDir || files.length === 0) return { unavailable: 'its containers do not name the compose file they were made from' };
  if (files.length > 1) return { unavailable: `its containers were made from ${files.length} compose files (a later one may override a limit set in another)` };
  const abs = path.resolve(c.compose.workingDir, files[0] as string);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return { unavailable: `its compose file ${abs} is not inside the repository ${root}` };
  return { file: abs };
}

/**
 * The intent proposal that raises `option`'s service memory limit (a `service.set_memory` option the rules made) in
 * the committed compose file: saved as pending, approvable with `bcon approve`. Unavailable (with why) when the file
 * cannot be placed or edited; nothing is written then.
 */
export async function memoryIntentProposal(input: { store: Store; repo: string; target: Target; option: ProposalOption; containers: readonly ContainerFacts[]; because: string; committedBytes?: number | undefined }): Promise<MemoryIntent> {
  const { option } = input;
  if (option.action !== 'service.set_memory') return { unavailable: `${option.action} is not a memory limit` };
  const wanted = Number((option.params as { memoryBytes?: unknown }).memoryBytes);
  if (!Number.isInteger(wanted) || wanted <= 0) return { unavailable: 'the option names no memory limit' };
  // a raise of what the files say, also when the container runs with another limit than they do
  const { roundUpMemory } = await import('@bcon/decision');
  const bytes = Math.max(wanted, input.committedBytes ? roundUpMemory(input.committedBytes * 2) : 0);
  const { findRepositoryRoot } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(input.repo);
  } catch {
    return { unavailable: `no git repository at ${input.repo}` };
  }
  const placed = composeFileOf(input.containers, root);
  if ('unavailable' in placed) return placed;
  const { planIntent, intentProposal } = await import('../intent.js');
  const { currentGuardrails } = await import('../guardrails.js');
  const text = `raise the memory limit of ${option.culprit} to ${Math.round(bytes / 1048576)} MiB (${input.because})`;
  try {
    const plan = await planIntent(text, { repo: root, file: placed.file, operations: [{ op: 'set_memory_limit', service: option.culprit, bytes }] });
    if (plan.after === plan.before) return { unavailable: `${plan.file} already says so` };
    const { proposal } = await intentProposal({ store: input.store, plan, text, target: input.target, guardrails: await currentGuardrails(root) });
    return { proposal, file: plan.file, bytes };
  } catch (err) {
    return { unavailable: (err as Error).message.split('\n')[0] as string };
  }
}

export interface OomUncured {
  /** the rules' memory-limit option for the service */
  option: ProposalOption;
  because: string;
}

/**
 * An OOM-killed service the reconciler's own start or restart did not cure: that action failed at this commit, or
 * the breaker opened on it repeating. Its answer is the rules' memory-limit option, not the same action again.
 */
export function oomUncured(c: { option: ProposalOption; proposal: Pick<Proposal, 'options'>; candidate: { service: string } }, failedAt: { at: string } | undefined, breaker: 'open' | 'closed', containers: readonly ContainerFacts[]): OomUncured | undefined {
  if (c.option.cause !== 'oom_killed' || (c.option.action !== 'container.start' && c.option.action !== 'container.restart')) return undefined;
  if (!failedAt && breaker !== 'open') return undefined;
  // the last exit was an OOM kill (the engine sets the flag at each exit: a start that died otherwise clears it)
  if (!containers.some((x) => x.oomKilled && x.state !== 'running')) return undefined;
  const option = c.proposal.options.find((o) => o.action === 'service.set_memory');
  // a kill with no limit on the container (the host's OOM killer) is no limit to raise
  if (!option || !(Number((option.params as { previousBytes?: unknown }).previousBytes) > 0)) return undefined;
  const verb = c.option.action === 'container.start' ? 'start' : 'restart';
  // (a start and a restart are one repair in the failed-apply memory: the one that failed may have been either)
  return { option, because: failedAt ? `the start or restart at ${failedAt.at} did not cure the OOM kill of ${c.option.culprit} (it failed)` : `the breaker opened on ${c.candidate.service}: each ${verb} ends in the same OOM kill` };
}
