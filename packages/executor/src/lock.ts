import type Docker from 'dockerode';
import type { HostLock } from '@bcon/sensor';
import { LOCK_LABELS as LABELS, LOCK_NAME, lockOfLabels } from '@bcon/sensor';

export type { HostLock };
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

/**
 * Take the lock (like Kamal's lock directory, but on the engine itself, so it works the same over SSH with nothing
 * installed): creating a container under one name is atomic, so two operators cannot both get it. Returns the
 * current holder when someone else has it; taking a lock one already holds is a no-op.
 */
export async function acquireLock(docker: Docker, holder: string, message: string): Promise<{ ok: true; lock: HostLock } | { ok: false; lock: HostLock }> {
  const held = await readLock(docker);
  if (held) return held.holder === holder ? { ok: true, lock: held } : { ok: false, lock: held };
  const images = await docker.listImages();
  const image = images.find((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))?.RepoTags?.[0] ?? images[0]?.Id;
  if (!image) throw new Error('this engine has no image to hold the lock container with (it is created, never started)');
  const lock: HostLock = { holder, since: new Date().toISOString(), message };
  try {
    await docker.createContainer({ name: LOCK_NAME, Image: image, Cmd: ['bcon-lock'], Labels: { [LABELS.holder]: holder, [LABELS.since]: lock.since, [LABELS.message]: message }, HostConfig: { NetworkMode: 'none' } });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 409) {
      const now = await readLock(docker);
      if (now) return { ok: false, lock: now };
    }
    throw err;
  }
  return { ok: true, lock };
}

/** Give the lock back; only its holder may, unless forced. */
export async function releaseLock(docker: Docker, holder: string, force = false): Promise<{ ok: true; released: HostLock | undefined } | { ok: false; lock: HostLock }> {
  const held = await readLock(docker);
  if (!held) return { ok: true, released: undefined };
  if (held.holder !== holder && !force) return { ok: false, lock: held };
  await docker.getContainer(LOCK_NAME).remove({ force: true });
  return { ok: true, released: held };
}
