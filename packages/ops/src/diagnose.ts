import path from 'node:path';
import type { ContainerFacts, EngineEventFact, StatsFacts } from '@bcon/sensor';
import { EngineClient, collectContainers, collectEvents, collectImages, collectLogWindow, collectStats, collectFsUsage, endpointFromEnv, engineRuntime, isLockContainer, isSwarmTask } from '@bcon/sensor';
import type { ComposeProject, DesiredSource, DesiredState } from '@bcon/sensor/desired';
import type { Diagnosis, DiagnosisSignals, ServiceSignals } from '@bcon/reasoning';
import type { Store } from '@bcon/store';
import { createLogger } from './log.js';
import { OpsError } from './errors.js';

export interface DiagnoseOptions {
  target: string | undefined;
  complaint: string | undefined;
  /** how far back events and logs reach, seconds */
  windowSeconds: number;
  /** log lines per container (the newest) */
  tail: number;
  /** bytes per container log window */
  maxLogBytes: number;
  /** where to look for the compose repository (default: the working directory) */
  repo: string;
  /** the environment naming the engine (DOCKER_HOST, SSH keys); default process.env */
  env?: NodeJS.ProcessEnv;
  /** the engine's bcon.yaml host name, when known (else looked up by its address): only the projects placed on it are read */
  host?: string | undefined;
  /** with no target, also the services that run otherwise than the committed files say (the reconciler's view) */
  includeDrifted?: boolean;
  /**
   * with no target, every service in view — also those whose containers look fine — so a running service whose logs
   * or stats show a fault is judged too (the reconciler's periodic sweep); the ones read only because of it are
   * listed in `swept`
   */
  sweep?: boolean;
  /**
   * a sweep after an earlier one (ms since epoch): the services read only because of the sweep are judged on their
   * logs since then — a fault must still be happening, not be what their start went through
   */
  sweepSince?: number;
  /**
   * with `sweepSince`: the services (`project/service`) the earlier sweep found something on. Only these are read
   * since it; a quiet service it found nothing on is read over the whole window again, as at a first sighting (a
   * fault that began before the earlier sweep and was too young then to be told has its onset there, not since)
   */
  sweepClaimed?: ReadonlySet<string>;
}

/** A diagnosis, and (a sweep) the services judged only because every service was: their containers looked fine. */
export type CollectedDiagnosis = Diagnosis & { swept?: string[]; running?: string[]; upProjects?: string[] };

/** A service whose containers differ from its committed spec in what a catalog action can put back. */
function runsOtherwise(s: ServiceSignals, tagIds: ReadonlyMap<string, string>): boolean {
  const spec = s.spec;
  if (!spec) return false;
  // the committed tag now names another image than the one running (re-tagged, rebuilt)
  const tagId = spec.image ? tagIds.get(spec.image) : undefined;
  if (tagId && s.containers.some((c) => !c.compose?.oneoff && c.image === spec.image && c.imageId !== tagId)) return true;
  const replicas = s.containers.filter((c) => !c.compose?.oneoff);
  if (replicas.length !== spec.replicas) return true;
  return replicas.some(
    // a memory or CPU limit the files do not set (added with docker update) runs otherwise too
    (c) => (c.limits.memoryBytes ?? 0) !== (spec.memoryBytes ?? 0) || (c.limits.nanoCpus ?? 0) !== (spec.nanoCpus ?? 0) || (spec.image !== undefined && c.image !== spec.image),
  );
}

/** What a container runs with that the committed files set: a difference in one is a service configured otherwise. */
const CONFIGURATION_FIELDS = new Set(['environment', 'command', 'entrypoint', 'ports', 'volumes', 'image']);

/** A service whose settings take a value from outside the committed files (a shell variable, an uncommitted optional env file). */
function settledOutsideFiles(unrendered: readonly string[]): boolean {
  return unrendered.some((u) => u.endsWith('(from the shell)') || (u.startsWith('env_file ') && u.endsWith('(optional, not committed)')));
}

const keyOf = (c: ContainerFacts): string => (c.compose && !c.compose.oneoff ? `${c.compose.project}\u0000${c.compose.service}` : `\u0000${c.name}`);

/** Read the committed compose project the containers came from: the repository around the working directory. */
export async function readDesired(repo: string, containers: readonly ContainerFacts[], project: string | undefined, notices: string[]): Promise<{ desired: DesiredState; source: DesiredSource; root: string } | undefined> {
  const { findRepositoryRoot, gitRefSource, loadDesiredState, loadComposeProject, readDesiredText, readProjectPlacement, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(repo);
  } catch {
    notices.push(`no git repository at ${repo}: declared dependencies and drift were not read (run from the compose repository, or --repo PATH)`);
    return undefined;
  }
  try {
    const source = await gitRefSource(root, 'HEAD').catch(() => worktreeSource(root));
    // the project as the containers were made: their working directory inside this repository, and their project name (-p)
    const sample = containers.find((c) => c.compose && !c.compose.oneoff && (!project || c.compose.project === project) && c.compose.workingDir);
    const workingDir = sample?.compose?.workingDir;
    const rel = workingDir ? path.relative(root, workingDir) : undefined;
    if (sample?.compose && rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel)) {
      // (compose v1 writes them relative to the working directory, v2 absolute: neither is relative to this process)
      const named = sample.compose.configFiles.map((f) => path.relative(workingDir as string, path.resolve(workingDir as string, f))).filter((f) => f && !f.startsWith('..'));
      // the desired state is what is committed: a file the containers were made with that the ref does not hold (a
      // local override left in the checkout) is not part of it, and what it changed shows as drift
      const files: string[] = [];
      const outside: string[] = [];
      for (const f of named) ((await readDesiredText(source, path.posix.join(rel || '.', f))) === undefined ? outside : files).push(f);
      if (outside.length) notices.push(`${sample.compose.project} was made with ${outside.join(', ')}, not in ${source.label}: compared with ${files.length ? `the committed files (${files.join(', ')})` : 'the compose files found there'}`);
      const one: ComposeProject = await loadComposeProject(source, { dir: rel || '.', name: sample.compose.project, ...(files.length ? { files } : {}) });
      // bcon.yaml's hosts and placement still say where it belongs (bcon.yaml alone is read: no other project's files)
      const placed = await readProjectPlacement(source, { dir: rel || '.', name: one.name }).catch((err: Error) => {
        notices.push(`bcon.yaml's hosts and placement were not read (${err.message}): every project is expected on this host`);
        return {};
      });
      return { desired: { source: source.label, commit: source.commit, projects: [one], ...placed }, source, root };
    }
    return { desired: await loadDesiredState(source), source, root };
  } catch (err) {
    notices.push(`the compose files in ${root} could not be read (${(err as Error).message}): declared dependencies and drift were not used`);
    return undefined;
  }
}

function emptySignals(name: string, project: string | undefined, kind: ServiceSignals['kind'], containers: ContainerFacts[]): ServiceSignals {
  return { name, project, kind, containers, stats: {}, logs: {}, logNotes: [], events: [], spec: undefined, drift: [], untracked: false, baseline: undefined };
}

/**
 * `bcon diagnose`: read everything about the target and what it depends on (read-only, through the sensor), judge
 * it with the deterministic analyzers, store a per-service sample for baselines, and return the diagnosis.
 */
export async function collectDiagnosis(options: DiagnoseOptions): Promise<CollectedDiagnosis> {
  const started = performance.now();
  const log = await createLogger();
  const notices: string[] = [];
  const env = options.env ?? process.env;
  const client = new EngineClient(endpointFromEnv(env), { env });
  let store: Store | undefined;
  try {
    await client.connect();
    // one-off runs and bcon's own per-host lock container are not services
    // a swarm's task containers are swarm's to restart or replace (bcon swarm diagnose reads their service)
    const containers = (await collectContainers(client, { concurrency: 16 })).filter((c) => !c.compose?.oneoff && !isLockContainer(c.labels) && !isSwarmTask(c.labels));

    // the target: a compose service (any project) or a container name
    let project: string | undefined;
    if (options.target) {
      const t = options.target;
      const hits = containers.filter((c) => c.compose?.service === t || c.name === t);
      project = hits.find((c) => c.name === t)?.compose?.project ?? hits[0]?.compose?.project;
      const projects = new Set(hits.flatMap((c) => (c.compose ? [c.compose.project] : [])));
      if (projects.size > 1) notices.push(`"${t}" exists in several compose projects (${[...projects].join(', ')}); diagnosing the one in ${project}`);
    }

    const desiredRead = await readDesired(options.repo, containers, project, notices);
    let desired = desiredRead?.desired;
    // on a host bcon.yaml names, only the projects placed on it are expected here (as bcon drift reads them): a
    // project placed on another host is not judged against its files here, nor made here from them
    if (desired?.placement) {
      const { desiredOnHost, hostNameOf } = await import('@bcon/sensor/desired');
      const host = options.host ?? hostNameOf(desired, client.endpoint.address);
      if (host) {
        const placed = desiredOnHost(desired, host);
        desired = placed.desired;
        for (const [name, hosts] of placed.elsewhere) {
          if (containers.some((c) => c.compose?.project === name)) notices.push(`project ${name} runs here, but bcon.yaml places it on ${hosts.join(', ')}: not judged against its files on ${host}`);
        }
      }
    }
    const declared = new Map<string, ComposeProject['services'][string] & { project: string }>();
    for (const p of desired?.projects ?? []) for (const [name, spec] of Object.entries(p.services)) declared.set(`${p.name}\u0000${name}`, { ...spec, project: p.name });

    if (options.target && !project && !containers.some((c) => c.name === options.target)) {
      const decl = [...declared.values()].find((s) => s.name === options.target);
      if (decl) project = decl.project;
      else {
        const known = [...new Set([...containers.map((c) => c.compose?.service ?? c.name), ...[...declared.values()].map((s) => s.name)])].sort();
        throw new OpsError(`no service or container named "${options.target}" on ${client.endpoint.address}; known: ${known.join(', ') || 'none'}`, 'unknown_service');
      }
    }

    // every service of the project in view (and containers outside compose), with what the engine and the files say
    const services = new Map<string, ServiceSignals>();
    for (const c of containers) {
      const key = keyOf(c);
      const s = services.get(key) ?? emptySignals(c.compose?.service ?? c.name, c.compose?.project, c.compose ? 'service' : 'container', []);
      s.containers.push(c);
      services.set(key, s);
    }
    for (const [key, spec] of declared) {
      const s = services.get(key) ?? emptySignals(spec.name, spec.project, 'service', []);
      s.spec = spec;
      services.set(key, s);
    }
    if (desired) {
      const projects = new Set(desired.projects.map((p) => p.name));
      for (const [key, s] of services) s.untracked = !declared.has(key) && (s.kind === 'container' || projects.has(s.project ?? ''));
    }
    const inView = [...services.values()].filter((s) => !project || s.project === project || s.kind === 'container');

    const { DependencyGraph, addressesOf, assessContainer, blankSettings, buildDriftReport, compareService, diagnose, finishedJob, sharedWritableData, stopsAsked, twinOf } = await import('@bcon/reasoning');
    // the engine's events, asked for now: whether a container that exited 0 finished or was stopped tells the scope
    const eventsRead = collectEvents(client, { windowSeconds: options.windowSeconds }).catch((err: Error) => {
      notices.push(`events not read: ${err.message}`);
      return [] as EngineEventFact[];
    });
    const graph = new DependencyGraph(inView);
    let scope: ServiceSignals[];
    let swept: string[] | undefined;
    let besideTarget: string[] | undefined;
    const now = Date.now();
    if (options.target) {
      const target = inView.find((s) => s.name === options.target && (s.project === project || s.kind === 'container')) ?? inView.find((s) => s.containers.some((c) => c.name === options.target));
      if (!target) throw new OpsError(`"${options.target}" is not a service of this engine`, 'unknown_service');
      const closure = graph.closure(target.name);
      // and a container outside the files that writes the same data as one of them (two writers on one volume)
      const near = inView.filter((s) => closure.has(s.name) || s === target);
      // and the rest of the target's project that the engine's facts show not OK: what users see is often served by
      // the target while the fault sits in a service that calls it or works beside it (a cron sidecar left stopped,
      // an agent replica removed, a coordinator unhealthy). Declared services with no container at all are not
      // taken (a profile, a job): only a container not OK, or fewer containers than the files declare
      // A container that exited 0 under a policy that leaves it (no, on-failure) reads as a finished job, unless a stop
      // or kill was asked of it through the engine (a worker sent TERM that shut down cleanly: a service stopped)
      const verdictOf = (c: ContainerFacts) => assessContainer(c, undefined, now).verdict;
      const sameProject = (s: ServiceSignals) => s !== target && s.kind === 'service' && s.project === target.project;
      const cleanExits = inView.some((s) => sameProject(s) && !closure.has(s.name) && s.containers.some((c) => verdictOf(c) === 'completed'));
      // or that runs with another configuration than the committed files give it (recreated by hand from an edited
      // file, the edit since reverted: a worker reading another queue than the one the app fills). Only where the
      // files alone fix the configuration: a `${VAR}` from the shell or an optional env file not committed (a `.env`
      // kept on the host) makes every container differ from what the files render here
      const configured = desired ? inView.filter((s) => sameProject(s) && !closure.has(s.name) && s.spec !== undefined && !settledOutsideFiles(s.spec.unrendered) && s.containers.some((c) => c.state === 'running')) : [];
      // both reads at once: neither waits for the other
      const [early, imagesOf] = await Promise.all([
        cleanExits ? eventsRead : Promise.resolve([] as EngineEventFact[]),
        configured.length
          ? collectImages(client, configured.flatMap((s) => s.containers.map((c) => c.imageId))).catch((err: Error) => {
              notices.push(`images not read: ${err.message} (services configured otherwise than the files were not looked for)`);
              return undefined;
            })
          : Promise.resolve(undefined),
      ]);
      const eventsOf = new Map<string, EngineEventFact[]>();
      for (const e of early) eventsOf.set(e.containerId, [...(eventsOf.get(e.containerId) ?? []), e]);
      const stoppedClean = (c: ContainerFacts) => stopsAsked({ events: eventsOf.get(c.id) ?? [] }, c).length > 0;
      const troubled = (s: ServiceSignals) =>
        s.containers.some((c) => {
          const v = verdictOf(c);
          return v === 'completed' ? stoppedClean(c) : v !== 'ok';
        }) ||
        (s.spec !== undefined && s.containers.length > 0 && s.containers.length < s.spec.replicas);
      const otherwise = new Set(
        imagesOf ? configured.filter((s) => s.spec && compareService(s.project ?? '', s.spec, s.containers, imagesOf).some((d) => CONFIGURATION_FIELDS.has(d.field))) : [],
      );
      // (or runs with a setting blank that the files leave to a variable nobody set: a mailer with no SMTP_URL that
      // renders every message and sends none, beside the API that queues them)
      const beside = (s: ServiceSignals) => sameProject(s) && (troubled(s) || otherwise.has(s) || blankSettings(s).length > 0);
      // and, of the same project, what calls the target (it depends on it, or connects to it): what users see of the
      // target often passes through a proxy in front of it, and the fault may sit there (a proxy out of file
      // descriptors answers 500 for an API that never saw the request)
      const calls = (s: ServiceSignals) => sameProject(s) && graph.closure(s.name).has(target.name);
      // and, of the same project, what is told to connect where the target is (a worker on the API's database and
      // queue): refused at the same address, it tells the address is the stack's, not one client's slip
      // (an address on this machine or of a service in view: a public URL every service gets from one env file says nothing)
      const serviceNames = new Set(inView.map((s) => s.name.toLowerCase()));
      const local = (a: string) => {
        const host = (/^[a-z][\w+.-]*:\/\/(?:[^@/\s]*@)?\[?([^\]/:\s]+)/i.exec(a) ?? /^([^:\s]+):\d+/.exec(a))?.[1]?.toLowerCase();
        return host !== undefined && (DependencyGraph.isAddressLiteral(host) || serviceNames.has(host));
      };
      const targetAddresses = new Set([...addressesOf(target)].filter(local));
      const shares = (s: ServiceSignals) => sameProject(s) && !s.untracked && [...addressesOf(s)].some((a) => targetAddresses.has(a));
      const besides = new Set(inView.filter((s) => s !== target && !closure.has(s.name) && (beside(s) || calls(s) || shares(s))));
      // and a container outside the files that is a second copy of a declared service and connects where the target
      // or what it needs does (an old beat left running beside the compose one: the worker gets every job twice), with
      // the service it copies (what the copy is judged against)
      const nearAddresses = new Set(near.flatMap((s) => [...addressesOf(s)]));
      const copyOf = new Map(
        inView.flatMap((s) => {
          const twin = s.untracked ? twinOf(s, inView) : undefined;
          return twin && [...addressesOf(s)].some((a) => nearAddresses.has(a)) ? [[s, twin.service] as const] : [];
        }),
      );
      const copied = new Set(copyOf.values());
      scope = [target, ...inView.filter((s) => s !== target && (closure.has(s.name) || besides.has(s) || copied.has(s.name) || (s.untracked && (copyOf.has(s) || sharedWritableData(s, near).length > 0))))];
      besideTarget = [...besides].map((s) => s.name);
      options = { ...options, target: target.name };
    } else {
      // no target: every service that is not OK, and what each depends on
      // the reconciler's view: also what runs otherwise than committed (which image each committed tag names now)
      const tagIds = new Map<string, string>();
      if (options.includeDrifted === true) {
        const refs = inView.flatMap((s) => (s.spec?.image ? [s.spec.image] : []));
        for (const [ref, img] of await collectImages(client, refs)) tagIds.set(ref, img.id);
      }
      const bad = inView.filter((s) => (s.spec && !s.containers.length) || s.containers.some((c) => assessContainer(c, undefined, now).verdict !== 'ok') || (options.includeDrifted === true && runsOtherwise(s, tagIds)));
      const names = new Set(bad.flatMap((s) => [s.name, ...graph.closure(s.name).keys()]));
      // not a same-named service of another project up on this engine (an old checkout's leftover holding the port):
      // it is not the bad one, and would be read in its place (the diagnosis knows services by name)
      const shadows = (s: ServiceSignals) => bad.some((b) => b.name === s.name && b.project !== s.project);
      scope = inView.filter((s) => bad.includes(s) || (names.has(s.name) && !shadows(s)));
      if (options.sweep === true) {
        swept = inView.filter((s) => !names.has(s.name)).map((s) => s.name);
        scope = inView.filter((s) => !shadows(s));
      }
    }

    // the signals of the services in scope, read at the same time
    const scoped = scope.flatMap((s) => s.containers);
    const ids = new Set(scoped.map((c) => c.id));
    try {
      const { openStore } = await import('@bcon/store');
      store = openStore();
    } catch (err) {
      notices.push(`no baseline: ${(err as Error).message}`);
    }
    const opened = store;
    const { latestSamples } = opened ? await import('@bcon/store') : { latestSamples: undefined };
    const running = scoped.filter((c) => c.state === 'running').map((c) => ({ id: c.id, pid: c.pid }));
    // the containers read only because of a sweep after an earlier one: their logs since that one
    const claimed = options.sweepClaimed;
    const quietIds = new Set(swept && options.sweepSince !== undefined ? scope.filter((s) => swept.includes(s.name) && (!claimed || claimed.has(`${s.project}/${s.name}`))).flatMap((s) => s.containers.map((c) => c.id)) : []);
    const quietSince = options.sweepSince === undefined ? options.windowSeconds : Math.min(options.windowSeconds, Math.max(1, Math.ceil((now - options.sweepSince) / 1000)));
    const baseline = opened && latestSamples ? latestSamples(opened, client.endpoint.address, running.map((r) => r.id)) : undefined;
    const [stats, filesystems, events, windows, images] = await Promise.all([
      collectStats(client, running, baseline ? { baseline } : {}).catch((err: Error) => {
        notices.push(`stats not read: ${err.message}`);
        return new Map<string, StatsFacts>();
      }),
      collectFsUsage(client.hostFiles, scoped),
      eventsRead,
      Promise.all(scoped.map((c) => collectLogWindow(client, c, { tail: options.tail, sinceSeconds: quietIds.has(c.id) ? quietSince : options.windowSeconds, maxBytes: options.maxLogBytes }).then((w) => ({ c, w })))),
      desired ? collectImages(client, [...scoped.map((c) => c.imageId), ...scope.flatMap((s) => (s.spec?.image ? [s.spec.image] : []))]) : Promise.resolve(new Map()),
    ]);
    for (const s of scope) {
      for (const c of s.containers) {
        const st = stats.get(c.id);
        if (st) s.stats[c.id] = st;
        const fs = filesystems.get(c.id);
        if (fs) s.filesystems = { ...s.filesystems, [c.id]: fs };
      }
      // events by container id, or by compose labels for containers that are gone (a removed replica)
      s.events = events.filter((e) => ids.has(e.containerId) ? s.containers.some((c) => c.id === e.containerId) : e.attributes['com.docker.compose.service'] === s.name && e.attributes['com.docker.compose.project'] === s.project);
    }
    for (const { c, w } of windows) {
      const s = scope.find((x) => x.containers.includes(c));
      if (!s) continue;
      s.logs[c.name] = w.lines;
      if (w.truncated) s.logNotes.push(`${c.name}: ${w.truncated}`);
    }
    let recentChanges: DiagnosisSignals['recentChanges'] = [];
    if (desired && desiredRead) {
      const report = buildDriftReport(desired, containers, images);
      for (const s of scope) s.drift = report.differences.filter((d) => d.service === s.name && d.project === s.project);
      const { recentCommits } = await import('@bcon/sensor/desired');
      recentChanges = await recentCommits(desiredRead.root, now - options.windowSeconds * 1000).catch(() => []);
    }
    // exits bcon judged earlier to be jobs that finished by themselves: the engine keeps few events
    const exitedClean = (s: ServiceSignals) => s.containers.filter((c) => c.state === 'exited' && c.exitCode === 0 && c.finishedAt);
    const exitOf = (c: ContainerFacts) => ({ containerId: c.id, finishedAt: c.finishedAt as string });
    if (opened) {
      const { finishedJobsSeen, serviceBaseline } = await import('@bcon/store');
      for (const s of scope) {
        s.baseline = serviceBaseline(opened, client.endpoint.address, s.project ?? '', s.name, { now });
        const seen = finishedJobsSeen(opened, client.endpoint.address, exitedClean(s).map(exitOf));
        if (seen.length) s.finishedBefore = seen;
      }
    }

    const signals: DiagnosisSignals = {
      collectedAt: new Date(now).toISOString(),
      windowSeconds: options.windowSeconds,
      target: options.target,
      complaint: options.complaint,
      services: scope,
      runtime: engineRuntime(await client.connect()),
      recentChanges,
      desiredSource: desired?.source,
      notices,
      ...(besideTarget?.length ? { beside: besideTarget } : {}),
    };
    const diagnosis: CollectedDiagnosis = diagnose(signals, { durationMs: Math.round(performance.now() - started) });
    if (swept) diagnosis.swept = swept;
    // with no target: every service in view that has a container here (judged or not)
    if (!options.target) diagnosis.running = inView.filter((s) => s.containers.length > 0).map((s) => s.name);
    // the compose projects with a running container of a declared service on this engine (in view, in scope or not): a
    // service of one of them with no container left is gone from a project that is up here. A same-named project of
    // another checkout — none of its services in the files — is not this one up here
    const { upProjectsIn } = await import('./up-projects.js');
    diagnosis.upProjects = [...upProjectsIn(inView)];
    if (opened) {
      try {
        const { recordServiceSamples } = await import('@bcon/store');
        recordServiceSamples(
          opened,
          client.endpoint.address,
          scope.map((s) => {
            const st = Object.values(s.stats);
            const m = diagnosis.measurements[s.name];
            return {
              project: s.project ?? '',
              service: s.name,
              at: now,
              cpuPercent: st.some((x) => x.cpu.percent !== undefined) ? st.reduce((a, x) => a + (x.cpu.percent ?? 0), 0) : undefined,
              memoryBytes: st.length ? st.reduce((a, x) => a + x.memory.usageBytes, 0) : undefined,
              restarts: s.containers.reduce((a, c) => a + c.restartCount, 0),
              errorsPerMinute: m?.errorsPerMinute,
              latencyP50Ms: m?.latencyP50Ms,
              latencyP95Ms: m?.latencyP95Ms,
            };
          }),
        );
      } catch (err) {
        log.warn({ err }, 'could not record service samples');
      }
    }
    if (opened) {
      try {
        const { recordFinishedJobs } = await import('@bcon/store');
        const finished = scope.flatMap((s) => exitedClean(s).filter((c) => finishedJob(s, c, { signals })).map(exitOf));
        if (finished.length) recordFinishedJobs(opened, client.endpoint.address, finished, now);
      } catch (err) {
        log.warn({ err }, 'could not record finished jobs');
      }
    }
    diagnosis.report.durationMs = Math.round(performance.now() - started);
    return diagnosis;
  } finally {
    client.close();
    store?.close();
  }
}

// the text view, from the same bundle (the command then loads reasoning once)
export { renderDiagnosisText } from '@bcon/reasoning';
