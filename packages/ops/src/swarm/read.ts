import type { SwarmFacts, SwarmServiceFacts } from '@bcon/sensor';
import { EngineClient, endpointFromEnv, findSwarmService, readSwarm } from '@bcon/sensor';
import { OpsError } from '../errors.js';
import type { Target } from '../target.js';
import { targetLabel } from '../target.js';

export type ActiveSwarm = Extract<SwarmFacts, { active: true }>;

/** What the target's swarm manager says (read-only); a clear refusal when the engine is not a manager. */
export async function readSwarmOn(target: Target, options: { stack?: string } = {}): Promise<ActiveSwarm> {
  const client = new EngineClient(endpointFromEnv(target.env), { env: target.env });
  try {
    const facts = await readSwarm(client, options);
    if (!facts.active) throw new OpsError(`${targetLabel(target)}: ${facts.reason}`, 'not_swarm', 2);
    return facts;
  } finally {
    client.close();
  }
}

/** One service of the swarm by its full name (`shop_web`) or its name in a stack (`web`); refuses an ambiguous or unknown one. */
export function pickService(swarm: ActiveSwarm, name: string, stack?: string): SwarmServiceFacts {
  const found = findSwarmService(swarm.services, name, stack);
  if (!found) throw new OpsError(`no swarm service ${name}${stack ? ` in stack ${stack}` : ''} (services: ${swarm.services.map((s) => s.name).join(', ') || 'none'})`, 'unknown_service', 2);
  if (Array.isArray(found)) throw new OpsError(`${name} is a service of several stacks (${found.map((s) => s.name).join(', ')}): name one in full, or pass --stack`, 'ambiguous_service', 2);
  return found;
}

/** Is `name` a service of the target's swarm? (false when the engine is not a swarm manager) — for commands that serve both. */
export async function isSwarmService(target: Target, name: string, stack?: string): Promise<boolean> {
  const client = new EngineClient(endpointFromEnv(target.env), { env: target.env });
  try {
    const info = await client.info();
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return false;
    const facts = await readSwarm(client, stack ? { stack } : {});
    return facts.active && findSwarmService(facts.services, name, stack) !== undefined;
  } finally {
    client.close();
  }
}
