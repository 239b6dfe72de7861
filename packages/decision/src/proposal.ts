import type { z } from 'zod';
import type { ProposalIntentSchema } from './proposal-schema.js';
import { createHash, randomBytes } from 'node:crypto';
import type { ContainerFacts } from '@bcon/sensor';
import type { CauseCode, Hypothesis } from '@bcon/reasoning';
import type { Action } from './actions/catalog.js';
import { describeAction, precondition } from './actions/catalog.js';
import type { RiskLevel } from './risk/risk.js';
import { assessRisk } from './risk/risk.js';
import type { Guardrails } from './risk/risk.js';
import type { GuardrailTier } from './risk/tiers.js';
import { memoryWanted } from './sizing/memory-wanted.js';

/** What bcon knows about one service when it proposes. */
export interface ServiceFacts {
  containers: ContainerFacts[];
  /** replicas the committed compose files declare */
  declaredReplicas?: number;
  /** the image the committed compose files name */
  committedImage?: string;
  /** the committed compose files do not declare it (the only case a container may be proposed for removal) */
  untracked?: boolean;
  /** the limits the committed compose files declare (a container running with others is config drift); memory 0: none */
  declaredMemoryBytes?: number;
  declaredCpus?: number;
  /**
   * no container of the service is left here, its project is up here, and bcon renders every setting the committed
   * files give it: its containers can be made from the files (a service.scale from 0); its declared labels and project
   */
  fromFiles?: { project: string; labels: Record<string, string> };
  /** the tmpfs mounts of its own found full (statfs inside the container), by container name: a restart empties them */
  fullTmpfs?: Record<string, Array<{ target: string; usedBytes: number; sizeBytes: number }>>;
  /** the CPUs of the host its containers run on (a CPU limit above them is refused by the engine) */
  hostCpus?: number;
}

export interface ProposalOption {
  n: number;
  action: Action['type'];
  params: Omit<Action, 'type'>;
  /** one line for people */
  summary: string;
  risk: RiskLevel;
  tier: GuardrailTier;
  reasons: string[];
  /** the hypothesis it answers */
  cause: CauseCode | 'intent';
  culprit: string;
}

/** `bcon propose --json` → `{ proposal }` (contract in the architecture document). */
export interface Proposal {
  id: string;
  target: string;
  createdAt: string;
  expiresAt: string;
  /** a digest of the containers involved (ids, creation, image, config): an approval is refused when it changed */
  fingerprint: string;
  /** the containers the fingerprint covers */
  containers: string[];
  options: ProposalOption[];
  /** why some hypotheses got no option (no catalog action fixes them) */
  notes: string[];
  /** the engine it was made on (and its bcon.yaml name): the approval runs there and nowhere else */
  host?: ProposalHost;
  /** made by `bcon intent`: the compose edit committed when it is approved (all options run together) */
  intent?: ProposalIntent;
  /** the least tier the whole proposal has (an intent: of every operation, also those with nothing running yet) */
  minimumTier?: GuardrailTier;
  /** the repository whose bcon.yaml guardrails applied (they are read again at approval) */
  repo?: string;
}

export type ProposalIntent = z.infer<typeof ProposalIntentSchema>;

export interface ProposalHost {
  address: string;
  name?: string;
}

const MiB = 1024 * 1024;

/**
 * The digest of the facts an approval must still match: each container's identity, image, limits, env size and
 * state, and the replica set of every service involved (a replica added or removed, here or by another project's
 * hand, changes it).
 */
export function fingerprintOf(containers: readonly ContainerFacts[]): string {
  const parts = [...containers]
    .sort((a, b) => a.name.localeCompare(b.name))
    // a container its restart policy keeps restarting (a crash or OOM loop) is between two runs, not stopped: running
    // and restarting are one state here, or a loop would make every proposal for it stale before it could run
    .map((c) => [c.name, c.id, c.createdAt, c.imageId, c.limits.memoryBytes ?? 0, c.limits.nanoCpus ?? 0, c.config.env.length, c.state === 'restarting' ? 'running' : c.state].join('|'));
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** The containers a fingerprint covers now: the named ones, and every replica of the services they belong to. */
export function coveredContainers(all: readonly ContainerFacts[], names: readonly string[]): ContainerFacts[] {
  const named = all.filter((c) => names.includes(c.name));
  const services = new Set(named.flatMap((c) => (c.compose ? [`${c.compose.project}/${c.compose.service}`] : [])));
  return all.filter((c) => names.includes(c.name) || (c.compose && !c.compose.oneoff && services.has(`${c.compose.project}/${c.compose.service}`)));
}

const projectOf = (c: ContainerFacts): { project?: string } => (c.compose?.project ? { project: c.compose.project } : {});

/** The CPU limit put back to what the files declare, when a container's differs (undefined: as declared, or not read). */
function cpusBackToFiles(s: ServiceFacts, service: string, cs: readonly ContainerFacts[]): Action | undefined {
  const cpus = s.declaredCpus;
  const first = cs[0];
  if (cpus === undefined || !first || !cs.some((c) => (c.limits.nanoCpus ?? 0) !== Math.round(cpus * 1e9))) return undefined;
  return { type: 'service.set_cpus', service, containers: cs.map((c) => c.name), cpus, previousCpus: first.limits.nanoCpus ? first.limits.nanoCpus / 1e9 : null };
}

/** The memory limit put back to what the files declare, when a container's differs (undefined: as declared, or not read). */
function memoryBackToFiles(s: ServiceFacts, service: string, cs: readonly ContainerFacts[]): (Action & { type: 'service.set_memory' }) | undefined {
  const mem = s.declaredMemoryBytes;
  const first = cs[0];
  if (mem === undefined || !first || !cs.some((c) => (c.limits.memoryBytes ?? 0) !== mem)) return undefined;
  return { type: 'service.set_memory', service, containers: cs.map((c) => c.name), memoryBytes: mem, previousBytes: first.limits.memoryBytes ?? null };
}

/** The files' limit gives every container more room than it has now: none, or a larger one than each. */
const roomier = (back: { memoryBytes: number }, cs: readonly ContainerFacts[]): boolean => back.memoryBytes === 0 || cs.every((c) => (c.limits.memoryBytes ?? 0) > 0 && (c.limits.memoryBytes ?? 0) < back.memoryBytes);

/** Killed at its memory limit, then brought back by its own restart policy: running, or between two runs. */
function restartedByEngine(c: ContainerFacts): boolean {
  return c.oomKilled && (c.state === 'running' || c.state === 'restarting') && c.restartCount > 0 && (c.limits.memoryBytes ?? 0) > 0 && ['always', 'unless-stopped', 'on-failure'].includes(c.restartPolicy.name);
}

/** Bring a container back as it is: restart one that runs, unpause a paused one (its processes resume where they were), start any other. */
function restartOrRevive(c: ContainerFacts): Action {
  return c.state === 'running' ? { type: 'container.restart', container: c.name } : c.state === 'paused' ? { type: 'container.unpause', container: c.name } : { type: 'container.start', container: c.name };
}

/**
 * The replicas a fault of the service shows on, worst first for that cause — an unhealthy one for a failing check,
 * one the kernel killed for an OOM kill, one that died with an error or restarts for a crash loop — or all of them
 * when none stands out: the one a restart or a re-create is for, not the first by name (of three transcoders, the one
 * the kernel killed). A replica that exited 0 (stopped, or finished) is not a fault's: replica drift answers for it.
 */
function affected(cs: readonly ContainerFacts[], cause: string): ContainerFacts[] {
  const down = cs.filter((c) => c.state !== 'running' && c.state !== 'paused' && c.exitCode !== 0);
  const unhealthy = cs.filter((c) => c.state === 'running' && c.health.status === 'unhealthy');
  const killed = cs.filter((c) => c.oomKilled || (c.state !== 'running' && c.exitCode === 137));
  const restarting = cs.filter((c) => c.state === 'restarting' || c.restartCount > 0);
  const order = cause === 'healthcheck_failing' ? [unhealthy, down, restarting] : cause === 'oom_killed' || cause === 'memory_pressure' ? [killed, down, unhealthy, restarting] : [down, restarting, unhealthy];
  const out = [...new Set(order.flat())];
  return out.length ? out : [...cs];
}

function actionsFor(h: Hypothesis, s: ServiceFacts, service: string): { actions: Action[]; note?: string; why?: Map<Action, string> } {
  const cs = [...s.containers].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const first = cs[0];
  if (!first) {
    // removed (or never made) while its project runs here: made again from the committed files, as compose would
    const declared = s.declaredReplicas ?? 1;
    if (s.fromFiles && declared > 0 && (h.cause === 'stopped_service' || h.cause === 'replica_drift' || h.cause === 'dependency_down')) return { actions: [{ type: 'service.scale', service, from: 0, to: declared, project: s.fromFiles.project }] };
    return { actions: [], note: `${service} has no container to act on${s.declaredReplicas ? ` (docker compose up -d ${service})` : ''}` };
  }
  const restartOrStart = cs.map(restartOrRevive);
  const names = cs.map((c) => c.name);
  // the replica a restart or a re-create answering the fault is for
  const hit = affected(cs, h.cause)[0] ?? first;
  switch (h.cause) {
    case 'oom_killed':
    case 'memory_pressure': {
      // the limit that kills it is not the files' (cut by hand) and theirs is roomier: put it back, not a restart into
      // the same kill, nor a raise away from Git (the next pass would set the files' back); when the files say as
      // much or less, a raise is the answer
      const back = memoryBackToFiles(s, service, cs);
      if (back && roomier(back, cs)) return { actions: [back] };
      const wanted = memoryWanted(first);
      const memory: Action = { type: 'service.set_memory', service, containers: names, memoryBytes: wanted.bytes, previousBytes: first.limits.memoryBytes ?? null };
      // said only where the heap set the size (above the doubled limit)
      const why = wanted.heapBytes === undefined || !wanted.byHeap ? undefined : new Map([[memory, `its command or environment sets a heap of ${Math.round(wanted.heapBytes / MiB)} MiB: the limit leaves room for the runtime around it`]]);
      // killed at its limit, and its restart policy already restarted it (it runs, or is being restarted): a restart
      // of ours is what the engine did, and cures nothing; the limit is the answer (an OOM kill every half minute
      // under unless-stopped got restart after restart)
      if (h.cause === 'oom_killed' && restartedByEngine(hit)) {
        const said = `${hit.name} was OOM-killed at its ${Math.round((hit.limits.memoryBytes ?? 0) / MiB)} MiB limit and its restart policy (${hit.restartPolicy.name}) restarted it ${hit.restartCount === 1 ? 'once' : `${hit.restartCount} times`}: a restart is what the engine already did`;
        return { actions: [memory], why: new Map([[memory, why?.get(memory) ? `${said}; ${why.get(memory)}` : said]]) };
      }
      return { actions: [restartOrRevive(hit), memory], ...(why ? { why } : {}) };
    }
    case 'cpu_saturation': {
      const now = first.limits.nanoCpus ? first.limits.nanoCpus / 1e9 : null;
      // the limit that throttles it is not the files' (set by hand: docker update): put the files' back, not a bigger
      // one — a raise would move it further from Git, and the next pass would set it back (0: none, a re-create)
      const back = cpusBackToFiles(s, service, cs);
      if (back) return { actions: [back] };
      const scale: Action = { type: 'service.scale', service, from: cs.length, to: cs.length + 1, ...projectOf(first) };
      // a raise of the limit that holds it: twice it, never above the host's CPUs (the engine refuses more); with no
      // limit it is the host that is short, and a limit would be a cut
      const raised = now ? Math.min(Math.round(now * 2 * 100) / 100, s.hostCpus ?? Number.POSITIVE_INFINITY) : undefined;
      if (raised === undefined || raised <= (now ?? 0)) return { actions: [scale] };
      return { actions: [{ type: 'service.set_cpus', service, containers: names, cpus: raised, previousCpus: now }, scale] };
    }
    case 'stopped_service':
    case 'dependency_down': {
      // the replicas that do not run (stopped, paused) are brought back; one that runs is restarted only when none is
      // down (a dependency that keeps crashing and coming back)
      // of several replicas some paused: those only (another one down is another finding's, with its own evidence)
      const paused = cs.filter((c) => c.state === 'paused');
      const down = paused.length ? paused : cs.filter((c) => c.state !== 'running');
      return { actions: down.length ? down.map(restartOrRevive) : restartOrStart };
    }
    case 'crash_loop':
    case 'healthcheck_failing':
    case 'log_error_spike':
    case 'dependency_slow':
    case 'too_many_open_files':
      return { actions: [restartOrRevive(hit), { type: 'service.recreate', service, container: hit.name }] };
    case 'replica_drift': {
      if (s.declaredReplicas !== undefined && s.declaredReplicas !== cs.length) return { actions: [{ type: 'service.scale', service, from: cs.length, to: s.declaredReplicas, ...projectOf(first) }] };
      // as many replicas as declared, some of them stopped or paused (the others run): bring those back, same configuration
      return { actions: cs.filter((c) => c.state === 'exited' || c.state === 'created' || c.state === 'paused').map(restartOrRevive) };
    }
    case 'image_drift':
      return s.committedImage && s.committedImage !== first.image
        ? { actions: [{ type: 'service.rollback_image', service, container: first.name, image: s.committedImage, currentImage: first.image }] }
        : s.committedImage && cs.every((c) => c.image === s.committedImage)
          ? // the committed tag names another build now (re-tagged, rebuilt): re-create from it, same configuration
            { actions: cs.map((c): Action => ({ type: 'service.recreate', service, container: c.name })) }
          : { actions: [], note: `${service}: the running image differs from the committed one; redeploy with docker compose up -d ${service}` };
    case 'config_drift': {
      // limits put back to what the files declare (live, undoable; a limit the files do not set, 0, is removed by
      // re-creating the containers without it); other settings need a re-create from the files
      const actions = [memoryBackToFiles(s, service, cs), cpusBackToFiles(s, service, cs)].filter((a): a is Action => a !== undefined);
      return actions.length ? { actions } : { actions: [], note: `${service}: its settings differ from the committed files; recreate it from them (docker compose up -d ${service})` };
    }
    case 'disk_full': {
      // the file system it cannot write to is a tmpfs of its own, read full: a restart gives it an empty one (what a
      // tmpfs holds is lost at every start by design); a volume or the host's disk is a person's to free. Only for a
      // container the engine never had to restart: one that fills it at each start (a crash loop on ENOSPC) would
      // fill it again
      const full = cs.filter((c) => c.state === 'running' && c.restartCount === 0 && (s.fullTmpfs?.[c.name]?.length ?? 0) > 0);
      if (!full.length) return { actions: [], note: `disk_full (${service}) needs space freed on the volume or disk it writes to, not a catalog action: ${h.suggestions[0] ?? ''}`.trim() };
      const why = new Map<Action, string>();
      const actions = full.map((c): Action => {
        const a: Action = { type: 'container.restart', container: c.name };
        const mounts = (s.fullTmpfs?.[c.name] ?? []).map((u) => `${u.target} (${Math.round(u.usedBytes / 1024)} KiB of ${Math.round(u.sizeBytes / 1024)} KiB)`).join(', ');
        why.set(a, `the full file system is a tmpfs of its own, ${mounts}: a restart starts it with an empty one (what it held is lost, as at every start)`);
        return a;
      });
      return { actions, why };
    }
    case 'untracked_container':
      // removal is proposed only for what bcon itself saw undeclared, whoever (or whichever model) named the cause
      return s.untracked === true
        ? { actions: cs.map((c): Action => ({ type: 'container.remove_untracked', container: c.name })).slice(0, 1) }
        : { actions: [], note: `${service} is not known to be untracked (the compose files declare it, or they were not read): no removal is proposed` };
    default:
      return { actions: [], note: `${h.cause} (${service}) needs a change to the compose files or the host, not a catalog action: ${h.suggestions[0] ?? ''}`.trim() };
  }
}

/** Hypotheses below this confidence get no option (and the reconciler neither holds back for them nor reports them). */
export const OPTION_CONFIDENCE_FLOOR = 0.3;

/**
 * Turn ranked hypotheses into ranked options: catalog actions for each hypothesis (best first), each with bcon's
 * own risk and tier and the reasons; duplicates and actions whose preconditions fail are left out.
 */
export function buildProposal(input: {
  target: string;
  hypotheses: readonly Hypothesis[];
  services: Record<string, ServiceFacts>;
  now?: number;
  ttlMs?: number;
  guardrails?: Guardrails;
  host?: ProposalHost;
}): Proposal {
  const now = input.now ?? Date.now();
  const options: ProposalOption[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const all = Object.values(input.services).flatMap((s) => s.containers);
  for (const h of input.hypotheses.filter((x) => x.confidence >= OPTION_CONFIDENCE_FLOOR)) {
    const facts = input.services[h.culprit];
    if (!facts) continue;
    const { actions, note, why } = actionsFor(h, facts, h.culprit);
    if (note) notes.push(note);
    for (const a of actions) {
      const key = JSON.stringify(a);
      if (seen.has(key) || precondition(a, all)) continue;
      seen.add(key);
      const touched = 'container' in a ? facts.containers.filter((c) => c.name === a.container) : facts.containers;
      const r = assessRisk(a, { containers: touched, replicas: facts.containers.length, ...(input.guardrails ? { guardrails: input.guardrails } : {}), ...(facts.fromFiles && !facts.containers.length ? { declared: facts.fromFiles } : {}) });
      const { type, ...params } = a;
      options.push({ n: 0, action: type, params, summary: describeAction(a), risk: r.risk, tier: r.tier, reasons: [`answers ${h.cause} of ${h.culprit} (${Math.round(h.confidence * 100)}%)`, ...(why?.has(a) ? [why.get(a) as string] : []), ...r.reasons], cause: h.cause, culprit: h.culprit });
    }
  }
  options.forEach((o, i) => (o.n = i + 1));
  return {
    id: `p-${randomBytes(4).toString('hex')}`,
    target: input.target,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (input.ttlMs ?? 3600_000)).toISOString(),
    fingerprint: fingerprintOf(coveredContainers(all, all.map((c) => c.name))),
    containers: all.map((c) => c.name).sort(),
    options,
    notes,
    ...(input.host ? { host: input.host } : {}),
  };
}

/** Rebuild the typed action of an option. */
export function actionOf(o: ProposalOption): Action {
  // the option's action type wins over anything in its params
  return { ...o.params, type: o.action } as Action;
}
