import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ExecutionRow, Store } from '@bcon/store';
import { audit } from './audit.js';
import { OpsError } from './errors.js';
import type { Target } from './target.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a process started (its /proc entry's time), to tell a reused pid from the owner. */
export function pidStartedAt(pid: number): number | undefined {
  const dir = `/proc/${pid}`;
  return existsSync(dir) ? statSync(dir).ctimeMs : undefined;
}

/** Is the process that owns a journal entry (or a lock) still running it? Unknown owners (other machines) count as alive. */
export function ownerAlive(owner: { host: string; pid: number; startedAt: number } | null): boolean {
  if (!owner) return false;
  if (owner.host !== hostname()) return true;
  if (!pidAlive(owner.pid)) return false;
  const started = pidStartedAt(owner.pid);
  return started === undefined || started <= owner.startedAt + 1000;
}

export interface InterruptedExecution extends ExecutionRow {
  /** what the journal says, in words */
  summary: string;
}

/**
 * Executions that never finished because their process is gone (killed, crashed): marked `interrupted` once and
 * audited once, and returned with what is known, so every later command can say so. An execution whose owner is
 * still running (a concurrent approve) is left alone: it is not interrupted.
 */
export function reviewUnfinished(store: Store, unfinished: readonly ExecutionRow[], journalMarkInterrupted: (store: Store, id: number, detail: string) => boolean): InterruptedExecution[] {
  const out: InterruptedExecution[] = [];
  for (const u of unfinished) {
    if (u.status === 'started' && ownerAlive(u.owner)) continue;
    if (u.status === 'started') {
      const detail = `interrupted: its process (${u.owner ? `pid ${u.owner.pid} on ${u.owner.host}` : 'unknown'}) is gone; finish or undo it with bcon journal resolve ${u.id}`;
      if (journalMarkInterrupted(store, u.id, detail)) {
        audit(store, { actor: 'bcon', action: `${u.action}.interrupted`, target: u.target, approval: 'none', result: 'unknown', context: { proposal: u.proposalId, execution: u.id, host: u.host ?? undefined, reason: 'the execution never finished (its process is gone)' } });
      }
    }
    out.push({ ...u, status: 'interrupted', summary: `execution #${u.id} (${u.action} on ${u.target}${u.host ? ` at ${u.host}` : ''}, proposal ${u.proposalId}) started at ${new Date(u.startedAt).toISOString()} and never finished` });
  }
  return out;
}

/** Interrupted executions now (marking newly found ones): what every write command reports first. */
export async function interruptedExecutions(store: Store): Promise<InterruptedExecution[]> {
  const { journalMarkInterrupted, unfinishedExecutions } = await import('@bcon/store');
  return reviewUnfinished(store, unfinishedExecutions(store), journalMarkInterrupted);
}

/** What an interrupted execution left on its host, read from the engine. */
export async function describeInterrupted(row: ExecutionRow, target: Target): Promise<string> {
  if (!row.actionJson) return 'the journal entry has no action recorded (made by an older bcon): check the target by hand';
  const { parseAction } = await import('@bcon/decision');
  const { dockerFromEnv, interruptedState } = await import('@bcon/executor');
  return interruptedState(dockerFromEnv(target.env), parseAction(JSON.parse(row.actionJson)));
}

/**
 * Finish or undo an interrupted execution, under the host's lock, journaled and audited like any execution.
 */
export async function resolveInterruptedExecution(input: { store: Store; id: number; mode: 'finish' | 'undo'; actor: string; target: Target; verifyTimeoutMs?: number }): Promise<{ id: number; mode: 'finish' | 'undo'; status: string; steps: string[]; state: string }> {
  const { store } = input;
  await interruptedExecutions(store);
  const { getExecution, journalFinish } = await import('@bcon/store');
  const row = getExecution(store, input.id);
  if (!row) throw new OpsError(`no execution #${input.id} in the journal (bcon journal lists them)`, 'unknown_execution');
  if (row.status !== 'interrupted') throw new OpsError(`execution #${row.id} is ${row.status === 'started' ? 'still running (its process is alive)' : row.status}: only an interrupted execution can be finished or undone`, 'not_interrupted');
  if (!row.actionJson) throw new OpsError(`execution #${row.id} has no action recorded (made by an older bcon): check ${row.target} by hand`, 'no_action');
  const { parseAction } = await import('@bcon/decision');
  const action = parseAction(JSON.parse(row.actionJson));
  const { acquireLock, dockerFromEnv, releaseOwnLock, resolveInterrupted } = await import('@bcon/executor');
  const { thisProcess } = await import('./actor.js');
  const docker = dockerFromEnv(input.target.env);
  const owner = thisProcess();
  const lock = await acquireLock(docker, input.actor, `bcon journal resolve ${row.id} --${input.mode}`, { leaseMs: 10 * 60_000, owner });
  if (!lock.ok) throw new OpsError(`the host is locked by ${lock.lock.holder} since ${lock.lock.since}: nothing was done`, 'locked');
  try {
    const r = await resolveInterrupted(docker, action, input.mode, { verifyTimeoutMs: input.verifyTimeoutMs ?? 30_000 });
    const status = r.status === 'succeeded' ? (input.mode === 'undo' ? 'undone' : 'finished') : 'failed';
    journalFinish(store, row.id, status, `${input.mode}: ${r.state}`);
    audit(store, { actor: input.actor, action: `${row.action}.${input.mode}`, target: row.target, approval: 'explicit', result: r.status === 'succeeded' ? 'success' : r.status, context: { proposal: row.proposalId, execution: row.id, host: row.host ?? undefined, state: r.state, steps: r.steps } });
    return { id: row.id, mode: input.mode, status, steps: r.steps, state: r.state };
  } finally {
    if (lock.acquired) await releaseOwnLock(docker, input.actor, owner).catch(() => undefined);
  }
}
