import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { acrossTargets } from './across-targets.js';
import { OpsError } from './errors.js';
import type { Target } from './target.js';

/**
 * With several bcon.yaml hosts and none picked, a command about one service (propose, diagnose --ai/--propose)
 * runs where that service is: each host is asked at the same time which containers it runs. Exactly one host
 * with the service is picked; none, or several, is a clear error naming the hosts (and those that could not be
 * asked).
 */
export async function hostOfTarget(service: string, targets: readonly Target[]): Promise<Target> {
  const asked = await acrossTargets(targets, async (t) => {
    const client = new EngineClient(endpointFromEnv(t.env), { env: t.env });
    try {
      return (await collectContainers(client, { concurrency: 8 })).some((c) => c.name === service || c.compose?.service === service);
    } finally {
      client.close();
    }
  });
  const found = asked.filter((a) => 'value' in a && a.value);
  const failed = asked.flatMap((a) => ('error' in a ? [a] : []));
  const unasked = failed.length ? `; could not ask ${failed.map((f) => `${f.name} (${f.error.message})`).join(', ')}` : '';
  const [only] = found;
  if (found.length === 1 && only) return targets.find((t) => t.address === only.address && (t.name ?? t.address) === only.name) as Target;
  if (!found.length) throw new OpsError(`no service or container named "${service}" on any host (${targets.map((t) => t.name ?? t.address).join(', ')})${unasked}`, failed.length ? 'host_unreachable' : 'unknown_service');
  throw new OpsError(`"${service}" runs on ${found.map((f) => f.name).join(' and ')}: pick one with --host NAME`, 'ambiguous_host');
}
