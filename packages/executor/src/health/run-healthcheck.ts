// A container's healthcheck, run by bcon through the engine's exec API where the runtime does not run it (Podman
// without systemd: its checks are systemd timers, so State.Health stays "starting" forever), and the health gate
// the executor's verification and the deploy strategies wait on: the engine's own verdict where it moves, bcon's
// probes where it does not.
import type Docker from 'dockerode';
import { engineRuntime } from '@bcon/sensor';
import { PROBE_OUTPUT_BYTES, execIn, lastBytes } from '../docker/exec.js';

export { ExecOutput, PROBE_OUTPUT_BYTES, lastBytes } from '../docker/exec.js';

/** Docker's defaults for a healthcheck field left at 0. */
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;

/** A container's healthcheck as the engine stores it (Config.Healthcheck), with Docker's defaults filled in. */
export interface HealthcheckSpec {
  /** the command exec runs: CMD as given, CMD-SHELL through /bin/sh -c */
  cmd: string[];
  /** the test as written, for messages */
  test: string;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

type RawHealthcheck = { Test?: string[] | null; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number } | null | undefined;

const nsToMs = (ns: number | undefined, dflt: number) => (ns && ns > 0 ? Math.round(ns / 1e6) : dflt);

/**
 * The healthcheck of a container's Config.Healthcheck, or null when it has none: no Test, an empty Test, or
 * ["NONE"]. A Test that is neither CMD, CMD-SHELL nor NONE is an error (the engine would refuse it too).
 */
export function healthcheckOf(raw: RawHealthcheck): HealthcheckSpec | null {
  const test = raw?.Test ?? [];
  const [kind, ...rest] = test;
  if (!kind || kind === 'NONE') return null;
  let cmd: string[];
  if (kind === 'CMD') cmd = rest;
  else if (kind === 'CMD-SHELL') cmd = ['/bin/sh', '-c', rest.join(' ')];
  else throw new Error(`healthcheck test ${JSON.stringify(test)} is neither CMD, CMD-SHELL nor NONE`);
  if (cmd.length === 0 || cmd.every((a) => a === '')) return null;
  return {
    cmd,
    test: rest.join(' '),
    intervalMs: nsToMs(raw?.Interval, DEFAULT_INTERVAL_MS),
    timeoutMs: nsToMs(raw?.Timeout, DEFAULT_TIMEOUT_MS),
    retries: raw?.Retries && raw.Retries > 0 ? raw.Retries : DEFAULT_RETRIES,
    startPeriodMs: nsToMs(raw?.StartPeriod, 0),
  };
}

/** One probe's result. */
export interface ProbeResult {
  /** exit code 0 within the timeout */
  ok: boolean;
  /** the test's exit code; -1 when it did not end within the timeout (as Docker records it) */
  exitCode: number;
  /** stdout and stderr, trimmed, at most the last ~2 KB */
  output: string;
  durationMs: number;
  /** who ran it: bcon through exec, or the engine (its State.Health.Log) */
  source: 'bcon' | 'engine';
}

export interface RunHealthcheckOptions {
  /** overrides the healthcheck's own Timeout */
  timeoutMs?: number;
  /** the spec to run, when the caller has it already (else read from the container) */
  spec?: HealthcheckSpec;
}

/**
 * Run the container's healthcheck once through the engine's exec API (POST /containers/{id}/exec, then start,
 * the output demultiplexed, the exit code from the exec's inspect), bounded by its Timeout. A test that does not
 * end in time is a failure with exit code -1; its process is left to the container (the API cannot kill an exec).
 * Throws when the container has no healthcheck or the engine refuses the exec (e.g. the container is not running).
 */
export async function runHealthcheck(docker: Docker, containerId: string, opts: RunHealthcheckOptions = {}): Promise<ProbeResult> {
  const container = docker.getContainer(containerId);
  const spec = opts.spec ?? healthcheckOf((await container.inspect()).Config.Healthcheck as RawHealthcheck);
  if (!spec) throw new Error(`${containerId} has no healthcheck`);
  const timeoutMs = opts.timeoutMs ?? spec.timeoutMs;
  const started = Date.now();
  const r = await execIn(docker, containerId, spec.cmd, { timeoutMs, partialBytes: PROBE_OUTPUT_BYTES - 64 });
  if (r.timedOut) return { ok: false, exitCode: -1, output: `health check exceeded timeout (${timeoutMs / 1000} s)${r.partial ? `: ${r.partial}` : ''}`, durationMs: Date.now() - started, source: 'bcon' };
  return { ok: r.exitCode === 0, exitCode: r.exitCode, output: r.output, durationMs: Date.now() - started, source: 'bcon' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The health gate's answer. */
export interface HealthGateResult {
  /** healthy: passed; unhealthy: Retries failures in a row; timeout: neither within timeoutMs; none: no healthcheck; not_running: the container stopped or restarted */
  status: 'healthy' | 'unhealthy' | 'timeout' | 'none' | 'not_running';
  healthy: boolean;
  /** who judged: the engine's own health status, bcon's probes (the runtime does not run them), or nobody (no healthcheck) */
  source: 'engine' | 'bcon' | 'none';
  /** the probe that decided (the last one): for a failure, its exit code and output */
  probe?: ProbeResult;
  /** probes bcon ran */
  probes: number;
  /** one line for the executor's steps and the operator */
  reason: string;
}

export interface HealthGateOptions {
  /** how long to wait for a verdict */
  timeoutMs: number;
  /**
   * the Start (engine clock) of the last probe the engine logged before the action: only later probes count. An
   * unpause keeps the container's health status, which is stale (a paused container fails every probe): `unhealthy`
   * until a probe passes — healthy then; unhealthy only after the retries and one more have failed since.
   */
  afterProbe?: string;
}

/** Runtimes known not to run healthchecks on their own, per client (asked once: GET /version). */
const runsOwnChecks = new WeakMap<Docker, Promise<boolean>>();

function engineRunsHealthchecks(docker: Docker): Promise<boolean> {
  let known = runsOwnChecks.get(docker);
  if (!known) {
    // Podman runs healthchecks through systemd timers, which do not exist without systemd as PID 1 (and
    // which bcon cannot see through the API): on Podman bcon always runs the check itself
    known = docker.version().then(
      (v) => engineRuntime(v as { Components?: Array<{ Name: string }> }) !== 'Podman',
      () => true,
    );
    runsOwnChecks.set(docker, known);
  }
  return known;
}

type EngineLog = { Start?: string; End?: string; ExitCode?: number; Output?: string };

function engineProbe(log: EngineLog[] | null | undefined): ProbeResult | undefined {
  const last = log?.[log.length - 1];
  if (!last) return undefined;
  const ms = last.Start && last.End ? Date.parse(last.End) - Date.parse(last.Start) : NaN;
  const exitCode = last.ExitCode ?? -1;
  return { ok: exitCode === 0, exitCode, output: lastBytes((last.Output ?? '').trim(), PROBE_OUTPUT_BYTES), durationMs: Number.isFinite(ms) ? ms : 0, source: 'engine' };
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const said = (p: ProbeResult | undefined) => (p ? `exit code ${p.exitCode}${p.output ? `: ${p.output.split('\n').slice(-3).join(' | ')}` : ''}` : 'no probe yet');

/**
 * Wait until a running container's healthcheck says healthy or unhealthy, within `timeoutMs`.
 *
 * - No healthcheck (none, or Test ["NONE"]): `{ status: 'none', healthy: true, source: 'none' }` at once.
 * - Docker (the engine runs its checks): the engine's State.Health.Status decides; the probe reported is the last
 *   State.Health.Log entry (its ExitCode and Output), `source: 'engine'`.
 * - Podman (detected from /version), or an engine whose State.Health.Log is still empty one Interval + Timeout + 1 s
 *   after the container started: bcon runs the check itself through exec (runHealthcheck), `source: 'bcon'`, with
 *   the runtime's rules — a pass is healthy at once; a failure counts only after the StartPeriod (and after one
 *   Interval, when the engine would not have probed yet); Retries failures in a row are unhealthy; probes are one
 *   Interval apart. The failing probe's exit code and output are returned.
 * - The container stopping or restarting (StartedAt changes) during the wait: `not_running`.
 * - Neither verdict within `timeoutMs`: `timeout`, with the last probe.
 *
 * Never throws for a failing check; throws only when the engine cannot be asked at all (inspect fails).
 */
export async function healthGate(docker: Docker, containerId: string, opts: HealthGateOptions): Promise<HealthGateResult> {
  const deadline = Date.now() + opts.timeoutMs;
  const container = docker.getContainer(containerId);
  const first = await container.inspect();
  const spec = healthcheckOf(first.Config.Healthcheck as RawHealthcheck);
  if (!spec) return { status: 'none', healthy: true, source: 'none', probes: 0, reason: `${containerId} has no healthcheck` };
  const startedAt = first.State.StartedAt;
  const startedMs = Date.parse(startedAt) || Date.now();
  const notRunning = (state: Docker.ContainerInspectInfo['State'], probe?: ProbeResult, probes = 0, source: HealthGateResult['source'] = 'engine'): HealthGateResult => ({
    status: 'not_running',
    healthy: false,
    source,
    probes,
    ...(probe ? { probe } : {}),
    reason: `${containerId} ${state.Running ? 'restarted' : `stopped (${state.Status}, exit code ${state.ExitCode})`} while its health was checked`,
  });
  const gone = (s: Docker.ContainerInspectInfo['State']) => !s.Running || s.Restarting || s.StartedAt !== startedAt;

  // 1. the engine's own verdict, where it runs the checks and its log moves
  if (await engineRunsHealthchecks(docker)) {
    const fallbackAt = startedMs + spec.intervalMs + spec.timeoutMs + 1000;
    for (let info = first; ; info = await container.inspect()) {
      if (gone(info.State)) return notRunning(info.State, engineProbe(info.State.Health?.Log as EngineLog[]));
      const h = info.State.Health;
      const probe = engineProbe(h?.Log as EngineLog[]);
      if (opts.afterProbe !== undefined) {
        // after an unpause: healthy once a probe since passes; unhealthy only when the probes since have failed the
        // check's retries and one more (a probe caught in the pause ends, failed, after it: its Start is no help)
        const after = Date.parse(opts.afterProbe);
        const since = ((h?.Log as EngineLog[] | null | undefined) ?? []).filter((e) => e.Start !== undefined && Date.parse(e.Start) > after);
        const failedSince = since.filter((e) => (e.ExitCode ?? -1) !== 0).length;
        if (h?.Status === 'healthy' && since.some((e) => e.ExitCode === 0)) return { status: 'healthy', healthy: true, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} healthy` };
        if (failedSince >= Math.min(spec.retries + 1, 5) && since.slice(-spec.retries).every((e) => (e.ExitCode ?? -1) !== 0)) return { status: 'unhealthy', healthy: false, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} is unhealthy: its healthcheck (${spec.test}) failed ${times(failedSince)} since, the last with ${said(probe)}` };
        if (Date.now() > deadline) return { status: 'timeout', healthy: false, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} still ${h?.Status || 'without a health status'} after ${opts.timeoutMs / 1000} s (${since.length} probes since, last: ${said(probe)})` };
        await sleep(250);
        continue;
      }
      if (h?.Status === 'healthy') return { status: 'healthy', healthy: true, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} healthy` };
      if (h?.Status === 'unhealthy') return { status: 'unhealthy', healthy: false, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} is unhealthy: its healthcheck (${spec.test}) failed ${times(h.FailingStreak ?? spec.retries)}, the last with ${said(probe)}` };
      if (probe === undefined && Date.now() > fallbackAt) break; // the engine does not run it: bcon does
      if (Date.now() > deadline) return { status: 'timeout', healthy: false, source: 'engine', probes: 0, ...(probe ? { probe } : {}), reason: `${containerId} still ${h?.Status || 'without a health status'} after ${opts.timeoutMs / 1000} s (last probe: ${said(probe)})` };
      await sleep(250);
    }
  }

  // 2. bcon runs the check, with the runtime's rules
  const countFrom = startedMs + Math.max(spec.startPeriodMs, spec.intervalMs);
  let failures = 0;
  let probes = 0;
  let last: ProbeResult | undefined;
  for (;;) {
    const info = await container.inspect();
    if (gone(info.State)) return notRunning(info.State, last, probes, 'bcon');
    const left = deadline - Date.now();
    if (left <= 0) return { status: 'timeout', healthy: false, source: 'bcon', probes, ...(last ? { probe: last } : {}), reason: `${containerId}'s healthcheck (${spec.test}, run by bcon: the runtime does not run it) neither passed nor failed ${spec.retries} times within ${opts.timeoutMs / 1000} s (last probe: ${said(last)})` };
    const at = Date.now();
    try {
      last = await runHealthcheck(docker, containerId, { spec, timeoutMs: Math.min(spec.timeoutMs, Math.max(left, 1000)) });
    } catch (err) {
      const again = await container.inspect();
      if (gone(again.State)) return notRunning(again.State, last, probes, 'bcon');
      throw err;
    }
    probes++;
    if (last.ok) return { status: 'healthy', healthy: true, source: 'bcon', probes, probe: last, reason: `${containerId} healthy (healthcheck run by bcon: the runtime does not run it)` };
    if (at >= countFrom) failures++;
    if (failures >= spec.retries) {
      return { status: 'unhealthy', healthy: false, source: 'bcon', probes, probe: last, reason: `${containerId} is unhealthy: its healthcheck (${spec.test}, run by bcon: the runtime does not run it) failed ${times(failures)} in a row, the last with ${said(last)}` };
    }
    const next = Math.min(spec.intervalMs, Math.max(0, deadline - Date.now()));
    await sleep(Math.max(next, 0));
  }
}
