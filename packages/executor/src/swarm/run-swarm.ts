import type Docker from 'dockerode';
import type { Action } from '@bcon/decision';
import type { ExecutionResult } from '../execute.js';

type SwarmAction = Extract<Action, { type: 'swarm.scale' | 'swarm.deploy' | 'swarm.rollback' }>;

export interface SwarmRunOptions {
  /** how long the tasks may take to run as asked (a scale), or the update to end (a deploy: swarm's delays and monitor) */
  verifyTimeoutMs: number;
  onStep: (line: string) => void;
  /** how often the service and its tasks are read */
  pollMs?: number;
}

interface ServiceInfo {
  ID: string;
  Version: { Index: number };
  Spec: Record<string, unknown> & { Name: string; Mode?: { Replicated?: { Replicas?: number } }; TaskTemplate?: { ContainerSpec?: { Image?: string } } };
  PreviousSpec?: { TaskTemplate?: { ContainerSpec?: { Image?: string } } };
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
}

interface TaskInfo {
  ID: string;
  Slot?: number;
  DesiredState?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: { State?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
}

export function isSwarmAction(action: Action): action is SwarmAction {
  return action.type === 'swarm.scale' || action.type === 'swarm.deploy' || action.type === 'swarm.rollback';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stripDigest = (ref: string | undefined) => (ref ?? '').split('@')[0] ?? '';

async function inspect(docker: Docker, name: string): Promise<ServiceInfo> {
  return (await docker.getService(name).inspect()) as ServiceInfo;
}

async function tasksOf(docker: Docker, service: ServiceInfo): Promise<TaskInfo[]> {
  return (await docker.listTasks({ filters: { service: [service.ID] } })) as TaskInfo[];
}

/** The engine's refusal of an update on a spec that changed since the proposal, in words. */
function explainUpdateError(err: unknown, action: SwarmAction, now: number | undefined): string {
  const message = (err as { json?: { message?: string } }).json?.message ?? (err as Error).message;
  if (/out of sequence/i.test(message)) return `${action.service} changed since the proposal was made (spec version ${action.version}, now ${now ?? 'newer'}): swarm refused the update and nothing was done; propose again`;
  return message;
}

/** The newest task of each slot that failed on the way, with the orchestrator's error and exit code. */
function failedTasks(tasks: readonly TaskInfo[], image: string, since: string): Array<{ task: string; slot: number | undefined; state: string; error: string | undefined; exitCode: number | undefined; containerId: string | undefined }> {
  return tasks
    .filter((t) => stripDigest(t.Spec?.ContainerSpec?.Image) === image && (t.Status?.Timestamp ?? '') >= since)
    .filter((t) => ['failed', 'rejected'].includes(t.Status?.State ?? '') || Boolean(t.Status?.Err) || (t.Status?.ContainerStatus?.ExitCode ?? 0) !== 0)
    .sort((a, b) => (b.Status?.Timestamp ?? '').localeCompare(a.Status?.Timestamp ?? ''))
    .map((t) => ({ task: t.ID, slot: t.Slot, state: t.Status?.State ?? 'unknown', error: t.Status?.Err || undefined, exitCode: t.Status?.ContainerStatus?.ContainerID ? t.Status.ContainerStatus.ExitCode : undefined, containerId: t.Status?.ContainerStatus?.ContainerID || undefined }));
}

/** The last lines a failed task wrote, through the manager's task logs endpoint (any node's task), bounded. */
async function lastLines(docker: Docker, taskId: string): Promise<string[]> {
  try {
    // dockerode has Task.logs; its type definitions do not
    const task = docker.getTask(taskId) as unknown as { logs(o: Record<string, unknown>): Promise<unknown> };
    const stream = await task.logs({ stdout: true, stderr: true, tail: 5, follow: false });
    let buf: Buffer;
    if (Buffer.isBuffer(stream)) buf = stream;
    else {
      const chunks: Buffer[] = [];
      for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
      buf = Buffer.concat(chunks);
    }
    const { demultiplex } = await import('@bcon/sensor');
    return demultiplex(buf.subarray(0, 64 * 1024), false)
      .flatMap((f) => f.text.split('\n'))
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-3)
      .map((l) => l.slice(0, 300));
  } catch {
    return [];
  }
}

/**
 * Send a service update only while what this action changes is still as the proposal saw it (the replica count a
 * scale starts from, the image a deploy replaces): otherwise refused, nothing done. The update names the version it
 * was read at, so swarm refuses it if the service changed in between; swarm also bumps that version as an update
 * progresses (its state lives in the same object), so on "out of sequence" the service is read and checked again
 * (a few times) rather than refused outright.
 */
async function sendUpdate(docker: Docker, action: SwarmAction, service: ServiceInfo, body: (s: ServiceInfo) => Record<string, unknown>, query: Record<string, unknown> = {}): Promise<string | undefined> {
  let now = service;
  for (let attempt = 0; ; attempt++) {
    const image = stripDigest(now.Spec.TaskTemplate?.ContainerSpec?.Image);
    const same = action.type === 'swarm.scale' ? (now.Spec.Mode?.Replicated?.Replicas ?? 1) === action.from : image === action.currentImage;
    if (!same) return `${action.service} changed since the proposal was made (${action.type === 'swarm.scale' ? `it asks ${now.Spec.Mode?.Replicated?.Replicas ?? '?'} replicas now, the proposal was made at ${action.from}` : `it runs ${image} now, the proposal was made on ${action.currentImage}`}): nothing was done; propose again`;
    try {
      await docker.getService(now.ID).update({ _query: { version: now.Version.Index, ...query }, _body: body(now) } as never);
      return undefined;
    } catch (err) {
      const why = explainUpdateError(err, action, now.Version.Index);
      if (!/changed since the proposal/.test(why) || attempt >= 5) return why;
    }
    await new Promise((r) => setTimeout(r, 200));
    now = await inspect(docker, action.service);
  }
}

const running = (tasks: readonly TaskInfo[], image?: string) => tasks.filter((t) => t.DesiredState === 'running' && t.Status?.State === 'running' && (!image || stripDigest(t.Spec?.ContainerSpec?.Image) === image));

async function scale(docker: Docker, action: Extract<SwarmAction, { type: 'swarm.scale' }>, o: SwarmRunOptions, steps: string[]): Promise<ExecutionResult> {
  const service = await inspect(docker, action.service);
  const refused = await sendUpdate(docker, action, service, (s) => ({ ...s.Spec, Mode: { Replicated: { Replicas: action.to } } }));
  if (refused) return { status: 'failed', steps: [...steps, `refused: ${refused}`], state: `${action.service} unchanged (${service.Spec.Mode?.Replicated?.Replicas ?? '?'} replicas asked)` };
  steps.push(`asked swarm for ${action.to} replicas of ${action.service} (spec version ${action.version})`);
  o.onStep(steps[steps.length - 1] as string);
  const deadline = Date.now() + o.verifyTimeoutMs;
  for (;;) {
    const tasks = await tasksOf(docker, service);
    const up = running(tasks).length;
    const wanted = tasks.filter((t) => t.DesiredState === 'running').length;
    if (up === action.to && wanted === action.to) {
      steps.push(`verified: ${up}/${action.to} tasks running`);
      return { status: 'succeeded', steps, state: `${action.service} runs ${up} tasks, as asked` };
    }
    if (Date.now() > deadline) {
      const failed = failedTasks(tasks, stripDigest(service.Spec.TaskTemplate?.ContainerSpec?.Image), new Date(Date.now() - o.verifyTimeoutMs - 5000).toISOString())[0];
      steps.push(`not verified: ${up}/${action.to} tasks running after ${Math.round(o.verifyTimeoutMs / 1000)} s`);
      return { status: 'failed', steps, state: `${action.service} runs ${up} of ${action.to} tasks${failed ? `; task ${failed.slot ?? ''} ${failed.state}: ${failed.error ?? `exit ${failed.exitCode}`}` : ''} (the spec asks ${action.to}: swarm keeps trying)` };
    }
    await sleep(o.pollMs ?? 500);
  }
}

/**
 * A new image (or the previous spec) through swarm's own rolling update: one update call naming the spec version
 * the proposal saw, then the update is watched — its state, each task that fails on the way (with the orchestrator's
 * error and the container's last lines) — until swarm says completed, rolled back or paused.
 */
async function update(docker: Docker, action: Extract<SwarmAction, { type: 'swarm.deploy' | 'swarm.rollback' }>, o: SwarmRunOptions, steps: string[]): Promise<ExecutionResult> {
  const service = await inspect(docker, action.service);
  const before = service.UpdateStatus?.StartedAt;
  const asked = new Date(Date.now() - 1000).toISOString();
  const rollback = action.type === 'swarm.rollback';
  const spec = (s: ServiceInfo) => (rollback ? s.Spec : { ...s.Spec, TaskTemplate: { ...(s.Spec.TaskTemplate as Record<string, unknown>), ContainerSpec: { ...(s.Spec.TaskTemplate?.ContainerSpec as Record<string, unknown>), Image: action.image } } });
  const refused = await sendUpdate(docker, action, service, spec, rollback ? { rollback: 'previous' } : {});
  if (refused) return { status: 'failed', steps: [...steps, `refused: ${refused}`], state: `${action.service} unchanged: runs ${action.currentImage}`, detail: { result: 'refused', from: action.currentImage, to: action.image, failures: [] } };
  const say = (line: string) => {
    steps.push(line);
    o.onStep(line);
  };
  say(rollback ? `asked swarm to roll ${action.service} back to its previous spec (${action.image})` : `asked swarm to update ${action.service} to ${action.image} (spec version ${action.version}); swarm rolls it out with the service's update_config`);
  const deadline = Date.now() + o.verifyTimeoutMs;
  let lastState = '';
  const seenFailures = new Set<string>();
  const failures: Array<Record<string, unknown>> = [];
  for (;;) {
    const now = await inspect(docker, action.service);
    const tasks = await tasksOf(docker, now);
    for (const f of failedTasks(tasks, action.image, asked)) {
      if (seenFailures.has(f.task)) continue;
      seenFailures.add(f.task);
      const lines = await lastLines(docker, f.task);
      failures.push({ replica: `${action.service}.${f.slot ?? '?'}`, task: f.task, probe: 'task state', state: f.state, error: f.error ?? null, exitCode: f.exitCode ?? null, output: lines.join('\n') });
      say(`FAILED ${action.service}.${f.slot ?? '?'} (task ${f.task.slice(0, 12)}, ${action.image}): ${f.state}${f.error ? ` — ${f.error}` : ''}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}${lines.length ? `; its last lines: ${lines.join(' | ')}` : ''}`);
    }
    const st = now.UpdateStatus;
    const fresh = st?.StartedAt && st.StartedAt !== before;
    if (fresh && st?.State && st.State !== lastState) {
      lastState = st.State;
      say(`swarm: update ${st.State}${st.Message ? ` — ${st.Message}` : ''}`);
    }
    const current = stripDigest(now.Spec.TaskTemplate?.ContainerSpec?.Image);
    const replicas = now.Spec.Mode?.Replicated?.Replicas ?? running(tasks).length;
    if (fresh && (st?.State === 'completed' || (rollback && st?.State === 'rollback_completed'))) {
      const up = running(tasks, current).length;
      const target = rollback ? current : action.image;
      if (up >= replicas && current === target) {
        say(`verified: ${up}/${replicas} tasks run ${current}`);
        return { status: 'succeeded', steps, state: `${action.service} runs ${current} (${up}/${replicas} tasks)`, detail: { result: 'succeeded', from: action.currentImage, to: current, failures, serving: [`${up}/${replicas} tasks`] } };
      }
    } else if (fresh && st?.State === 'rollback_completed') {
      const up = running(tasks, current).length;
      say(`swarm rolled the update back: ${up}/${replicas} tasks run ${current} again`);
      return { status: 'rolled_back', steps, state: `${action.service} runs ${current} again (${up}/${replicas} tasks): swarm rolled ${action.image} back${failures.length ? `; ${failures.map((f) => `${f['replica']}: ${f['error'] ?? `exit ${f['exitCode']}`}`).join('; ')}` : ''}`, detail: { result: 'rolled_back', from: action.currentImage, to: action.image, failures, serving: [`${up}/${replicas} tasks on ${current}`] } };
    } else if (fresh && /paused$/.test(st?.State ?? '')) {
      return { status: 'failed', steps, state: `swarm paused the ${st?.State === 'rollback_paused' ? 'rollback' : 'update'} of ${action.service}: ${st?.Message ?? ''} — some tasks may run ${action.image}, some ${action.currentImage}; bcon rollback ${action.service}, or docker service update --rollback`, detail: { result: 'paused', from: action.currentImage, to: action.image, failures, serving: [`${running(tasks).length}/${replicas} tasks running`] } };
    }
    if (Date.now() > deadline) {
      return { status: 'failed', steps: [...steps, `not verified within ${Math.round(o.verifyTimeoutMs / 1000)} s: update ${st?.State ?? 'not started'}`], state: `${action.service}: swarm's update is ${st?.State ?? 'not started'} after ${Math.round(o.verifyTimeoutMs / 1000)} s (swarm goes on with it; bcon swarm status)`, detail: { result: 'paused', from: action.currentImage, to: action.image, failures, serving: [] } };
    }
    await sleep(o.pollMs ?? 500);
  }
}

/** Run a swarm action on a manager: the engine changes the service; bcon verifies it from the tasks and update state. */
export async function runSwarmAction(docker: Docker, action: SwarmAction, o: SwarmRunOptions): Promise<ExecutionResult> {
  const steps: string[] = [];
  if (action.type === 'swarm.scale') return scale(docker, action, o, steps);
  return update(docker, action, o, steps);
}

/** What an interrupted swarm action left (read-only): the spec now and its update state. */
export async function swarmInterruptedState(docker: Docker, action: SwarmAction): Promise<string> {
  const s = await inspect(docker, action.service).catch(() => undefined);
  if (!s) return `${action.service} does not exist`;
  const tasks = await tasksOf(docker, s);
  return `${action.service}: spec version ${s.Version.Index} (decided on ${action.version}), image ${stripDigest(s.Spec.TaskTemplate?.ContainerSpec?.Image)}, ${s.Spec.Mode?.Replicated?.Replicas ?? '?'} replicas asked, ${running(tasks).length} running${s.UpdateStatus?.State ? `, update ${s.UpdateStatus.State}` : ''}`;
}

/**
 * Finish or undo a swarm action a killed process left: swarm itself carries an update on once it was asked, so
 * `finish` watches it to its end (or asks again if the spec is still the old one); `undo` scales back, or rolls back
 * to the previous spec.
 */
export async function resolveSwarmAction(docker: Docker, action: SwarmAction, mode: 'finish' | 'undo', o: SwarmRunOptions): Promise<ExecutionResult> {
  const s = await inspect(docker, action.service);
  const image = stripDigest(s.Spec.TaskTemplate?.ContainerSpec?.Image);
  const replicas = s.Spec.Mode?.Replicated?.Replicas;
  if (action.type === 'swarm.scale') {
    const applied = replicas === action.to;
    // asking again for the same count is harmless: swarm keeps a spec that already says so
    if (mode === 'finish') return scale(docker, { ...action, version: s.Version.Index }, o, [applied ? 'the scale had been asked: watching it' : 'asked again']);
    return applied ? scale(docker, { ...action, from: action.to, to: action.from, version: s.Version.Index }, o, ['undo: back to the previous count']) : { status: 'succeeded', steps: ['the scale was not applied: nothing to undo'], state: `${action.service}: ${replicas} replicas asked` };
  }
  const applied = action.type === 'swarm.deploy' ? image === action.image : image !== action.currentImage;
  if (mode === 'finish') return applied ? { status: 'succeeded', steps: ['swarm had the new spec: it carries the update on itself'], state: await swarmInterruptedState(docker, action) } : update(docker, { ...action, version: s.Version.Index }, o, ['asked again']);
  if (!applied) return { status: 'succeeded', steps: ['the update was not applied: nothing to undo'], state: await swarmInterruptedState(docker, action) };
  return update(docker, { type: 'swarm.rollback', service: action.service, ...(action.stack ? { stack: action.stack } : {}), image: action.currentImage, currentImage: image, version: s.Version.Index }, o, ['undo: back to the previous spec']);
}
