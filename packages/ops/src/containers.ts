import type { ContainerFacts } from '@bcon/sensor';
import type { Target } from './target.js';

/** Every container on a target (read-only, through the sensor), the facts risk, fingerprints and plans are made of. */
export async function containersOn(target: Target): Promise<ContainerFacts[]> {
  const { EngineClient, collectContainers, endpointFromEnv } = await import('@bcon/sensor');
  const client = new EngineClient(endpointFromEnv(target.env), { env: target.env });
  try {
    return await collectContainers(client, { concurrency: 16 });
  } finally {
    client.close();
  }
}
