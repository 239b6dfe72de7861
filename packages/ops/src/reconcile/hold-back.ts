import type { ProposalOption } from '@bcon/decision';
import { OPTION_CONFIDENCE_FLOOR } from '@bcon/decision';

/** Repairs that move a service to its committed state: they may fix what the leading hypothesis names, so they stand. */
const TOWARD_COMMIT = new Set(['replica_drift', 'image_drift', 'config_drift']);

/**
 * Causes whose fix is in the service's files, its image or the host: a restart runs the same command with the same
 * settings against the same disk and ports, and fails the same way. Network causes are not here (connection_refused,
 * a dependency down or slow): the other end may be back, and a restart is how the service reconnects.
 */
const NOT_FIXED_BY_RESTART = new Set(['bad_command', 'missing_config', 'permission_denied', 'port_conflict', 'disk_full', 'dns_failure']);

/** Causes whose restart is held while every container of the service runs and passes its own healthcheck. */
const HELD_WHEN_PASSING = new Set(['dependency_down', 'stopped_service', 'disk_full']);

const pct = (x: number | undefined) => (x === undefined ? 'not among the hypotheses' : `${Math.round(x * 100)}%`);

/**
 * `passing` names the services every container of which runs and passes its own healthcheck (healthy): an option
 * there that answers only errors in the logs is held too.
 *
 * A restart does not fix a command, a file or the host. When a service's leading hypothesis is one no catalog action
 * answers (bad_command, missing_config, dns_failure, …) and its best option answers only a weaker hypothesis (the
 * crash loop the bad command causes), the option is taken out of `byCulprit` — the service is reported instead — and
 * the reason is returned by culprit. Repairs toward the committed state stay (a new commit may be the fix).
 *
 * One exception: a full disk passes — an export deleted, logs rotated, a person freed space — and a container that
 * gave up on it (exited: no policy, or its retries spent while the disk was full) is not re-tried by anything. Its
 * start (one: verified, and a start that failed is never retried at the same commit) is how to learn whether the
 * disk has room again; `stopped` names such containers. One that the engine keeps restarting re-tries by itself.
 * The same for a taken port that passes — a trial container run by hand that ended, an old process stopped — when
 * no running service bcon sees is known to listen where the culprit does (`portFree` names such services).
 *
 * A refused connection is a network cause a restart may answer (a stuck client reconnects to a dependency that came
 * back) — but not when the address it is refused at is one no running service of the stack listens on (`refusedAt`,
 * by culprit: its own setting names a port nothing serves): the restarted service is refused there again.
 */
export function holdBackUnanswered(
  hypotheses: ReadonlyArray<{ cause: string; culprit: string; confidence: number }>,
  options: ReadonlyArray<ProposalOption>,
  byCulprit: Map<string, ProposalOption>,
  stopped: ReadonlySet<string> = new Set(),
  passing: ReadonlySet<string> = new Set(),
  portFree: ReadonlySet<string> = new Set(),
  refusedAt: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const held = new Map<string, string>();
  for (const [culprit, o] of byCulprit) {
    if (TOWARD_COMMIT.has(o.cause)) continue;
    // said to be down while every container of it runs and passes its own healthcheck: the engine says otherwise —
    // a restart would take a service that serves down; a full tmpfs of its own there: it serves by its own test, and
    // a restart would lose what the tmpfs holds (sessions) for a write that may not matter
    if (HELD_WHEN_PASSING.has(o.cause) && o.action === 'container.restart' && passing.has(culprit)) {
      byCulprit.delete(culprit);
      held.set(culprit, `${o.summary} answers ${o.cause}${o.cause === 'disk_full' ? ' (a full tmpfs of its own)' : ''}, but every container of ${culprit} runs and passes its own healthcheck: reported, not restarted`);
      continue;
    }
    // errors in the logs of a service whose own healthcheck passes: it serves by its own test, and what the lines
    // say is for people to read — a restart would only guess
    if (o.cause === 'log_error_spike' && passing.has(culprit)) {
      byCulprit.delete(culprit);
      held.set(culprit, `${o.summary} answers only the errors in its logs (log_error_spike), and every container of ${culprit} runs and passes its own healthcheck: reported, not restarted`);
      continue;
    }
    const mine = hypotheses.filter((h) => h.culprit === culprit && h.confidence >= OPTION_CONFIDENCE_FLOOR).sort((a, b) => b.confidence - a.confidence);
    // a restart answering only errors in the logs, of a service that also shows a cause no restart fixes (a lead even:
    // a name it cannot resolve) — the errors may be that cause's lines: a restart would only guess
    const unfixed = o.cause === 'log_error_spike' ? mine.find((h) => NOT_FIXED_BY_RESTART.has(h.cause)) : undefined;
    if (unfixed) {
      byCulprit.delete(culprit);
      held.set(culprit, `${o.summary} answers only the errors in its logs (log_error_spike), and ${culprit} also shows ${unfixed.cause} (${pct(unfixed.confidence)}), which no restart fixes: not run`);
      continue;
    }
    const lead = mine[0];
    const nowhere = lead?.cause === 'connection_refused' ? refusedAt.get(culprit) : undefined;
    if (!lead || !(NOT_FIXED_BY_RESTART.has(lead.cause) || nowhere) || lead.cause === o.cause || options.some((x) => x.culprit === culprit && x.cause === lead.cause)) continue;
    const gaveUp = o.action === 'container.start' && stopped.has(String((o.params as { container?: unknown }).container));
    if (gaveUp && (lead.cause === 'disk_full' || (lead.cause === 'port_conflict' && portFree.has(culprit)))) continue;
    const answers = mine.find((h) => h.cause === o.cause);
    if (answers && answers.confidence >= lead.confidence) continue;
    byCulprit.delete(culprit);
    held.set(
      culprit,
      nowhere
        ? `${o.summary} answers only ${o.cause} (${pct(answers?.confidence)}); the leading hypothesis, ${lead.cause} (${pct(lead.confidence)}), is at ${nowhere}, where no service of the stack listens: started or restarted, it is refused there again (its setting, or what should listen, needs a person): not run`
        : `${o.summary} answers only ${o.cause} (${pct(answers?.confidence)}); the leading hypothesis, ${lead.cause} (${pct(lead.confidence)}), is not one a catalog action answers: not run`,
    );
  }
  return held;
}
