import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Action, DeployProxy, DeployStrategy, Guardrails, Proposal, ProposalOption } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { OpsError } from './errors.js';
import type { RecoveryPolicy } from './reconcile/policy/config.js';
import type { Target } from './target.js';

type DeployAction = Extract<Action, { type: 'service.deploy' }>;

/** The labels a service carries for its deploys (docs/deploy.md). */
export const DEPLOY_LABELS = {
  proxy: 'bcon.proxy',
  proxyPort: 'bcon.proxy.port',
  proxyPortEnv: 'bcon.proxy.port-env',
  proxyConfigDir: 'bcon.proxy.config-dir',
  strategy: 'bcon.deploy.strategy',
  canaryWindow: 'bcon.deploy.canary-window',
  previousImage: 'bcon.deploy.previous-image',
} as const;

export interface PlanDeployInput {
  target: Target;
  /** the repository holding the compose file (the desired state) */
  repo: string;
  /** the compose file, relative to the repository or absolute (default: compose.yaml … in the repository root) */
  file?: string | undefined;
  service: string;
  /** default: the image the compose file names (a rollback: the kept previous image) */
  image?: string | undefined;
  strategy?: DeployStrategy | undefined;
  rollback?: boolean;
}

export interface DeployPlan {
  action: DeployAction;
  replicas: ContainerFacts[];
  root: string;
}

/**
 * What a deploy of one compose service would do: the service's compose definition (its image, deploy.replicas,
 * update_config / rollback_config, labels), bcon.yaml `recovery:`, the replicas running now on the target, and the
 * proxy named by its `bcon.proxy` label. Refuses clearly: no repository, no such service, nothing running, no new image.
 */
export async function planDeploy(input: PlanDeployInput): Promise<DeployPlan> {
  const { findRepositoryRoot, loadComposeProject, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(input.repo);
  } catch {
    throw new OpsError(`no git repository at ${input.repo}: bcon deploy reads the service from the compose file of a repository (--repo PATH)`, 'no_repository', 2);
  }
  const rel = input.file ? path.relative(root, path.resolve(input.repo, input.file)) : undefined;
  if (rel?.startsWith('..')) throw new OpsError(`${input.file} is outside the repository ${root}`, 'compose_outside', 2);
  let project;
  try {
    project = await loadComposeProject(worktreeSource(root), rel ? { dir: path.dirname(rel) || '.', files: [path.basename(rel)] } : {});
  } catch (err) {
    throw new OpsError(`the compose file cannot be read (${(err as Error).message})`, 'compose_invalid', 2);
  }
  const spec = project.services[input.service];
  if (!spec) throw new OpsError(`no service ${input.service} in ${project.files.join(', ')} (services: ${Object.keys(project.services).join(', ') || 'none'})`, 'unknown_service', 2);
  const { containersOn } = await import('./containers.js');
  const all = await containersOn(input.target);
  const replicas = all.filter((c) => c.compose?.service === input.service && c.compose.project === project.name && c.compose.oneoff !== true);
  if (!replicas.length) throw new OpsError(`${input.service} of project ${project.name} has no container on ${input.target.address}: bring it up first (docker compose up -d)`, 'not_running', 2);
  const labels = { ...replicas[0]?.labels, ...spec.labels };
  const currentImage = replicas.find((c) => c.state === 'running')?.image ?? (replicas[0] as ContainerFacts).image;
  let image = input.image;
  if (input.rollback) {
    image ??= replicas.map((c) => c.labels[DEPLOY_LABELS.previousImage]).find(Boolean);
    if (!image) throw new OpsError(`${input.service} has no previous image to roll back to (none was kept by a bcon deploy; name one with --image)`, 'no_previous', 2);
  }
  image ??= spec.image;
  if (!image) throw new OpsError(`${input.service} has no image in ${project.files.join(', ')}: name one with --image`, 'no_image', 2);
  if (!input.rollback && image === currentImage && replicas.every((c) => c.image === image)) throw new OpsError(`${input.service} already runs ${image}: nothing to deploy (--image REF for another)`, 'no_change', 2);
  const strategy = input.strategy ?? (labels[DEPLOY_LABELS.strategy] as DeployStrategy | undefined) ?? 'rolling';
  const { DEPLOY_STRATEGIES, DeployProxySchema, DeploySettingsError, deploySettings } = await import('@bcon/decision');
  if (!(DEPLOY_STRATEGIES as readonly string[]).includes(strategy)) throw new OpsError(`unknown strategy ${strategy} (label ${DEPLOY_LABELS.strategy}): one of ${DEPLOY_STRATEGIES.join(', ')}`, 'bad_strategy', 2);
  const { readRepositoryConfig } = await import('./repository-config.js');
  const { parsePolicyConfig } = await import('./reconcile/policy/config.js');
  const config = await readRepositoryConfig(root);
  const policy = parsePolicyConfig(config ? { reconcile: (config.config as Record<string, unknown>)['reconcile'], recovery: (config.config as Record<string, unknown>)['recovery'] } : {});
  let settings;
  try {
    settings = deploySettings(input.rollback ? (spec.rollbackConfig ?? spec.updateConfig) : spec.updateConfig, recoveryOf(policy.recovery), { namedVolume: spec.volumes.some((v) => v.type === 'volume' && Boolean(v.source)), ...(labels[DEPLOY_LABELS.canaryWindow] ? { canaryWindow: labels[DEPLOY_LABELS.canaryWindow] } : {}) });
  } catch (err) {
    if (err instanceof DeploySettingsError) throw new OpsError(`${project.files.join(', ')}: services.${input.service}.${err.message}`, 'config_invalid', 2);
    throw err;
  }
  let proxy: DeployProxy | undefined;
  if (labels[DEPLOY_LABELS.proxy]) {
    const parsed = DeployProxySchema.safeParse({
      service: labels[DEPLOY_LABELS.proxy],
      port: Number(labels[DEPLOY_LABELS.proxyPort] ?? NaN),
      ...(labels[DEPLOY_LABELS.proxyPortEnv] ? { portEnv: labels[DEPLOY_LABELS.proxyPortEnv] } : {}),
      configDir: labels[DEPLOY_LABELS.proxyConfigDir] ?? '/etc/nginx/bcon',
    });
    if (!parsed.success) throw new OpsError(`${input.service}'s proxy labels are not usable (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): ${DEPLOY_LABELS.proxy}=SERVICE needs ${DEPLOY_LABELS.proxyPort}=PORT`, 'config_invalid', 2);
    proxy = parsed.data;
    if (!project.services[proxy.service]) throw new OpsError(`${input.service}'s ${DEPLOY_LABELS.proxy} names ${proxy.service}, which is not a service of ${project.name}`, 'config_invalid', 2);
  }
  const action: DeployAction = {
    type: 'service.deploy',
    service: input.service,
    project: project.name,
    image,
    currentImage,
    strategy,
    replicas: Math.max(1, spec.replicas),
    settings,
    ...(proxy ? { proxy } : {}),
    ...(input.rollback ? { rollback: true } : {}),
  };
  return { action, replicas, root };
}

function recoveryOf(r: RecoveryPolicy): { max_failure_rate: number; health_check_timeout: number; keep_previous: number; auto_rollback: boolean } {
  return { max_failure_rate: r.maxFailureRate, health_check_timeout: r.healthCheckTimeoutMs / 1000, keep_previous: r.keepPrevious, auto_rollback: r.autoRollback };
}

/** A deploy plan as a stored proposal of one option, with bcon's risk and tier (production: explicit). */
export async function deployProposal(input: { store: Store; plan: DeployPlan; target: Target; guardrails: Guardrails; ttlMs?: number }): Promise<Proposal> {
  const { assessRisk, coveredContainers, describeAction, fingerprintOf } = await import('@bcon/decision');
  const { action, replicas } = input.plan;
  const r = assessRisk(action, { containers: replicas, replicas: replicas.length, guardrails: input.guardrails });
  const { type, ...params } = action;
  const option: ProposalOption = { n: 1, action: type, params, summary: describeAction(action), risk: r.risk, tier: r.tier, reasons: r.reasons, cause: 'intent', culprit: action.service };
  const now = Date.now();
  const names = replicas.map((c) => c.name).sort();
  const proposal: Proposal = {
    id: `p-${randomBytes(4).toString('hex')}`,
    target: action.service,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (input.ttlMs ?? 3600_000)).toISOString(),
    fingerprint: fingerprintOf(coveredContainers(replicas, names)),
    containers: names,
    options: [option],
    notes: [],
    host: { address: input.target.address, ...(input.target.name ? { name: input.target.name } : {}) },
    repo: input.plan.root,
  };
  const { saveProposal } = await import('@bcon/store');
  saveProposal(input.store, { id: proposal.id, createdAt: now, expiresAt: Date.parse(proposal.expiresAt), target: proposal.target, status: 'pending', body: proposal });
  return proposal;
}

/** The contract's view of a deploy (docs/architecture.md): `{ deploy: { service, from, to, strategy, result, steps, durationMs } }`. */
export interface DeployView {
  service: string;
  from: string;
  to: string;
  strategy: DeployStrategy;
  result: 'succeeded' | 'rolled_back' | 'paused' | 'proposed';
  steps: string[];
  durationMs: number;
  proposal: string;
  tier: string;
  failures?: unknown[];
  comparison?: unknown;
  /** proposed: how to approve it */
  approve?: string;
}

/** The view of a deploy from its proposal and, once it ran, the execution's result. */
export function deployView(proposal: Proposal, started: number, run?: { status: string; steps: string[]; detail?: Record<string, unknown> | undefined }): DeployView {
  const option = proposal.options[0] as ProposalOption;
  const params = option.params as Omit<DeployAction, 'type'>;
  const detail = run?.detail ?? {};
  const result: DeployView['result'] = !run ? 'proposed' : ((detail['result'] as DeployView['result'] | undefined) ?? (run.status === 'succeeded' ? 'succeeded' : run.status === 'rolled_back' ? 'rolled_back' : 'paused'));
  return {
    service: params.service,
    from: String(detail['from'] ?? params.currentImage),
    to: params.image,
    strategy: params.strategy,
    result,
    steps: run?.steps ?? [],
    durationMs: Date.now() - started,
    proposal: proposal.id,
    tier: option.tier,
    ...(Array.isArray(detail['failures']) && (detail['failures'] as unknown[]).length ? { failures: detail['failures'] as unknown[] } : {}),
    ...(detail['comparison'] ? { comparison: detail['comparison'] } : {}),
    ...(!run ? { approve: option.tier === 'prohibited' ? `bcon approve ${proposal.id} --option 1 --approver NAME:CODE --approver NAME:CODE --yes` : `bcon approve ${proposal.id} --option 1 --yes` } : {}),
  };
}

/**
 * Run a stored deploy proposal now, as a person's confirmed request (`bcon deploy --yes`): up to the notify tier
 * (staging); an explicit one (production) waits for `bcon approve`. Through executeApproved: the lock, the re-checks,
 * the journal, the audit entries (one per step).
 */
export async function runDeployProposal(input: { store: Store; proposal: Proposal; target: Target; actor: string; guardrails: Guardrails; onProgress?: (line: string) => void }): Promise<DeployView> {
  const started = Date.now();
  const { runConfirmedProposal } = await import('./execute-approved.js');
  const result = await runConfirmedProposal(input);
  const r = result.results[0];
  if (!r) throw new OpsError(`the deploy ${input.proposal.id} did not run`, 'not_run', 2);
  return deployView(input.proposal, started, r);
}
