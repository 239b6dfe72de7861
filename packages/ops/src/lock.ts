import { hostname } from 'node:os';
import type { HostLock } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { audit } from './audit.js';
import { OpsError } from './errors.js';
import { ownerAlive } from './journal.js';
import type { Target } from './target.js';
import { targetLabel } from './target.js';

export interface LockView {
  lock: HostLock | null;
  /** why the lock is stale (its lease ran out, its process is gone); absent while it is live */
  stale?: string;
}

/** A lock as bcon shows it: with `stale` when its lease ran out or the process that took it is gone. */
export async function viewLock(lock: HostLock | undefined): Promise<LockView> {
  if (!lock) return { lock: null };
  const { lockStaleness } = await import('@bcon/sensor');
  const stale = lockStaleness(lock, Date.now(), { hostname: hostname(), pidAlive: (pid) => ownerAlive(lock.owner ? { ...lock.owner, pid } : null) });
  return { lock, ...(stale ? { stale } : {}) };
}

export async function lockStatus(target: Target): Promise<LockView> {
  const { dockerFromEnv, readLock } = await import('@bcon/executor');
  return viewLock(await readLock(dockerFromEnv(target.env)));
}

/** Take the lock by hand (no owning process: it lasts until released, broken, or its lease runs out). */
export async function acquireHostLock(store: Store, target: Target, actor: string, message: string, leaseMs: number): Promise<HostLock> {
  const { acquireLock, dockerFromEnv } = await import('@bcon/executor');
  const r = await acquireLock(dockerFromEnv(target.env), actor, message, { leaseMs });
  const where = targetLabel(target);
  if (!r.ok) {
    const v = await viewLock(r.lock);
    throw new OpsError(`${where} is locked by ${r.lock.holder} since ${r.lock.since}${r.lock.message ? ` (${r.lock.message})` : ''}${v.stale ? `; it is stale (${v.stale}): bcon lock break --reason TEXT` : ': ask them, or wait'}`, 'locked', 1);
  }
  audit(store, { actor, action: 'lock.acquire', target: where, approval: 'none', result: 'success', context: { reason: message, expires: r.lock.expiresAt } });
  return r.lock;
}

export async function releaseHostLock(store: Store, target: Target, actor: string, force: boolean): Promise<HostLock | undefined> {
  const { dockerFromEnv, releaseLock } = await import('@bcon/executor');
  const where = targetLabel(target);
  const docker = dockerFromEnv(target.env);
  // a lock an execution holds (it has an owning process) is not released by name: that process gives it back
  const { readLock } = await import('@bcon/executor');
  const view = await viewLock(await readLock(docker));
  if (view.lock?.owner && !view.stale && !force) {
    throw new OpsError(`the lock on ${where} is held by a running execution (pid ${view.lock.owner.pid} on ${view.lock.owner.host}, since ${view.lock.since}): it gives it back when done; --force releases it anyway`, 'lock_in_use', 1);
  }
  const r = await releaseLock(docker, actor, force);
  if (!r.ok) throw new OpsError(`${where} is locked by ${r.lock.holder} since ${r.lock.since}, not by ${actor}: only they may release it (or --force; a stale lock: bcon lock break)`, 'locked', 1);
  if (r.released) audit(store, { actor, action: r.released.holder === actor ? 'lock.release' : 'lock.force_release', target: where, approval: 'none', result: 'success', context: { reason: `held by ${r.released.holder} since ${r.released.since}` } });
  return r.released;
}

/**
 * Break a lock whose lease ran out or whose process is gone, with a reason (audited). A live lock is refused unless
 * forced (also audited): the person holding it may be in the middle of something.
 */
export async function breakHostLock(store: Store, target: Target, actor: string, reason: string, force: boolean): Promise<{ broken: HostLock; stale?: string }> {
  if (!reason.trim()) throw new OpsError('say why the lock is broken: --reason TEXT (it goes into the audit log)', 'needs_reason');
  const { breakLock, dockerFromEnv, readLock } = await import('@bcon/executor');
  const docker = dockerFromEnv(target.env);
  const where = targetLabel(target);
  const view = await viewLock(await readLock(docker));
  if (!view.lock) throw new OpsError(`${where} is not locked`, 'not_locked', 1);
  if (!view.stale && !force) throw new OpsError(`the lock on ${where} is live (held by ${view.lock.holder} since ${view.lock.since}, lease until ${view.lock.expiresAt ?? 'released'}): ask them, or add --force`, 'lock_live', 1);
  if (!(await breakLock(docker, view.lock))) throw new OpsError(`the lock on ${where} changed meanwhile: look again (bcon lock status)`, 'lock_changed', 1);
  audit(store, { actor, action: 'lock.break', target: where, approval: 'none', result: 'success', context: { reason, holder: view.lock.holder, since: view.lock.since, stale: view.stale ?? 'no (forced)' } });
  return { broken: view.lock, ...(view.stale ? { stale: view.stale } : {}) };
}
