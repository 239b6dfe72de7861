import type { ContainerFacts } from '@bcon/sensor';
import { isSecretName } from '@bcon/reasoning/redact';
import type { Action, ActionType } from '../actions/catalog.js';
import type { GuardrailTier } from './tiers.js';
import { GUARDRAIL_TIERS, stricterTier } from './tiers.js';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
const LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
const raise = (r: RiskLevel, by = 1): RiskLevel => LEVELS[Math.min(LEVELS.length - 1, LEVELS.indexOf(r) + by)] as RiskLevel;

/** Base risk and tier of each action (the architecture's guardrail table). */
const BASE: Record<ActionType, { risk: RiskLevel; tier: GuardrailTier; why: string }> = {
  'container.restart': { risk: 'low', tier: 'autonomous', why: 'a restart keeps the configuration' },
  'container.start': { risk: 'low', tier: 'autonomous', why: 'starting a stopped container keeps its configuration' },
  'container.unpause': { risk: 'low', tier: 'autonomous', why: 'unpausing resumes the same processes where they were, with the same configuration' },
  'container.stop': { risk: 'medium', tier: 'notify', why: 'stopping takes the container out of service' },
  'service.set_memory': { risk: 'medium', tier: 'notify', why: 'a limit change applies live and can be set back' },
  'service.set_cpus': { risk: 'low', tier: 'notify', why: 'a CPU limit change applies live and can be set back' },
  'service.scale': { risk: 'low', tier: 'autonomous', why: 'scaling up adds replicas of the same configuration' },
  'service.recreate': { risk: 'medium', tier: 'notify', why: 'recreating replaces the container (same configuration)' },
  'service.set_env': { risk: 'medium', tier: 'notify', why: 'an env change recreates the container' },
  'service.unset_env': { risk: 'medium', tier: 'notify', why: 'an env change recreates the container' },
  'service.rollback_image': { risk: 'medium', tier: 'explicit', why: 'a different image is a deploy' },
  'container.remove_untracked': { risk: 'high', tier: 'explicit', why: 'removing a container cannot be undone' },
  'service.deploy': { risk: 'medium', tier: 'notify', why: 'a new version replaces the running replicas (health-gated, rolled back on failure)' },
  'swarm.scale': { risk: 'low', tier: 'autonomous', why: 'scaling up adds tasks of the same spec (swarm schedules them)' },
  'swarm.deploy': { risk: 'medium', tier: 'notify', why: "a new version replaces the service's tasks (swarm's rolling update, its update_config and failure_action)" },
  'swarm.rollback': { risk: 'medium', tier: 'notify', why: "swarm puts the service's previous spec back (its rollback_config)" },
};

/** Past this many replicas a scale-up needs a person's approval. */
export const SCALE_LIMIT = 20;

export interface RiskContext {
  /** the containers the action touches */
  containers: readonly ContainerFacts[];
  /** all replicas of the service */
  replicas: number;
  /** guardrail overrides: by action type, by service, or `service:action` */
  guardrails?: Guardrails;
  /** a service with no container yet (made from the committed files): its declared labels and compose project */
  declared?: { labels: Record<string, string>; project: string };
}

/**
 * Where guardrail overrides come from decides what they may do: the repository's bcon.yaml may only TIGHTEN a tier
 * (whoever can push to the repository must not be able to make a prohibited action autonomous); the user-level
 * config (BCON_HOME/config.yaml, outside the repository) may also loosen one.
 */
export interface Guardrails {
  repository?: Record<string, GuardrailTier>;
  user?: Record<string, GuardrailTier>;
}

function overrideFor(table: Record<string, GuardrailTier> | undefined, service: string, type: string): { key: string; tier: GuardrailTier } | undefined {
  if (!table) return undefined;
  for (const key of [`${service}:${type}`, service, type]) {
    const tier = table[key];
    if (tier && (GUARDRAIL_TIERS as readonly string[]).includes(tier)) return { key, tier };
  }
  return undefined;
}

export interface RiskAssessment {
  risk: RiskLevel;
  tier: GuardrailTier;
  reasons: string[];
}



/**
 * The guardrail overrides applied to a tier (the user config may set it either way, the repository only tighten),
 * with the reasons. For a change that is not a catalog action (an intent's compose-only edit, `type` its operation).
 */
export function guardedTier(tier: GuardrailTier, service: string, type: string, guardrails: Guardrails | undefined, reasons: string[] = []): GuardrailTier {
  let t = tier;
  const user = overrideFor(guardrails?.user, service, type);
  if (user && user.tier !== t) {
    reasons.push(`the user config sets ${user.tier} for ${user.key}`);
    t = user.tier;
  }
  const repo = overrideFor(guardrails?.repository, service, type);
  if (repo && repo.tier !== t) {
    if (stricterTier(t, repo.tier) === repo.tier) {
      reasons.push(`bcon.yaml sets ${repo.tier} for ${repo.key}`);
      t = repo.tier;
    } else reasons.push(`bcon.yaml asks ${repo.tier} for ${repo.key}, ignored: a repository may only tighten a tier (loosen it in BCON_HOME/config.yaml)`);
  }
  return t;
}

/**
 * bcon's own risk rules (an LLM never sets risk): the action's base, raised for a stateful service (a named volume),
 * nothing to verify with (no healthcheck), the last replica, a service marked production, a secret touched; the
 * tier is the stricter of the base and the reasons', then bcon.yaml's override for the service or action.
 */
export function assessRisk(action: Action, ctx: RiskContext): RiskAssessment {
  const base = BASE[action.type];
  let risk = base.risk;
  let tier = base.tier;
  // removing a limit is a re-create of each container (no engine removes one live): a re-create's reason, same tier
  const unlimit = (action.type === 'service.set_memory' && action.memoryBytes === 0) || (action.type === 'service.set_cpus' && action.cpus === 0);
  const reasons = [unlimit ? 'no limit can be removed live: each container is re-created without it (same configuration otherwise), verified, put back on failure' : base.why];
  if (unlimit && risk === 'low') risk = 'medium';
  const stateful = ctx.containers.some((c) => c.mounts.some((m) => m.type === 'volume' && m.name));
  // a scale of a compose service or of a swarm service follows the same rules
  const scale = action.type === 'service.scale' || action.type === 'swarm.scale' ? action : undefined;
  const destructive = action.type !== 'container.start' && action.type !== 'container.unpause' && !(action.type === 'service.set_cpus' && !unlimit) && !(scale && scale.to > scale.from);
  if (stateful && destructive) {
    risk = raise(risk);
    reasons.push('stateful: a named volume is mounted');
    if (action.type === 'container.remove_untracked') tier = stricterTier(tier, 'explicit');
  }
  if (ctx.containers.length && ctx.containers.every((c) => !c.config.healthcheck?.test?.length || c.config.healthcheck.test[0] === 'NONE')) {
    reasons.push('no healthcheck to verify with: only "running" can be checked');
    if (risk === 'low') risk = 'medium';
  }
  const lastReplica = (action.type === 'container.stop' && ctx.replicas <= 1) || (scale !== undefined && scale.to === 0);
  if (lastReplica) {
    risk = raise(risk);
    tier = stricterTier(tier, 'explicit');
    reasons.push('the last replica: the service will be down');
  }
  // scaling up is autonomous within limits: more than doubling (by more than one replica) is a change people hear of,
  // and past SCALE_LIMIT replicas one a person approves
  if (scale && scale.to > scale.from && scale.to > Math.max(scale.from * 2, scale.from + 1)) {
    tier = stricterTier(tier, 'notify');
    reasons.push(`more than doubles ${scale.service} (${scale.from} → ${scale.to})`);
  }
  if (scale && scale.to > SCALE_LIMIT) {
    risk = raise(risk);
    tier = stricterTier(tier, 'explicit');
    reasons.push(`more than ${SCALE_LIMIT} replicas`);
  }
  if (scale && scale.to < scale.from) {
    tier = stricterTier(tier, 'notify');
    reasons.push('scaling down removes capacity');
  }
  const markedProduction = (labels: Record<string, string>, project: string | undefined) => /^prod(uction)?$/i.test(labels['bcon.environment'] ?? labels['environment'] ?? '') || /(^|[-_])prod(uction)?($|[-_])/i.test(project ?? labels['com.docker.stack.namespace'] ?? '');
  const production = ctx.containers.some((c) => markedProduction(c.labels, c.compose?.project)) || (ctx.declared !== undefined && markedProduction(ctx.declared.labels, ctx.declared.project));
  if (production) {
    risk = raise(risk);
    tier = stricterTier(tier, 'explicit');
    reasons.push('marked production');
  }
  const secret = (action.type === 'service.set_env' || action.type === 'service.unset_env') && isSecretName(action.name);
  if (secret) {
    risk = raise(risk);
    tier = stricterTier(tier, 'explicit');
    reasons.push(`touches a secret (${action.name})`);
  }
  if (action.type === 'container.remove_untracked' && production && stateful) {
    tier = 'prohibited';
    reasons.push('deletes data of a production service');
  }
  const service = 'service' in action ? action.service : (ctx.containers[0]?.compose?.service ?? '');
  tier = guardedTier(tier, service, action.type, ctx.guardrails, reasons);
  return { risk, tier, reasons };
}

