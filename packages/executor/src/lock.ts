import type Docker from 'dockerode';
import type { HostLock, LockOwner } from '@bcon/sensor';
import { LOCK_NAME, lockLabels, lockOfLabels } from '@bcon/sensor';

export type { HostLock, LockOwner };
export { LOCK_NAME };

/** Who holds the lock on this engine, if anyone. */
export async function readLock(docker: Docker): Promise<HostLock | undefined> {
  try {
    const info = await docker.getContainer(LOCK_NAME).inspect();
    // the container under the lock's name is the lock, whatever its labels say
    return lockOfLabels(info.Config.Labels, info.Created) ?? { holder: 'unknown', since: info.Created, message: '' };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

export type AcquireResult =
  /** `acquired`: this call took it (give it back when done); false: the holder already held it */
  | { ok: true; acquired: boolean; lock: HostLock }
  | { ok: false; lock: HostLock };

/**
 * Take the lock (like Kamal's lock directory, but on the engine itself, so it works the same over SSH with nothing
 * installed): creating a container under one name is atomic, so two operators cannot both get it. It carries an
 * owner (host, pid, start) and a lease: a lock whose lease ran out or whose process is gone shows as stale and can
 * be broken (breakLock), never silently taken over. Returns the current holder when someone else has it; a lock the
 * holder already holds is left as it is (`acquired: false`).
 */
export async function acquireLock(docker: Docker, holder: string, message: string, options: { leaseMs: number; owner?: LockOwner }): Promise<AcquireResult> {
  const held = await readLock(docker);
  if (held) {
    // the holder's own lock taken by hand (no owning process) is theirs to act under; a lock held by another running
    // execution is not, even under the same name: two executions never run on one host at once
    const mine = held.holder === holder && (!held.owner || (options.owner !== undefined && held.owner.pid === options.owner.pid && held.owner.host === options.owner.host));
    return mine ? { ok: true, acquired: false, lock: held } : { ok: false, lock: held };
  }
  const images = await docker.listImages();
  const image = images.find((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))?.RepoTags?.[0] ?? images[0]?.Id;
  if (!image) throw new Error('this engine has no image to hold the lock container with (it is created, never started)');
  const now = Date.now();
  const lock: HostLock = { holder, since: new Date(now).toISOString(), message, ...(options.owner ? { owner: options.owner } : {}), expiresAt: new Date(now + options.leaseMs).toISOString() };
  try {
    await docker.createContainer({ name: LOCK_NAME, Image: image, Cmd: ['bcon-lock'], Labels: lockLabels(lock), HostConfig: { NetworkMode: 'none' } });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 409) {
      const now = await readLock(docker);
      if (now) return { ok: false, lock: now };
    }
    throw err;
  }
  return { ok: true, acquired: true, lock };
}

/** Give the lock back; only its holder may, unless forced. */
export async function releaseLock(docker: Docker, holder: string, force = false): Promise<{ ok: true; released: HostLock | undefined } | { ok: false; lock: HostLock }> {
  const held = await readLock(docker);
  if (!held) return { ok: true, released: undefined };
  if (held.holder !== holder && !force) return { ok: false, lock: held };
  await docker.getContainer(LOCK_NAME).remove({ force: true });
  return { ok: true, released: held };
}

/**
 * Give back the lock this process took (same holder and owner pid): never removes a lock someone took after ours
 * was broken. Safe to call from a signal handler or a finally block.
 */
export async function releaseOwnLock(docker: Docker, holder: string, owner: LockOwner): Promise<boolean> {
  const held = await readLock(docker).catch(() => undefined);
  if (!held || held.holder !== holder || held.owner?.pid !== owner.pid || held.owner.host !== owner.host || held.owner.startedAt !== owner.startedAt) return false;
  await docker.getContainer(LOCK_NAME).remove({ force: true });
  return true;
}

/** Remove the lock whatever holds it, but only the one that was read (same holder and since): returns what was removed. */
export async function breakLock(docker: Docker, expected: HostLock): Promise<boolean> {
  const held = await readLock(docker);
  if (!held || held.holder !== expected.holder || held.since !== expected.since) return false;
  await docker.getContainer(LOCK_NAME).remove({ force: true });
  return true;
}
