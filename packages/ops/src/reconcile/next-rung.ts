import type { Proposal, ProposalOption } from '@bcon/decision';
import type { ContainerFacts, EngineEventFact } from '@bcon/sensor';
import type { CandidateAction } from './policy/decide.js';

/** What the next rung reads and rewrites of a pass's candidate. */
export interface Rung {
  host: string;
  option: ProposalOption;
  proposal: Proposal;
  candidate: CandidateAction;
  /** why a fresh container would fail too (firstRunFailed): the rung is not climbed */
  freshFailed?: string | undefined;
}

/** A run shorter than this is one that died at once (the reconciler's short-run bound). */
const SHORT_RUN_MS = 30_000;

/**
 * Why a re-create cannot help a container, if the engine's events show it: its very first run — in the fresh
 * filesystem a re-create would give it again — died as soon as the later ones (every run shorter than 30 s, the first
 * no longer than the longest later one plus 2 s, at least two runs since it was created). A bad value in its settings
 * does that; a stale file a run left behind does not (the first run lasted longer). Unknown — undefined — when the
 * events do not reach back to its making (an older container, or the engine's events rolled over) or it died once.
 */
export function firstRunFailed(container: Pick<ContainerFacts, 'id' | 'createdAt'>, events: readonly Pick<EngineEventFact, 'at' | 'action' | 'containerId' | 'exitCode'>[]): string | undefined {
  const created = Date.parse(container.createdAt);
  if (!Number.isFinite(created)) return undefined;
  const mine = events.filter((e) => e.containerId === container.id && (e.action === 'start' || e.action === 'die' || e.action === 'create')).sort((a, b) => a.at - b.at);
  // the events must reach back to its making (the engine keeps few), and its first start follow it
  const made = mine.findIndex((e) => e.action === 'create');
  if (made < 0 || Math.abs(mine[made]!.at - created) > 2_000) return undefined;
  const runs: number[] = [];
  let startedAt: number | undefined;
  for (const e of mine.slice(made + 1)) {
    if (e.action === 'start') startedAt = e.at;
    else if (e.action === 'die' && startedAt !== undefined) {
      runs.push(e.at - startedAt);
      startedAt = undefined;
    }
  }
  // the first run no longer than the later ones (a run that served a while, then left a stale file, is longer)
  if (runs.length < 2 || runs.some((ms) => ms >= SHORT_RUN_MS) || runs[0]! > Math.max(...runs.slice(1)) + 2_000) return undefined;
  const first = mine.slice(made + 1).find((e) => e.action === 'die');
  return `a fresh container from the same configuration failed the same way: its first run died after ${(runs[0]! / 1000).toFixed(1)} s${first?.exitCode !== undefined && first.exitCode !== null ? ` (exit code ${first.exitCode})` : ''}, and none of its ${runs.length} runs lasted 30 s`;
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
