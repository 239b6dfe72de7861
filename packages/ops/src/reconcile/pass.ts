import { createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { GuardrailTier, Proposal, ProposalOption } from '@bcon/decision';
import type { Diagnosis, Onset } from '@bcon/reasoning';
import type { CollectedDiagnosis } from '../diagnose.js';
import type { Store } from '@bcon/store';
import { audit } from '../audit.js';
import { OpsError } from '../errors.js';
import type { Target } from '../target.js';
import { targetLabel } from '../target.js';
import type { PolicyConfig } from './policy/config.js';
import type { CandidateAction, DecisionMode, PauseState, PolicyInputs } from './policy/decide.js';
import type { PolicyMemory } from './policy/state.js';
import { holdBackUnanswered } from './hold-back.js';
import type { OomUncured } from './limit-intent.js';
import type { ProbingMemory } from './refused-nowhere.js';
import { limitAwayFromFiles, limitIntentProposal, memoryRaiseBytes, oomUncured } from './limit-intent.js';
import { whyFreshFails } from './fresh-failure.js';
import { applyKey, failedApplyKey, failedAt } from './failed-apply.js';
import { keptStarts, startUndecided, unheldStart } from './held-start.js';
import { nextRung } from './next-rung.js';
import { dependencyHolds } from './root-first.js';
import { notifyAll } from './notify.js';
import type { PullResult } from './pull.js';
import type { ReconcilerState } from './state-file.js';
import { readReconcilerState, writeReconcilerState } from './state-file.js';

/** Causes whose repair is self-heal of drift (self_heal: false makes it a proposal); the rest is incident recovery. */
const DRIFT_CAUSES = new Set(['replica_drift', 'image_drift', 'config_drift', 'stopped_service']);

/** Who the reconciler acts as, in the audit log and the lock. */
export const RECONCILER_ACTOR = 'bcon/reconciler';

export interface PassDecision {
  id: string;
  host: string;
  service: string;
  action: string;
  tier: GuardrailTier;
  mode: DecisionMode;
  reasons: string[];
  /** executed: the verified state; proposed: the proposal id; refused: why */
  result: string;
  cause: string;
  /** the evidence the decision rests on (texts, redacted) */
  evidence: string[];
  inputs: PolicyInputs;
}

export interface PassHost {
  name: string;
  status: 'ok' | 'unreachable' | 'paused';
  error?: string;
}

export interface PassResult {
  commit: string | null;
  /** reconcile.pull: what fetching from the remote did */
  pull?: PullResult;
  startedAt: string;
  durationMs: number;
  dryRun: boolean;
  hosts: PassHost[];
  decisions: PassDecision[];
  /**
   * why the next pass is due soon rather than an interval away: a repair ran (what it left is judged again), or one
   * waits for a dependency repaired now or becoming ready within seconds (a long-running reconciler follows up)
   */
  followUp?: string;
}

export interface PassOptions {
  /** the desired-state repository (its bcon.yaml: reconcile:, recovery:, notify:, guardrails:) */
  repo: string;
  targets: Target[];
  store: Store;
  dryRun?: boolean;
  now?: () => number;
  /** seconds a restarted container has to be running (and healthy) */
  verifyTimeoutMs?: number;
  /** how far back each pass reads events and logs */
  windowSeconds?: number;
  env?: NodeJS.ProcessEnv;
  /** a long-running reconciler finishes the current action on SIGTERM (it handles the signal itself) */
  exitOnSignal?: boolean;
}

interface Candidate {
  target: Target;
  host: string;
  option: ProposalOption;
  proposal: Proposal;
  candidate: CandidateAction;
  evidence: string[];
  /** why a re-create would fail like its first run (fresh-failure.ts) */
  freshFailed?: string;
}

/** Something wrong on a service that no catalog action answers (a file, an image, the host): a person is told. */
interface Report {
  host: string;
  /** `project/service` */
  service: string;
  culprit: string;
  cause: string;
  /** what is wrong, and what a person would do about it */
  summary: string;
  suggestion?: string;
  /** the option the rules had, and why it was not run */
  heldBack?: string;
  evidence: string[];
  /** found by a sweep on a service whose containers looked fine (kept between sweeps) */
  swept?: boolean;
}

/**
 * What a sweep does not report on a quiet service: drift and containers outside the files (the repair passes'
 * business: not faults), and the causes read from a container's exits and restarts — it runs fine now (a service
 * bcon just started again still carries its restart count and exit events: history, not a fault).
 */
const NOT_SWEPT = new Set([...DRIFT_CAUSES, 'untracked_container', 'crash_loop', 'oom_killed', 'bad_command']);

/**
 * The policy inputs of a decision the policy's decide() did not make (the undo of an interrupted execution, a
 * report), read from the same memory and pause state, so its audit entry shows what a decided one would.
 */
function inputsOf(tier: GuardrailTier, host: string, service: string, ctx: { memory: PolicyMemory; pause: PauseState; policy: PolicyConfig; dryRun: boolean; now: number }): PolicyInputs {
  return {
    tier,
    budgetLeft: ctx.memory.budget.left({ host, service }, ctx.now),
    breaker: ctx.memory.breaker.isOpen(service) ? 'open' : 'closed',
    paused: Boolean(ctx.pause.global ?? ctx.pause.hosts?.[host]),
    hostReachable: true,
    selfHeal: ctx.policy.reconcile.selfHeal,
    dryRun: ctx.dryRun,
  };
}

/** An OOM kill a start did not cure, as a limit change to propose as a commit. */
function oomAsLimit(o: OomUncured | undefined): { option: ProposalOption; because: string; oom: true } | undefined {
  return o ? { ...o, oom: true } : undefined;
}

function serviceKey(d: Diagnosis, culprit: string): string {
  const s = d.signals.services.find((x) => x.name === culprit);
  return `${s?.project ?? ''}/${culprit}`;
}

/** The committed desired state's commit (HEAD), or null outside a repository. */
async function headCommit(repo: string): Promise<string | null> {
  try {
    const { findRepositoryRoot, gitRefSource } = await import('@bcon/sensor/desired');
    const root = await findRepositoryRoot(repo);
    return (await gitRefSource(root, 'HEAD')).commit ?? null;
  } catch {
    return null;
  }
}

/** The deploy of a newly committed image as a reconciler option (undefined when it cannot be planned: the re-create stays). */
async function deployOption(target: Target, repo: string, service: string, image: string, was: ProposalOption): Promise<ProposalOption | undefined> {
  try {
    const { planDeploy } = await import('../deploy.js');
    const { assessRisk, describeAction } = await import('@bcon/decision');
    const { currentGuardrails } = await import('../guardrails.js');
    const plan = await planDeploy({ target, repo, service, image });
    const r = assessRisk(plan.action, { containers: plan.replicas, replicas: plan.replicas.length, guardrails: await currentGuardrails(plan.root) });
    const { type, ...params } = plan.action;
    return { ...was, action: type, params, summary: describeAction(plan.action), risk: r.risk, tier: r.tier, reasons: [`${image} is committed; ${plan.action.currentImage} runs: a ${plan.action.strategy} deploy`, ...r.reasons] };
  } catch {
    return undefined;
  }
}

/** What one host needs: the diagnosis of every service not OK, and the best catalog action per culprit. */
async function candidatesOn(target: Target, repo: string, commit: string | null, policy: PolicyConfig, windowSeconds: number, sweep: { since: number | undefined; claimed: ReadonlySet<string> } | undefined, probingBefore: Readonly<Record<string, ProbingMemory>>): Promise<{ diagnosis: CollectedDiagnosis; candidates: Candidate[]; reports: Report[]; probing: Record<string, ProbingMemory> }> {
  const { collectDiagnosis } = await import('../diagnose.js');
  const { OPTION_CONFIDENCE_FLOOR, buildProposal } = await import('@bcon/decision');
  const { CLAIM_THRESHOLD } = await import('@bcon/reasoning');
  const { currentGuardrails } = await import('../guardrails.js');
  const { repositoryRoot } = await import('../repository-config.js');
  const diagnosis = await collectDiagnosis({ target: undefined, complaint: undefined, windowSeconds, tail: 500, maxLogBytes: 1024 * 1024, repo, env: target.env, host: target.name, includeDrifted: true, sweep: sweep !== undefined, ...(sweep?.since !== undefined ? { sweepSince: sweep.since, sweepClaimed: sweep.claimed } : {}) });
  // a sweep judges every service; one read only because of it (its containers look fine) is never acted on by
  // itself: a fault its logs or stats show is reported, as a claim (the claim threshold), never a drift
  const swept = new Set(diagnosis.swept ?? []);
  const host = targetLabel(target);
  const { serviceFacts } = await import('../propose.js');
  const services = serviceFacts(diagnosis);
  const root = repositoryRoot(repo);
  const proposal = buildProposal({ target: '', hypotheses: diagnosis.report.hypotheses, services, guardrails: await currentGuardrails(root), host: { address: target.address, ...(target.name ? { name: target.name } : {}) } });
  const evidenceText = new Map(diagnosis.report.evidence.map((e) => [e.id, e.text]));
  const { coveredContainers, fingerprintOf } = await import('@bcon/decision');
  const allContainers = diagnosis.signals.services.flatMap((s) => s.containers);
  const byCulprit = new Map<string, ProposalOption>();
  for (const o of proposal.options) if (!byCulprit.has(o.culprit) && !swept.has(o.culprit)) byCulprit.set(o.culprit, o);
  // containers that gave up (exited, dead): nothing but a start re-tries them
  const stopped = new Set(allContainers.filter((c) => c.state === 'exited').map((c) => c.name));
  // services that serve by their own test: every container running and healthy
  const passing = new Set(diagnosis.signals.services.filter((s) => s.containers.length > 0 && s.containers.every((c) => c.state === 'running' && c.health.status === 'healthy')).map((s) => s.name));
  // services whose port conflict may have passed (nothing running is known to listen where they do)
  const { DependencyGraph: Graph } = await import('@bcon/reasoning');
  const { portFreeServices } = await import('./port-free.js');
  const graph = new Graph(diagnosis.signals.services);
  const portFree = portFreeServices(diagnosis.signals.services, graph);
  // culprits led by a refused connection at an address no running service of the stack listens on
  const { probedPorts, refusedNowhere, rememberRefusals, runOf } = await import('./refused-nowhere.js');
  // the ports each service was refused at over its run (kept between passes): read where a refusal is a lead now,
  // carried for the others while the same containers run
  const probing: Record<string, ProbingMemory> = {};
  const refusedNow = new Set(diagnosis.report.hypotheses.filter((h) => h.cause === 'connection_refused').map((h) => h.culprit));
  const read = new Set<string>();
  for (const s of diagnosis.signals.services) {
    const key = `${host}|${serviceKey(diagnosis, s.name)}`;
    read.add(key);
    const earlier = probingBefore[key];
    const kept = refusedNow.has(s.name) ? rememberRefusals(s, earlier) : earlier?.run === runOf(s) ? earlier : undefined;
    if (kept) probing[key] = kept;
  }
  // a quiet service not read between sweeps keeps its memory while it has containers here (its run is checked when
  // it is read again)
  const inView = new Set(diagnosis.running ?? []);
  for (const [key, kept] of Object.entries(probingBefore)) {
    if (key.startsWith(`${host}|`) && !read.has(key) && inView.has(key.slice(key.lastIndexOf('/') + 1))) probing[key] = kept;
  }
  const refusedAt = new Map<string, string>();
  for (const h of diagnosis.report.hypotheses) {
    const s = h.cause === 'connection_refused' && !refusedAt.has(h.culprit) ? diagnosis.signals.services.find((x) => x.name === h.culprit) : undefined;
    const at = s ? refusedNowhere(s, diagnosis.signals.services, graph) : undefined;
    if (at) refusedAt.set(h.culprit, at);
  }
  const held = holdBackUnanswered(diagnosis.report.hypotheses, proposal.options, byCulprit, stopped, passing, portFree, refusedAt);
  // with a model configured it may pick among the options the rules produced for a service (validated: one of
  // them, its reason redacted); without one, or when its answer does not hold, the rules' first option stands
  const modelNotes = new Map<string, string[]>();
  const choices = [...byCulprit.keys()].map((culprit) => ({ culprit, options: proposal.options.filter((o) => o.culprit === culprit) }));
  if (choices.some((c) => c.options.length > 1)) {
    const { pickWithModel } = await import('./model-pick.js');
    const { picks, notes } = await pickWithModel(repo, diagnosis, choices);
    for (const [culprit, pick] of picks) {
      const choice = choices.find((c) => c.culprit === culprit);
      const picked = choice?.options.find((o) => o.n === pick.n);
      if (!choice || !picked) continue;
      byCulprit.set(culprit, { ...picked, reasons: [...picked.reasons, `the model picked option ${pick.n} of ${choice.options.length} (the rules' first: ${choice.options[0]?.summary}): ${pick.why}`] });
    }
    for (const n of notes) for (const c of n.culprit ? [n.culprit] : [...byCulprit.keys()]) modelNotes.set(c, [...(modelNotes.get(c) ?? []), n.text]);
  }
  // a new image committed for a service: rolled out as a deploy (health-gated, rolled back on failure; staging is
  // notify, production explicit), not a bare re-create
  for (const [culprit, o] of byCulprit) {
    const params = o.params as Record<string, unknown>;
    if (o.action === 'service.rollback_image' && params['image'] !== params['currentImage']) {
      const deploy = await deployOption(target, repo, culprit, String(params['image']), o);
      if (deploy) byCulprit.set(culprit, deploy);
    }
  }
  // the option finally chosen (the model's pick, a deploy) is held to the same rule
  for (const [culprit, why] of holdBackUnanswered(diagnosis.report.hypotheses, proposal.options, byCulprit, stopped, passing, portFree, refusedAt)) held.set(culprit, why);
  const candidates: Candidate[] = [];
  for (const [culprit, option] of byCulprit) {
    // prune is off by default: the reconciler never removes a container by itself
    if (option.action === 'container.remove_untracked' && !policy.reconcile.prune) continue;
    const h = diagnosis.report.hypotheses.find((x) => x.culprit === culprit && x.cause === option.cause);
    const containerKey = 'container' in option.params ? `${host}/${String(option.params['container'])}` : undefined;
    const signals = diagnosis.signals.services.find((s) => s.name === culprit);
    const container = containerKey ? signals?.containers.find((c) => `${host}/${c.name}` === containerKey) : undefined;
    // an unpause: the engine's last pause of that container (events come oldest first), when the events read reach back to it
    const pausedAt = option.action === 'container.unpause' && container ? (signals?.events ?? []).filter((e) => e.containerId === container.id && e.action === 'pause').pop()?.at : undefined;
    const startPeriod = signals?.containers
      .map((c) => (c.config.healthcheck?.startPeriodNs && c.startedAt ? Date.parse(c.startedAt) + c.config.healthcheck.startPeriodNs / 1e6 : undefined))
      .find((t) => t !== undefined);
    // bound to this service's containers only: another service's repair earlier in the pass must not make it stale
    const own = (signals?.containers ?? []).map((c) => c.name);
    const touched = 'container' in option.params ? [String(option.params['container'])] : own;
    const covered = coveredContainers(allContainers, [...new Set([...own, ...touched])]);
    // option 1 is what the pass decided; the rules' other options for the service follow, for a person who gets the
    // proposal (a breaker open on restarts: the memory limit the OOM kill asks for is there to approve)
    const alternatives = proposal.options.filter((o) => o.culprit === culprit && !(o.action === option.action && isDeepStrictEqual(o.params, option.params)) && !(option.action === 'service.deploy' && o.action === 'service.rollback_image'));
    const single: Proposal = { ...proposal, id: `p-${randomBytes(4).toString('hex')}`, target: culprit, fingerprint: fingerprintOf(covered), containers: covered.map((c) => c.name).sort(), options: [{ ...option, n: 1 }, ...alternatives.map((o, i) => ({ ...o, n: i + 2 }))], notes: [], ...(root ? { repo: root } : {}) };
    // a crash loop whose first run — in the fresh filesystem a re-create would give — died at once too: no re-create
    // nor for a service whose leading hypothesis is a full disk: a fresh container writes to the same disk
    const looping = option.cause === 'crash_loop' ? container : undefined;
    const lead = looping ? diagnosis.report.hypotheses.filter((x) => x.culprit === culprit).sort((a, b) => b.confidence - a.confidence)[0] : undefined;
    const freshFailed = !looping ? undefined : lead?.cause === 'disk_full' ? `its leading hypothesis is disk_full (${Math.round(lead.confidence * 100)}%): a fresh container writes to the same disk` : whyFreshFails(looping, signals?.events ?? []);
    candidates.push({
      target,
      host,
      ...(freshFailed ? { freshFailed } : {}),
      option: single.options[0] as ProposalOption,
      proposal: single,
      evidence: (h?.evidence ?? []).map((id) => evidenceText.get(id) ?? id),
      candidate: {
        host,
        service: serviceKey(diagnosis, culprit),
        actionType: option.action,
        tier: option.tier,
        reasons: [...option.reasons, ...(modelNotes.get(culprit) ?? []), ...(commit ? [`desired state at commit ${commit.slice(0, 12)}`] : [])],
        ...(containerKey ? { containerKey } : {}),
        production: option.reasons.includes('marked production'),
        origin: DRIFT_CAUSES.has(option.cause) ? 'drift' : 'incident',
        // (a restart of a running container waits for it; a start of an exited one, a limit or a scale does not:
        // a restart loop's every run starts a new start_period, which would hold a limit raise forever)
        ...(startPeriod !== undefined && (option.action === 'container.restart' || option.action === 'service.recreate') ? { startPeriodEndsAt: startPeriod } : {}),
        ...(pausedAt !== undefined ? { pausedAt } : {}),
      },
    });
  }
  // the root first (root-first.ts): the dependent's repair waits for its dependency — as the files say (condition:
  // service_healthy), for one still starting, or for one repaired in this pass — and is judged again next pass
  // (its dependencies: compose's depends_on, a shared network namespace, links, and addresses in its environment)
  const { DependencyGraph, betweenCrashes } = await import('@bcon/reasoning');
  // a service caught running between two crashes (it restarted and died in the last two minutes) is down for a hold:
  // a dependent started now meets it dead a moment later
  const passNow = Date.now();
  const flapping = new Set(diagnosis.signals.services.filter((s) => betweenCrashes(s, passNow)).map((s) => s.name));
  const holds = dependencyHolds(candidates.map((c) => c.option), diagnosis.signals.services, new DependencyGraph(diagnosis.signals.services), flapping, { now: passNow, minReadyMs: policy.reconcile.minReadyMs });
  for (const [i, c] of candidates.entries()) {
    const hold = holds[i];
    if (!hold) continue;
    c.candidate.afterRepairOf = serviceKey(diagnosis, hold.dependency);
    if (hold.notReady) c.candidate.dependencyNotReady = hold.notReady;
    if (hold.down) c.candidate.dependencyDown = true;
    if (hold.soon) c.candidate.dependencyReadySoon = true;
  }
  // a service diagnosed as wrong that no candidate answers is never passed over in silence: its best hypothesis is
  // reported (the options' confidence floor)
  const reports: Report[] = [];
  const { redactText } = await import('@bcon/reasoning/redact');
  const answered = new Set(candidates.map((c) => c.option.culprit));
  // a service with no container here is reported only when it is a server gone from a host where its project is
  // up (goneServer): otherwise it is a job, or declared but placed on another host (or never brought up), nothing
  // this host's reconciler could act on
  const { goneServer, upProjectsOf } = await import('../propose.js');
  const up = upProjectsOf(diagnosis);
  // a container outside the files that writes a declared service's data, or copies one declared service (its work
  // done twice), is a fault, not only drift: a sweep tells it
  const { sharedWritableData, twinOf } = await import('@bcon/reasoning');
  const untrackedFault = (h: { cause: string; culprit: string }) => {
    const s = h.cause === 'untracked_container' ? diagnosis.signals.services.find((x) => x.name === h.culprit && x.untracked) : undefined;
    return s !== undefined && (sharedWritableData(s, diagnosis.signals.services).length > 0 || twinOf(s, diagnosis.signals.services) !== undefined);
  };
  // a cause read from what another service logs now (a client quoting a Redis's `-OOM … maxmemory` reply: the
  // Redis's command) is no history of the culprit's own exits: a sweep tells it
  const ownerOf = new Map(diagnosis.signals.services.flatMap((x) => x.containers.map((c) => [c.name, x.name] as const)));
  const evidenceById = new Map(diagnosis.report.evidence.map((e) => [e.id, e]));
  const toldByOthers = (h: { culprit: string; evidence: string[] }) =>
    h.evidence.some((id) => {
      const e = evidenceById.get(id);
      const owner = e?.kind === 'log' ? ownerOf.get(e.source) : undefined;
      return owner !== undefined && owner !== h.culprit;
    });
  const present = (name: string) => diagnosis.signals.services.some((x) => x.name === name && (x.containers.length > 0 || goneServer(x, up)));
  // every container of it running, none unhealthy nor restarting: only a past restart, or its logs, set it apart
  const runsSound = (name: string) => {
    const cs = diagnosis.signals.services.find((x) => x.name === name)?.containers ?? [];
    return cs.length > 0 && cs.every((c) => c.state === 'running' && c.health.status !== 'unhealthy');
  };
  for (const h of [...diagnosis.report.hypotheses].sort((a, b) => b.confidence - a.confidence)) {
    if (h.confidence < OPTION_CONFIDENCE_FLOOR || answered.has(h.culprit) || !present(h.culprit)) continue;
    // a lead (below a claim) on a service that runs sound — looked at for a past restart (at first boot, before its
    // database was up) — is no fault to tell people of: Uptime Kuma's refusals are the hosts it watches
    // (its own finding only: a lead on a dependency read from a failing client's lines — Redis's MISCONF quoted —
    // is what the client's trouble points at, and told)
    if (h.confidence < CLAIM_THRESHOLD && !toldByOthers(h) && runsSound(h.culprit)) continue;
    if (swept.has(h.culprit) && (h.confidence < CLAIM_THRESHOLD || (NOT_SWEPT.has(h.cause) && !untrackedFault(h) && !(h.cause === 'bad_command' && toldByOthers(h))))) continue;
    // a service running sound (a sweep's, or one looked at for its health check still starting or a past restart),
    // refused at many ports its settings do not name: it looks for services (a monitoring agent's auto-detection),
    // and none being there is no fault (recovery-1207d's Netdata, a false alarm)
    if (h.cause === 'connection_refused' && runsSound(h.culprit)) {
      const s = diagnosis.signals.services.find((x) => x.name === h.culprit);
      if (s && probedPorts(s, probing[`${host}|${serviceKey(diagnosis, s.name)}`])) continue;
    }
    answered.add(h.culprit);
    const pruneOff = byCulprit.get(h.culprit)?.action === 'container.remove_untracked';
    reports.push({
      host,
      service: serviceKey(diagnosis, h.culprit),
      culprit: h.culprit,
      cause: h.cause,
      // the hypothesis' own words may quote the container's command or a log line: redacted like the evidence
      summary: redactText(h.summary),
      ...(held.has(h.culprit) ? { heldBack: redactText(held.get(h.culprit) as string) } : {}),
      ...(pruneOff ? { suggestion: 'reconcile.prune is off: the reconciler never removes a container by itself; remove it by hand (bcon propose, bcon approve) or set prune: true' } : h.suggestions[0] ? { suggestion: redactText(h.suggestions[0]) } : {}),
      evidence: h.evidence.map((id) => evidenceText.get(id) ?? id),
      ...(swept.has(h.culprit) ? { swept: true } : {}),
    });
  }
  // a swarm manager: its stacks against the committed files (replicas, image), repaired through swarm's own updates
  const { swarmCandidatesOn } = await import('./swarm-candidates.js');
  candidates.push(...(await swarmCandidatesOn(target, repo, commit)));
  return { diagnosis, candidates, reports, probing };
}

/** How many holds a candidate is down a chain of them (0: held for nothing), within one host's candidates. */
function holdDepth(candidates: readonly Candidate[], c: Candidate): number {
  let depth = 0;
  for (let cur: Candidate | undefined = c; cur?.candidate.afterRepairOf !== undefined && depth < candidates.length; depth++) {
    const dep: string = cur.candidate.afterRepairOf;
    cur = candidates.find((x) => x.host === c.host && x.candidate.service === dep);
  }
  return depth;
}

/**
 * One reconciler pass: the desired state at HEAD + every host at once + the policy (tiers, self_heal, deny windows,
 * pause, budget, breaker, backoff) → a decision per service that needs something, each executed through the one
 * write path (runProposal, approval autonomous or notified), stored as a proposal for a person, or refused —
 * with its reasons, the evidence and the commit in the audit log. A dry run decides the same and executes nothing.
 */
export async function reconcileOnce(options: PassOptions): Promise<PassResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const dryRun = options.dryRun ?? false;
  const env = options.env ?? process.env;
  const { readRepositoryConfig } = await import('../repository-config.js');
  const { parsePolicyConfig } = await import('./policy/config.js');
  const { decide, recordExecuted } = await import('./policy/decide.js');
  const { loadPolicyMemory, savePolicyMemory } = await import('./policy/state.js');
  const found = await readRepositoryConfig(options.repo);
  let policy = parsePolicyConfig(found?.config ?? {}, found ? `${found.root}/bcon.yaml` : 'bcon.yaml');
  // the desired state from the repository's remote, when asked: the pass decides on what was fetched
  let pulled: PullResult | undefined;
  if (policy.reconcile.pull && found && !dryRun) {
    const { pullDesiredState } = await import('./pull.js');
    pulled = await pullDesiredState(found.root);
    if (pulled.to !== pulled.from) {
      const again = await readRepositoryConfig(options.repo);
      policy = parsePolicyConfig(again?.config ?? {}, `${found.root}/bcon.yaml`);
    }
  }
  const commit = await headCommit(options.repo);
  const state: ReconcilerState = readReconcilerState(env);
  let memory;
  try {
    memory = loadPolicyMemory(state.policy, { budget: policy.reconcile.budget });
  } catch (err) {
    throw new OpsError(`the reconciler's state (${(err as Error).message.split('\n')[0]}) is unreadable: open breakers would be forgotten; move BCON_HOME/reconciler-state.json aside to start afresh`, 'state_invalid');
  }
  const { readHostMarkers } = await import('./pause.js');
  const hosts: PassHost[] = [];
  const pause: PauseState = { hosts: {} };
  // every reconcile.sweep every service of a host is judged, the quiet ones too (./sweep.ts: what it reports, when)
  const sweeps = state.sweeps ?? {};
  // what each service was refused at over its run (refused-nowhere.ts): a host not read this pass keeps its own
  const probingAfter: Record<string, ProbingMemory> = {};
  const { afterSweep, betweenSweeps, claimedServices, planSweep } = await import('./sweep.js');
  const { onsetPersists } = await import('@bcon/reasoning');
  // every host at once, and on each its pause marker and lock read while it is diagnosed
  const perHost = await Promise.all(
    options.targets.map(async (target) => {
      const name = targetLabel(target);
      try {
        const stored = sweeps[name];
        const plan = planSweep(stored, now(), policy.reconcile.sweepMs);
        const [markers, found] = await Promise.all([readHostMarkers(target), candidatesOn(target, options.repo, commit, policy, options.windowSeconds ?? 300, plan.due ? { since: plan.since, claimed: claimedServices(plan.last) } : undefined, state.probing ?? {})]);
        const { diagnosis, candidates } = found;
        for (const [key, kept] of Object.entries(found.probing)) probingAfter[key] = kept;
        let reports = found.reports;
        if (policy.reconcile.sweepMs === 0) {
          // the sweep off: what it reported is not listed any more
          if (!dryRun) delete sweeps[name];
        } else if (plan.due) {
          const swept = afterSweep({
            reports,
            last: plan.last,
            alreadyReported: (service) => state.reported?.[`${name}|${service}`] !== undefined,
            collectedAt: diagnosis.signals.collectedAt,
            commit,
            quiet: new Set(diagnosis.swept ?? []),
            // the onset a finding was read from, and whether the logs since the last sweep still show it
            markOf: (r) => diagnosis.onsets[`${r.cause}|${r.culprit}`],
            persisting: (_r, mark) => {
              const onset = mark as Onset;
              const m = diagnosis.measurements[onset.service];
              return m ? onsetPersists(onset, { ...m, templates: diagnosis.errorTemplates[onset.service] ?? [] }) : undefined;
            },
          });
          reports = swept.reports;
          if (!dryRun) sweeps[name] = swept.record;
        } else if (stored) {
          const between = betweenSweeps<Report>({ stored, commit, named: new Set([...reports.map((r) => r.culprit), ...candidates.map((c) => c.option.culprit)]), present: new Set(diagnosis.running ?? []) });
          reports = [...reports, ...between.listed];
          if (!dryRun) sweeps[name] = between.record;
        }
        const paused = markers.pause;
        if (paused) (pause.hosts as Record<string, unknown>)[name] = { by: paused.by, reason: paused.reason, at: Date.parse(paused.at) };
        hosts.push({ name, status: paused ? 'paused' : 'ok' });
        return { target, diagnosis, candidates, reports, lock: markers.lock };
      } catch (err) {
        hosts.push({ name, status: 'unreachable', error: (err as Error).message });
        return { target, diagnosis: undefined, candidates: [] as Candidate[], reports: [] as Report[], lock: undefined };
      }
    }),
  );
  const unreachableHosts = hosts.filter((h) => h.status === 'unreachable').map((h) => h.name);
  // crash-safe: an execution a killed reconciler (or approve) left half-done on a reachable host is undone first —
  // the previous container put back — and the repair, if still wanted, is decided again below
  const recovered: PassDecision[] = [];
  if (!dryRun) {
    const { interruptedExecutions, resolveInterruptedExecution } = await import('../journal.js');
    // a lock a killed reconciler left (its process is gone) is its successor's to break, audited; anyone else's stays
    // (the lock as read beside the diagnosis: no second connection to each host)
    const { breakHostLock, viewLock } = await import('../lock.js');
    for (const { target: t, lock } of perHost) {
      if (unreachableHosts.includes(targetLabel(t)) || lock?.holder !== RECONCILER_ACTOR) continue;
      const view = await viewLock(lock);
      if (view.stale) await breakHostLock(options.store, t, RECONCILER_ACTOR, `the reconciler that held it is gone (${view.stale})`, false).catch(() => undefined);
    }
    for (const u of await interruptedExecutions(options.store)) {
      if (u.status !== 'interrupted') continue;
      const target = options.targets.find((t) => u.host === targetLabel(t) || u.host === t.address) ?? (!u.host && options.targets.length === 1 ? options.targets[0] : undefined);
      if (!target || unreachableHosts.includes(targetLabel(target))) continue;
      // the service as budgets and breakers know it (project/service), from this host's diagnosis
      const diagnosed = perHost.find((h) => h.target === target)?.diagnosis;
      const service = diagnosed ? serviceKey(diagnosed, u.target) : u.target;
      try {
        const r = await resolveInterruptedExecution({ store: options.store, id: u.id, mode: 'undo', actor: RECONCILER_ACTOR, target, exitOnSignal: false });
        recovered.push({ id: `execution-${u.id}`, host: targetLabel(target), service: u.target, action: `${u.action}.undo`, tier: 'autonomous', mode: 'executed', reasons: [`${u.summary}: undone before deciding again`], result: `${r.status}: ${r.state}`, cause: 'interrupted', evidence: [], inputs: inputsOf('autonomous', targetLabel(target), service, { memory, pause, policy, dryRun, now: now() }) });
      } catch (err) {
        recovered.push({ id: `execution-${u.id}`, host: targetLabel(target), service: u.target, action: `${u.action}.undo`, tier: 'autonomous', mode: 'refused', reasons: [`${u.summary}: could not be undone (${(err as Error).message}); see bcon journal`], result: (err as Error).message, cause: 'interrupted', evidence: [], inputs: inputsOf('autonomous', targetLabel(target), service, { memory, pause, policy, dryRun, now: now() }) });
      }
    }
  }
  // containers running and healthy this pass count towards resetting their restart backoff
  for (const h of perHost) {
    for (const s of h.diagnosis?.signals.services ?? []) {
      for (const c of s.containers) if (c.state === 'running' && c.health.status !== 'unhealthy') memory.backoff.healthy(`${targetLabel(h.target)}/${c.name}`, now());
    }
  }
  const decisions: PassDecision[] = [...recovered];
  const { runProposal } = await import('../run-proposal.js');
  const { saveProposal, getProposal, setProposalStatus } = await import('@bcon/store');
  const failedHere = (c: Candidate) => failedAt(state.failed, c, commit);
  // the services whose repair runs in this pass (executed or notified, by host): a dependent waits only for those
  const ran = new Set<string>();
  let followUp: string | undefined;
  for (const { target, candidates, diagnosis } of perHost) {
    // the dependencies' decisions first, down a chain (web → api → db: db, then api, then web); a dependent held for
    // one that is not repaired now (proposed, refused) is decided on its own, and one held for a dependency that itself
    // waits keeps waiting (web is not made before the api it needs)
    const ordered = [...candidates].sort((a, b) => holdDepth(candidates, a) - holdDepth(candidates, b));
    const waiting = new Set<string>();
    for (const held of ordered) {
      const { afterRepairOf, dependencyDown, ...unheld } = held.candidate;
      const dep = `${held.host}|${afterRepairOf}`;
      const repairedFirst = ran.has(dep) || waiting.has(dep);
      const keepHeld = afterRepairOf !== undefined && (repairedFirst || held.candidate.dependencyNotReady !== undefined || dependencyDown === true);
      if (keepHeld) waiting.add(`${held.host}|${held.candidate.service}`);
      // down, and its own repair does not run now (refused, proposed, reported): it is said so
      const downOnly = afterRepairOf !== undefined && dependencyDown === true && !repairedFirst && held.candidate.dependencyNotReady === undefined;
      const first = afterRepairOf !== undefined && !keepHeld ? { ...held, candidate: unheld } : downOnly ? { ...held, candidate: { ...held.candidate, dependencyNotReady: 'is down and not repaired now: a start or restart into it would fail the same way' } } : held;
      // a start verified as running at an earlier pass whose container was OOM-killed again after a short run did
      // not cure the OOM kill: a failed apply at this commit, like a start the verify saw killed (held-start.ts), so
      // the answer is the limit, not the same start. (Any other short run is a crash loop's: it keeps its growing
      // delays, and the breaker.)
      const startedKey = failedApplyKey(first);
      const startedBefore = state.started?.find((s) => s.commit === commit && s.key === startedKey);
      if (startedBefore && commit && !dryRun) {
        const startedContainers = diagnosis?.signals.services.find((s) => s.name === first.option.culprit)?.containers ?? [];
        const judged = first.option.cause === 'oom_killed' ? unheldStart(startedBefore, startedContainers) : undefined;
        if (judged?.oomKilled && !failedAt(state.failed, first, commit)) state.failed.push(judged.failed);
        // a start that may die yet (running for less than a short run) is judged at a later pass
        if (judged || !startUndecided(startedBefore, startedContainers, now())) state.started = state.started?.filter((s) => s !== startedBefore);
      }
      const c = nextRung(first, failedHere);
      const key = applyKey(c);
      const failedBefore = failedHere(c);
      const decision = decide(c.candidate, { now: now(), selfHeal: policy.reconcile.selfHeal, dryRun, pause, windows: policy.reconcile.windows, unreachableHosts, budget: memory.budget, breaker: memory.breaker, backoff: memory.backoff, pauseGraceMs: policy.reconcile.pauseGraceMs });
      let mode = decision.mode;
      let reasons = decision.reasons;
      let result: string;
      // a change whose apply failed at this commit is never applied again by itself: a new commit or a person is needed
      if (failedBefore && (mode === 'executed' || mode === 'notified')) {
        mode = 'proposed';
        reasons = [`its apply ${failedBefore.why ? 'did not hold' : 'failed'} at commit ${commit?.slice(0, 12)} (${failedBefore.at}${failedBefore.why ? `: ${failedBefore.why}` : ''}): not retried automatically; a new commit or an approval is needed`, ...c.candidate.reasons];
      }
      const culprit = diagnosis?.signals.services.find((s) => s.name === c.option.culprit);
      // a limit the rules would set live that the files do not say: the next pass's drift repair would set theirs
      // back (and this pass's raise again): proposed as a commit to the files instead (limit-intent.ts)
      // (also when the policy already holds it for a person: what a person approves is the commit, not the live change)
      const away = mode === 'executed' || mode === 'notified' || mode === 'proposed' ? limitAwayFromFiles(c.option, culprit?.spec) : undefined;
      if (away) {
        const why = `a ${away.what} set live, away from the committed files (they say ${away.committed}), would be set back by the next pass's drift repair: the change is proposed as a commit`;
        // the policy's reasons said it would run: the candidate's own reasons stand instead
        reasons = mode === 'proposed' ? [why, ...reasons] : [why, ...c.candidate.reasons];
        mode = 'proposed';
      }
      const runs = (mode === 'executed' || mode === 'notified') && !dryRun;
      if (!runs && !dryRun && mode === 'refused' && keepHeld && !downOnly && (ran.has(dep) || c.candidate.dependencyReadySoon === true)) followUp ??= `${c.candidate.service} waits for ${afterRepairOf}`;
      if (mode === 'executed' || mode === 'notified') ran.add(`${c.host}|${c.candidate.service}`);
      // what the decision shows when it is not the candidate's own proposal (a memory intent)
      let shown: { id: string; action: string; tier: GuardrailTier } | undefined;
      // a limit change to propose as a commit: one away from the files, or the memory an OOM kill a start did not cure asks for
      const limit: { option: ProposalOption; because: string; oom: boolean } | undefined =
        mode === 'proposed' ? (away ? { option: c.option, because: `${c.option.cause} of ${c.option.culprit}`, oom: false } : oomAsLimit(oomUncured(c, failedBefore, decision.inputs.breaker, culprit?.containers ?? []))) : undefined;
      // an OOM kill's raise within reconcile.memory_ceiling: committed and applied by the reconciler (memory-raise.ts),
      // decided by the same policy (pause, window, budget, production) as a notify-tier change
      let inputs = decision.inputs;
      let raise: { bytes: number; why: string; decision: ReturnType<typeof decide>; again: (tier: GuardrailTier) => ReturnType<typeof decide> } | undefined;
      let raisedResult: string | undefined;
      // by service, not by the option's params: those name the limits, which the raise changes
      const raiseKey = `${c.host}|${c.candidate.service}|service.set_memory`;
      // the last raise kept for the service (run, or waiting after a refusal under the lock)
      const last = limit && state.proposals[raiseKey] ? getProposal(options.store, state.proposals[raiseKey] as string) : undefined;
      if (limit && limit.option.action === 'service.set_memory' && limit.option.cause === 'oom_killed') {
        const { breakerForRaise, raiseWithinCeiling, killedSince, limitsChangedAt } = await import('./memory-raise.js');
        const wanted = await memoryRaiseBytes(limit.option, culprit?.spec?.memoryBytes);
        const live = Number((limit.option.params as { previousBytes?: unknown }).previousBytes) || undefined;
        // a limit bcon raised already with no exit since: no run at it has failed yet — the OOM flag and restart count
        // read now are the last run's, before the raise (since the raise's run ended: a run dying at the old limit
        // while it ran is no run at the new one)
        const raisedAt = state.raised?.[raiseKey] ? Date.parse(state.raised[raiseKey] as string) : last?.createdAt;
        // the same for a limit changed by anyone (the engine's update event: bcon putting the committed limit back, a
        // person's docker update): the OOM flag is the last run's, killed at the limit before (recovery-1207f's
        // Collabora, its committed 1 GiB put back in a restart loop at 48 MiB, got a proposal to raise 1 GiB)
        const changedAt = culprit ? limitsChangedAt(culprit) : undefined;
        const byRaise = last && raisedAt !== undefined && last.status !== 'pending' && !killedSince(culprit?.containers ?? [], raisedAt) ? `the memory limit was raised by ${last.id} at ${new Date(raisedAt).toISOString()}, and no container of ${c.option.culprit} has exited since` : undefined;
        const byChange = changedAt !== undefined && !killedSince(culprit?.containers ?? [], changedAt) ? `the limits of ${c.option.culprit} were changed at ${new Date(changedAt).toISOString()} (the engine's update event), and no container of it has exited since` : undefined;
        const unjudged = byRaise ?? byChange;
        const within =
          wanted === undefined
            ? { refused: 'the option names no memory limit' }
            : unjudged
              ? { refused: `${unjudged}: a run at that limit comes first` }
              : raiseWithinCeiling({ ceilingBytes: policy.reconcile.memoryCeilingBytes, committedBytes: culprit?.spec?.memoryBytes, liveBytes: live, wantedBytes: wanted, pull: policy.reconcile.pull });
        if (unjudged && (culprit?.containers ?? []).some((x) => x.state === 'running' || x.state === 'restarting')) {
          // it runs at the raised limit (its restart policy started it again): judged when it has run, not proposed again now
          mode = 'refused';
          reasons = [`waiting: ${unjudged}; it runs at the ${byRaise ? 'raised' : 'new'} limit, judged again in a later pass`, ...reasons];
        } else if ('refused' in within) reasons = [...reasons, `no raise by bcon itself: ${within.refused}`];
        else {
          const raiseCandidate: CandidateAction = { host: c.host, service: c.candidate.service, actionType: 'service.set_memory', tier: limit.option.tier, reasons: [], origin: 'incident', ...(c.candidate.production ? { production: true } : {}) };
          const policyCtx = { now: now(), selfHeal: policy.reconcile.selfHeal, dryRun, pause, windows: policy.reconcile.windows, unreachableHosts, budget: memory.budget, breaker: breakerForRaise(memory.breaker, 'service.set_memory'), backoff: memory.backoff, pauseGraceMs: policy.reconcile.pauseGraceMs };
          const d = decide(raiseCandidate, policyCtx);
          if (d.mode === 'executed' || d.mode === 'notified') raise = { bytes: within.bytes, why: within.why, decision: d, again: (tier) => decide({ ...raiseCandidate, tier }, policyCtx) };
          else reasons = [...reasons, `no raise by bcon itself (${within.why}): ${d.reasons[0] ?? d.mode}`];
        }
      }
      const proposeAsIs = async (): Promise<string> => {
        const known = state.proposals[key];
        const pending = known ? getProposal(options.store, known) : undefined;
        if (pending && pending.status === 'pending' && pending.expiresAt > now()) {
          // the decision names the proposal that waits, not this pass's unsaved one
          shown = { id: known as string, action: c.option.action, tier: decision.inputs.tier };
          return known as string;
        }
        saveProposal(options.store, { id: c.proposal.id, createdAt: now(), expiresAt: Date.parse(c.proposal.expiresAt), target: c.proposal.target, status: 'pending', body: c.proposal });
        state.proposals[key] = c.proposal.id;
        await notifyAll(policy.notify, { event: 'proposed', host: c.host, service: c.candidate.service, action: c.option.summary, tier: c.option.tier, reasons, commit, result: `bcon approve ${c.proposal.id} --option 1` });
        return c.proposal.id;
      };
      // the raise within the ceiling: the compose file's limit committed and the containers updated through the write
      // path (an intent, authority autonomous: notify tier at most), with a notification before and after; false when
      // no edit could be made (undefined: the proposal path below says why); the result
      const raiseMemory = async (): Promise<string | undefined> => {
        if (!raise || !limit) return undefined;
        // one waiting from a pass refused under the lock, for the same limit, is run rather than made again
        const { pendingRaise } = await import('./memory-raise.js');
        const reused = pendingRaise(last, raise.bytes, now());
        const made = reused ?? (await limitIntentProposal({ store: options.store, repo: options.repo, target, option: limit.option, containers: culprit?.containers ?? [], because: limit.because, committed: culprit?.spec, bytes: raise.bytes }));
        if (!('proposal' in made)) {
          reasons = [...reasons, `no raise by bcon itself: no compose edit could be made (${made.unavailable})`];
          return undefined;
        }
        state.proposals[raiseKey] = made.proposal.id;
        // an earlier raise proposal for another limit (made before the ceiling was set) is superseded
        if (last && last.id !== made.proposal.id && last.status === 'pending') setProposalStatus(options.store, last.id, 'expired');
        // the intent's own tier (its compose edit, its engine actions, the guardrails) may be stricter than the rules' option's
        const { stricterTier } = await import('@bcon/decision');
        const tier = made.proposal.options.reduce<GuardrailTier>((t, o) => stricterTier(t, o.tier), made.proposal.minimumTier ?? limit.option.tier);
        const decided = tier === limit.option.tier ? raise.decision : raise.again(tier);
        inputs = decided.inputs;
        shown = { id: made.proposal.id, action: 'service.set_memory', tier: inputs.tier };
        if (decided.mode !== 'executed' && decided.mode !== 'notified') {
          mode = 'proposed';
          reasons = [`the memory limit in ${made.file} would be ${raise.why}, but the change is tier ${tier}: ${decided.reasons[0] ?? decided.mode}`, ...reasons];
          if (!reused) await notifyAll(policy.notify, { event: 'proposed', host: c.host, service: c.candidate.service, action: made.proposal.options[0]?.summary ?? limit.option.summary, tier, reasons, commit, result: `bcon approve ${made.proposal.id}` });
          return made.proposal.id;
        }
        mode = decided.mode;
        reasons = [`${limit.oom ? `${limit.because}: the` : 'the'} memory limit in ${made.file} is ${raise.why}, committed by bcon`, ...decided.reasons, ...reasons];
        const summary = made.proposal.options[0]?.summary ?? limit.option.summary;
        await notifyAll(policy.notify, { event: 'before', host: c.host, service: c.candidate.service, action: summary, tier: inputs.tier, reasons, commit });
        let raised: string;
        try {
          const r = await runProposal({ store: options.store, proposal: made.proposal, actor: RECONCILER_ACTOR, authority: 'autonomous', channel: 'reconciler', target, verifyTimeoutMs: options.verifyTimeoutMs ?? policy.recovery.healthCheckTimeoutMs, ...(options.exitOnSignal === false ? { exitOnSignal: false } : {}) });
          raised = r.results.map((x) => `${x.status}: ${x.state}`).join('; ') || 'nothing ran';
          recordExecuted({ host: c.host, service: c.candidate.service, actionType: 'service.set_memory' }, memory, now());
          state.raised = { ...(state.raised ?? {}), [raiseKey]: new Date(now()).toISOString() };
          ran.add(`${c.host}|${c.candidate.service}`);
          followUp ??= `the memory limit of ${c.candidate.service} was raised: what it left is judged again`;
        } catch (err) {
          // refused under the lock (locked, stale, the file changed, a tier now above what runs without a person):
          // nothing ran; the proposal waits (a later pass runs it, or a person approves it)
          mode = 'refused';
          raised = `not run: ${(err as Error).message}`;
        }
        await notifyAll(policy.notify, { event: 'after', host: c.host, service: c.candidate.service, action: summary, tier: inputs.tier, reasons, commit, result: raised });
        return raised;
      };
      if (runs) {
        saveProposal(options.store, { id: c.proposal.id, createdAt: now(), expiresAt: Date.parse(c.proposal.expiresAt), target: c.proposal.target, status: 'pending', body: c.proposal });
        if (mode === 'notified') await notifyAll(policy.notify, { event: 'before', host: c.host, service: c.candidate.service, action: c.option.summary, tier: c.option.tier, reasons, commit });
        try {
          const r = await runProposal({ store: options.store, proposal: c.proposal, actor: RECONCILER_ACTOR, authority: 'autonomous', channel: 'reconciler', target, verifyTimeoutMs: options.verifyTimeoutMs ?? policy.recovery.healthCheckTimeoutMs, ...(options.exitOnSignal === false ? { exitOnSignal: false } : {}) });
          const first = r.results[0];
          result = first ? `${first.status}: ${first.state}` : 'nothing ran';
          recordExecuted(c.candidate, memory, now());
          followUp ??= `${c.option.action} of ${c.candidate.service} ran: what it left is judged again`;
          if (!r.ok && commit) state.failed.push({ key: failedApplyKey(c), commit, at: new Date(now()).toISOString() });
          else if (r.ok && commit && (c.option.action === 'container.start' || c.option.action === 'container.restart')) {
            // verified running: whether it held is seen by a later pass (held-start.ts)
            const container = (c.option.params as { container?: unknown }).container;
            const keyOfStart = failedApplyKey(c);
            // (the newest start of a repair at a commit is the one judged)
            if (typeof container === 'string') state.started = [...(state.started ?? []).filter((s) => !(s.key === keyOfStart && s.commit === commit)), { key: keyOfStart, commit, at: new Date(now()).toISOString(), containers: [container] }];
          }
        } catch (err) {
          // refused under the lock (locked, stale, a tier now above what runs without a person): nothing ran
          mode = 'refused';
          result = `not run: ${(err as Error).message}`;
        }
        if (decision.mode === 'notified') await notifyAll(policy.notify, { event: 'after', host: c.host, service: c.candidate.service, action: c.option.summary, tier: c.option.tier, reasons, commit, result });
      } else if (raise && limit && dryRun) {
        mode = raise.decision.mode;
        inputs = raise.decision.inputs;
        shown = { id: c.proposal.id, action: 'service.set_memory', tier: inputs.tier };
        reasons = [`${limit.oom ? `${limit.because}: the` : 'the'} memory limit would be ${raise.why}, committed by bcon`, ...raise.decision.reasons, ...reasons];
        result = `dry run: would be ${mode}`;
      } else if (raise && limit && (raisedResult = await raiseMemory()) !== undefined) {
        // raised and committed, or refused under the lock (raiseMemory set the decision's mode and reasons)
        result = raisedResult;
      } else if (mode === 'proposed' && !dryRun && limit) {
        // the start did not cure the OOM kill, or the limit is the files': a change in the committed files is what a person approves
        // (of the proposals kept for it, one that waits first; then the last raise: a raise already run holds a second one)
        const kept = [state.proposals[`${key}|${limit.option.action}`], ...(limit.option.action === 'service.set_memory' ? [state.proposals[`${key}|memory`], state.proposals[raiseKey]] : [])].filter((x): x is string => x !== undefined);
        const known = kept.find((id) => {
          const p = getProposal(options.store, id);
          return p?.status === 'pending' && p.expiresAt > now();
        }) ?? kept[0];
        const stored = known ? getProposal(options.store, known) : undefined;
        if (stored && stored.status === 'pending' && stored.expiresAt > now()) {
          shown = { id: known as string, action: limit.option.action, tier: (stored.body as Proposal).minimumTier ?? 'explicit' };
          if (limit.oom) reasons = [limit.because, ...reasons];
          result = known as string;
        } else if (limit.oom && stored && stored.status !== 'pending' && !failedBefore) {
          // raised once already (approved): with no start failed since, the open breaker is what holds the start
          reasons = [`the memory limit was raised by ${known} (${stored.status}); the breaker is still open on ${c.candidate.service}: approve the start, or reset the breaker`, ...reasons];
          result = await proposeAsIs();
        } else {
          const made = await limitIntentProposal({ store: options.store, repo: options.repo, target, option: limit.option, containers: culprit?.containers ?? [], because: limit.because, committed: culprit?.spec });
          if ('proposal' in made) {
            state.proposals[`${key}|${limit.option.action}`] = made.proposal.id;
            shown = { id: made.proposal.id, action: limit.option.action, tier: made.proposal.minimumTier ?? 'explicit' };
            reasons = [`${limit.oom ? `${limit.because}: the` : 'the'} ${limit.option.action === 'service.set_cpus' ? 'CPU' : 'memory'} limit in ${made.file} is ${limit.option.action === 'service.set_cpus' ? 'set' : 'raised'} to ${made.value} and committed when approved`, ...reasons];
            result = made.proposal.id;
            await notifyAll(policy.notify, { event: 'proposed', host: c.host, service: c.candidate.service, action: made.proposal.options[0]?.summary ?? limit.option.summary, tier: made.proposal.minimumTier ?? 'explicit', reasons, commit, result: `bcon approve ${made.proposal.id}` });
          } else {
            reasons = [`${limit.oom ? `${limit.because}; no` : 'no'} compose edit could be proposed (${made.unavailable}): ${limit.option.summary} is option ${limit.option.n}`, ...reasons];
            result = await proposeAsIs();
          }
        }
      } else if (mode === 'proposed' && !dryRun) {
        result = await proposeAsIs();
      } else if (dryRun) result = `dry run: would be ${mode}`;
      else result = reasons[0] ?? 'refused';
      const d: PassDecision = { id: shown?.id ?? c.proposal.id, host: c.host, service: c.candidate.service, action: shown?.action ?? c.option.action, tier: shown?.tier ?? inputs.tier, mode, reasons, result, cause: c.option.cause, evidence: c.evidence, inputs };
      decisions.push(d);
      audit(options.store, {
        actor: RECONCILER_ACTOR,
        action: 'reconcile.decision',
        target: c.option.culprit,
        approval: mode === 'executed' ? 'autonomous' : mode === 'notified' ? 'notified' : 'none',
        result: mode,
        context: { host: c.host, action: d.action, tier: d.tier, commit, reasons, evidence: c.evidence, inputs, result, dry_run: dryRun, proposal: d.id },
      });
    }
  }
  decisions.push(...(await reportAll(perHost.flatMap((h) => h.reports), { state, commit, dryRun, now: now(), unreachableHosts, pause, policy, memory, store: options.store })));
  if (!dryRun) {
    state.sweeps = sweeps;
    const read = new Set(hosts.filter((h) => h.status !== 'unreachable').map((h) => h.name));
    state.probing = { ...Object.fromEntries(Object.entries(state.probing ?? {}).filter(([key]) => !read.has(key.slice(0, key.indexOf('|'))))), ...probingAfter };
    if (!Object.keys(state.probing).length) delete state.probing;
    state.policy = savePolicyMemory(memory);
    state.failed = state.failed.slice(-200);
    state.started = keptStarts(state.started ?? [], now());
  }
  const pass: PassResult = { commit, ...(pulled ? { pull: pulled } : {}), startedAt: new Date(started).toISOString(), durationMs: now() - started, dryRun, hosts: hosts.sort((a, b) => a.name.localeCompare(b.name)), decisions, ...(followUp ? { followUp } : {}) };
  state.lastPass = pass;
  writeReconcilerState(state, env);
  return pass;
}

/**
 * The reports of a pass as decisions (mode `reported`): each listed in every pass while it lasts; told to people
 * (notify, and a `reconcile.decision` audit entry) once per host, service and commit. One that is gone is
 * forgotten (reported again if it comes back); one on a host this pass could not reach is kept.
 */
async function reportAll(
  reports: readonly Report[],
  ctx: { state: ReconcilerState; commit: string | null; dryRun: boolean; now: number; unreachableHosts: readonly string[]; pause: PauseState; policy: PolicyConfig; memory: PolicyMemory; store: Store },
): Promise<PassDecision[]> {
  const { state, commit, dryRun, now } = ctx;
  const known = state.reported ?? {};
  const seen = new Set<string>();
  const out: PassDecision[] = [];
  for (const r of reports) {
    // by host and service: a leading hypothesis that changes between passes (the log window moves) is not told again
    const key = `${r.host}|${r.service}`;
    seen.add(key);
    const before = known[key];
    const audited = before !== undefined && before.commit === commit;
    const told = audited && before.notified !== false;
    const what = r.suggestion ? `needs a person: ${r.suggestion}` : 'needs a person: no catalog action answers it';
    const reasons = [`no action bcon may take answers ${r.cause} of ${r.culprit}: reported, nothing run`, r.summary, ...(r.heldBack ? [r.heldBack] : []), ...(commit ? [`desired state at commit ${commit.slice(0, 12)}`] : [])];
    const result = dryRun ? `dry run: would be reported (${what})` : audited ? `${what} (reported at ${before.at})` : what;
    const inputs = inputsOf('explicit', r.host, r.service, { ...ctx, now });
    const d: PassDecision = { id: `report-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`, host: r.host, service: r.service, action: 'report', tier: 'explicit', mode: 'reported', reasons, result, cause: r.cause, evidence: r.evidence, inputs };
    out.push(d);
    if (dryRun || told) continue;
    // told once per commit (a notification that did not go out is tried again next pass; the audit entry is written once)
    const notified = await notifyAll(ctx.policy.notify, { event: 'reported', host: r.host, service: r.service, action: `${r.cause}: ${r.summary}`, tier: 'explicit', reasons, commit, result: what });
    known[key] = { commit, at: audited ? before.at : new Date(now).toISOString(), cause: r.cause, notified };
    if (audited) continue;
    audit(ctx.store, {
      actor: RECONCILER_ACTOR,
      action: 'reconcile.decision',
      target: r.culprit,
      approval: 'none',
      result: 'reported',
      context: { host: r.host, action: 'report', cause: r.cause, tier: 'explicit', commit, reasons, evidence: r.evidence, inputs, result: what, dry_run: false },
    });
  }
  if (!dryRun) {
    for (const key of Object.keys(known)) if (!seen.has(key) && !ctx.unreachableHosts.includes(key.split('|')[0] as string)) delete known[key];
    state.reported = known;
  }
  return out;
}
