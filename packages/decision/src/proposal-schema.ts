import { z } from 'zod';
import { CAUSE_CODES } from '@bcon/reasoning/schemas';
import type { Action } from './actions/catalog.js';
import { DEPLOY_STRATEGIES, DeployProxySchema, DeploySettingsSchema } from './actions/deploy-settings.js';
import { IntentOperationSchema } from './intent/operations.js';
import type { Proposal } from './proposal.js';
import { GUARDRAIL_TIERS } from './risk/tiers.js';

const name = z.string().min(1).max(255);

/** The catalog's actions as data: a stored proposal is parsed with this before anything runs from it. */
export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('container.restart'), container: name }).strict(),
  z.object({ type: z.literal('container.stop'), container: name }).strict(),
  z.object({ type: z.literal('container.start'), container: name }).strict(),
  z.object({ type: z.literal('container.unpause'), container: name }).strict(),
  z.object({ type: z.literal('service.set_memory'), service: name, containers: z.array(name).min(1), memoryBytes: z.number().int().nonnegative(), previousBytes: z.number().int().nullable() }).strict(),
  z.object({ type: z.literal('service.set_cpus'), service: name, containers: z.array(name).min(1), cpus: z.number().nonnegative(), previousCpus: z.number().nullable() }).strict(),
  z.object({ type: z.literal('service.scale'), service: name, from: z.number().int().min(0), to: z.number().int().min(0).max(1000), project: name.optional() }).strict(),
  z.object({ type: z.literal('service.recreate'), service: name, container: name }).strict(),
  z.object({ type: z.literal('service.set_env'), service: name, container: name, name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), value: z.string() }).strict(),
  z.object({ type: z.literal('service.unset_env'), service: name, container: name, name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict(),
  z.object({ type: z.literal('service.rollback_image'), service: name, container: name, image: name, currentImage: z.string() }).strict(),
  z.object({ type: z.literal('container.remove_untracked'), container: name }).strict(),
  z
    .object({
      type: z.literal('service.deploy'),
      service: name,
      project: name,
      image: name,
      currentImage: z.string(),
      strategy: z.enum(DEPLOY_STRATEGIES),
      replicas: z.number().int().min(1).max(100),
      settings: DeploySettingsSchema,
      proxy: DeployProxySchema.optional(),
      rollback: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal('swarm.scale'), service: name, stack: name.optional(), from: z.number().int().min(0), to: z.number().int().min(0).max(1000), version: z.number().int().nonnegative() }).strict(),
  z.object({ type: z.literal('swarm.deploy'), service: name, stack: name.optional(), image: name, currentImage: z.string(), version: z.number().int().nonnegative() }).strict(),
  z.object({ type: z.literal('swarm.rollback'), service: name, stack: name.optional(), image: z.string(), currentImage: z.string(), version: z.number().int().nonnegative() }).strict(),
]);

const OptionSchema = z.object({
  n: z.number().int().positive(),
  action: z.string(),
  params: z.record(z.string(), z.unknown()),
  summary: z.string(),
  risk: z.enum(['low', 'medium', 'high', 'critical']),
  tier: z.enum(GUARDRAIL_TIERS),
  reasons: z.array(z.string()),
  cause: z.union([z.enum(CAUSE_CODES), z.literal('intent')]),
  culprit: z.string(),
});

/** The intent a proposal made by `bcon intent` carries: the compose edit to commit when it is approved. */
export const ProposalIntentSchema = z.object({
  text: z.string(),
  root: z.string(),
  file: z.string(),
  /** sha256 of the file as it was read: an approval is refused when it changed since */
  beforeSha256: z.string().regex(/^[0-9a-f]{64}$/),
  after: z.string(),
  operations: z.array(IntentOperationSchema),
  project: z.string(),
  manual: z.array(z.string()),
});

export const ProposalSchema = z.object({
  id: z.string().regex(/^[pi]-[0-9a-z-]{1,40}$/),
  target: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  fingerprint: z.string(),
  containers: z.array(z.string()),
  options: z.array(OptionSchema),
  notes: z.array(z.string()),
  host: z.object({ address: z.string(), name: z.string().optional() }).optional(),
  intent: ProposalIntentSchema.optional(),
  /** the least tier the whole proposal has (an intent: of every operation, also those with nothing running) */
  minimumTier: z.enum(GUARDRAIL_TIERS).optional(),
  /** the repository whose bcon.yaml guardrails applied */
  repo: z.string().optional(),
});

export class ProposalInvalidError extends Error {
  readonly code = 'proposal_invalid';
}

/** A stored proposal, parsed: every option's action must be a valid catalog action. Throws ProposalInvalidError. */
export function parseProposal(body: unknown): Proposal {
  const parsed = ProposalSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProposalInvalidError(`the stored proposal is not valid (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}): nothing was run; propose again`);
  }
  for (const o of parsed.data.options) {
    if ('type' in o.params) throw new ProposalInvalidError(`option ${o.n} of proposal ${parsed.data.id} has a "type" in its params: nothing was run`);
    const a = ActionSchema.safeParse({ ...o.params, type: o.action });
    if (!a.success) throw new ProposalInvalidError(`option ${o.n} of proposal ${parsed.data.id} is not a valid ${o.action} action (${a.error.issues[0]?.path.join('.')}: ${a.error.issues[0]?.message}): nothing was run`);
  }
  return parsed.data as Proposal;
}

/** The typed action of a parsed option. */
export function parseAction(value: unknown): Action {
  return ActionSchema.parse(value) as Action;
}
