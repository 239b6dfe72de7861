import type { ApiService, ApiTask } from '../engine/api-types.js';
import type { EngineClient } from '../engine/client.js';
import { keyValueList } from '../util/key-value.js';

/** The label `docker stack deploy` puts on a stack's services (and their tasks' containers). */
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

/** A container swarm runs for a task: swarm owns it (removing it only makes swarm start another). */
export function isSwarmTask(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return Boolean(labels?.['com.docker.swarm.task.id']);
}

/** One task of a service: one slot's attempt to run a container, newest first in `SwarmServiceFacts.tasks`. */
export interface SwarmTaskFacts {
  id: string;
  /** the replica slot (replicated services) */
  slot: number | undefined;
  node: string | undefined;
  /** what the orchestrator wants: running, shutdown, … */
  desiredState: string;
  /** where it is: new, pending, assigned, preparing, starting, running, complete, failed, rejected, shutdown, orphaned … */
  state: string;
  message: string;
  /** the orchestrator's error text (e.g. "No such image: …", "task: non-zero exit (3)", "no suitable node …") */
  error: string | undefined;
  exitCode: number | undefined;
  containerId: string | undefined;
  image: string | undefined;
  timestamp: string | undefined;
}

/** A swarm service as bcon reads it: its spec (what was asked) and its tasks (what happened). */
export interface SwarmServiceFacts {
  id: string;
  /** the full service name (`shop_web`) */
  name: string;
  /** the stack (`com.docker.stack.namespace`), when deployed as one */
  stack: string | undefined;
  /** the name inside the stack, as the compose file names it (`web`) */
  shortName: string;
  /** the image as the spec holds it, without the digest swarm pins it to */
  image: string;
  /** the digest swarm resolved, when it did */
  imageDigest: string | undefined;
  mode: 'replicated' | 'global';
  /** replicated: the replicas asked for; global: the nodes it should run on (its running tasks' count when unknown) */
  desired: number;
  /** tasks that are running now with desired state running */
  running: number;
  env: Record<string, string>;
  labels: Record<string, string>;
  command: string[] | null;
  args: string[] | null;
  memoryBytes: number | undefined;
  nanoCpus: number | undefined;
  /** the spec's version: an update names it, so swarm refuses an update made on a spec that changed meanwhile */
  version: number;
  /** the state of the last update or rollback: updating, paused, completed, rollback_started, rollback_paused, rollback_completed */
  update: { state: string; message: string; startedAt: string | undefined; completedAt: string | undefined } | undefined;
  updateConfig: Record<string, unknown> | undefined;
  /** the image of the spec before the last update (what a rollback restores) */
  previousImage: string | undefined;
  tasks: SwarmTaskFacts[];
}

export interface SwarmNodeFacts {
  id: string;
  hostname: string;
  role: string;
  availability: string;
  state: string;
  leader: boolean;
}

export type SwarmFacts =
  | { active: false; reason: string }
  | { active: true; manager: boolean; nodeId: string; nodes: SwarmNodeFacts[]; services: SwarmServiceFacts[] };

/** `image:tag@sha256:…` → [`image:tag`, `sha256:…`] */
export function splitImageDigest(ref: string): [string, string | undefined] {
  const at = ref.indexOf('@');
  return at === -1 ? [ref, undefined] : [ref.slice(0, at), ref.slice(at + 1)];
}

function taskFacts(t: ApiTask): SwarmTaskFacts {
  const status = t.Status ?? {};
  const exit = status.ContainerStatus?.ExitCode;
  const state = status.State ?? 'unknown';
  return {
    id: t.ID,
    slot: t.Slot,
    node: t.NodeID,
    desiredState: t.DesiredState ?? 'unknown',
    state,
    message: status.Message ?? '',
    error: status.Err || undefined,
    // the engine reports 0 for a task that never had a container: only a finished container's code counts
    exitCode: exit !== undefined && (exit !== 0 || state === 'complete' || state === 'failed') && status.ContainerStatus?.ContainerID ? exit : undefined,
    containerId: status.ContainerStatus?.ContainerID || undefined,
    image: t.Spec?.ContainerSpec?.Image ? splitImageDigest(t.Spec.ContainerSpec.Image)[0] : undefined,
    timestamp: status.Timestamp,
  };
}

/** One service's facts from its API object and its tasks. */
export function serviceFacts(s: ApiService, tasks: readonly ApiTask[]): SwarmServiceFacts {
  const spec = s.Spec;
  const container = spec.TaskTemplate?.ContainerSpec ?? {};
  const [image, imageDigest] = splitImageDigest(container.Image ?? '');
  const stack = spec.Labels?.[STACK_NAMESPACE_LABEL];
  const mine = tasks.filter((t) => t.ServiceID === s.ID).map(taskFacts);
  mine.sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''));
  const running = mine.filter((t) => t.desiredState === 'running' && t.state === 'running').length;
  const global = Boolean(spec.Mode?.Global);
  const previous = s.PreviousSpec?.TaskTemplate?.ContainerSpec?.Image;
  const limits = spec.TaskTemplate?.Resources?.Limits;
  return {
    id: s.ID,
    name: spec.Name,
    stack,
    shortName: stack && spec.Name.startsWith(`${stack}_`) ? spec.Name.slice(stack.length + 1) : spec.Name,
    image,
    imageDigest,
    mode: global ? 'global' : 'replicated',
    desired: global ? mine.filter((t) => t.desiredState === 'running').length : (spec.Mode?.Replicated?.Replicas ?? 1),
    running,
    env: Object.fromEntries(Object.entries(keyValueList(container.Env ?? [])).map(([k, v]) => [k, v ?? ''])),
    labels: spec.Labels ?? {},
    command: container.Command ?? null,
    args: container.Args ?? null,
    memoryBytes: limits?.MemoryBytes || undefined,
    nanoCpus: limits?.NanoCPUs || undefined,
    version: s.Version?.Index ?? 0,
    update: s.UpdateStatus?.State
      ? { state: s.UpdateStatus.State, message: s.UpdateStatus.Message ?? '', startedAt: s.UpdateStatus.StartedAt, completedAt: s.UpdateStatus.CompletedAt }
      : undefined,
    updateConfig: spec.UpdateConfig as Record<string, unknown> | undefined,
    previousImage: previous ? splitImageDigest(previous)[0] : undefined,
    tasks: mine,
  };
}

/**
 * What a swarm manager says about its services, their tasks and its nodes (three GETs, and /info). An engine outside
 * a swarm, or a worker (which cannot list services), answers `{ active: false }` with why.
 */
export async function readSwarm(client: EngineClient, options: { stack?: string } = {}): Promise<SwarmFacts> {
  const info = await client.info();
  const swarm = info.Swarm;
  if (swarm?.LocalNodeState !== 'active') return { active: false, reason: `this engine is not part of a swarm (${swarm?.LocalNodeState || 'inactive'}): docker swarm init, or point DOCKER_HOST at a manager` };
  if (!swarm.ControlAvailable) return { active: false, reason: 'this engine is a swarm worker: services and tasks are read from a manager (point DOCKER_HOST at one)' };
  const filters = options.stack ? { label: [`${STACK_NAMESPACE_LABEL}=${options.stack}`] } : undefined;
  const [services, tasks, nodes] = await Promise.all([client.listServices(filters), client.listTasks(), client.listNodes()]);
  return {
    active: true,
    manager: true,
    nodeId: swarm.NodeID ?? '',
    nodes: nodes.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID.slice(0, 12),
      role: n.Spec?.Role ?? 'worker',
      availability: n.Spec?.Availability ?? 'active',
      state: n.Status?.State ?? 'unknown',
      leader: Boolean(n.ManagerStatus?.Leader),
    })),
    services: services.map((s) => serviceFacts(s, tasks)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** A service by its full name, or by its name inside a stack (`web` for `shop_web` when one stack has it). */
export function findSwarmService(services: readonly SwarmServiceFacts[], name: string, stack?: string): SwarmServiceFacts | SwarmServiceFacts[] | undefined {
  const exact = services.find((s) => s.name === name && (!stack || s.stack === stack));
  if (exact) return exact;
  const short = services.filter((s) => s.shortName === name && (!stack || s.stack === stack));
  if (short.length === 1) return short[0];
  return short.length ? short : undefined;
}
