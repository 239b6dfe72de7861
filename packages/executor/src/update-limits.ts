import type Docker from 'dockerode';

/** A limit update that met the container's death half-way (runc: "container not running": an OOM-killed process
 *  the engine is about to restart) is asked again: once it is down the engine sets the limit in its configuration,
 *  which the next start applies. Up to 4 tries, 250 ms apart; any other error is thrown at once. */
export async function updateLimits(docker: Pick<Docker, 'getContainer'>, name: string, body: Record<string, number | undefined>, waitMs = 250): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker.getContainer(name).update(body);
      return;
    } catch (err) {
      const e = err as { statusCode?: number; message?: string };
      if (attempt >= 4 || e.statusCode !== 500 || !/container not running|is not running/i.test(e.message ?? '')) throw err;
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
