import { randomBytes } from 'node:crypto';
import type { Action, Guardrails, Proposal, ProposalOption } from '@bcon/decision';
import type { ContainerFacts, SwarmServiceFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { OpsError } from '../errors.js';
import type { Target } from '../target.js';
import { pickService, readSwarmOn } from './read.js';

export type SwarmAction = Extract<Action, { type: 'swarm.scale' | 'swarm.deploy' | 'swarm.rollback' }>;

/** The label swarm puts on each task's container: the service it belongs to. */
const SERVICE_LABEL = 'com.docker.swarm.service.name';

export interface SwarmChange {
  kind: 'scale' | 'deploy' | 'rollback';
  service: string;
  stack?: string | undefined;
  /** scale: the replicas wanted */
  replicas?: number | undefined;
  /** deploy: the image (default: the one the repository's compose file names for the service) */
  image?: string | undefined;
  /** deploy without an image: the repository whose compose file (working tree) names it */
  repo?: string | undefined;
}

/** The image a compose file of the repository names for a stack's service (its name inside the stack). */
async function composeImage(repo: string, service: string): Promise<string | undefined> {
  const { findRepositoryRoot, loadComposeProject, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(repo);
  } catch {
    return undefined;
  }
  try {
    return (await loadComposeProject(worktreeSource(root))).services[service]?.image;
  } catch (err) {
    throw new OpsError(`the compose file of ${root} cannot be read (${(err as Error).message})`, 'compose_invalid', 2);
  }
}

/** The action a change of a swarm service is, from the service as it is now (its spec version included). */
export async function planSwarmChange(target: Target, change: SwarmChange): Promise<{ action: SwarmAction; service: SwarmServiceFacts }> {
  const swarm = await readSwarmOn(target);
  const s = pickService(swarm, change.service, change.stack);
  const common = { service: s.name, ...(s.stack ? { stack: s.stack } : {}), version: s.version };
  if (change.kind === 'scale') {
    if (s.mode !== 'replicated') throw new OpsError(`${s.name} is a global service (one task per node): it has no replica count to scale`, 'not_replicated', 2);
    if (change.replicas === undefined || !Number.isInteger(change.replicas) || change.replicas < 0 || change.replicas > 1000) throw new OpsError(`a replica count from 0 to 1000 is needed (got ${String(change.replicas)})`, 'bad_replicas', 2);
    if (change.replicas === s.desired) throw new OpsError(`${s.name} already asks for ${s.desired} replicas: nothing to change`, 'no_change', 2);
    return { action: { type: 'swarm.scale', ...common, from: s.desired, to: change.replicas }, service: s };
  }
  if (change.kind === 'rollback') {
    if (!s.previousImage) throw new OpsError(`${s.name} has no previous spec to roll back to (it was never updated)`, 'no_previous', 2);
    return { action: { type: 'swarm.rollback', ...common, image: s.previousImage, currentImage: s.image }, service: s };
  }
  const image = change.image ?? (change.repo ? await composeImage(change.repo, s.shortName) : undefined);
  if (!image) throw new OpsError(`no image for ${s.name}: name one with --image, or run from the repository whose compose file names it`, 'no_image', 2);
  if (image === s.image) throw new OpsError(`${s.name} already runs ${s.image}: nothing to deploy (--image REF for another)`, 'no_change', 2);
  if (s.update && /^(updating|rollback_started)$/.test(s.update.state)) throw new OpsError(`${s.name} is being ${s.update.state === 'updating' ? 'updated' : 'rolled back'} by swarm now: wait for it (bcon swarm status)`, 'busy', 2);
  return { action: { type: 'swarm.deploy', ...common, image, currentImage: s.image }, service: s };
}

/** The task containers of a swarm service on this engine's node (what risk reads: labels, mounts, healthcheck). */
export function swarmContainers(all: readonly ContainerFacts[], service: string): ContainerFacts[] {
  return all.filter((c) => c.labels[SERVICE_LABEL] === service);
}

/**
 * A swarm change as a proposal of one option, with bcon's risk and tier read from the service's tasks on this node
 * (labels, mounts, healthcheck). It covers no container (tasks come and go): the spec version it carries makes swarm
 * refuse it if the service changed before it runs. `bcon swarm scale|deploy|rollback` (cause intent) and the
 * reconciler's swarm repairs (replica_drift, image_drift) both build theirs here.
 */
export async function buildSwarmProposal(input: {
  target: Target;
  action: SwarmAction;
  guardrails: Guardrails;
  cause: ProposalOption['cause'];
  /** every container of the target, when the caller has them already */
  containers?: readonly ContainerFacts[];
  ttlMs?: number;
  repo?: string;
}): Promise<Proposal> {
  const { assessRisk, describeAction, fingerprintOf } = await import('@bcon/decision');
  const { action } = input;
  const all = input.containers ?? (await (await import('../containers.js')).containersOn(input.target));
  const tasks = swarmContainers(all, action.service);
  const r = assessRisk(action, { containers: tasks, replicas: action.type === 'swarm.scale' ? action.from : tasks.length, guardrails: input.guardrails });
  const { type, ...params } = action;
  const option: ProposalOption = { n: 1, action: type, params, summary: describeAction(action), risk: r.risk, tier: r.tier, reasons: r.reasons, cause: input.cause, culprit: action.service };
  const now = Date.now();
  return {
    id: `p-${randomBytes(4).toString('hex')}`,
    target: action.service,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (input.ttlMs ?? 3600_000)).toISOString(),
    fingerprint: fingerprintOf([]),
    containers: [],
    options: [option],
    notes: [`swarm service ${action.service}, spec version ${action.version}: swarm refuses the change if the spec changed before it runs`],
    host: { address: input.target.address, ...(input.target.name ? { name: input.target.name } : {}) },
    ...(input.repo ? { repo: input.repo } : {}),
  };
}

/** `bcon swarm scale|deploy|rollback`: the change as a stored proposal (buildSwarmProposal, cause intent). */
export async function swarmProposal(input: { store: Store; target: Target; action: SwarmAction; guardrails: Guardrails; ttlMs?: number }): Promise<Proposal> {
  const proposal = await buildSwarmProposal({ ...input, cause: 'intent' });
  const { saveProposal } = await import('@bcon/store');
  saveProposal(input.store, { id: proposal.id, createdAt: Date.parse(proposal.createdAt), expiresAt: Date.parse(proposal.expiresAt), target: proposal.target, status: 'pending', body: proposal });
  return proposal;
}

/** Run a stored swarm proposal as a person's confirmed request (`--yes`): up to the notify tier; explicit waits for bcon approve. */
export async function runSwarmProposal(input: { store: Store; proposal: Proposal; target: Target; actor: string; guardrails: Guardrails; onProgress?: (line: string) => void }) {
  const { runConfirmedProposal } = await import('../execute-approved.js');
  return runConfirmedProposal(input);
}
