import type { ContainerFacts } from '@bcon/sensor';
import { SHORT_RUN_MS } from '@bcon/executor/short-run';
import type { FailedApply } from './failed-apply.js';

/**
 * A start or restart the executor verified as running, at a commit: kept until a later pass has seen whether it held.
 * The verify watches a start for a few seconds (the last run plus 2 s); on a busy host a process that dies the way it
 * died before (an OOM kill while it fills its heap) can take longer than that, and is then called a success.
 */
export interface StartedApply {
  /** the failed-apply key of the repair (a start and a restart share it) */
  key: string;
  commit: string;
  /** when the pass ran it (ISO) */
  at: string;
  /** the containers it started */
  containers: string[];
}

/** How far the host's clock may be from the reconciler's. */
const CLOCK_SKEW_MS = 60_000;
/** The longest a start's verify lasts (a health-check timeout, then the settle). */
const VERIFY_MAX_MS = 5 * 60_000;

/** How long after the pass's start a run its restart policy began still counts as that start, carried on. */
const ENGINE_RESTARTS_MS = 10 * 60_000;

/** A started record is forgotten after this long (a later pass that never judged the service again). */
const KEEP_MS = 60 * 60_000;

/**
 * The start of `started` did not hold when one of its containers is down again after a run shorter than SHORT_RUN_MS
 * (the engine's own start and finish times: no clock of ours against the host's). Returns the failed apply to remember
 * (with why) and whether the kernel killed it for memory, or undefined when it held, or cannot be told.
 */
export function unheldStart(started: StartedApply, containers: readonly ContainerFacts[]): { failed: FailedApply; oomKilled: boolean } | undefined {
  for (const name of started.containers) {
    const c = containers.find((x) => x.name === name);
    // (a container the engine is restarting is judged by its last run, finished: its times and its OOM kill are that run's)
    if (!c || c.state === 'running' || c.state === 'paused' || !c.startedAt || !c.finishedAt) continue;
    const ran = Date.parse(c.finishedAt) - Date.parse(c.startedAt);
    if (!(ran >= 0) || ran >= SHORT_RUN_MS) continue;
    // the run judged is the one the pass started: it began before the record (written once the verify was done) by
    // no more than a verify lasts, give or take the host's clock (a later start by hand is not the pass's) — or, for a
    // container its restart policy restarts, a run the engine started after it (the same start, carried on)
    const since = Date.parse(started.at) - Date.parse(c.startedAt);
    const thePass = since >= -CLOCK_SKEW_MS && since <= VERIFY_MAX_MS + CLOCK_SKEW_MS;
    if (!thePass && !(c.state === 'restarting' && since < 0 && since >= -ENGINE_RESTARTS_MS)) continue;
    const how = c.oomKilled ? 'OOM-killed' : `exit code ${c.exitCode}`;
    return { failed: { key: started.key, commit: started.commit, at: started.at, why: `it was verified running, then ${name} died again ${Math.round(ran / 1000)} s after that start (${how})` }, oomKilled: c.oomKilled };
  }
  return undefined;
}

/**
 * Whether `started` cannot be judged yet at `now`: a container of it runs, and its run (the pass's start, or a later
 * one its restart policy began) is younger than a short run (it may die yet: an OOM kill while it fills its heap). Such a record is kept for a later pass; any other is
 * judged once and forgotten.
 */
export function startUndecided(started: StartedApply, containers: readonly ContainerFacts[], now: number): boolean {
  // (its current run's start: the engine may have restarted it since the pass's; the host's start time, read against
  // ours, errs toward waiting)
  return containers.some((c) => started.containers.includes(c.name) && c.state === 'running' && now - Math.max(Date.parse(started.at), Date.parse(c.startedAt ?? '') || 0) < SHORT_RUN_MS);
}

/** The started records still worth keeping at `now`. */
export function keptStarts(started: readonly StartedApply[], now: number): StartedApply[] {
  return started.filter((s) => now - Date.parse(s.at) < KEEP_MS).slice(-200);
}
