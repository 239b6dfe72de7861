import type { Action, Approver, GuardrailTier, Guardrails, Proposal, ProposalOption } from '@bcon/decision';
import type { ExecutionResult } from '@bcon/executor';
import type { ContainerFacts } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { thisProcess } from './actor.js';
import { audit as recordAudit } from './audit.js';
import { OpsError } from './errors.js';
import type { Target } from './target.js';
import { targetLabel } from './target.js';

/**
 * Who stands behind an execution, and so the highest tier it may run without more: `confirmed` — a person said yes
 * to a request (intent --yes): autonomous and notify; `person` — a person approved this proposal by id (bcon
 * approve): up to explicit; the prohibited tier needs two approvers with codes whatever the authority; `autonomous`
 * — nobody (the reconciler): autonomous and notify only.
 */
export type Authority = 'autonomous' | 'confirmed' | 'person';

/** The front-end an approval came through (recorded in the audit entries' context). */
export type Channel = 'cli' | 'web' | 'slack' | 'reconciler';

const MAX_TIER: Record<Authority, GuardrailTier> = { autonomous: 'notify', confirmed: 'notify', person: 'explicit' };

export interface ExecuteApprovedInput {
  store: Store;
  proposal: Proposal;
  /** the proposal's stored status (it must be pending) */
  status: string;
  /** the options to run, in order (an intent runs all of its options) */
  options: number[];
  /** who runs it */
  actor: string;
  /** for the prohibited tier: two different approvers, each with a TOTP code */
  approvers?: Approver[];
  authority: Authority;
  target: Target;
  /** guardrail overrides as they are NOW (the tier is recomputed under the lock) */
  guardrails: Guardrails;
  verifyTimeoutMs?: number;
  /** TOTP secrets by approver name (default: BCON_TOTP_SECRET_<NAME> of the target's environment) */
  totpSecret?: (actor: string) => string | undefined;
  /** runs under the lock after every check passed, before the first action (an intent commits its file here) */
  beforeExecute?: (approval: ExecuteApprovedResult['approval']) => Promise<Record<string, unknown> | void>;
  /** extra checks under the lock (an intent: its file did not change); a message refuses */
  recheck?: () => Promise<string | undefined>;
  /** a tier the whole change has beyond its engine actions (an intent's compose-only edits), from the facts and guardrails now */
  extraTier?: (all: readonly ContainerFacts[], guardrails: Guardrails) => Promise<GuardrailTier>;
  onProgress?: (line: string) => void;
  /** give the lock back and exit on SIGINT/SIGTERM/SIGHUP (default); a long-running caller that finishes its action first passes false */
  exitOnSignal?: boolean;
  /** the front-end it came through, recorded as `channel` in every audit entry's context */
  channel?: Channel;
}

export interface ExecutedOption {
  option: number;
  action: Action['type'];
  params: Record<string, unknown>;
  tier: GuardrailTier;
  status: ExecutionResult['status'];
  steps: string[];
  state: string;
  /** a deploy's own account (result, failures with probe output, comparison) */
  detail?: Record<string, unknown>;
}

export interface ExecuteApprovedResult {
  proposal: string;
  approval: 'autonomous' | 'notified' | 'explicit' | 'two-person';
  approvedBy: string;
  tier: GuardrailTier;
  results: ExecutedOption[];
  /** what beforeExecute returned (an intent: its commit) */
  prepared?: Record<string, unknown>;
  ok: boolean;
}

const TIER_ORDER: readonly GuardrailTier[] = ['autonomous', 'notify', 'explicit', 'prohibited'];

/** Signals that end a bcon process: each gives the lock back and closes the journal entry as interrupted. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Hide the value of a secret-named env change in what is printed, stored in the audit log or committed. */
export async function publicParams(action: Action): Promise<Record<string, unknown>> {
  const { type: _type, ...params } = action;
  if (action.type === 'service.set_env') {
    const { isSecretName, redactText } = await import('@bcon/reasoning/redact');
    // a secret name, or a value that holds a credential (a URL password, a token): the value is never written down
    if (isSecretName(action.name) || redactText(`${action.name}=${action.value}`) !== `${action.name}=${action.value}` || redactText(action.value) !== action.value) return { ...params, value: '***' };
  }
  return params;
}

/**
 * The one path from an approved decision to the executor, for every front-end (approve, intent, and later the
 * reconciler, web chat and Slack): under the host's lock it re-checks that the target did not change (fingerprint
 * of containers, replica sets and states) and recomputes the tier with the guardrails as they are now, checks the
 * approval that tier needs (two different approvers with unused TOTP codes for the prohibited tier), journals each
 * action with its owner (host, pid, start), executes and verifies it, audits the result, and always gives back the
 * lock it took — on failure and on SIGINT/SIGTERM too.
 */
export async function executeApproved(input: ExecuteApprovedInput): Promise<ExecuteApprovedResult> {
  const { store, proposal: p, target } = input;
  const audit = (s: Store, e: Parameters<typeof recordAudit>[1]) => recordAudit(s, input.channel ? { ...e, context: { ...e.context, channel: input.channel } } : e);
  // the host the decision is about: the proposal's (a refusal for pointing elsewhere names it too)
  const host = p.host ? targetLabel(p.host) : targetLabel(input.target);
  const refuse = (code: string, message: string, exitCode = 2, context: Record<string, unknown> = {}): never => {
    audit(store, { actor: input.actor, action: 'approval.refused', target: p.target, approval: 'none', result: code, context: { proposal: p.id, host, options: input.options, reason: message, ...context } });
    throw new OpsError(message, code, exitCode);
  };
  const { actionOf, assessRisk, checkTier, coveredContainers, fingerprintOf, normalizeActor, stricterTier, totpSecretVariable } = await import('@bcon/decision');
  const chosen: ProposalOption[] = input.options.map((n) => p.options.find((o) => o.n === n) ?? refuse('no_such_option', `proposal ${p.id} has no option ${n} (options: ${p.options.map((o) => o.n).join(', ') || 'none'})`));
  if (p.host && p.host.address !== target.address) {
    refuse('wrong_host', `proposal ${p.id} was made on ${targetLabel(p.host)} (${p.host.address}), but this command points at ${targetLabel(target)}: drop --host/DOCKER_HOST to approve it there, or propose again on this host`);
  }
  if (!chosen.length && !p.intent) refuse('no_option', `proposal ${p.id} has nothing to run`);
  if (input.status !== 'pending') refuse('not_pending', `proposal ${p.id} is ${input.status}, not pending`);
  if (Date.now() > Date.parse(p.expiresAt)) refuse('expired', `proposal ${p.id} expired at ${p.expiresAt}: propose again`);

  const { acquireLock, dockerFromEnv, executeAction, readLock, releaseOwnLock } = await import('@bcon/executor');
  const docker = dockerFromEnv(target.env);
  const owner = thisProcess();
  const approversGiven = input.approvers?.length ? input.approvers : [{ actor: input.actor }];
  const holder = input.actor;
  const verifyTimeoutMs = input.verifyTimeoutMs ?? 30_000;
  const lock = await acquireLock(docker, holder, `bcon: ${p.id} option ${input.options.join(',')}`, { leaseMs: chosen.length * (verifyTimeoutMs + 60_000) + 5 * 60_000, owner });
  if (!lock.ok) {
    const l = lock.lock;
    refuse('locked', `the host is locked by ${l.holder} since ${l.since}${l.message ? ` (${l.message})` : ''}: nothing was done${host ? ` on ${host}` : ''}; ask them, or wait (bcon lock status)`, 2, { lock: { holder: l.holder, since: l.since } });
  }
  const acquired = lock.ok && lock.acquired;
  let journalOpen: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    void (async () => {
      if (journalOpen !== undefined) {
        const { journalFinish } = await import('@bcon/store');
        journalFinish(store, journalOpen, 'interrupted', `stopped by ${signal} while running: check ${p.target} (bcon journal)`);
      }
      if (acquired) await releaseOwnLock(docker, holder, owner).catch(() => undefined);
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    })();
  };
  const signals = input.exitOnSignal === false ? [] : STOP_SIGNALS;
  for (const s of signals) process.once(s, onSignal);
  try {
    // one execution per host at a time, also under a lock the person took by hand (which all their commands share)
    const { unfinishedExecutions } = await import('@bcon/store');
    const { ownerState } = await import('./process-identity.js');
    const running = unfinishedExecutions(store).find((u) => u.status === 'started' && (u.host ?? undefined) === host && ownerState(u.owner) === 'alive' && u.owner?.pid !== owner.pid);
    if (running) refuse('busy', `execution #${running.id} (${running.action} on ${running.target}) is running on ${host ?? 'this host'} now (pid ${running.owner?.pid}): nothing was done; wait for it`);
    // under the lock: the target is what the proposal was made on, and the tier is what the rules say now
    const { containersOn } = await import('./containers.js');
    const all = await containersOn(target);
    if (fingerprintOf(coveredContainers(all, p.containers)) !== p.fingerprint) {
      refuse('stale', `${p.target} changed since proposal ${p.id} was made (containers re-created, reconfigured, stopped or scaled): nothing was done; run bcon propose ${p.target} again`);
    }
    const changed = await input.recheck?.();
    if (changed) refuse('stale', changed);
    let tier: GuardrailTier = p.minimumTier ?? 'autonomous';
    if (input.extraTier) tier = stricterTier(tier, await input.extraTier(all, input.guardrails));
    const planned = chosen.map((o) => {
      const action = actionOf(o);
      // a swarm service's tasks carry its name in a label (no compose labels)
      const swarm = action.type === 'swarm.scale' || action.type === 'swarm.deploy' || action.type === 'swarm.rollback';
      const touched = swarm
        ? all.filter((c) => c.labels['com.docker.swarm.service.name'] === action.service)
        : 'container' in action
          ? all.filter((c) => c.name === action.container)
          : 'containers' in action
            ? all.filter((c) => action.containers.includes(c.name))
            : all.filter((c) => c.compose?.service === action.service && (!('project' in action) || !action.project || c.compose.project === action.project));
      const service = 'service' in action ? action.service : touched[0]?.compose?.service;
      const replicas = action.type === 'swarm.scale' ? action.from : swarm ? touched.length : service ? all.filter((c) => c.compose?.service === service && !c.compose.oneoff).length : touched.length;
      const now = assessRisk(action, { containers: touched, replicas, guardrails: input.guardrails });
      const optionTier = stricterTier(o.tier, now.tier);
      tier = stricterTier(tier, optionTier);
      return { option: o, action, tier: optionTier };
    });
    // the approval that tier needs
    let approval: ExecuteApprovedResult['approval'];
    let approvedBy = input.actor;
    if (tier === 'prohibited') {
      const { totpCodeUsed, consumeTotpCodes } = await import('@bcon/store');
      const secret = input.totpSecret ?? ((a: string) => target.env[totpSecretVariable(a)] ?? process.env[totpSecretVariable(a)]);
      const check = checkTier({ ...(chosen[0] ?? { n: 0, action: 'intent', params: {}, summary: p.target, risk: 'high', reasons: [], cause: 'intent', culprit: p.target }), tier } as ProposalOption, { approvers: approversGiven, now: Date.now(), totpSecret: secret, codeUsed: (a, step) => totpCodeUsed(store, a, step) });
      if (!check.ok) refuse(check.code, check.message, 2);
      if (check.ok) {
        if (!consumeTotpCodes(store, check.codes)) refuse('code_reused', 'a one-time code was used before: wait for the next code');
        approval = 'two-person';
        approvedBy = check.approvers.join('+');
      }
    } else if (TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(MAX_TIER[input.authority])) {
      refuse('needs_approval', `this is ${tier}-tier: it needs ${tier === 'explicit' ? "a person's approval of the proposal" : 'more'} (bcon approve ${p.id}${chosen.length === 1 ? ` --option ${chosen[0]?.n}` : ''}); nothing was done`, 1, { tier });
    }
    approval ??= input.authority === 'person' ? 'explicit' : tier === 'autonomous' ? 'autonomous' : 'notified';
    const { journalFinish, journalStart, setProposalStatus } = await import('@bcon/store');
    if (!setProposalStatus(store, p.id, 'approved')) refuse('not_pending', `proposal ${p.id} was decided meanwhile`);
    audit(store, { actor: approvedBy, action: 'proposal.approve', target: p.target, approval, result: `option ${input.options.join(',')}`, context: { proposal: p.id, host, options: input.options, tier, ...(approval === 'two-person' ? { approvers: approversGiven.map((a) => normalizeActor(a.actor)) } : {}), reason: chosen[0]?.reasons[0] ?? '', proposed_by: 'bcon' } });
    const prepared = (await input.beforeExecute?.(approval)) ?? undefined;
    const results: ExecutedOption[] = [];
    for (const { option, action, tier: optionTier } of planned) {
      const params = await publicParams(action);
      // the lock must still be this execution's (not released by hand, broken as stale, or pruned with the engine's containers)
      const held = await readLock(docker);
      if (!held || (acquired && (held.owner?.pid !== owner.pid || held.owner?.startedAt !== owner.startedAt || held.owner?.host !== owner.host)) || held.holder !== holder) {
        results.push({ option: option.n, action: action.type, params, tier: optionTier, status: 'failed', steps: ['the host\'s lock is no longer this execution\'s: stopped before this action'], state: 'not run: the lock was released, broken or removed while the execution ran' });
        audit(store, { actor: approvedBy, action: action.type, target: p.target, approval, result: 'failed', context: { proposal: p.id, host, option: option.n, reason: 'the lock was lost before this action: not run' } });
        break;
      }
      input.onProgress?.(`Running${host ? ` on ${host}` : ''}: ${option.summary} …`);
      journalOpen = journalStart(store, { proposalId: p.id, action: action.type, target: p.target, startedAt: Date.now(), owner, ...(host ? { host } : {}), actionJson: JSON.stringify(action) });
      // a deploy is long and has steps that matter on their own (which replica failed which probe): each is shown as
      // it happens and is an audit entry of its own
      const onStep =
        action.type === 'service.deploy' || action.type === 'swarm.deploy' || action.type === 'swarm.rollback'
          ? (line: string) => {
              input.onProgress?.(`  ${line}`);
              audit(store, { actor: approvedBy, action: `${action.type}.step`, target: p.target, approval, result: /^FAILED /.test(line) ? 'failure' : 'progress', context: { proposal: p.id, host, option: option.n, step: line } });
            }
          : undefined;
      // a service with no container left is made from the committed files (read now, at HEAD; never from the proposal)
      const { fromFilesFor } = await import('./from-files.js');
      const fromFiles = await fromFilesFor(p.repo, all, action);
      const r = await executeAction(docker, action, { verifyTimeoutMs, ...(onStep ? { onStep } : {}), ...(fromFiles ? { fromFiles } : {}) });
      journalFinish(store, journalOpen, r.status, r.state);
      journalOpen = undefined;
      audit(store, { actor: approvedBy, action: action.type, target: p.target, approval, result: r.status === 'succeeded' ? 'success' : r.status, context: { proposal: p.id, host, option: option.n, tier: optionTier, params, reason: option.reasons[0] ?? '', proposed_by: 'bcon', state: r.state, steps: r.steps } });
      results.push({ option: option.n, action: action.type, params, tier: optionTier, status: r.status, steps: r.steps, state: r.state, ...(r.detail ? { detail: r.detail } : {}) });
      if (r.status !== 'succeeded') break;
    }
    return { proposal: p.id, approval, approvedBy, tier, results, ...(prepared ? { prepared } : {}), ok: results.length === planned.length && results.every((r) => r.status === 'succeeded') };
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    if (acquired) await releaseOwnLock(docker, holder, owner).catch(() => undefined);
  }
}

/**
 * A stored proposal's one option run as a person's confirmed request from the CLI (`--yes`): up to the notify tier;
 * an explicit one waits for bcon approve. What `bcon deploy` and the swarm changes run.
 */
export async function runConfirmedProposal(input: { store: Store; proposal: Proposal; target: Target; actor: string; guardrails: Guardrails; onProgress?: (line: string) => void }): Promise<ExecuteApprovedResult> {
  const { runProposal } = await import('./run-proposal.js');
  return runProposal({ ...input, authority: 'confirmed', channel: 'cli' });
}
