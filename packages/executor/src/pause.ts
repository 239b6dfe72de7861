import type Docker from 'dockerode';

/**
 * The reconcilers' kill switch on a host: a container named PAUSE_NAME, created and never started, whose labels say
 * who paused it, when and why. On the engine itself (like the lock), so every reconciler reading that engine honours
 * it at once, whichever control host it runs on.
 */
export const PAUSE_NAME = 'bcon-pause';
const LABELS = { by: 'bcon.pause.by', at: 'bcon.pause.at', reason: 'bcon.pause.reason' } as const;

export interface HostPause {
  by: string;
  at: string;
  reason: string;
}

export async function readPause(docker: Docker): Promise<HostPause | undefined> {
  try {
    const info = await docker.getContainer(PAUSE_NAME).inspect();
    const l = info.Config.Labels ?? {};
    return { by: l[LABELS.by] ?? 'unknown', at: l[LABELS.at] ?? info.Created, reason: l[LABELS.reason] ?? '' };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Pause the reconcilers on this engine (a no-op when it is paused already: the first pause is kept). */
export async function setPause(docker: Docker, pause: HostPause): Promise<HostPause> {
  const held = await readPause(docker);
  if (held) return held;
  const images = await docker.listImages();
  const image = images.find((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>'))?.RepoTags?.[0] ?? images[0]?.Id;
  if (!image) throw new Error('this engine has no image to hold the pause container with (it is created, never started)');
  try {
    await docker.createContainer({ name: PAUSE_NAME, Image: image, Cmd: ['bcon-pause'], Labels: { [LABELS.by]: pause.by, [LABELS.at]: pause.at, [LABELS.reason]: pause.reason }, HostConfig: { NetworkMode: 'none' } });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
  }
  return (await readPause(docker)) ?? pause;
}

export async function clearPause(docker: Docker): Promise<HostPause | undefined> {
  const held = await readPause(docker);
  if (held) await docker.getContainer(PAUSE_NAME).remove({ force: true });
  return held;
}
