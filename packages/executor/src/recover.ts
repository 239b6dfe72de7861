import type Docker from 'dockerode';
import type { Action } from '@bcon/decision';
import type { ExecutionResult, ExecuteOptions } from './execute.js';
import { executeAction } from './execute.js';
import { deployInterruptedState, resolveDeploy } from './deploy/recover-deploy.js';
import { isSwarmAction, resolveSwarmAction, swarmInterruptedState } from './swarm/run-swarm.js';

const exists = (docker: Docker, name: string) =>
  docker
    .getContainer(name)
    .inspect()
    .then((i) => i)
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode === 404) return undefined;
      throw err;
    });

type Settled = { outcome: 'previous' | 'new' | 'none' | 'failed'; state: string };

/** A container under its name, and the `-bcon-old` / `-bcon-new` a replacement of it may have left. */
const replacementOf = (docker: Docker, name: string) => Promise.all([exists(docker, name), exists(docker, `${name}-bcon-old`), exists(docker, `${name}-bcon-new`)]);

/**
 * A container a killed process was replacing (create `-bcon-new`, stop, rename the old to `-bcon-old`, rename the new,
 * start, verify): settled for `mode`. `previous`: the previous container is under its name again and started (undo,
 * or a finish that must run the change again); `new`: the new one is started and found running (not health-gated),
 * the previous removed (finish); `none`: nothing half-done; `failed`: the new one does not run and the previous is
 * kept as `-bcon-old`.
 */
async function settleReplacement(docker: Docker, name: string, mode: 'finish' | 'undo', steps: string[]): Promise<Settled> {
  const [now, old, fresh] = await replacementOf(docker, name);
  if (fresh && now) {
    // killed before the swap: the new container was never used
    await docker.getContainer(`${name}-bcon-new`).remove({ force: true });
    steps.push(`removed the unused ${name}-bcon-new`);
    if (!now.State.Running) {
      await docker.getContainer(name).start();
      steps.push(`started ${name} (the previous container) again`);
    }
    return { outcome: 'previous', state: `${name} is the previous container, running` };
  }
  if (!old) return { outcome: 'none', state: now ? `${name} is ${now.State.Status}` : `${name} does not exist` };
  if (mode === 'undo' || !now) {
    if (now) {
      await docker.getContainer(name).remove({ force: true });
      steps.push(`removed the new ${name}`);
    }
    // killed between the two renames: the new container is still `-bcon-new`, unused
    if (fresh) {
      await docker.getContainer(`${name}-bcon-new`).remove({ force: true });
      steps.push(`removed the unused ${name}-bcon-new`);
    }
    await docker.getContainer(`${name}-bcon-old`).rename({ name });
    await docker.getContainer(name).start().catch(() => undefined);
    steps.push(now ? `${name} is the previous container again, started` : `the new container was gone: ${name} is the previous one again, started`);
    const back = await docker.getContainer(name).inspect();
    return { outcome: 'previous', state: `${name} (the previous container) is ${back.State.Status}` };
  }
  if (!now.State.Running) await docker.getContainer(name).start();
  steps.push(`started the new ${name}`);
  const info = await docker.getContainer(name).inspect();
  if (!info.State.Running) return { outcome: 'failed', state: `${name} is ${info.State.Status}; the previous container is kept as ${name}-bcon-old: undo to put it back` };
  await docker.getContainer(`${name}-bcon-old`).remove({ force: true });
  steps.push(`removed ${name}-bcon-old`);
  return { outcome: 'new', state: `${name} (the new container) is running` };
}

/** What an interrupted execution left on the engine, in words (read-only). */
export async function interruptedState(docker: Docker, action: Action): Promise<string> {
  if (action.type === 'service.deploy') return deployInterruptedState(docker, action);
  if (isSwarmAction(action)) return swarmInterruptedState(docker, action);
  const replacement = async (name: string, all: boolean) => {
    const [now, old, fresh] = await replacementOf(docker, name);
    const parts = [now ? `${name} is ${now.State.Status}` : `${name} does not exist`];
    if (old) parts.push(`the previous container is kept as ${name}-bcon-old (${old.State.Status})`);
    if (fresh) parts.push(`a new container ${name}-bcon-new was created (${fresh.State.Status}) and not swapped in`);
    if (all && !old && !fresh) parts.push('no half-done replacement is left');
    return parts.join('; ');
  };
  if ('container' in action && (action.type === 'service.recreate' || action.type === 'service.set_env' || action.type === 'service.unset_env' || action.type === 'service.rollback_image')) return replacement(action.container, true);
  // a limit applied by re-creating each container in turn: one of them may be half-replaced
  if (action.type === 'service.set_memory' || action.type === 'service.set_cpus') return (await Promise.all(action.containers.map((n) => replacement(n, false)))).join('; ');
  if (action.type === 'service.scale') {
    const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.service=${action.service}`, ...(action.project ? [`com.docker.compose.project=${action.project}`] : [])] } });
    return `${action.service} has ${list.length} replicas (decided: ${action.from} → ${action.to})`;
  }
  const names: string[] = 'container' in action ? [action.container] : [];
  const states = await Promise.all(names.map(async (n) => ((c) => (c ? `${n} is ${c.State.Status}` : `${n} does not exist`))(await exists(docker, n))));
  return states.join('; ');
}

/**
 * Finish or undo an execution a killed process left half-done. `finish` brings it to what was decided (a swapped-in
 * new container is started and verified and the previous one removed; other actions are run again, each of them
 * safe to repeat); `undo` puts back what was there before (the previous container under its name and started; extra
 * replicas removed; previous limits set back).
 */
export async function resolveInterrupted(docker: Docker, action: Action, mode: 'finish' | 'undo', options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const steps: string[] = [];
  if (action.type === 'service.deploy') return resolveDeploy(docker, action, mode);
  if (isSwarmAction(action)) return resolveSwarmAction(docker, action, mode, { verifyTimeoutMs: Math.max(options.verifyTimeoutMs ?? 30_000, 300_000), onStep: options.onStep ?? (() => undefined) });
  if (action.type === 'service.recreate' || action.type === 'service.set_env' || action.type === 'service.unset_env' || action.type === 'service.rollback_image') {
    const name = action.container;
    const s = await settleReplacement(docker, name, mode, steps);
    if (s.outcome === 'failed' || s.outcome === 'new') return { status: s.outcome === 'new' ? 'succeeded' : 'failed', steps, state: s.state };
    if (s.outcome === 'previous') {
      if (mode === 'undo') return { status: 'succeeded', steps, state: s.state };
      const again = await executeAction(docker, action, options);
      return { ...again, steps: [...steps, '(the change was run again from the start)', ...again.steps] };
    }
    if (mode === 'finish') return executeAction(docker, action, options);
    return { status: 'succeeded', steps: ['nothing half-done was found'], state: s.state };
  }
  if (action.type === 'service.set_memory' || action.type === 'service.set_cpus') {
    // a limit no engine removes live (0), or a runtime with no live update, is applied by re-creating each container
    // in turn: the one the process was killed on is settled first (the previous container put back, or the new one
    // kept when it runs), then the limits are set back (undo) or the change is run again (finish; done ones are skipped)
    for (const name of action.containers) {
      const s = await settleReplacement(docker, name, mode, steps);
      if (s.outcome === 'failed') return { status: 'failed', steps, state: s.state };
    }
    if (mode === 'finish') {
      const again = await executeAction(docker, action, options);
      return { ...again, steps: [...steps, ...again.steps] };
    }
    // no previous limit: back to none (each container that carries one re-created without it)
    const previous = (action.type === 'service.set_memory' ? action.previousBytes : action.previousCpus) ?? 0;
    const back = await executeAction(docker, action.type === 'service.set_memory' ? { ...action, memoryBytes: previous, previousBytes: action.memoryBytes } : { ...action, cpus: previous, previousCpus: action.cpus }, options);
    return { ...back, steps: [...steps, ...back.steps] };
  }
  if (mode === 'finish') return executeAction(docker, action, options);
  switch (action.type) {
    case 'service.scale': {
      const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.service=${action.service}`, ...(action.project ? [`com.docker.compose.project=${action.project}`] : [])] } });
      const sorted = list.sort((a, b) => Number(b.Labels['com.docker.compose.container-number'] ?? 0) - Number(a.Labels['com.docker.compose.container-number'] ?? 0));
      if (action.to > action.from) {
        for (const c of sorted.slice(0, Math.max(0, list.length - action.from))) {
          await docker.getContainer(c.Id).remove({ force: true });
          steps.push(`removed ${c.Names[0]?.replace(/^\//, '')}`);
        }
        return { status: 'succeeded', steps, state: `${action.service} runs ${Math.min(list.length, action.from)} replicas, as before` };
      }
      if (list.length === action.from) return { status: 'succeeded', steps: ['nothing was removed'], state: `${action.service} runs ${list.length} replicas, as before` };
      return { status: 'failed', steps, state: `removed replicas cannot be brought back by bcon: ${action.service} runs ${list.length} of ${action.from}; run docker compose up -d ${action.service}` };
    }
    case 'container.start':
      return executeAction(docker, { type: 'container.stop', container: action.container }, options);
    case 'container.stop':
      return executeAction(docker, { type: 'container.start', container: action.container }, options);
    default:
      return { status: 'succeeded', steps: ['this action has nothing to undo'], state: await interruptedState(docker, action) };
  }
}
