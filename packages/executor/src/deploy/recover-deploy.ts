import type Docker from 'dockerode';
import type { Action } from '@bcon/decision';
import type { ExecutionResult } from '../execute.js';
import { switchUpstream } from './proxy.js';
import { DEPLOY_LABEL, addressOf, listReplicas } from './replicas.js';

type Deploy = Extract<Action, { type: 'service.deploy' }>;

interface Seen {
  name: string;
  running: boolean;
  /** made by a deploy onto the deploy's image */
  fresh: boolean;
  info: Docker.ContainerInspectInfo;
}

async function seen(docker: Docker, a: Deploy): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const c of await listReplicas(docker, a.project, a.service)) {
    const info = await docker.getContainer(c.Id).inspect();
    out.push({ name: info.Name.replace(/^\//, ''), running: info.State.Running, fresh: Boolean(c.Labels[DEPLOY_LABEL]) && info.Config.Image === a.image, info });
  }
  return out;
}

/** What a deploy killed half-way left: the new and the old replicas and their states (read-only). */
export async function deployInterruptedState(docker: Docker, a: Deploy): Promise<string> {
  const all = await seen(docker, a);
  const say = (list: Seen[]) => list.map((s) => `${s.name} (${s.running ? 'running' : 'stopped'})`).join(', ') || 'none';
  return `${a.service}: new replicas on ${a.image}: ${say(all.filter((s) => s.fresh))}; previous replicas: ${say(all.filter((s) => !s.fresh))}`;
}

/**
 * Undo: the previous replicas started again and serving, the new ones removed. Finish: when the new replicas that
 * were decided all run, they serve and the previous ones are removed; otherwise nothing is guessed (the caller undoes
 * and deploys again).
 */
export async function resolveDeploy(docker: Docker, a: Deploy, mode: 'finish' | 'undo'): Promise<ExecutionResult> {
  const steps: string[] = [];
  const all = await seen(docker, a);
  const fresh = all.filter((s) => s.fresh);
  const old = all.filter((s) => !s.fresh);
  const point = async (set: Seen[]) => {
    if (!a.proxy) return;
    const servers = set.flatMap((s) => {
      const address = addressOf(s.info, a.proxy as NonNullable<Deploy['proxy']>);
      return address ? [{ replica: s.name, address }] : [];
    });
    if (servers.length) steps.push(await switchUpstream(docker, a.project, a.proxy, a.service, servers));
  };
  if (mode === 'finish') {
    if (fresh.length < a.replicas || fresh.some((s) => !s.running)) return { status: 'failed', steps, state: `${fresh.filter((s) => s.running).length} of ${a.replicas} new replicas run: undo (bcon journal resolve --undo) and deploy again` };
    await point(fresh);
    for (const s of old) {
      await docker.getContainer(s.name).remove({ force: true });
      steps.push(`removed the previous replica ${s.name}`);
    }
    return { status: 'succeeded', steps, state: `${a.service} runs ${a.image}: ${fresh.map((s) => s.name).join(', ')}` };
  }
  if (!old.length) return { status: 'failed', steps, state: `no previous replica of ${a.service} is left to go back to; deploy ${a.currentImage} again` };
  for (const s of old.filter((x) => !x.running)) {
    await docker.getContainer(s.name).start();
    steps.push(`started the previous replica ${s.name} again`);
  }
  const back = (await seen(docker, a)).filter((s) => !s.fresh);
  await point(back);
  for (const s of fresh) {
    await docker.getContainer(s.name).remove({ force: true });
    steps.push(`removed the new replica ${s.name}`);
  }
  return { status: 'succeeded', steps, state: `${a.service} runs its previous replicas again: ${back.map((s) => s.name).join(', ')}` };
}
