import type { ProposalOption } from '@bcon/decision';

/** What the failed-apply memory reads of a pass's candidate. */
export interface Applied {
  host: string;
  option: Pick<ProposalOption, 'action' | 'params'>;
  candidate: { service: string };
}

/** A change whose apply failed at a commit (the reconciler's state file keeps the last 200). */
export interface FailedApply {
  key: string;
  commit: string;
  at: string;
  /** how it failed, when it is not the executor's own result (a start that was verified, then did not hold) */
  why?: string;
}

/**
 * Actions that are one repair: a start and a restart of the same container both give it a fresh process in the same
 * container and filesystem. One of them failing at a commit stops the other, or a restart of a crash loop that did not
 * hold would be followed by a start of the exited container it left: the same repair again, with no person asked.
 */
const FAMILY: Record<string, string> = { 'container.restart': 'container.start' };

/** The change as its proposals know it: host, service, action and parameters (a swarm spec's version left out). */
export function applyKey(c: Applied, action: string = c.option.action): string {
  // (a swarm action's spec version is not part of what was decided: it changes with every update, a failed one too)
  return `${c.host}|${c.candidate.service}|${action}|${JSON.stringify({ ...c.option.params, version: undefined })}`;
}

/** The key a failed apply is remembered by: the repair's family, so a start and a restart share it. */
export function failedApplyKey(c: Applied): string {
  return applyKey(c, FAMILY[c.option.action] ?? c.option.action);
}

/** The failed apply of this change, or of one in its family, at this commit (none without a commit). */
export function failedAt(failed: readonly FailedApply[], c: Applied, commit: string | null | undefined): FailedApply | undefined {
  if (!commit) return undefined;
  const keys = new Set([failedApplyKey(c), applyKey(c)]);
  return failed.find((f) => f.commit === commit && keys.has(f.key));
}
