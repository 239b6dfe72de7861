import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { InputError } from './input-error.js';

/**
 * With several bcon.yaml hosts and none picked, a command about one service (propose, diagnose --ai/--propose)
 * runs where that service is: each host is asked at the same time which containers it runs. Exactly one host
 * with the service is picked; none, or several, is a clear error naming the hosts (and those that could not be
 * asked).
 */
export async function hostOfTarget(target: string, hosts: Record<string, string>, envOf: (name: string, address: string) => NodeJS.ProcessEnv): Promise<{ name: string; address: string }> {
  const asked = await Promise.all(
    Object.entries(hosts).map(async ([name, address]) => {
      const env = envOf(name, address);
      const client = new EngineClient(endpointFromEnv(env), { env });
      try {
        const containers = await collectContainers(client, { concurrency: 8 });
        return { name, address, runs: containers.some((c) => c.name === target || c.compose?.service === target) };
      } catch (err) {
        return { name, address, runs: false, error: (err as Error).message };
      } finally {
        client.close();
      }
    }),
  );
  const found = asked.filter((a) => a.runs);
  const failed = asked.filter((a) => a.error);
  const unasked = failed.length ? `; could not ask ${failed.map((f) => `${f.name} (${f.error})`).join(', ')}` : '';
  if (found.length === 1) return found[0] as { name: string; address: string };
  if (!found.length) throw new InputError(`no service or container named "${target}" on any host (${Object.keys(hosts).join(', ')})${unasked}`, failed.length ? 'host_unreachable' : 'unknown_service');
  throw new InputError(`"${target}" runs on ${found.map((f) => f.name).join(' and ')}: pick one with --host NAME`, 'ambiguous_host');
}
