import type { ContainerFacts } from './containers.js';

/** Docker's defaults for a healthcheck interval or timeout left at 0. */
const DEFAULT_NS = 30e9;
/** Slack on top of one Interval + Timeout before a missing probe means the runtime does not run the check. */
const GRACE_MS = 5_000;

/**
 * Podman runs healthchecks with systemd timers: without systemd (as PID 1, or for a service started outside it) no
 * probe ever runs, and the health it reports ("starting" forever, or the result of the last manual `podman
 * healthcheck run`) is stale. A running container with a healthcheck whose last probe (or start, when none was
 * logged) is older than one Interval + Timeout + 5 s reads as `not_run`: its health is not known, and bcon says so
 * instead of reporting it. Docker runs its checks itself: its containers are left as they are.
 */
export function markHealthNotRun(c: ContainerFacts, runtime: 'Docker' | 'Podman', now: number): ContainerFacts {
  const hc = c.config.healthcheck;
  if (runtime !== 'Podman' || c.state !== 'running' || c.health.status === 'none' || !hc?.test?.length || hc.test[0] === 'NONE') return c;
  const last = c.health.log.at(-1);
  const since = Date.parse(last?.end ?? c.startedAt ?? '');
  if (!Number.isFinite(since)) return c;
  const everyMs = ((hc.intervalNs || DEFAULT_NS) + (hc.timeoutNs || DEFAULT_NS)) / 1e6 + GRACE_MS;
  return now - since > everyMs ? { ...c, health: { ...c.health, status: 'not_run' } } : c;
}
