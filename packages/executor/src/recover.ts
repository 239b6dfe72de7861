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

/** What an interrupted execution left on the engine, in words (read-only). */
export async function interruptedState(docker: Docker, action: Action): Promise<string> {
  if (action.type === 'service.deploy') return deployInterruptedState(docker, action);
  if (isSwarmAction(action)) return swarmInterruptedState(docker, action);
  if ('container' in action && (action.type === 'service.recreate' || action.type === 'service.set_env' || action.type === 'service.unset_env' || action.type === 'service.rollback_image')) {
    const [now, old, fresh] = await Promise.all([exists(docker, action.container), exists(docker, `${action.container}-bcon-old`), exists(docker, `${action.container}-bcon-new`)]);
    const parts = [now ? `${action.container} is ${now.State.Status}` : `${action.container} does not exist`];
    if (old) parts.push(`the previous container is kept as ${action.container}-bcon-old (${old.State.Status})`);
    if (fresh) parts.push(`a new container ${action.container}-bcon-new was created (${fresh.State.Status}) and not swapped in`);
    if (!old && !fresh) parts.push('no half-done replacement is left');
    return parts.join('; ');
  }
  if (action.type === 'service.scale') {
    const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.service=${action.service}`, ...(action.project ? [`com.docker.compose.project=${action.project}`] : [])] } });
    return `${action.service} has ${list.length} replicas (decided: ${action.from} → ${action.to})`;
  }
  const names = 'containers' in action ? action.containers : 'container' in action ? [action.container] : [];
  const states = await Promise.all(names.map(async (n) => ((await exists(docker, n)) ? `${n} is ${(await exists(docker, n))?.State.Status}` : `${n} does not exist`)));
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
    const [now, old, fresh] = await Promise.all([exists(docker, name), exists(docker, `${name}-bcon-old`), exists(docker, `${name}-bcon-new`)]);
    if (fresh && now) {
      // killed before the swap: the new container was never used
      await docker.getContainer(`${name}-bcon-new`).remove({ force: true });
      steps.push(`removed the unused ${name}-bcon-new`);
      if (!now.State.Running) {
        await docker.getContainer(name).start();
        steps.push(`started ${name} (the previous container) again`);
      }
      if (mode === 'finish') return { ...(await executeAction(docker, action, options)), steps: [...steps, '(the change was run again from the start)'] };
      return { status: 'succeeded', steps, state: `${name} is the previous container, running` };
    }
    if (old) {
      if (mode === 'undo') {
        if (now) {
          await docker.getContainer(name).remove({ force: true });
          steps.push(`removed the new ${name}`);
        }
        await docker.getContainer(`${name}-bcon-old`).rename({ name });
        await docker.getContainer(name).start().catch(() => undefined);
        steps.push(`${name} is the previous container again, started`);
        const back = await docker.getContainer(name).inspect();
        return { status: 'succeeded', steps, state: `${name} (the previous container) is ${back.State.Status}` };
      }
      if (!now) {
        await docker.getContainer(`${name}-bcon-old`).rename({ name });
        steps.push(`the new container was gone: ${name} is the previous one again; the change was run again`);
        return { ...(await executeAction(docker, action, options)), steps };
      }
      if (!now.State.Running) await docker.getContainer(name).start();
      steps.push(`started the new ${name}`);
      const info = await docker.getContainer(name).inspect();
      if (!info.State.Running) return { status: 'failed', steps, state: `${name} is ${info.State.Status}; the previous container is kept as ${name}-bcon-old: undo to put it back` };
      await docker.getContainer(`${name}-bcon-old`).remove({ force: true });
      steps.push(`removed ${name}-bcon-old`);
      return { status: 'succeeded', steps, state: `${name} (the new container) is running` };
    }
    if (mode === 'finish') return executeAction(docker, action, options);
    return { status: 'succeeded', steps: ['nothing half-done was found'], state: now ? `${name} is ${now.State.Status}` : `${name} does not exist` };
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
    case 'service.set_memory':
      return action.previousBytes ? executeAction(docker, { ...action, memoryBytes: action.previousBytes, previousBytes: action.memoryBytes }, options) : { status: 'failed', steps, state: 'there was no previous memory limit to set back; remove it with docker update' };
    case 'service.set_cpus':
      return action.previousCpus ? executeAction(docker, { ...action, cpus: action.previousCpus, previousCpus: action.cpus }, options) : { status: 'failed', steps, state: 'there was no previous CPU limit to set back' };
    case 'container.start':
      return executeAction(docker, { type: 'container.stop', container: action.container }, options);
    case 'container.stop':
      return executeAction(docker, { type: 'container.start', container: action.container }, options);
    default:
      return { status: 'succeeded', steps: ['this action has nothing to undo'], state: await interruptedState(docker, action) };
  }
}
