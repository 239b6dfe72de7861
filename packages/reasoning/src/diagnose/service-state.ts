import type { ContainerFacts } from '@bcon/sensor';
import { isCompletedJob } from '../status/assess.js';
import type { AnalyzerContext } from './finding.js';
import { DependencyGraph } from './graph.js';
import { complaintTopics } from './complaint.js';
import { quantile } from './log-digest.js';
import type { LogTarget } from './log-patterns.js';
import { slowRoute } from './slow-route.js';
import type { ServiceSignals } from './signals.js';

/**
 * A service with no running container: none created, all exited, restarting between attempts, or frozen (`docker
 * pause`: the engine calls it up and it holds its ports, but its processes do not run — callers hang, not refused).
 */
export function isDown(s: ServiceSignals): boolean {
  return !s.containers.some((c) => c.state === 'running');
}

/** Every container of the service is paused (frozen by `docker pause`): down, with an unpause as its repair. */
export function isFrozen(s: ServiceSignals): boolean {
  return s.containers.length > 0 && s.containers.every((c) => c.state === 'paused');
}

/**
 * The stop and kill requests that left container `c` where it is: those after its last start. A restart — `docker
 * restart`, a restart policy after a kill, or bcon's own `container.restart` — leaves kill and stop events followed
 * by a start; those stops did not stick, and a container that died after them died by itself. Events come in the
 * engine's order, so a stop and a start in the same millisecond are still told apart.
 */
export function stopsAsked(s: Pick<ServiceSignals, 'events'>, c: Pick<ContainerFacts, 'id'>): ServiceSignals['events'] {
  const mine = s.events.filter((e) => e.containerId === c.id);
  let lastStart = -1;
  mine.forEach((e, i) => {
    if (e.action === 'start' || e.action === 'restart') lastStart = i;
  });
  const after = mine.slice(lastStart + 1);
  return after.filter((e, i) => e.action === 'stop' || (e.action === 'kill' && (endsIt(e.attributes['signal']) || after.slice(i + 1).some((d) => d.action === 'die' && d.at - e.at <= KILL_TO_DIE_MS && diedOf(d.exitCode, e.attributes['signal'])))));
}

/** Signal numbers by name (Linux), for the ones a person sends to a running program. */
const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, WINCH: 28 };

/** A kill event's signal as a number: Docker names it by number, Podman by name (`SIGHUP`, `HUP`); undefined when unknown. */
function signalNumber(signal: string): number | undefined {
  const name = signal.toUpperCase().replace(/^SIG/, '');
  return /^\d+$/.test(name) ? Number(name) : SIGNALS[name];
}

/**
 * A death the signal caused: exit 128 + its number (the shell's and the engine's way of saying "killed by"). A
 * program that handled the signal and then failed by itself (a reload into a bad configuration, exit 1) was not
 * stopped by it.
 */
function diedOf(exitCode: number | undefined, signal: string | undefined): boolean {
  if (exitCode === undefined || exitCode <= 128) return false;
  const n = signalNumber(signal ?? '');
  return n === undefined || exitCode === 128 + n;
}

/** How soon after a signal a death is the signal's doing. */
const KILL_TO_DIE_MS = 10_000;

/** The engine's stop signals: KILL, TERM, INT, QUIT. */
const STOPPING = new Set([SIGNALS['KILL'], SIGNALS['TERM'], SIGNALS['INT'], SIGNALS['QUIT']]);

/**
 * A signal asked to end the container: KILL, TERM, INT, QUIT, or none named. Others — `docker kill -s HUP` to reload
 * a configuration, USR1 to reopen logs, WINCH — leave it running when its program handles them, and are a stop only
 * when a death followed.
 */
function endsIt(signal: string | undefined): boolean {
  if (signal === undefined || signal === '') return true;
  return STOPPING.has(signalNumber(signal));
}

/**
 * A job that finished by itself, on positive evidence only (a stop and a finish both leave exit 0 behind):
 * - it exited 0 under a policy that does not restart it (no, on-failure), not OOM-killed, with no replica of its
 *   service still running (replicas run the same command: one that ended while its peers go on was stopped), no stop
 *   or kill asked through the engine in the events read, and
 * - the committed files declare it a job (another service waits for it with `condition:
 *   service_completed_successfully`), or the engine reported its end (`die`) on a runtime that reports a stop asked
 *   through it (Docker sends `kill` and `stop`; Podman's Docker API sends neither, so there a `die` alone proves
 *   nothing) for a container that is not server-like (no healthcheck, no published port) with no `docker exec` just
 *   before, or bcon saw that earlier (`finishedBefore`: the engine keeps few events).
 * With no such evidence it is a stopped service, as before.
 */
export function finishedJob(s: ServiceSignals, c: ContainerFacts, ctx: Pick<AnalyzerContext, 'signals'>): boolean {
  if (!isCompletedJob(c) || s.containers.some((r) => r !== c && (r.state === 'running' || r.state === 'paused'))) return false;
  const mine = s.events.filter((e) => e.containerId === c.id);
  if (stopsAsked(s, c).length) return false;
  if ((s.spec?.completionAwaitedBy ?? []).length > 0) return true;
  if (s.finishedBefore?.includes(c.id)) return true;
  // a die proves a finish only for what looks like a job: a server (a healthcheck, a published port) stopped from
  // inside (`docker exec db pg_ctl stop`, `nginx -s quit`) also exits 0 with no kill or stop asked; nor after a
  // command run in the container just before (a person's `docker exec`)
  const hc = c.config.healthcheck?.test;
  if ((hc !== undefined && hc.length > 0 && hc[0] !== 'NONE') || c.portBindings.length > 0) return false;
  const execBefore = (at: number) => mine.some((e) => e.action.startsWith('exec_') && e.at <= at && at - e.at <= 60_000);
  return ctx.signals.runtime === 'Docker' && mine.some((e) => e.action === 'die' && e.exitCode === 0 && !execBefore(e.at));
}

/** Every container of the service is a job that finished by itself (a service with none is not). */
export function allFinished(s: ServiceSignals, ctx: Pick<AnalyzerContext, 'signals'>): boolean {
  return s.containers.length > 0 && s.containers.every((c) => finishedJob(s, c, ctx));
}

/** How long after its last crash a container that came back is still between two crashes. */
const FLAP_MS = 120_000;

/** A container running again this long (or longer than its recent runs) is not looping now. */
const HELD_MS = 10_000;

/** The longest time between two of its recent deaths (ms), 0 with fewer than two. */
function longestGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, (sorted[i] as number) - (sorted[i - 1] as number));
  return gap;
}

/**
 * Whether a running container has held since it came back: running for at least 10 s and longer than twice the
 * longest time between its recent deaths — what it went through is history, not a loop it is caught in.
 */
export function heldSinceDeaths(c: Pick<ContainerFacts, 'state' | 'startedAt'>, deaths: readonly number[], now: number): boolean {
  return c.state === 'running' && c.startedAt !== undefined && now - Date.parse(c.startedAt) >= Math.max(HELD_MS, 2 * longestGap(deaths));
}

/**
 * A container that crashed and was restarted in the last two minutes, and has not held since: between two crashes it
 * may be caught running. One restart it has run on from (a deliberate restart, an update) is not that.
 */
export function isFlapping(s: ServiceSignals, c: ContainerFacts, now: number): boolean {
  if (c.restartCount < 1) return false;
  const deaths = s.events.filter((e) => e.containerId === c.id && e.action === 'die').map((e) => e.at);
  return deaths.some((at) => now - at <= FLAP_MS) && !heldSinceDeaths(c, deaths, now);
}

/**
 * A service that cannot answer now: down, or every container that runs keeps crashing and coming back. A job that
 * finished serves nothing: it is not unavailable, and cannot be what refused a connection.
 */
export function isUnavailable(s: ServiceSignals, ctx: Pick<AnalyzerContext, 'signals' | 'now'>): boolean {
  if (isDown(s)) return !allFinished(s, ctx);
  return betweenCrashes(s, ctx.now);
}

/** A service caught running between two crashes: it runs, and every running container crashed and came back lately. */
export function betweenCrashes(s: ServiceSignals, now: number): boolean {
  const up = s.containers.filter((c) => c.state === 'running');
  return up.length > 0 && up.every((c) => isFlapping(s, c, now));
}

/** The direct dependencies of a service that cannot answer now. */
export function unavailableDependencies(from: string, ctx: AnalyzerContext): ServiceSignals[] {
  return ctx.graph
    .dependenciesOf(from)
    .map((e) => ctx.service(e.to))
    .filter((d): d is ServiceSignals => d !== undefined && isUnavailable(d, ctx));
}

/**
 * The service an address that refused (or could not be reached by) `from` belongs to: its owner by name, or by a
 * port only one service listens on. Else, when the address is a loopback or IP address (or the line names none)
 * and no service that runs is known to listen there, the one dependency of `from` that cannot answer: a service
 * that is down listens on nothing, and the port it would listen on is often written only in its callers' settings.
 * A host name that is no service of the stack is somewhere else: undefined.
 */
export function refusedBy(from: string, target: LogTarget | undefined, ctx: AnalyzerContext): string | undefined {
  const host = target?.host;
  const port = target?.port;
  if (host !== undefined || port !== undefined) {
    const owner = ctx.graph.addressOwner(from, host, port);
    if (owner) return owner;
    if (!DependencyGraph.isAddressLiteral(host)) return undefined;
  }
  const down = unavailableDependencies(from, ctx).map((d) => d.name);
  const listening = port !== undefined ? ctx.graph.listeners(from, port) : [];
  const candidates = listening.length ? down.filter((d) => listening.includes(d)) : down;
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A service showing trouble of its own: errors in its logs, restarts, a failed health, or a container down. */
export function isTroubled(s: ServiceSignals, ctx: AnalyzerContext): boolean {
  return (ctx.digests.get(s.name)?.errors ?? 0) > 0 || troubledInEngine(s);
}

/**
 * Whether a service has run on, sound, since a moment (a failure it logged then): every container running, none
 * unhealthy, each started before it — a restart earlier (an update, a crash since mended) does not count. With no
 * moment known, whether it has never been troubled in the engine.
 */
export function runsOnSince(s: ServiceSignals, at: number | undefined): boolean {
  if (!s.containers.length || s.containers.some((c) => c.state !== 'running' || c.health.status === 'unhealthy')) return false;
  if (at === undefined) return !troubledInEngine(s);
  return s.containers.every((c) => c.startedAt !== undefined && Date.parse(c.startedAt) <= at);
}

/** What the engine shows of trouble, logs aside: a container not running, restarted or unhealthy, or a death. */
export function troubledInEngine(s: ServiceSignals): boolean {
  return s.containers.some((c) => c.state !== 'running' || c.restartCount > 0 || c.health.status === 'unhealthy') || s.events.some((e) => e.action === 'die');
}

export interface Slowness {
  /** median latency now, ms */
  now: number;
  /** what is usual, ms, and where that figure comes from */
  usual: number | undefined;
  usualFrom: 'baseline' | 'earlier logs' | 'other routes' | undefined;
  p95: number;
  samples: number;
  /** slow on this route only (`POST /login`), beside the service's other requests */
  route?: string;
}

/** A median latency that rose from a usual one: at least 3× and 150 ms more. */
export function risenFrom(nowMs: number, usualMs: number): boolean {
  return nowMs >= usualMs * 3 && nowMs - usualMs >= 150;
}

/**
 * Request latency now against the usual: the stored baseline when there is one, else the earlier part of the
 * same log window. Slow = the median is at least 3× the usual and 150 ms more; with no usual figure, a median over
 * one second.
 */
export function slowness(s: ServiceSignals, ctx: AnalyzerContext): (Slowness & { slow: boolean }) | undefined {
  const lat = ctx.digests.get(s.name)?.latency;
  if (!lat || lat.recent.length < 3) return undefined;
  const now = quantile(lat.recent, 0.5) as number;
  const p95 = quantile(lat.recent, 0.95) as number;
  const fromBaseline = s.baseline?.latencyP50Ms;
  const fromEarlier = quantile(lat.earlier, 0.5);
  const usual = fromBaseline ?? fromEarlier;
  const usualFrom = fromBaseline !== undefined ? 'baseline' : fromEarlier !== undefined ? 'earlier logs' : undefined;
  const slow = usual !== undefined ? risenFrom(now, usual) : now >= 1000;
  if (!slow) {
    // one route slow beside the others, on the service a person says is slow (never by itself: a report or an
    // export may be slow by nature, and nobody asked)
    const route = s.name === ctx.signals.target && complaintTopics(ctx.signals.complaint).has('slow') ? slowRoute(lat.byRoute, complaintWords(ctx.signals.complaint)) : undefined;
    if (route) return { now: route.now, usual: route.others, usualFrom: 'other routes', p95: route.p95, samples: route.samples, slow: true, route: route.route };
  }
  return { now, usual, usualFrom, p95, samples: lat.recent.length, slow };
}

/** The words of a complaint, lower case, four letters or more: what a route's path may name. */
function complaintWords(complaint: string | undefined): string[] {
  return (complaint ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4);
}
