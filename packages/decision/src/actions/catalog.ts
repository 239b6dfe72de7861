import type { ContainerFacts } from '@bcon/sensor';
import type { DeployProxy, DeploySettings, DeployStrategy } from './deploy-settings.js';

/**
 * The actions bcon may propose: typed, never shell strings. Each knows what it needs (preconditions), what it
 * should leave behind (checked by the executor), and its undo.
 */
export type Action =
  | { type: 'container.restart'; container: string }
  | { type: 'container.stop'; container: string }
  | { type: 'container.start'; container: string }
  /** a container frozen by `docker pause`: its processes resume where they were, nothing else changes */
  | { type: 'container.unpause'; container: string }
  /** memoryBytes 0: no limit (what compose files that set none mean); a limit cannot be removed live, so re-created */
  | { type: 'service.set_memory'; service: string; containers: string[]; memoryBytes: number; previousBytes: number | null }
  | { type: 'service.set_cpus'; service: string; containers: string[]; cpus: number; previousCpus: number | null }
  | { type: 'service.scale'; service: string; from: number; to: number; /** the compose project: replicas of another project's service of the same name are never touched */ project?: string }
  | { type: 'service.recreate'; service: string; container: string }
  | { type: 'service.set_env'; service: string; container: string; name: string; value: string }
  | { type: 'service.unset_env'; service: string; container: string; name: string }
  | { type: 'service.rollback_image'; service: string; container: string; image: string; currentImage: string }
  | { type: 'container.remove_untracked'; container: string }
  | {
      type: 'service.deploy';
      service: string;
      project: string;
      /** the new image reference (a tag, or an image id for a rollback) */
      image: string;
      /** the image the replicas run now */
      currentImage: string;
      strategy: DeployStrategy;
      /** replicas when it is done (compose deploy.replicas / scale, else how many run now) */
      replicas: number;
      settings: DeploySettings;
      proxy?: DeployProxy;
      /** a `bcon rollback`: back to the kept previous image, with rollback_config */
      rollback?: boolean;
    }
  // a swarm service (docs/swarm.md): the engine runs the change and its own rolling update; `version` is the spec
  // version the proposal was made on, so swarm itself refuses the update if the spec changed meanwhile
  | { type: 'swarm.scale'; service: string; stack?: string; from: number; to: number; version: number }
  | { type: 'swarm.deploy'; service: string; stack?: string; image: string; currentImage: string; version: number }
  | { type: 'swarm.rollback'; service: string; stack?: string; image: string; currentImage: string; version: number };

export type ActionType = Action['type'];

export const ACTION_TYPES: readonly ActionType[] = [
  'container.restart',
  'container.stop',
  'container.start',
  'container.unpause',
  'service.set_memory',
  'service.set_cpus',
  'service.scale',
  'service.recreate',
  'service.set_env',
  'service.unset_env',
  'service.rollback_image',
  'container.remove_untracked',
  'service.deploy',
  'swarm.scale',
  'swarm.deploy',
  'swarm.rollback',
];

/** Actions on a swarm service (the engine runs them; docs/swarm.md). */
export const SWARM_ACTION_TYPES: readonly ActionType[] = ['swarm.scale', 'swarm.deploy', 'swarm.rollback'];

const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;

/** One line saying what the action does. */
export function describeAction(a: Action): string {
  switch (a.type) {
    case 'container.restart':
      return `restart ${a.container}`;
    case 'container.stop':
      return `stop ${a.container}`;
    case 'container.start':
      return `start ${a.container}`;
    case 'container.unpause':
      return `unpause ${a.container}`;
    case 'service.set_memory':
      return a.memoryBytes === 0
        ? `remove the memory limit of ${a.service}${a.previousBytes ? ` (now ${mib(a.previousBytes)})` : ''}: its containers are re-created without one`
        : `set the memory limit of ${a.service} to ${mib(a.memoryBytes)}${a.previousBytes ? ` (now ${mib(a.previousBytes)})` : ''}`;
    case 'service.set_cpus':
      return a.cpus === 0
        ? `remove the CPU limit of ${a.service}${a.previousCpus ? ` (now ${a.previousCpus})` : ''}: its containers are re-created without one`
        : `set the CPU limit of ${a.service} to ${a.cpus}${a.previousCpus ? ` (now ${a.previousCpus})` : ''}`;
    case 'service.scale':
      return `scale ${a.service} from ${a.from} to ${a.to} replicas`;
    case 'service.recreate':
      return `recreate ${a.container} with the same configuration`;
    case 'service.set_env':
      return `recreate ${a.container} with ${a.name} set`;
    case 'service.unset_env':
      return `recreate ${a.container} without ${a.name}`;
    case 'service.rollback_image':
      return `recreate ${a.container} from ${a.image} (now ${a.currentImage})`;
    case 'container.remove_untracked':
      return `remove the untracked container ${a.container}`;
    case 'service.deploy':
      return `${a.rollback ? 'roll back' : 'deploy'} ${a.service} ${a.rollback ? 'to' : 'with'} ${a.image} (now ${a.currentImage}), ${a.strategy}, ${a.replicas} replica${a.replicas === 1 ? '' : 's'}`;
    case 'swarm.scale':
      return `scale the swarm service ${a.service} from ${a.from} to ${a.to} replicas`;
    case 'swarm.deploy':
      return `update the swarm service ${a.service} to ${a.image} (now ${a.currentImage}): swarm rolls it out with its update_config`;
    case 'swarm.rollback':
      return `roll the swarm service ${a.service} back to its previous spec (${a.image}; now ${a.currentImage})`;
  }
}

/** What must hold before the action may run, checked against the current facts; a reason when it does not. */
export function precondition(a: Action, facts: readonly ContainerFacts[]): string | undefined {
  const byName = new Map(facts.map((c) => [c.name, c]));
  const need = (name: string) => (byName.has(name) ? undefined : `${name} does not exist any more`);
  switch (a.type) {
    case 'container.restart':
    case 'container.stop':
      return need(a.container) ?? (byName.get(a.container)?.state === 'running' || a.type === 'container.restart' ? undefined : `${a.container} is not running`);
    case 'container.start':
      return need(a.container) ?? (byName.get(a.container)?.state === 'running' ? `${a.container} is already running` : byName.get(a.container)?.state === 'paused' ? `${a.container} is paused: unpause it` : undefined);
    case 'container.unpause':
      return need(a.container) ?? (byName.get(a.container)?.state === 'paused' ? undefined : `${a.container} is not paused`);
    case 'service.set_memory':
    case 'service.set_cpus':
      return a.containers.map(need).find(Boolean);
    case 'service.scale':
      return a.to < 0 ? 'a service cannot have fewer than 0 replicas' : a.to === a.from ? 'nothing to change' : undefined;
    case 'service.recreate':
    case 'service.set_env':
    case 'service.unset_env':
    case 'service.rollback_image':
    case 'container.remove_untracked':
      return need(a.container);
    case 'service.deploy':
      return a.replicas < 1 ? 'a deploy needs at least one replica' : a.image === a.currentImage && !a.rollback ? `${a.service} already runs ${a.image}` : undefined;
    // a swarm service's own state is checked by the engine (the spec version); the containers do not say
    case 'swarm.scale':
      return a.to < 0 ? 'a service cannot have fewer than 0 replicas' : a.to === a.from ? 'nothing to change' : undefined;
    case 'swarm.deploy':
      return a.image === a.currentImage ? `${a.service} already runs ${a.image}` : undefined;
    case 'swarm.rollback':
      return undefined;
  }
}
