// A limit the rules would change (a higher memory limit for an OOM kill a start did not cure, a CPU limit for a
// service held at it) is the committed files': set live, the next pass's drift repair would put the files' one back,
// and the pass after that would raise it again — a flip-flop until the breaker opens. So the reconciler proposes an
// intent instead: the compose file's limit changed, committed when a person approves, the containers updated with it.
// A change *to* what the files say (a limit cut by hand, put back) is drift repair itself and runs live.
import path from 'node:path';
import type { Proposal, ProposalOption } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import type { Target } from '../target.js';

export type LimitIntent = { proposal: Proposal; file: string; value: string } | { unavailable: string };

/** What a limit option sets, and what the committed files say for it (undefined: the service is not in them). */
export interface LimitAway {
  what: 'memory limit' | 'CPU limit';
  /** the files' value, said: `0.5 CPUs`, `48 MiB`, `none` */
  committed: string;
}

const saidCpus = (n: number | undefined) => (n ? `${Math.round(n * 100) / 100} CPUs` : 'none');
export const saidBytes = (n: number | undefined) => (n ? `${Math.round(n / 1048576)} MiB` : 'none');

/**
 * A `service.set_memory` or `service.set_cpus` option that would set a limit the committed files do not say — the
 * next pass's drift repair would set theirs back. Undefined for any other action, for a service the files do not
 * hold (no desired state: nothing sets it back), and for a change to what they say (drift repair itself).
 */
export function limitAwayFromFiles(option: Pick<ProposalOption, 'action' | 'params'>, spec: { memoryBytes?: number | undefined; nanoCpus?: number | undefined } | undefined): LimitAway | undefined {
  if (!spec) return undefined;
  const p = option.params as { memoryBytes?: unknown; cpus?: unknown };
  if (option.action === 'service.set_memory') {
    const wanted = Number(p.memoryBytes);
    if (!Number.isFinite(wanted) || wanted === (spec.memoryBytes ?? 0)) return undefined;
    return { what: 'memory limit', committed: saidBytes(spec.memoryBytes) };
  }
  if (option.action === 'service.set_cpus') {
    const wanted = Number(p.cpus);
    if (!Number.isFinite(wanted) || Math.round(wanted * 1e9) === (spec.nanoCpus ?? 0)) return undefined;
    return { what: 'CPU limit', committed: saidCpus(spec.nanoCpus ? spec.nanoCpus / 1e9 : undefined) };
  }
  return undefined;
}

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
 * The memory limit a raise sets: the option's, and at least twice what the files say (the container may run with
 * another limit than they do). Undefined when the option names none.
 */
export async function memoryRaiseBytes(option: Pick<ProposalOption, 'params'>, committed: number | undefined): Promise<number | undefined> {
  const wanted = Number((option.params as { memoryBytes?: unknown }).memoryBytes);
  if (!Number.isInteger(wanted) || wanted <= 0) return undefined;
  const { roundUpMemory } = await import('@bcon/decision');
  return Math.max(wanted, committed ? roundUpMemory(committed * 2) : 0);
}

/**
 * The intent proposal that sets `option`'s service limit (a `service.set_memory` or `service.set_cpus` option the
 * rules made) in the committed compose file: saved as pending, approvable with `bcon approve`. A memory raise is
 * `bytes` when given, else memoryRaiseBytes. Unavailable (with why)
 * when the file cannot be placed or edited, or already says so; nothing is written then.
 */
export async function limitIntentProposal(input: { store: Store; repo: string; target: Target; option: ProposalOption; containers: readonly ContainerFacts[]; because: string; committed?: { memoryBytes?: number | undefined; nanoCpus?: number | undefined } | undefined; bytes?: number }): Promise<LimitIntent> {
  const { option } = input;
  const params = option.params as { memoryBytes?: unknown; cpus?: unknown };
  let operation: { op: 'set_memory_limit'; service: string; bytes: number } | { op: 'set_cpu_limit'; service: string; cpus: number };
  let value: string;
  if (option.action === 'service.set_memory') {
    const bytes = input.bytes ?? (await memoryRaiseBytes(option, input.committed?.memoryBytes));
    if (bytes === undefined) return { unavailable: 'the option names no memory limit' };
    operation = { op: 'set_memory_limit', service: option.culprit, bytes };
    value = saidBytes(bytes);
  } else if (option.action === 'service.set_cpus') {
    const cpus = Number(params.cpus);
    if (!Number.isFinite(cpus) || cpus <= 0) return { unavailable: 'the option names no CPU limit' };
    operation = { op: 'set_cpu_limit', service: option.culprit, cpus };
    value = saidCpus(cpus);
  } else return { unavailable: `${option.action} is not a limit` };
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
  const what = operation.op === 'set_cpu_limit' ? 'CPU limit' : 'memory limit';
  const text = `${operation.op === 'set_cpu_limit' ? 'set' : 'raise'} the ${what} of ${option.culprit} to ${value} (${input.because})`;
  try {
    const plan = await planIntent(text, { repo: root, file: placed.file, operations: [operation] });
    if (plan.after === plan.before) return { unavailable: `${plan.file} already says so` };
    const { proposal } = await intentProposal({ store: input.store, plan, text, target: input.target, guardrails: await currentGuardrails(root) });
    return { proposal, file: plan.file, value };
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
export function oomUncured(c: { option: ProposalOption; proposal: Pick<Proposal, 'options'>; candidate: { service: string } }, failedAt: { at: string; why?: string } | undefined, breaker: 'open' | 'closed', containers: readonly ContainerFacts[]): OomUncured | undefined {
  if (c.option.cause !== 'oom_killed' || (c.option.action !== 'container.start' && c.option.action !== 'container.restart')) return undefined;
  if (!failedAt && breaker !== 'open') return undefined;
  // the last exit was an OOM kill (the engine sets the flag at each exit: a start that died otherwise clears it)
  if (!containers.some((x) => x.oomKilled && x.state !== 'running')) return undefined;
  const option = c.proposal.options.find((o) => o.action === 'service.set_memory');
  // a kill with no limit on the container (the host's OOM killer) is no limit to raise
  if (!option || !(Number((option.params as { previousBytes?: unknown }).previousBytes) > 0)) return undefined;
  const verb = c.option.action === 'container.start' ? 'start' : 'restart';
  // (a start and a restart are one repair in the failed-apply memory: the one that failed may have been either)
  return { option, because: failedAt ? `the start or restart at ${failedAt.at} did not cure the OOM kill of ${c.option.culprit} (${failedAt.why ?? 'it failed'})` : `the breaker opened on ${c.candidate.service}: each ${verb} ends in the same OOM kill` };
}
