import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Action, GuardrailTier, Guardrails, IntentOperation, Proposal, ProposalOption, ServiceNow } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { OpsError } from './errors.js';
import type { ExecuteApprovedResult } from './execute-approved.js';
import type { Target } from './target.js';

export interface IntentPlan {
  root: string;
  /** the compose file, relative to the repository root */
  file: string;
  before: string;
  after: string;
  operations: IntentOperation[];
  project: string;
  /** who turned the words into operations (rules: the operations were given, e.g. by the reconciler) */
  by: 'parser' | 'model' | 'rules';
}

/** Why a compose file may not be edited and committed by bcon: outside the repository, or a symbolic link. */
export function unsafeComposePath(root: string, file: string): string | undefined {
  if (path.isAbsolute(file) || file.split(/[\\/]/).includes('..')) return `${file} is outside the repository ${root}: bcon intent edits only the repository's own compose files`;
  try {
    if (lstatSync(path.join(root, file)).isSymbolicLink()) return `${file} is a symbolic link: bcon intent edits only regular files of the repository`;
  } catch {
    /* absent: reported where it is read */
  }
  return undefined;
}

/** A front-end's hook: ask a model for operations when the parser cannot place the request (undefined: no model). */
export type IntentModel = (text: string, now: Record<string, ServiceNow>, repo: string) => Promise<IntentOperation[] | undefined>;

/**
 * Read the compose file and what it declares now, parse the intent (or take the operations given), and compute the
 * edited text. Changes nothing.
 */
export async function planIntent(text: string, options: { repo: string; file?: string | undefined; model?: IntentModel; operations?: readonly IntentOperation[] }): Promise<IntentPlan> {
  const { DEFAULT_COMPOSE_FILES, findRepositoryRoot, loadComposeProject, readDesiredText, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(options.repo);
  } catch {
    throw new OpsError(`no git repository at ${options.repo}: bcon intent edits and commits the compose file of a repository (--repo PATH)`, 'no_repository');
  }
  const abs = options.file ? path.resolve(options.file) : DEFAULT_COMPOSE_FILES.map((f) => path.join(path.resolve(options.repo), f)).find((f) => existsSync(f));
  if (!abs || !existsSync(abs)) throw new OpsError(`no compose file found in ${options.repo} (${DEFAULT_COMPOSE_FILES.join(', ')}): name it with --file`, 'no_compose_file');
  const file = path.relative(root, abs);
  const unsafe = unsafeComposePath(root, file);
  if (unsafe) throw new OpsError(unsafe, 'compose_outside');
  let before: string;
  let project;
  try {
    // the sensor's reader: the size cap (and the alias limits when parsed) hold here too
    before = (await readDesiredText(worktreeSource(root), file)) ?? '';
    project = await loadComposeProject(worktreeSource(root), { dir: path.dirname(file) || '.', files: [path.basename(file)] });
  } catch (err) {
    throw new OpsError(`${file} cannot be read as a compose file (${(err as Error).message}); it was not changed`, 'compose_invalid');
  }
  const now: Record<string, ServiceNow> = Object.fromEntries(
    Object.entries(project.services).map(([name, s]) => [
      name,
      {
        replicas: s.replicas,
        memoryBytes: s.memoryBytes,
        memoryReservationBytes: s.memoryReservationBytes,
        cpus: s.nanoCpus ? s.nanoCpus / 1e9 : undefined,
        image: s.image,
        environment: s.environment,
        restart: s.restart?.name,
        dependsOn: s.dependsOn,
        published: s.ports.flatMap((p) => (p.published ? [Number(p.published)] : [])),
        ports: s.ports.flatMap((p) => (p.published ? [{ published: Number(p.published), target: p.target, protocol: p.protocol }] : [])),
        // the healthcheck command stays out (it may hold a credential and this record is shown to a model, redacted)
        ...(s.healthcheck && s.healthcheck !== 'disabled' ? { healthcheck: { intervalNs: s.healthcheck.intervalNs, timeoutNs: s.healthcheck.timeoutNs, retries: s.healthcheck.retries, test: undefined } } : {}),
      },
    ]),
  );
  const { IntentError, IntentOperationSchema, editCompose, parseIntent } = await import('@bcon/decision');
  if (options.operations) {
    const given = options.operations.map((op) => IntentOperationSchema.parse(op));
    for (const op of given) if (!now[op.service]) throw new OpsError(`no service named "${op.service}" in ${file}; it was not changed`, 'unknown_service');
    return { root, file, before, after: editCompose(before, given), operations: given, project: project.name, by: 'rules' };
  }
  let operations: IntentOperation[];
  let by: IntentPlan['by'] = 'parser';
  try {
    operations = parseIntent(text, now);
  } catch (err) {
    // phrasing the parser cannot place goes to the model, when one is configured; refusals stay refusals
    if (!(err instanceof IntentError) || err.code !== 'ambiguous') throw err;
    const fromModel = await options.model?.(text, now, options.repo);
    if (!fromModel) throw err;
    operations = fromModel;
    by = 'model';
  }
  return { root, file, before, after: editCompose(before, operations), operations, project: project.name, by };
}

/** The running replicas of a service of this plan's project on the target. */
function replicasOf(plan: Pick<IntentPlan, 'root' | 'file' | 'project'>, all: readonly ContainerFacts[], service: string): ContainerFacts[] {
  const dir = path.join(plan.root, path.dirname(plan.file));
  const byProject = all.filter((c) => c.compose?.service === service && !c.compose.oneoff && c.compose.project === plan.project);
  const mine = byProject.length ? byProject : all.filter((c) => c.compose?.service === service && !c.compose.oneoff && c.compose.workingDir === dir);
  return mine.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/**
 * The engine actions that converge the changed services on what the file now says (the rest needs `compose up`),
 * computed from the containers as they are now, and for every operation the action that stands for its risk even
 * when nothing runs yet (a secret set on a stopped service is still a secret change).
 */
export function convergeActions(plan: Pick<IntentPlan, 'root' | 'file' | 'project' | 'operations'>, all: readonly ContainerFacts[]): { actions: Action[]; riskOnly: Action[]; manual: string[] } {
  const scaleDown: Action[] = [];
  const changes: Action[] = [];
  const scaleUp: Action[] = [];
  const riskOnly: Action[] = [];
  const manual: string[] = [];
  // replicas a scale-down removes are not changed first; replicas a scale-up adds are cloned from the changed ones,
  // so the order is: scale down, change the remaining replicas, scale up
  const finalCount = new Map<string, number>();
  for (const op of plan.operations) if (op.op === 'set_replicas') finalCount.set(op.service, op.value);
  for (const op of plan.operations) {
    const s = op.service;
    const present = replicasOf(plan, all, s);
    const cs = finalCount.has(s) ? present.slice(0, Math.max(1, Math.min(present.length, finalCount.get(s) as number))) : present;
    const names = cs.map((c) => c.name);
    const project = cs[0]?.compose?.project ?? plan.project;
    const one = cs[0]?.name ?? `${plan.project}_${s}_1`;
    switch (op.op) {
      case 'set_replicas': {
        const a: Action = { type: 'service.scale', service: s, from: present.length, to: op.value, project };
        if (present.length && present.length !== op.value) (op.value < present.length ? scaleDown : scaleUp).push(a);
        else riskOnly.push(a);
        break;
      }
      case 'set_memory_limit':
        (cs.length ? changes : riskOnly).push({ type: 'service.set_memory', service: s, containers: names.length ? names : [one], memoryBytes: op.bytes, previousBytes: cs[0]?.limits.memoryBytes ?? null });
        break;
      case 'set_cpu_limit':
        (cs.length ? changes : riskOnly).push({ type: 'service.set_cpus', service: s, containers: names.length ? names : [one], cpus: op.cpus, previousCpus: cs[0]?.limits.nanoCpus ? cs[0].limits.nanoCpus / 1e9 : null });
        break;
      case 'set_env':
        if (cs.length) for (const c of cs) changes.push({ type: 'service.set_env', service: s, container: c.name, name: op.name, value: op.value });
        else riskOnly.push({ type: 'service.set_env', service: s, container: one, name: op.name, value: op.value });
        break;
      case 'unset_env':
        if (cs.length) for (const c of cs) changes.push({ type: 'service.unset_env', service: s, container: c.name, name: op.name });
        else riskOnly.push({ type: 'service.unset_env', service: s, container: one, name: op.name });
        break;
      case 'set_image':
        if (cs.length) for (const c of cs) changes.push({ type: 'service.rollback_image', service: s, container: c.name, image: op.image, currentImage: c.image });
        else riskOnly.push({ type: 'service.rollback_image', service: s, container: one, image: op.image, currentImage: '' });
        break;
      default:
        manual.push(`${op.op} on ${s}: run docker compose up -d ${s} to apply it`);
    }
  }
  return { actions: [...scaleDown, ...changes, ...scaleUp], riskOnly, manual: [...new Set(manual)] };
}

/**
 * The tier an intent has beyond its engine actions: a commit to the desired state is at least notify; an operation
 * with nothing running yet is assessed like the action it stands for; a compose-only edit (ports, restart policy,
 * healthcheck, dependencies, reservations) goes through the guardrails by service, `service:op` or `op`.
 */
export async function intentExtraTier(plan: Pick<IntentPlan, 'root' | 'file' | 'project' | 'operations'>, all: readonly ContainerFacts[], guardrails: Guardrails): Promise<GuardrailTier> {
  const { assessRisk, guardedTier, stricterTier } = await import('@bcon/decision');
  const { riskOnly } = convergeActions(plan, all);
  let tier: GuardrailTier = 'notify';
  for (const a of riskOnly) {
    const touched = 'container' in a ? all.filter((c) => c.name === a.container) : 'containers' in a ? all.filter((c) => a.containers.includes(c.name)) : replicasOf(plan, all, a.service);
    tier = stricterTier(tier, assessRisk(a, { containers: touched, replicas: 'service' in a ? replicasOf(plan, all, a.service).length : touched.length, guardrails }).tier);
  }
  for (const op of plan.operations) if (!ENGINE_OPS.has(op.op)) tier = stricterTier(tier, guardedTier('notify', op.service, op.op, guardrails));
  return tier;
}

const ENGINE_OPS = new Set(['set_replicas', 'set_memory_limit', 'set_cpu_limit', 'set_env', 'unset_env', 'set_image']);

/** The request and the operations as they may be written down (commit message, audit log): secret values masked. */
export async function publicIntent(text: string, operations: readonly IntentOperation[]): Promise<{ text: string; operations: IntentOperation[] }> {
  const { isSecretName, redactText } = await import('@bcon/reasoning/redact');
  let t = text;
  const ops = operations.map((o) => {
    if (o.op !== 'set_env') return o;
    // an env value is written down only when its name says it is not a secret and it holds no credential
    const masked = isSecretName(o.name) || redactText(`${o.name}=${o.value}`) !== `${o.name}=${o.value}`;
    if (!masked) return o;
    if (o.value) t = t.split(o.value).join('***');
    return { ...o, value: '***' };
  });
  return { text: redactText(t), operations: ops };
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Turn an intent plan into a proposal like any other: one option per engine action with bcon's risk and tier (and
 * the tier of every operation, also those with nothing running yet), the fingerprint of the containers it touches,
 * and the compose edit it commits when approved. Saved as pending.
 */
export async function intentProposal(input: { store: Store; plan: IntentPlan; text: string; target: Target; guardrails: Guardrails; ttlMs?: number }): Promise<{ proposal: Proposal; minimumTier: GuardrailTier; manual: string[] }> {
  const { plan, target } = input;
  const { containersOn } = await import('./containers.js');
  const all = await containersOn(target);
  const { assessRisk, coveredContainers, describeAction, fingerprintOf } = await import('@bcon/decision');
  const { actions, manual } = convergeActions(plan, all);
  const shown = await publicIntent(input.text, plan.operations);
  const options: ProposalOption[] = [];
  const minimumTier = await intentExtraTier(plan, all, input.guardrails);
  const assess = (a: Action) => {
    const touched = 'container' in a ? all.filter((c) => c.name === a.container) : 'containers' in a ? all.filter((c) => a.containers.includes(c.name)) : replicasOf(plan, all, a.service);
    return assessRisk(a, { containers: touched, replicas: 'service' in a ? replicasOf(plan, all, a.service).length : touched.length, guardrails: input.guardrails });
  };
  for (const a of actions) {
    const r = assess(a);
    const { type, ...params } = a;
    options.push({ n: options.length + 1, action: type, params, summary: describeAction(a), risk: r.risk, tier: r.tier, reasons: [shown.text, ...r.reasons], cause: 'intent', culprit: 'service' in a ? a.service : a.container });
  }
  const touchedNames = all.filter((c) => plan.operations.some((o) => replicasOf(plan, [c], o.service).length)).map((c) => c.name);
  const now = Date.now();
  const proposal: Proposal = {
    id: `i-${randomBytes(4).toString('hex')}`,
    target: [...new Set(plan.operations.map((o) => o.service))].join(','),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (input.ttlMs ?? 3600_000)).toISOString(),
    fingerprint: fingerprintOf(coveredContainers(all, touchedNames)),
    containers: touchedNames.sort(),
    options,
    notes: manual,
    host: { address: target.address, ...(target.name ? { name: target.name } : {}) },
    intent: { text: input.text, root: plan.root, file: plan.file, beforeSha256: sha256(plan.before), after: plan.after, operations: plan.operations, project: plan.project, manual },
    minimumTier,
    repo: plan.root,
  };
  const { saveProposal } = await import('@bcon/store');
  saveProposal(input.store, { id: proposal.id, createdAt: now, expiresAt: Date.parse(proposal.expiresAt), target: proposal.target, status: 'pending', body: proposal });
  return { proposal, minimumTier, manual };
}

/** The steps an approved intent runs under the lock: the file must be as it was read, then it is committed. */
export function intentSteps(
  p: Proposal,
  store: Store,
  actor: string,
): { recheck: () => Promise<string | undefined>; beforeExecute: (approval: ExecuteApprovedResult['approval']) => Promise<Record<string, unknown>>; extraTier: (all: readonly ContainerFacts[], guardrails: Guardrails) => Promise<GuardrailTier> } {
  const intent = p.intent;
  if (!intent) throw new OpsError(`proposal ${p.id} is not an intent`, 'not_intent');
  const abs = path.join(intent.root, intent.file);
  return {
    extraTier: (all, guardrails) => intentExtraTier({ root: intent.root, file: intent.file, project: intent.project, operations: intent.operations }, all, guardrails),
    recheck: async () => {
      const unsafe = unsafeComposePath(intent.root, intent.file);
      if (unsafe) return unsafe;
      const { MAX_DESIRED_FILE_BYTES } = await import('@bcon/sensor/desired');
      const text = existsSync(abs) && statSync(abs).size <= MAX_DESIRED_FILE_BYTES ? readFileSync(abs, 'utf8') : '';
      if (sha256(text) !== intent.beforeSha256) return `${intent.file} changed since the intent ${p.id} was planned: nothing was done; run bcon intent again`;
      // what is committed is what the operations make of the file, nothing else (a stored proposal is not trusted)
      const { editCompose } = await import('@bcon/decision');
      if (editCompose(text, intent.operations) !== intent.after) return `the stored edit of intent ${p.id} is not what its operations make of ${intent.file}: nothing was done`;
      // the commit holds this file only: other changes already staged would be swept into it
      const { stagedFiles } = await import('@bcon/executor');
      const staged = (await stagedFiles(intent.root)).filter((f) => f !== intent.file);
      if (staged.length) return `the repository has staged changes (${staged.slice(0, 5).join(', ')}${staged.length > 5 ? ', …' : ''}) that the intent's commit would include: commit or unstage them first; nothing was done`;
      return undefined;
    },
    beforeExecute: async (approval) => {
      const { commitFile } = await import('@bcon/executor');
      const shown = await publicIntent(intent.text, intent.operations);
      const commit = await commitFile(intent.root, intent.file, intent.after, `bcon intent: ${shown.text}\n\nproposal: ${p.id}\noperations: ${JSON.stringify(shown.operations)}\n`);
      const { audit } = await import('./audit.js');
      audit(store, { actor, action: 'intent.commit', target: p.target, approval, result: 'success', context: { proposal: p.id, host: p.host ? (p.host.name ?? p.host.address) : undefined, reason: shown.text, proposed_by: 'bcon', commit, file: intent.file, operations: shown.operations } });
      return { commit, file: intent.file };
    },
  };
}

export type IntentOutcome =
  | { kind: 'applied'; proposal: Proposal; commit: string; result: ExecuteApprovedResult; manual: string[] }
  | { kind: 'pending'; proposal: Proposal; tier: GuardrailTier; manual: string[] };
