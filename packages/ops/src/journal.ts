import { ownerState } from './process-identity.js';
import type { ExecutionRow, Store } from '@bcon/store';
import { audit } from './audit.js';
import { OpsError } from './errors.js';
import type { Target } from './target.js';

/** Is the process that owns a journal entry (or a lock) still running it? An owner on another machine counts as alive. */
export function ownerAlive(owner: { host: string; pid: number; startedAt: number } | null): boolean {
  return ownerState(owner) !== 'gone';
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
    const state = u.status === 'started' ? ownerState(u.owner) : 'gone';
    if (state === 'alive') continue;
    if (state === 'unknown') {
      out.push({ ...u, summary: `execution #${u.id} (${u.action} on ${u.target}${u.host ? ` at ${u.host}` : ''}) was started on another machine (${u.owner?.host}) at ${new Date(u.startedAt).toISOString()} and has not finished; if that process is gone: bcon journal resolve ${u.id} --force --finish|--undo` });
      continue;
    }
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
export async function resolveInterruptedExecution(input: { store: Store; id: number; mode: 'finish' | 'undo'; actor: string; target: Target; verifyTimeoutMs?: number; force?: boolean; exitOnSignal?: boolean }): Promise<{ id: number; mode: 'finish' | 'undo'; status: string; steps: string[]; state: string }> {
  const { store } = input;
  await interruptedExecutions(store);
  const { getExecution, journalFinish } = await import('@bcon/store');
  const row = getExecution(store, input.id);
  if (!row) throw new OpsError(`no execution #${input.id} in the journal (bcon journal lists them)`, 'unknown_execution');
  // it ran on one engine: finishing or undoing it anywhere else would change the wrong host
  if (row.host && row.host !== input.target.name && row.host !== input.target.address) {
    throw new OpsError(`execution #${row.id} ran on ${row.host}, but this command points at ${input.target.name ?? input.target.address}: drop --host/DOCKER_HOST (or point at ${row.host})`, 'wrong_host');
  }
  if (row.status === 'started' && input.force && ownerState(row.owner) === 'unknown') {
    // started on another machine, whose process bcon cannot see: a person says it is gone
    const { journalMarkInterrupted } = await import('@bcon/store');
    journalMarkInterrupted(store, row.id, `interrupted: marked by ${input.actor} (its process was on ${row.owner?.host})`);
    row.status = 'interrupted';
  }
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
  const { STOP_SIGNALS } = await import('./execute-approved.js');
  const onSignal = (signal: NodeJS.Signals) => {
    void releaseOwnLock(docker, input.actor, owner)
      .catch(() => undefined)
      .finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
  };
  const signals = input.exitOnSignal === false ? [] : STOP_SIGNALS;
  for (const s of signals) process.once(s, onSignal);
  try {
    const r = await resolveInterrupted(docker, action, input.mode, { verifyTimeoutMs: input.verifyTimeoutMs ?? 30_000 });
    const status = r.status === 'succeeded' ? (input.mode === 'undo' ? 'undone' : 'finished') : 'failed';
    journalFinish(store, row.id, status, `${input.mode}: ${r.state}`);
    audit(store, { actor: input.actor, action: `${row.action}.${input.mode}`, target: row.target, approval: 'explicit', result: r.status === 'succeeded' ? 'success' : r.status, context: { proposal: row.proposalId, execution: row.id, host: row.host ?? undefined, state: r.state, steps: r.steps } });
    return { id: row.id, mode: input.mode, status, steps: r.steps, state: r.state };
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    if (lock.acquired) await releaseOwnLock(docker, input.actor, owner).catch(() => undefined);
  }
}

/** A journal entry as it may be printed: the action's secret values masked. */
export async function publicExecution<T extends { actionJson: string | null }>(row: T): Promise<Omit<T, 'actionJson'> & { params?: Record<string, unknown> }> {
  const { actionJson, ...rest } = row;
  if (!actionJson) return rest;
  try {
    const { parseAction } = await import('@bcon/decision');
    const { publicParams } = await import('./execute-approved.js');
    return { ...rest, params: await publicParams(parseAction(JSON.parse(actionJson))) };
  } catch {
    return rest;
  }
}
