import { endpointFromEnv } from '@bcon/sensor';
import { driftChanges, printable } from '@bcon/reasoning';
import type { DriftReport } from '@bcon/reasoning';
import type { DriftOptions } from './drift.js';
import { collectDrift } from './drift.js';
import { lastDrift, rememberDrift } from './drift-history.js';
import { createLogger } from './log.js';

/** The engine's address for the history when no check has succeeded yet (DOCKER_HOST may itself be the problem). */
function engineAddress(env: NodeJS.ProcessEnv): string {
  try {
    return endpointFromEnv(env).address;
  } catch {
    return env['DOCKER_HOST'] ?? '';
  }
}

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `bcon drift --watch`: check every interval, store every report, print only changes. An engine that restarts or
 * is briefly unreachable (or a compose file that stops parsing) is reported once and the loop keeps going.
 * Ends on SIGINT/SIGTERM. With `label` (a bcon.yaml host, when several are watched at once), each line starts with
 * `[label]` and each JSON event has `host`.
 */
export async function watchDrift(options: DriftOptions, settings: { intervalMs: number; json: boolean; label?: string }): Promise<void> {
  const log = await createLogger();
  const out = (line: string, event: object) =>
    process.stdout.write(settings.json ? `${JSON.stringify(settings.label ? { host: settings.label, ...event } : event)}\n` : `${settings.label ? `[${settings.label}] ` : ''}${line}\n`);
  let previous: DriftReport | undefined;
  let scope: { engine: string; repo: string } | undefined;
  let lastError: string | undefined;
  let first = true;
  let stop: (() => void) | undefined;
  let stopping = false;
  const onSignal = () => {
    stopping = true;
    stop?.();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (!settings.json && !settings.label) process.stderr.write(`watching drift every ${Math.round(settings.intervalMs / 1000)} s; Ctrl-C to stop\n`);
  try {
    while (!stopping) {
      try {
        const run = await collectDrift(options);
        scope = { engine: run.engine, repo: run.repo };
        if (first) previous = await lastDrift(run);
        await rememberDrift(run, { report: run.report }, log);
        const { appeared, resolved } = driftChanges(previous, run.report);
        const r = run.report;
        if (lastError !== undefined) out(`${stamp()} checking again: the engine and the repository can be read`, { timestamp: stamp(), event: 'recovered' });
        if (first || lastError !== undefined || appeared.length || resolved.length) {
          out(`${r.timestamp} ${r.status} ${r.projects.join(', ')} at ${r.source}: ${driftTally(r)}`, { timestamp: r.timestamp, event: 'status', status: r.status });
        }
        for (const i of appeared) out(`  + drift: ${printable(i.summary)}`, { timestamp: r.timestamp, event: 'drift', key: i.key, summary: i.summary });
        for (const i of resolved) out(`  - resolved: ${printable(i.summary)}`, { timestamp: r.timestamp, event: 'resolved', key: i.key, summary: i.summary });
        previous = run.report;
        lastError = undefined;
      } catch (err) {
        const message = (err as Error).message;
        if (message !== lastError) {
          const engine = scope?.engine ?? engineAddress(options.env ?? process.env);
          await rememberDrift({ engine, repo: scope?.repo ?? options.repo }, { error: message, source: previous?.source ?? options.ref }, log);
        }
        if (message !== lastError) out(`${stamp()} could not check: ${printable(message)} (will try again)`, { timestamp: stamp(), event: 'error', message });
        if ((err as { exitCode?: number }).exitCode === undefined) log.warn({ err }, 'unexpected error while watching');
        lastError = message;
      }
      first = false;
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, settings.intervalMs);
        stop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function driftTally(r: DriftReport): string {
  const parts = [`${r.differences.length} difference${r.differences.length === 1 ? '' : 's'}`];
  if (r.untracked.length) parts.push(`${r.untracked.length} untracked`);
  if (r.orphans.length) parts.push(`${r.orphans.length} orphan${r.orphans.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}
