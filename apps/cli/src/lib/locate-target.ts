import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { acrossHosts } from './across-hosts.js';
import { InputError } from './input-error.js';

/**
 * With several bcon.yaml hosts and none picked, a command about one service (propose, diagnose --ai/--propose)
 * runs where that service is: each host is asked at the same time which containers it runs. Exactly one host
 * with the service is picked; none, or several, is a clear error naming the hosts (and those that could not be
 * asked).
 */
export async function hostOfTarget(target: string, hosts: Record<string, string>, envOf: (name: string, address: string) => NodeJS.ProcessEnv): Promise<{ name: string; address: string }> {
  const asked = await acrossHosts(hosts, async (name, address) => {
    const env = envOf(name, address);
    const client = new EngineClient(endpointFromEnv(env), { env });
    try {
      return (await collectContainers(client, { concurrency: 8 })).some((c) => c.name === target || c.compose?.service === target);
    } finally {
      client.close();
    }
  });
  const found = asked.filter((a) => 'value' in a && a.value);
  const failed = asked.flatMap((a) => ('error' in a ? [a] : []));
  const unasked = failed.length ? `; could not ask ${failed.map((f) => `${f.name} (${f.error.message})`).join(', ')}` : '';
  const [only] = found;
  if (found.length === 1 && only) return { name: only.name, address: only.address };
  if (!found.length) throw new InputError(`no service or container named "${target}" on any host (${Object.keys(hosts).join(', ')})${unasked}`, failed.length ? 'host_unreachable' : 'unknown_service');
  throw new InputError(`"${target}" runs on ${found.map((f) => f.name).join(' and ')}: pick one with --host NAME`, 'ambiguous_host');
}
