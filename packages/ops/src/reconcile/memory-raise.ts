// A memory limit raised by the reconciler itself, within a ceiling the user set (bcon.yaml reconcile.memory_ceiling):
// the issue's "scale up within configured limits", vertically — like a VPA's maxAllowed. Only for an OOM kill at the
// service's own committed limit that a start or restart does not cure (or that its restart policy already answers),
// and only as a commit to the compose file (limit-intent.ts): the desired state stays the repository's, so the next
// pass's drift repair keeps the new limit instead of setting the old one back. Off unless a ceiling is set.
import type { Proposal } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import type { StoredProposal } from '@bcon/store';
import { saidBytes as said } from './limit-intent.js';
import type { BreakerOpen, CircuitBreaker } from './policy/breaker.js';

/** How far the reconciler raises by itself: to the wanted limit, at most the ceiling; or why it does not. */
export type MemoryRaise = { bytes: number; capped: boolean; why: string } | { refused: string };

/**
 * The limit the reconciler may commit by itself for a service OOM-killed at its committed limit: what the rules want
 * (`wantedBytes`: twice the limit, or a configured heap with room), capped at `ceilingBytes`. Refused (with why, for
 * the proposal a person gets instead) with no ceiling, with a checkout that follows its remote (a commit of its own
 * would stop the fast-forward), with no committed limit, with a container running at another limit than the
 * committed one (`liveBytes`), or with the committed limit at or over the ceiling.
 */
export function raiseWithinCeiling(input: { ceilingBytes: number; committedBytes: number | undefined; liveBytes: number | undefined; wantedBytes: number; pull: boolean }): MemoryRaise {
  const { ceilingBytes, committedBytes, wantedBytes } = input;
  if (!ceilingBytes) return { refused: 'reconcile.memory_ceiling is not set: bcon raises no limit by itself (set it to let it commit a raise up to that ceiling)' };
  if (input.pull) return { refused: 'reconcile.pull is on: a commit of the reconciler\'s own would stop the checkout following its remote, so the raise is for a person to commit' };
  if (!committedBytes) return { refused: 'the committed files set no memory limit for it: there is no limit of theirs to raise' };
  // killed at another limit than the files' (set by hand): putting the files' one back is drift repair's, not a raise
  if (input.liveBytes !== committedBytes) return { refused: `it runs with ${input.liveBytes ? `a limit of ${said(input.liveBytes)}` : 'no limit'}, not the committed ${said(committedBytes)}: the kill was not at the committed limit` };
  if (committedBytes >= ceilingBytes) return { refused: `its committed limit ${said(committedBytes)} is at or above reconcile.memory_ceiling (${said(ceilingBytes)}): a higher one is for a person to decide` };
  if (!(wantedBytes > committedBytes)) return { refused: `the limit the rules want (${said(wantedBytes)}) is no raise of the committed ${said(committedBytes)}` };
  const capped = wantedBytes > ceilingBytes;
  const bytes = capped ? ceilingBytes : wantedBytes;
  return { bytes, capped, why: `raised within reconcile.memory_ceiling (${said(ceilingBytes)}): ${said(committedBytes)} → ${said(bytes)}${capped ? ` (the rules wanted ${said(wantedBytes)}; capped at the ceiling)` : ''}` };
}

/**
 * The breaker as a raise sees it: one opened by a repeated start or restart (each ending in the same OOM kill) is
 * what the raise answers, so it does not hold it back; one opened by repeated raises does.
 */
export function breakerForRaise(breaker: Pick<CircuitBreaker, 'isOpen' | 'describe' | 'opened'>, action: string): Pick<CircuitBreaker, 'isOpen' | 'describe'> {
  const held = (scope: string): BreakerOpen | undefined => {
    const o = breaker.opened(scope);
    return o && o.action === action ? o : undefined;
  };
  return { isOpen: (scope) => held(scope) !== undefined, describe: (scope) => (held(scope) ? breaker.describe(scope) : undefined) };
}

/**
 * Whether a container of the service exited after `at` (ms): after a raise, an exit is the only sign that a run at
 * the new limit failed (the engine's OOM flag can lose the race with the exit: not required). Until one, no second
 * raise — a service whose start is held (an open breaker) would otherwise be raised pass after pass with no run.
 */
export function killedSince(containers: readonly Pick<ContainerFacts, 'finishedAt'>[], at: number): boolean {
  return containers.some((c) => c.finishedAt !== undefined && Date.parse(c.finishedAt) > at);
}

/**
 * When the limits of a service's containers last changed (the engine's `update` event: `docker update` by a person, or
 * bcon putting the committed limit back or raising it), within the events read; undefined when none is seen.
 */
export function limitsChangedAt(service: { events: ReadonlyArray<{ at: number; action: string; containerId: string }>; containers: readonly Pick<ContainerFacts, 'id'>[] }): number | undefined {
  const ids = new Set(service.containers.map((c) => c.id));
  const at = service.events.filter((e) => e.action === 'update' && ids.has(e.containerId)).map((e) => e.at);
  return at.length ? Math.max(...at) : undefined;
}

/**
 * A raise proposal that waits (made by a pass whose run was refused under the lock), for the same limit and not
 * expired: run instead of making another. Undefined otherwise.
 */
export function pendingRaise(stored: StoredProposal | undefined, bytes: number, now: number): { proposal: Proposal; file: string; value: string } | undefined {
  if (!stored || stored.status !== 'pending' || stored.expiresAt <= now) return undefined;
  const p = stored.body as Proposal;
  const op = p.intent?.operations[0];
  if (!p.intent || p.intent.operations.length !== 1 || op?.op !== 'set_memory_limit' || op.bytes !== bytes) return undefined;
  return { proposal: p, file: p.intent.file, value: said(bytes) };
}
