import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bconHome } from '@bcon/store';
import { OpsError } from '../errors.js';
import type { FailedApply } from './failed-apply.js';
import type { StartedApply } from './held-start.js';
import type { PolicyState } from './policy/state.js';
import type { ProbingMemory } from './refused-nowhere.js';
import type { SweepRecord } from './sweep.js';

/** What the reconciler keeps between passes, in BCON_HOME/reconciler-state.json (0600). */
export interface ReconcilerState {
  /** backoff, budget and breaker */
  policy?: PolicyState;
  /** changes whose apply failed, by commit: never applied again automatically at that commit */
  failed: FailedApply[];
  /** starts and restarts verified as running, until a later pass has seen whether they held */
  started?: StartedApply[];
  /** the proposal made for each wanted change, so a pass does not propose (and notify) it again */
  proposals: Record<string, string>;
  /** when a memory raise's run ended, by its key (memory-raise.ts): only an exit after it is a run at the raised limit */
  raised?: Record<string, string>;
  /** what was reported (no catalog action answers it), by host|service: told once per commit while it lasts */
  reported?: Record<string, { commit: string | null; at: string; cause?: string; notified?: boolean }>;
  /** the ports each service was refused at over its current run, by host|service (refused-nowhere.ts: discovery) */
  probing?: Record<string, ProbingMemory>;
  /** the last sweep of each host (every service judged, the quiet ones too): what it found on those (`service|cause`), and what it reported (found by the sweep before too) */
  sweeps?: Record<string, SweepRecord>;
  /** the last pass, for `bcon reconciler status` */
  lastPass?: unknown;
}

export function reconcilerStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(bconHome(env), 'reconciler-state.json');
}

export function readReconcilerState(env: NodeJS.ProcessEnv = process.env): ReconcilerState {
  const file = reconcilerStatePath(env);
  if (!existsSync(file)) return { failed: [], proposals: {} };
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReconcilerState>;
    return { ...raw, failed: Array.isArray(raw.failed) ? raw.failed : [], proposals: raw.proposals && typeof raw.proposals === 'object' ? raw.proposals : {} };
  } catch (err) {
    throw new OpsError(`${file} is not valid JSON (${(err as Error).message}): move it aside to start afresh (open breakers and budgets are then forgotten)`, 'state_invalid');
  }
}

/** Written whole to a temporary file and renamed: a reconciler killed while writing leaves the previous state. */
export function writeReconcilerState(state: ReconcilerState, env: NodeJS.ProcessEnv = process.env): void {
  const file = reconcilerStatePath(env);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
