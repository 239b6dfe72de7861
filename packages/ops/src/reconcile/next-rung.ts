import type { Proposal, ProposalOption } from '@bcon/decision';
import type { CandidateAction } from './policy/decide.js';

/** What the next rung reads and rewrites of a pass's candidate. */
export interface Rung {
  host: string;
  option: ProposalOption;
  proposal: Proposal;
  candidate: CandidateAction;
  /** why a fresh container would fail too (whyFreshFails): the rung is not climbed */
  freshFailed?: string | undefined;
}

/**
 * Causes a fresh container may clear where a start did not: a process that cannot boot again in the filesystem its
 * last run left (a restart keeps the container's own filesystem). A failing healthcheck is not one: its restart
 * failing is a proposal, as before.
 */
const RECREATE_CLEARS = new Set(['crash_loop']);

/**
 * The next rung after a start or restart that failed at this commit (verified not to hold): a re-create from the same
 * configuration, when the rules offered one for the same cause — what a restart keeps in the container's own
 * filesystem (a stale pid or lock file) is gone in a fresh container, as with every restart Kubernetes makes. Only
 * for a crash loop, and once: a re-create that failed too leaves the proposal to a person — and not at all when a fresh
 * container already failed the same way (`freshFailed`: its first run died at once, as a bad setting makes it).
 */
export function nextRung<C extends Rung>(c: C, failedHere: (c: C) => unknown): C {
  if ((c.option.action !== 'container.start' && c.option.action !== 'container.restart') || !RECREATE_CLEARS.has(c.option.cause) || !failedHere(c)) return c;
  // a fresh container is what its first run had: no rung to climb
  if (c.freshFailed) return { ...c, candidate: { ...c.candidate, reasons: [`no re-create: ${c.freshFailed}`, ...c.candidate.reasons] } };
  const next = c.proposal.options.find((o) => o.action === 'service.recreate' && o.culprit === c.option.culprit && o.cause === c.option.cause);
  if (!next) return c;
  const container = String((next.params as { container?: unknown }).container);
  const rung: C = {
    ...c,
    option: { ...next, n: 1 },
    proposal: { ...c.proposal, options: [{ ...next, n: 1 }, ...c.proposal.options.filter((o) => o !== next).map((o, i) => ({ ...o, n: i + 2 }))] },
    candidate: {
      ...c.candidate,
      actionType: next.action,
      tier: next.tier,
      containerKey: `${c.host}/${container}`,
      reasons: [`${c.option.summary} did not hold at this commit: the next rung is a fresh container from the same configuration (what a restart keeps in the container's own filesystem is gone)`, ...next.reasons, ...c.candidate.reasons.filter((r) => r.startsWith('desired state at commit'))],
    },
  };
  return failedHere(rung) ? c : rung;
}
