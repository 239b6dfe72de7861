import type Docker from 'dockerode';
import type { Action } from '@bcon/decision';
import { cloneSpec, replicaName } from './docker/clone.js';
import { createFromSpec, type FromFiles } from './docker/create-from-spec.js';
import { runDeploy } from './deploy/run.js';
import { healthGate } from './health/run-healthcheck.js';
import { isSwarmAction, runSwarmAction } from './swarm/run-swarm.js';
import { SHORT_RUN_MS } from './short-run.js';
import { updateLimits } from './update-limits.js';

export interface ExecutionResult {
  status: 'succeeded' | 'failed' | 'rolled_back';
  /** what was done, step by step */
  steps: string[];
  /** the state the service is in now, exactly */
  state: string;
  /** a deploy's own account: its result (paused is a failure here), which replicas failed which probe, the comparison */
  detail?: Record<string, unknown>;
}

export interface ExecuteOptions {
  /** how long the result may take to be running (and healthy) */
  verifyTimeoutMs?: number;
  /** how long it must then stay running */
  settleMs?: number;
  /** each step as it happens (a deploy is long) */
  onStep?: (line: string) => void;
  /** a service.scale of a service with no container left: the committed compose files to make its containers from */
  fromFiles?: FromFiles;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class VerifyError extends Error {}

/**
 * Running (and healthy when it has a healthcheck) within the timeout, then still running after `settleMs`. Health
 * is the health gate's: the engine's status where it runs the check, bcon's own probes where it does not (Podman).
 */
async function verifyRunning(docker: Docker, name: string, o: Required<Omit<ExecuteOptions, 'fromFiles'>>, afterProbe?: string): Promise<string> {
  const deadline = Date.now() + o.verifyTimeoutMs;
  let restartingSince: number | undefined;
  let firstCount: number | undefined;
  for (;;) {
    const info = await docker.getContainer(name).inspect();
    // the engine calls a paused container running: nothing in it runs
    if (info.State.Paused) throw new VerifyError(`${name} is paused`);
    if (info.State.Running && !info.State.Restarting) {
      const gate = await healthGate(docker, name, { timeoutMs: Math.max(deadline - Date.now(), 1000), ...(afterProbe !== undefined ? { afterProbe } : {}) });
      if (gate.status === 'not_running') {
        if (Date.now() > deadline) throw new VerifyError(gate.reason);
        continue;
      }
      if (!gate.healthy) throw new VerifyError(gate.reason);
      await sleep(o.settleMs);
      const again = await docker.getContainer(name).inspect();
      if (again.State.Running && !again.State.Restarting && again.State.StartedAt === info.State.StartedAt) return `${name} running${gate.source === 'engine' ? ' and healthy' : gate.source === 'bcon' ? ' and healthy (healthcheck run by bcon: the runtime does not run it)' : ''}`;
      throw new VerifyError(`${name} did not stay running (${again.State.Status}, exit code ${again.State.ExitCode})`);
    }
    // died again, and its restart policy starts it after a delay that grows to a minute: once it has waited more
    // than a few seconds, or died twice more, that is the answer (no need to wait the timeout out); one quick restart
    // (100 ms: a service that needs one more try) is not
    if (info.State.Restarting) {
      restartingSince ??= Date.now();
      firstCount ??= info.RestartCount;
      if (Date.now() - restartingSince >= RESTARTING_MS || info.RestartCount - firstCount >= 2) throw new VerifyError(`${name} died again (exit code ${info.State.ExitCode}) and waits to be restarted by its restart policy (${info.RestartCount} restarts)`);
    } else restartingSince = undefined;
    if (Date.now() > deadline) throw new VerifyError(`${name} is ${info.State.Status} after ${o.verifyTimeoutMs / 1000} s (exit code ${info.State.ExitCode})`);
    await sleep(250);
  }
}

/** Before any probe: every logged probe is later. */
const NO_PROBE_YET = '0001-01-01T00:00:00Z';

/** Waiting this long to be restarted by its policy, a container that died again is a failed verify. */
const RESTARTING_MS = 3_000;


/**
 * How long a start must then stay running: the default, or — when the container's last run lasted less than
 * SHORT_RUN_MS (it crashed, or was OOM-killed, a few seconds after it started) — that run plus 2 s, so that a start
 * which fails the same way is seen failing and undone, not counted as a success.
 */
export function settleAfterShortRun(info: Pick<Docker.ContainerInspectInfo, 'State'>, settleMs: number): number {
  const started = Date.parse(info.State.StartedAt);
  const finished = Date.parse(info.State.FinishedAt);
  if (Number.isNaN(started) || Number.isNaN(finished) || started < Date.UTC(2000, 0) || finished <= started) return settleMs;
  const ran = finished - started;
  return ran < SHORT_RUN_MS ? Math.max(settleMs, ran + 2_000) : settleMs;
}

async function verifyStopped(docker: Docker, name: string): Promise<string> {
  const info = await docker.getContainer(name).inspect();
  if (info.State.Running) throw new VerifyError(`${name} is still running`);
  return `${name} stopped (exit code ${info.State.ExitCode})`;
}

/** Replace a container by one created from `spec`: create, stop the old, swap names, start, verify; on failure put the old one back. */
async function replace(docker: Docker, name: string, spec: Docker.ContainerCreateOptions, o: Required<Omit<ExecuteOptions, 'fromFiles'>>, steps: string[]): Promise<ExecutionResult> {
  const old = docker.getContainer(name);
  const wasRunning = (await old.inspect()).State.Running;
  const tmp = `${name}-bcon-new`;
  const fresh = await docker.createContainer({ ...spec, name: tmp });
  steps.push(`created ${tmp}`);
  if (wasRunning) {
    await old.stop({ t: 10 }).catch(() => undefined);
    steps.push(`stopped ${name}`);
  }
  await old.rename({ name: `${name}-bcon-old` });
  await fresh.rename({ name });
  steps.push(`${name} is now the new container; the old one is ${name}-bcon-old`);
  try {
    await fresh.start();
    steps.push(`started ${name}`);
    const state = await verifyRunning(docker, name, o);
    await docker.getContainer(`${name}-bcon-old`).remove({ force: true });
    steps.push(`verified (${state}); removed ${name}-bcon-old`);
    return { status: 'succeeded', steps, state };
  } catch (err) {
    const why = (err as Error).message;
    steps.push(`verification failed: ${why}`);
    await fresh.remove({ force: true }).catch(() => undefined);
    await docker.getContainer(`${name}-bcon-old`).rename({ name });
    if (wasRunning) await docker.getContainer(name).start().catch(() => undefined);
    steps.push(`undone: removed the new container, ${name} is the previous one again${wasRunning ? ' and started' : ''}`);
    const back = await docker.getContainer(name).inspect();
    return { status: 'rolled_back', steps, state: `${name} (the previous container) is ${back.State.Status}; the change was not applied: ${why}` };
  }
}

/**
 * Run one catalog action on the engine, verify it, and undo it where undo exists when verification fails. The
 * caller must hold an approval record for it (the CLI checks and journals before calling).
 */
export async function executeAction(docker: Docker, action: Action, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const o = { verifyTimeoutMs: options.verifyTimeoutMs ?? 30_000, settleMs: options.settleMs ?? 2_000, onStep: options.onStep ?? (() => undefined) };
  const steps: string[] = [];
  // a swarm service: the engine makes the change (and its own rolling update); bcon asks and verifies
  if (isSwarmAction(action)) return runSwarmAction(docker, action, { verifyTimeoutMs: action.type === 'swarm.scale' ? o.verifyTimeoutMs : Math.max(o.verifyTimeoutMs, 300_000), onStep: o.onStep });
  try {
    switch (action.type) {
      case 'container.restart': {
        await docker.getContainer(action.container).restart({ t: 10 });
        steps.push(`restarted ${action.container}`);
        return { status: 'succeeded', steps, state: await verifyRunning(docker, action.container, o) };
      }
      case 'container.start': {
        // a container whose last run was short may die again after as long: verify at least that long
        const so = { ...o, settleMs: options.settleMs ?? settleAfterShortRun(await docker.getContainer(action.container).inspect(), o.settleMs) };
        // 304: it runs already — its restart policy started it between the decision and now; not bcon's start, so
        // it is verified but never stopped as an undo
        const already = await docker
          .getContainer(action.container)
          .start()
          .then(() => false)
          .catch((err: { statusCode?: number }) => {
            if (err.statusCode === 304) return true;
            throw err;
          });
        if (already) {
          steps.push(`${action.container} was started meanwhile by the engine (its restart policy): nothing to start`);
          try {
            return { status: 'succeeded', steps, state: await verifyRunning(docker, action.container, so) };
          } catch (err) {
            steps.push(`not verified: ${(err as Error).message}`);
            return { status: 'failed', steps, state: `${action.container} is under its restart policy and does not stay up: ${(err as Error).message}` };
          }
        }
        steps.push(`started ${action.container}`);
        try {
          return { status: 'succeeded', steps, state: await verifyRunning(docker, action.container, so) };
        } catch (err) {
          await docker.getContainer(action.container).stop({ t: 5 }).catch(() => undefined);
          steps.push(`verification failed: ${(err as Error).message}; undone: stopped ${action.container} again`);
          return { status: 'rolled_back', steps, state: `${action.container} is stopped, as before` };
        }
      }
      case 'container.unpause': {
        // unpaused meanwhile (by a person, or a finish after a crash): nothing to unpause, still verified
        const before = await docker.getContainer(action.container).inspect();
        if (before.State.Paused) {
          await docker.getContainer(action.container).unpause();
          steps.push(`unpaused ${action.container}`);
        } else steps.push(`${action.container} is not paused any more: nothing to unpause`);
        // its health status is the paused time's (every probe fails while paused): only a probe after the unpause says
        // whether it is healthy. Nothing to undo on failure: pausing it again would freeze it for no one's good
        // (a paused container's probes are not logged: the engine marks it unhealthy with an empty log — any probe then counts)
        const lastProbe = (before.State.Health?.Log as Array<{ Start?: string }> | undefined)?.at(-1)?.Start ?? NO_PROBE_YET;
        return { status: 'succeeded', steps, state: await verifyRunning(docker, action.container, o, before.State.Paused && before.State.Health ? lastProbe : undefined) };
      }
      case 'container.stop': {
        await docker.getContainer(action.container).stop({ t: 10 });
        steps.push(`stopped ${action.container}`);
        return { status: 'succeeded', steps, state: await verifyStopped(docker, action.container) };
      }
      case 'service.set_memory':
      case 'service.set_cpus': {
        const before = new Map<string, Docker.ContainerInspectInfo['HostConfig']>();
        for (const name of action.containers) before.set(name, (await docker.getContainer(name).inspect()).HostConfig);
        // no limit (0, what compose files that set none mean): no engine removes a limit live (an update with Memory
        // or NanoCpus 0 leaves it as it is), so each container is re-created without it, as compose would create it
        const unlimit: boolean = action.type === 'service.set_memory' ? action.memoryBytes === 0 : action.cpus === 0;
        const limit = action.type === 'service.set_memory' ? 'memory' : 'CPU';
        const update = (hc: Docker.ContainerInspectInfo['HostConfig']) =>
          action.type === 'service.set_memory'
            ? unlimit
              ? { Memory: 0, MemorySwap: 0 }
              : { Memory: action.memoryBytes, MemorySwap: hc.MemorySwap && hc.MemorySwap > 0 && hc.MemorySwap === hc.Memory ? action.memoryBytes : hc.MemorySwap && hc.MemorySwap > 0 ? Math.max(hc.MemorySwap, action.memoryBytes) : -1 }
            : { NanoCpus: Math.round(action.cpus * 1e9), CpuQuota: 0, CpuPeriod: 0 };
        // a runtime without live updates (Podman's Docker API answers 404): each container is re-created with the
        // new limit, same configuration otherwise, verified and put back on failure like any re-create
        const first = action.containers[0];
        if (first) {
          const live = unlimit ? false : await updateLimits(docker, first, update(before.get(first) as Docker.ContainerInspectInfo['HostConfig']))
            .then(() => true)
            .catch(async (err: { statusCode?: number }) => {
              if (err.statusCode === 404 && (await docker.getContainer(first).inspect().then(() => true, () => false))) return false;
              throw err;
            });
          if (!live) {
            steps.push(unlimit ? `a ${limit} limit cannot be removed live: re-creating each container without one` : 'this runtime cannot change limits of a running container: re-creating each with the new limit');
            const states: string[] = [];
            for (const name of action.containers) {
              const from = await docker.getContainer(name).inspect();
              if (unlimit && (action.type === 'service.set_memory' ? !from.HostConfig.Memory : !from.HostConfig.NanoCpus && !((from.HostConfig.CpuQuota ?? 0) > 0))) {
                states.push(`${name} has no ${limit} limit`);
                continue;
              }
              const r = await replace(docker, name, cloneSpec(from, { hostConfig: update(from.HostConfig) as Partial<Docker.ContainerInspectInfo['HostConfig']> }), o, steps);
              if (r.status !== 'succeeded') return { ...r, steps };
              states.push(r.state);
            }
            return { status: 'succeeded', steps, state: states.join('; ') };
          }
          steps.push(`updated ${first}`);
        }
        try {
          for (const name of action.containers.slice(1)) {
            await updateLimits(docker, name, update(before.get(name) as Docker.ContainerInspectInfo['HostConfig']));
            steps.push(`updated ${name}`);
          }
          const states: string[] = [];
          for (const name of action.containers) {
            const hc = (await docker.getContainer(name).inspect()).HostConfig;
            const ok = action.type === 'service.set_memory' ? hc.Memory === action.memoryBytes : hc.NanoCpus === Math.round(action.cpus * 1e9);
            if (!ok) throw new VerifyError(`${name} does not carry the new limit`);
            const info = await docker.getContainer(name).inspect();
            states.push(`${name} ${info.State.Status} with ${action.type === 'service.set_memory' ? `memory ${Math.round(action.memoryBytes / 1048576)} MiB` : `${action.cpus} CPU`}`);
          }
          return { status: 'succeeded', steps, state: states.join('; ') };
        } catch (err) {
          // (through the same retries: a container dying of its OOM kill just then takes the old limit on its restart)
          const notBack: string[] = [];
          for (const [name, hc] of before) {
            await updateLimits(docker, name, action.type === 'service.set_memory' ? { Memory: hc.Memory ?? 0, MemorySwap: hc.MemorySwap ?? 0 } : { NanoCpus: hc.NanoCpus ?? 0, CpuQuota: hc.CpuQuota ?? 0, CpuPeriod: hc.CpuPeriod ?? 0 }).catch((e: Error) => {
              notBack.push(`${name} (${e.message.split('\n')[0]})`);
            });
          }
          if (notBack.length) {
            steps.push(`failed: ${(err as Error).message}; not undone on ${notBack.join(', ')}`);
            return { status: 'failed', steps, state: `${action.service}: the previous limits could not be set back on ${notBack.join(', ')}` };
          }
          steps.push(`failed: ${(err as Error).message}; undone: previous limits set back`);
          return { status: 'rolled_back', steps, state: `${action.service} keeps its previous limits` };
        }
      }
      case 'service.scale': {
        // the replicas of this project's service only: another project may have a service of the same name
        const labels = [`com.docker.compose.service=${action.service}`, ...(action.project ? [`com.docker.compose.project=${action.project}`] : [])];
        const list = await docker.listContainers({ all: true, filters: { label: labels } });
        const replicas = list
          .filter((c) => c.Labels['com.docker.compose.oneoff'] !== 'True')
          .sort((a, b) => Number(a.Labels['com.docker.compose.container-number'] ?? 0) - Number(b.Labels['com.docker.compose.container-number'] ?? 0));
        const projects = [...new Set(replicas.map((c) => c.Labels['com.docker.compose.project'] ?? ''))];
        if (projects.length > 1) throw new Error(`${action.service} exists in several compose projects (${projects.join(', ')}): the action must name its project; nothing was changed`);
        if (replicas.length !== action.from) throw new Error(`${action.service} runs ${replicas.length} replicas, not ${action.from} as when it was decided; nothing was changed`);
        const first = replicas[0];
        // none left to clone (removed by hand): made from the committed compose files, when they were given and
        // bcon renders every setting of the service; otherwise nothing is made
        const fromFiles = !first && action.to > 0 ? options.fromFiles : undefined;
        if (!first && !fromFiles) throw new Error(`${action.service} has no container to scale from; nothing was changed (docker compose up -d ${action.service})`);
        if (fromFiles && (fromFiles.spec.name !== action.service || (action.project !== undefined && fromFiles.project !== action.project))) throw new Error(`the compose files given are not ${action.service}'s; nothing was changed`);
        const project = first?.Labels['com.docker.compose.project'] ?? fromFiles?.project ?? '';
        if (action.to > replicas.length) {
          const template = first ? await docker.getContainer(first.Id).inspect() : undefined;
          const used = new Set(replicas.map((c) => Number(c.Labels['com.docker.compose.container-number'])));
          const created: string[] = [];
          try {
            for (let n = 1; created.length < action.to - replicas.length; n++) {
              if (used.has(n)) continue;
              let name: string;
              let body: Docker.ContainerCreateOptions;
              if (template) {
                name = replicaName(template.Name.replace(/^\//, ''), project, action.service, n);
                body = cloneSpec(template, { labels: { 'com.docker.compose.container-number': String(n) } });
              } else {
                ({ name, body } = await createFromSpec(docker, fromFiles as FromFiles, n));
                if (fromFiles?.spec.containerName && action.to - replicas.length > 1) throw new Error(`${action.service} sets container_name: it cannot have more than one replica; nothing was changed`);
              }
              const c = await docker.createContainer({ ...body, name });
              created.push(name);
              await c.start();
              steps.push(template ? `created and started ${name}` : `created ${name} from the committed compose files${fromFiles?.commit ? ` (commit ${fromFiles.commit.slice(0, 12)})` : ''} and started it`);
            }
            const states = [];
            for (const name of created) states.push(await verifyRunning(docker, name, o));
            return { status: 'succeeded', steps, state: `${action.service} runs ${action.to} replicas (${states.join('; ')})` };
          } catch (err) {
            for (const name of created) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
            steps.push(`failed: ${(err as Error).message}; undone: removed ${created.join(', ') || 'nothing'}`);
            return { status: 'rolled_back', steps, state: `${action.service} runs ${replicas.length} replicas, as before` };
          }
        }
        for (const c of replicas.slice(action.to).reverse()) {
          await docker.getContainer(c.Id).remove({ force: true });
          steps.push(`removed ${c.Names[0]?.replace(/^\//, '')}`);
        }
        return { status: 'succeeded', steps, state: `${action.service} runs ${action.to} replicas` };
      }
      case 'service.recreate':
      case 'service.set_env':
      case 'service.unset_env':
      case 'service.rollback_image': {
        const from = await docker.getContainer(action.container).inspect();
        const spec = cloneSpec(from, {
          ...(action.type === 'service.set_env' ? { env: (env) => [...env.filter((e) => !e.startsWith(`${action.name}=`)), `${action.name}=${action.value}`] } : {}),
          ...(action.type === 'service.unset_env' ? { env: (env) => env.filter((e) => !e.startsWith(`${action.name}=`) && e !== action.name) } : {}),
          ...(action.type === 'service.rollback_image' ? { image: action.image } : {}),
        });
        return await replace(docker, action.container, spec, o, steps);
      }
      case 'service.deploy': {
        const d = await runDeploy(docker, action, o.onStep);
        steps.push(...d.steps);
        const status = d.result === 'succeeded' ? 'succeeded' : d.result === 'rolled_back' ? 'rolled_back' : 'failed';
        const state = d.result === 'succeeded' ? `${action.service} runs ${action.image}: ${d.serving.join(', ')}` : d.result === 'rolled_back' ? `${action.service} runs ${d.from} again (${d.serving.join(', ')}); ${d.failures.map((f) => `${f.replica}: ${f.reason}`).join('; ')}` : `paused: ${d.serving.join(', ')} serve (mixed versions); ${d.failures.map((f) => `${f.replica}: ${f.reason}`).join('; ')}`;
        return { status, steps, state, detail: { result: d.result, from: d.from, to: d.to, failures: d.failures, serving: d.serving, ...(d.comparison ? { comparison: d.comparison } : {}) } };
      }
      case 'container.remove_untracked': {
        await docker.getContainer(action.container).remove({ force: true });
        steps.push(`removed ${action.container}`);
        const gone = await docker
          .getContainer(action.container)
          .inspect()
          .then(() => false)
          .catch(() => true);
        if (!gone) throw new VerifyError(`${action.container} is still there`);
        return { status: 'succeeded', steps, state: `${action.container} no longer exists` };
      }
    }
  } catch (err) {
    steps.push(`failed: ${(err as Error).message}`);
    return { status: 'failed', steps, state: `unchanged where the failure came first; see the steps (${(err as Error).message})` };
  }
}
