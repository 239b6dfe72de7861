import type { Proposal, ServiceFacts } from '@bcon/decision';
import type { Diagnosis, Hypothesis } from '@bcon/reasoning';
import { fullTmpfsOf } from '@bcon/reasoning';
import type { ContainerFacts, EngineEventFact, FsUsage, LogLine } from '@bcon/sensor';
import { type ServiceSpec, whyNotRenderable } from '@bcon/sensor/desired';
import { audit } from './audit.js';
import type { ModelRefusal } from './propose-model.js';
import { currentGuardrails } from './guardrails.js';
import { repositoryRoot } from './repository-config.js';
import type { Target } from './target.js';
import { targetLabel } from './target.js';
import { upProjectsIn } from './up-projects.js';

/** What a proposal needs of a diagnosis: the services with their containers and what the compose files declare. */
export interface DiagnosedServices {
  signals: { services: Array<{ name: string; project?: string | undefined; containers: ContainerFacts[]; stats?: Record<string, { cpu: { onlineCpus: number } }> | undefined; events?: EngineEventFact[]; untracked?: boolean; filesystems?: Record<string, FsUsage[]> | undefined; logs?: Record<string, LogLine[]> | undefined; spec?: ({ replicas: number; image?: string | undefined; memoryBytes?: number | undefined; nanoCpus?: number | undefined } & Partial<ServiceSpec>) | undefined }> };
  report: { target: string | null };
  /** the compose projects with a running container on the engine, whether their services were diagnosed or not */
  upProjects?: string[];
}

/** The tmpfs mounts of its own read full, by container name (none: nothing). */
function fullTmpfsFacts(s: { containers: ContainerFacts[]; filesystems?: Record<string, FsUsage[]> | undefined; logs?: Record<string, LogLine[]> | undefined }): Pick<ServiceFacts, 'fullTmpfs'> {
  const full = fullTmpfsOf({ containers: s.containers, filesystems: s.filesystems, logs: s.logs ?? {} });
  if (!full.length) return {};
  const byName: NonNullable<ServiceFacts['fullTmpfs']> = {};
  for (const { container, usage } of full) (byName[container.name] ??= []).push({ target: usage.target, usedBytes: usage.usedBytes, sizeBytes: usage.sizeBytes });
  return { fullTmpfs: byName };
}

/** What a proposal needs to know of each diagnosed service: its containers and what the committed files declare. */
export function serviceFacts(diagnosis: DiagnosedServices): Record<string, ServiceFacts> {
  // a name two compose projects on the host both use (two apps with a `web`) cannot say which one a hypothesis about
  // "web" means: no facts, so no action is proposed for either (a refusal is better than acting on the wrong one)
  const projects = new Map<string, Set<string>>();
  for (const s of diagnosis.signals.services) for (const c of s.containers) projects.set(s.name, (projects.get(s.name) ?? new Set()).add(c.compose?.project ?? ''));
  const counts = new Map<string, number>();
  for (const s of diagnosis.signals.services) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const ambiguous = (name: string) => (counts.get(name) ?? 0) > 1 || (projects.get(name)?.size ?? 0) > 1;
  return Object.fromEntries(
    diagnosis.signals.services.filter((s) => !ambiguous(s.name)).map((s) => [s.name, { containers: s.containers, ...(s.spec ? { declaredReplicas: s.spec.replicas } : {}), ...(s.spec?.image ? { committedImage: s.spec.image } : {}), ...(s.untracked ? { untracked: true } : {}), ...(s.spec ? { declaredMemoryBytes: s.spec.memoryBytes ?? 0 } : {}), ...(s.spec ? { declaredCpus: (s.spec.nanoCpus ?? 0) / 1e9 } : {}), ...fromFilesOf(s, upProjectsOf(diagnosis)), ...fullTmpfsFacts(s), ...hostCpusOf(s) }]),
  );
}

type DiagnosedService = DiagnosedServices['signals']['services'][number];

/** The CPUs of the host the service's containers run on, as their stats read them (none read: nothing). */
function hostCpusOf(s: Pick<DiagnosedService, 'stats'>): Pick<ServiceFacts, 'hostCpus'> {
  const n = Math.max(0, ...Object.values(s.stats ?? {}).map((x) => x.cpu.onlineCpus));
  return n > 0 ? { hostCpus: n } : {};
}

/**
 * A container of the service removed while it ran by `docker rm -f` (killed with SIGKILL, then destroyed, no stop
 * asked): not a one-off's, not an exited one pruned.
 */
function removedWhileRunning(events: readonly EngineEventFact[]): boolean {
  return events.some(
    (d) =>
      d.action === 'destroy' &&
      d.attributes['com.docker.compose.oneoff'] !== 'True' &&
      !stoppedFirst(events, d) &&
      events.some((k) => k.containerId === d.containerId && ((k.action === 'kill' && k.attributes['signal'] === '9') || (k.action === 'die' && k.exitCode === 137)) && k.at <= d.at && d.at - k.at < 5_000),
  );
}

/**
 * Stopped through the engine before it was removed, and not started again in between: `docker compose down`,
 * `rm -s`, `up --scale x=0` — a removal someone meant. (A stop long before, followed by a start, says nothing of it.)
 */
function stoppedFirst(events: readonly EngineEventFact[], destroy: EngineEventFact): boolean {
  const mine = events.filter((e) => e.containerId === destroy.containerId && e.at <= destroy.at && (e.action === 'stop' || e.action === 'start'));
  return mine.reduce<EngineEventFact | undefined>((last, e) => (last === undefined || e.at >= last.at ? e : last), undefined)?.action === 'stop';
}

/**
 * A service with no container here whose project is up here (another of its services has one) and whose every
 * setting bcon renders: its containers can be made from the committed files. Only a long-running one, on positive
 * evidence: the files restart it always (a server by declaration), or the engine saw one of its containers removed
 * while it ran. A job (awaited with service_completed_successfully, or `docker compose run --rm`, or pruned after
 * it finished) is never made again; a project not up here (placed on another host, never brought up) gets nothing.
 */
function fromFilesOf(s: DiagnosedService, upProjects: ReadonlySet<string>): Pick<ServiceFacts, 'fromFiles'> {
  const spec = s.spec;
  if (!s.project || !spec || spec.unrendered === undefined || whyNotRenderable(spec as ServiceSpec) || !goneServer(s, upProjects)) return {};
  return { fromFiles: { project: s.project, labels: spec.labels ?? {} } };
}

/**
 * A long-running service gone from a host where its project is up: no container of it here, declared with replicas
 * and not a job, and on positive evidence a server — the files restart it always, or the engine saw one of its
 * containers removed while it ran. What the reconciler makes again from the files, or reports.
 */
export function goneServer(s: DiagnosedService, upProjects: ReadonlySet<string>): boolean {
  const spec = s.spec;
  if (s.containers.length || !s.project || !spec || spec.completionAwaitedBy?.length || !spec.replicas) return false;
  const events = s.events ?? [];
  // a removal someone meant (stopped first: compose down, rm -s, scale to 0) is not undone, whatever the policy
  if (events.some((d) => d.action === 'destroy' && stoppedFirst(events, d))) return false;
  const longRunning = spec.restart?.name === 'always' || spec.restart?.name === 'unless-stopped';
  if (!longRunning && !removedWhileRunning(events)) return false;
  // its project runs here: a running sibling (an exited leftover is no sign the project is up on this host)
  return upProjects.has(s.project);
}

/** The projects up on the diagnosed engine (a declared service running): as collected, else from the services diagnosed. */
export function upProjectsOf(diagnosis: DiagnosedServices): ReadonlySet<string> {
  return diagnosis.upProjects ? new Set(diagnosis.upProjects) : upProjectsIn(diagnosis.signals.services);
}

/** A proposal as `bcon propose` stores and prints it: with a model configured, what the model suggested and bcon refused. */
export type StoredProposal = Proposal & { modelRefused?: ModelRefusal[] };

/** A full diagnosis (what the model reads: evidence, error templates), not only the services a proposal needs. */
const isDiagnosis = (d: DiagnosedServices): d is DiagnosedServices & Diagnosis => 'evidence' in d.report && 'errorTemplates' in d;

/**
 * Build and store a proposal from a diagnosis (bcon propose, bcon diagnose --propose), with its audit entry: catalog
 * actions for the hypotheses with bcon's risk and tiers (the guardrails in force now), made on `target` — the
 * approval runs there and nowhere else. With `model` and a model configured, the model's suggestions that pass
 * bcon's checks follow the rule options (`source: 'model'`), and the ones refused are listed with why
 * (`modelRefused`); with no model configured, the proposal is exactly the rules'.
 */
export async function storeProposal(diagnosis: DiagnosedServices, hypotheses: Hypothesis[], repo: string, target: Target, ttlMs = 3600_000, options: { model?: boolean } = {}): Promise<StoredProposal> {
  const { buildProposal } = await import('@bcon/decision');
  const services = serviceFacts(diagnosis);
  const host = { address: target.address, ...(target.name ? { name: target.name } : {}) };
  const root = repositoryRoot(repo);
  const guardrails = await currentGuardrails(root);
  let proposal: StoredProposal = { ...buildProposal({ target: diagnosis.report.target ?? '', hypotheses, services, ttlMs, guardrails, host }), ...(root ? { repo: root } : {}) };
  if (options.model && isDiagnosis(diagnosis)) {
    const { suggestFromModel } = await import('./propose-model.js');
    const model = await suggestFromModel({ diagnosis: { ...diagnosis, report: { ...diagnosis.report, hypotheses } }, services, ruleOptions: proposal.options, guardrails, repo: root ?? repo });
    if (model) {
      const first = proposal.options.length + 1;
      proposal = { ...proposal, options: [...proposal.options, ...model.options.map((o, i) => ({ ...o, n: first + i }))], notes: [...proposal.notes, ...model.notes], modelRefused: model.refused };
    }
  }
  const fromModel = proposal.options.filter((o) => (o as { source?: string }).source === 'model');
  const { openStore, saveProposal } = await import('@bcon/store');
  const store = openStore();
  try {
    saveProposal(store, { id: proposal.id, createdAt: Date.parse(proposal.createdAt), expiresAt: Date.parse(proposal.expiresAt), target: proposal.target, status: 'pending', body: proposal });
    audit(store, {
      actor: 'bcon',
      action: 'proposal.create',
      target: proposal.target,
      approval: 'none',
      result: `${proposal.options.length} options`,
      context: {
        proposal: proposal.id,
        host: targetLabel(host),
        reason: hypotheses[0]?.summary ?? 'no hypothesis',
        proposed_by: fromModel.length ? 'bcon+model' : 'bcon',
        options: proposal.options.map((o) => `${o.n}. ${o.action} (${o.tier})${(o as { source?: string }).source === 'model' ? ' [model]' : ''}`),
        ...(proposal.modelRefused ? { model_refused: proposal.modelRefused.map((r) => r.reason) } : {}),
      },
    });
  } finally {
    store.close();
  }
  return proposal;
}

/** A proposal as it may be printed: secret env values masked, an intent's request masked and its file text left out. */
export async function publicProposal(p: Proposal): Promise<Proposal> {
  const { publicParams } = await import('./execute-approved.js');
  const { actionOf } = await import('@bcon/decision');
  const options = await Promise.all(p.options.map(async (o) => ({ ...o, params: await publicParams(actionOf(o)) })));
  if (!p.intent) return { ...p, options };
  const { publicIntent } = await import('./intent.js');
  const shown = await publicIntent(p.intent.text, p.intent.operations);
  const { after: _after, ...intent } = p.intent;
  return { ...p, options, intent: { ...intent, text: shown.text, operations: shown.operations } as Proposal['intent'] };
}
