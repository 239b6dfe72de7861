import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Action } from '@bcon/decision';
import type { HealthGateResult } from '../health/run-healthcheck.js';
import { healthGate } from '../health/run-healthcheck.js';
import type { Comparison, SideFigures } from './analysis.js';
import { compare, describeComparison } from './analysis.js';
import type { Upstream } from './proxy.js';
import { hostPortsInUse, proxyContainers, switchUpstream } from './proxy.js';
import type { Replica } from './replicas.js';
import { addressOf, listReplicas, startReplica, usedPorts } from './replicas.js';

type Deploy = Extract<Action, { type: 'service.deploy' }>;

/** A replica that failed, which probe failed, and the probe's own output. */
export interface ReplicaFailure {
  replica: string;
  /** health (the healthcheck), exited (stopped or restarted during monitor), analysis (errors or latency against the old replicas), start (the engine refused it) */
  probe: 'health' | 'exited' | 'analysis' | 'start';
  reason: string;
  exitCode?: number;
  output?: string;
}

export interface DeployOutcome {
  result: 'succeeded' | 'rolled_back' | 'paused';
  from: string;
  to: string;
  steps: string[];
  failures: ReplicaFailure[];
  comparison?: Comparison;
  /** the replicas serving at the end */
  serving: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSec = () => Math.floor(Date.now() / 1000);

interface Old extends Replica {
  running: boolean;
}

/**
 * Replace a compose service's replicas by ones on a new image, health-gated, with a strategy:
 * - rolling: `parallelism` replicas at a time (start-first: the new one serves before the old one leaves the proxy
 *   and stops after `drainMs`; stop-first: the other way round), each watched for `monitorMs`; failures over
 *   `maxFailureRatio` of the replicas run the failure action (rollback: every old replica back, the new ones removed;
 *   pause: stop where it is; continue: go on, the failed slot keeps its old replica);
 * - blue-green: the whole new set beside the old, gated, then the proxy switches at once; a failure in the monitor
 *   after the switch switches back; the old set is drained and stopped only then;
 * - canary: one new replica beside the old ones for `canaryWindowMs`, compared with them (requests through the proxy,
 *   latency, error lines); worse → removed; else promoted by a rolling update of the rest.
 * Old replicas are stopped, not removed, until the deploy succeeded; their image is then tagged
 * `bcon-previous/<project>-<service>:1` (the last `keepPrevious` kept), which `bcon rollback` deploys back.
 */
export async function runDeploy(docker: Docker, a: Deploy, onStep: (line: string) => void = () => undefined): Promise<DeployOutcome> {
  const steps: string[] = [];
  const step = (s: string) => {
    steps.push(s);
    onStep(s);
  };
  const s = a.settings;
  const deployId = randomBytes(4).toString('hex');
  const list = await listReplicas(docker, a.project, a.service);
  if (!list.length) throw new Error(`${a.service} has no container in project ${a.project} to deploy from`);
  const templateInfo = await docker.getContainer(list[0]?.Id as string).inspect();
  const oldImage = await docker.getImage(templateInfo.Image).inspect().catch(() => undefined);
  const proxies = a.proxy ? await proxyContainers(docker, a.project, a.proxy) : [];
  const olds: Old[] = [];
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect();
    const address = a.proxy ? addressOf(info, a.proxy) : undefined;
    olds.push({ name: info.Name.replace(/^\//, ''), number: Number(c.Labels['com.docker.compose.container-number'] ?? 0), image: info.Config.Image, running: info.State.Running, ...(address ? { address } : {}) });
  }
  const from = olds[0]?.image ?? a.currentImage;
  const ports = await usedPorts(docker, olds.map((o) => o.name), a.proxy);
  // on host networking a new replica's port must also be free on the host (another process may hold it)
  if (a.proxy?.portEnv) for (const p of await hostPortsInUse(docker, a.project, a.proxy)) ports.add(p);
  const numbers = new Set(olds.map((o) => o.number));
  const fresh: Replica[] = [];
  const retired: Old[] = [];
  const failures: ReplicaFailure[] = [];
  let comparison: Comparison | undefined;
  step(`${a.strategy} deploy ${deployId} of ${a.service}: ${from} → ${a.image}, ${olds.length} → ${a.replicas} replica${a.replicas === 1 ? '' : 's'}${a.proxy ? `, behind ${a.proxy.service}` : ', no proxy (label bcon.proxy): replicas are replaced without traffic switching'}`);

  const serving = () => [...olds.filter((o) => o.running && !retired.includes(o)), ...fresh];
  const point = async (set: ReadonlyArray<Replica>, weights?: Map<string, number>) => {
    if (!a.proxy) return;
    const servers: Upstream[] = set.filter((r) => r.address).map((r) => ({ replica: r.name, address: r.address as string, ...(weights?.has(r.name) ? { weight: weights.get(r.name) as number } : {}) }));
    step(await switchUpstream(docker, a.project, a.proxy, a.service, servers));
  };
  const newReplica = async (): Promise<Replica | ReplicaFailure> => {
    let n = 1;
    while (numbers.has(n)) n++;
    numbers.add(n);
    try {
      const r = await startReplica(docker, { template: templateInfo, oldImage, image: a.image, project: a.project, service: a.service, n, ...(a.proxy ? { proxy: a.proxy } : {}), usedPorts: ports, deployId, previousImage: templateInfo.Image });
      step(`started ${r.name} on ${a.image}${r.address ? ` (${r.address})` : ''}`);
      return r;
    } catch (err) {
      return { replica: `${a.service} #${n}`, probe: 'start', reason: `the engine refused it: ${(err as Error).message}` };
    }
  };
  const gate = async (r: Replica): Promise<ReplicaFailure | undefined> => {
    const g: HealthGateResult = await healthGate(docker, r.name, { timeoutMs: s.healthTimeoutMs });
    if (g.healthy) {
      step(`${r.name} passed its health gate (${g.source === 'none' ? 'no healthcheck: running' : `healthcheck, ${g.source === 'bcon' ? 'run by bcon' : 'by the engine'}`})`);
      return undefined;
    }
    return { replica: r.name, probe: g.status === 'not_running' ? 'exited' : 'health', reason: g.reason, ...(g.probe ? { exitCode: g.probe.exitCode, output: g.probe.output } : {}) };
  };
  /** Watch new replicas serving beside (or instead of) `against` for `ms`: still running, and not worse. */
  const monitor = async (set: Replica[], against: ReadonlyArray<Replica>, ms: number, what: string, baseline?: SideFigures): Promise<ReplicaFailure[]> => {
    const since = nowSec();
    const started = new Map<string, string>();
    for (const r of set) started.set(r.name, (await docker.getContainer(r.name).inspect()).State.StartedAt);
    const end = Date.now() + ms;
    const out: ReplicaFailure[] = [];
    while (Date.now() < end) {
      await sleep(Math.min(500, Math.max(0, end - Date.now())));
      for (const r of set) {
        const info = await docker.getContainer(r.name).inspect();
        if (!info.State.Running || info.State.StartedAt !== started.get(r.name)) {
          const logs = await lastLog(docker, r.name);
          out.push({ replica: r.name, probe: 'exited', reason: `${r.name} ${info.State.Running ? 'restarted' : `exited (code ${info.State.ExitCode})`} during the ${what}`, exitCode: info.State.ExitCode, output: logs });
        } else if (info.State.Health?.Status === 'unhealthy') {
          const last = info.State.Health.Log?.[info.State.Health.Log.length - 1];
          out.push({ replica: r.name, probe: 'health', reason: `${r.name} became unhealthy during the ${what}`, ...(last ? { exitCode: last.ExitCode, output: String(last.Output ?? '').trim().slice(-2048) } : {}) });
        }
      }
      if (out.length) return out;
    }
    if (a.proxy) {
      comparison = await compare(docker, { proxies, sinceSec: since, fresh: set, old: against, ...(baseline ? { baseline } : {}) });
      step(`${what}: ${describeComparison(comparison)}`);
      if (comparison.worse.length) out.push({ replica: set.map((r) => r.name).join(', '), probe: 'analysis', reason: `worse than the old replicas: ${comparison.worse.join('; ')}` });
    }
    return out;
  };
  const retire = async (o: Old) => {
    retired.push(o);
    if (!o.running) return;
    await docker.getContainer(o.name).stop({ t: 10 }).catch(() => undefined);
    step(`stopped ${o.name}`);
  };
  const discard = async (r: Replica) => {
    const i = fresh.indexOf(r);
    if (i >= 0) fresh.splice(i, 1);
    await docker.getContainer(r.name).remove({ force: true }).catch(() => undefined);
    step(`removed ${r.name}`);
  };
  const drain = async () => {
    if (a.proxy && s.drainMs) await sleep(s.drainMs);
  };
  const failed = new Set<string>();
  const fail = (f: ReplicaFailure) => {
    failures.push(f);
    for (const n of f.replica.split(', ')) failed.add(n);
    step(`FAILED ${f.replica} (${f.probe}): ${f.reason}${f.exitCode !== undefined ? ` [exit code ${f.exitCode}]` : ''}${f.output ? ` — probe output: ${f.output.split('\n').slice(-5).join(' | ')}` : ''}`);
  };
  const rollbackAll = async (why: string): Promise<DeployOutcome> => {
    step(`rolling back (${why})`);
    for (const o of retired.splice(0)) {
      if (!o.running) continue;
      await docker.getContainer(o.name).start().catch(() => undefined);
      step(`started ${o.name} again`);
    }
    const back = olds.filter((o) => o.running);
    if (a.proxy && back.length) {
      // point() returns once only new nginx workers accept; the old ones still finish the requests they hold, some
      // of them on the new replicas: drain before removing those, as for an old replica leaving
      await point(back);
      if (fresh.length) await drain();
    }
    for (const r of [...fresh]) await discard(r);
    return { result: 'rolled_back', from, to: a.image, steps, failures, ...(comparison ? { comparison } : {}), serving: back.map((o) => o.name) };
  };
  const finish = async (): Promise<DeployOutcome> => {
    for (const o of retired) await docker.getContainer(o.name).remove({ force: true }).catch(() => undefined);
    if (retired.length) step(`removed the old replicas ${retired.map((o) => o.name).join(', ')}`);
    if (s.keepPrevious > 0 && templateInfo.Image !== a.image) step(await keepPrevious(docker, a.project, a.service, templateInfo.Image, s.keepPrevious));
    return { result: 'succeeded', from, to: a.image, steps, failures, ...(comparison ? { comparison } : {}), serving: serving().map((r) => r.name) };
  };
  const tooMany = () => failed.size / Math.max(1, a.replicas) > s.maxFailureRatio;

  /** Rolling over the slots from `first`: each slot's old replica (if any) replaced by a new one (if the slot stays). */
  const rolling = async (first: number): Promise<DeployOutcome> => {
    const slots = Math.max(olds.length, a.replicas);
    for (let i = first; i < slots; i += s.parallelism) {
      const batch = Array.from({ length: Math.min(s.parallelism, slots - i) }, (_, k) => i + k);
      const oldOf = (k: number) => olds[k];
      if (s.order === 'stop-first') {
        const leaving = batch.map(oldOf).filter((o): o is Old => Boolean(o?.running));
        if (leaving.length && a.proxy) {
          const stay = serving().filter((r) => !leaving.includes(r as Old));
          if (stay.length) await point(stay);
          await drain();
        }
        for (const o of leaving) await retire(o);
      }
      const made: Array<{ k: number; r: Replica }> = [];
      for (const k of batch) {
        if (k >= a.replicas) continue;
        const r = await newReplica();
        if ('probe' in r) fail(r);
        else made.push({ k, r });
      }
      const passed: Array<{ k: number; r: Replica }> = [];
      for (const m of made) {
        const f = await gate(m.r);
        if (f) {
          fail(f);
          await docker.getContainer(m.r.name).remove({ force: true }).catch(() => undefined);
          step(`removed ${m.r.name}`);
        } else passed.push(m);
      }
      if (passed.length) {
        const against = serving();
        fresh.push(...passed.map((m) => m.r));
        if (a.proxy) await point(serving());
        for (const f of await monitor(passed.map((m) => m.r), against, s.monitorMs, 'monitor')) fail(f);
        const bad = passed.filter((m) => failed.has(m.r.name));
        if (bad.length) {
          for (const m of bad) fresh.splice(fresh.indexOf(m.r), 1);
          const left = serving();
          if (a.proxy) await point(left.length ? left : olds.filter((o) => o.running));
          for (const m of bad) await discard(m.r);
        }
      }
      // slots whose new replica serves: their old one leaves — a failed slot keeps its old replica
      const okSlots = new Set(passed.filter((m) => fresh.includes(m.r)).map((m) => m.k));
      if (s.order === 'start-first') {
        const leaving = batch.filter((k) => okSlots.has(k) || k >= a.replicas).map(oldOf).filter((o): o is Old => Boolean(o) && !retired.includes(o as Old));
        if (leaving.length) {
          if (a.proxy) await point(serving().filter((r) => !leaving.includes(r as Old)));
          await drain();
          for (const o of leaving) await retire(o);
        }
      } else {
        for (const k of batch) {
          const o = oldOf(k);
          if (!o || okSlots.has(k) || k >= a.replicas || !retired.includes(o)) continue;
          retired.splice(retired.indexOf(o), 1);
          if (o.running) {
            await docker.getContainer(o.name).start().catch(() => undefined);
            step(`started ${o.name} again (its replacement failed)`);
          }
        }
        if (a.proxy && serving().length) await point(serving());
      }
      if (failures.length && tooMany()) {
        const why = `${failed.size} of ${a.replicas} replicas failed, over max_failure_ratio ${s.maxFailureRatio}`;
        if (s.failureAction === 'rollback') return rollbackAll(why);
        if (s.failureAction === 'pause') {
          step(`paused (${why}): ${serving().map((r) => r.name).join(', ')} serve; deploy again or bcon rollback ${a.service}`);
          return { result: 'paused', from, to: a.image, steps, failures, ...(comparison ? { comparison } : {}), serving: serving().map((r) => r.name) };
        }
        step(`continuing (${why}; failure_action continue)`);
      } else if (failures.length) step(`${failed.size} of ${a.replicas} replicas failed, within max_failure_ratio ${s.maxFailureRatio}: continuing`);
      if (s.delayMs && i + s.parallelism < slots) await sleep(s.delayMs);
    }
    if (!fresh.length) return rollbackAll('no new replica passed');
    return finish();
  };

  try {
    if (a.strategy === 'rolling') return await rolling(0);
    if (a.strategy === 'blue-green') {
      const greenSince = nowSec();
      for (let k = 0; k < a.replicas; k++) {
        const r = await newReplica();
        if ('probe' in r) fail(r);
        else fresh.push(r);
      }
      for (const r of [...fresh]) {
        const f = await gate(r);
        if (f) fail(f);
      }
      // nothing served from the green set yet: its failures are the deploy's, whatever max_failure_ratio says
      if (failures.length) return await rollbackAll('the green set did not pass its health gate; traffic never left the old set');
      const blue = olds.filter((o) => o.running);
      // the old set served everything while the green set started: its figures over that time are the baseline the
      // green set is compared with after the switch (when the old set gets no traffic)
      const before = a.proxy ? (await compare(docker, { proxies, sinceSec: greenSince, fresh: [], old: blue })).old : undefined;
      if (a.proxy) {
        await point(fresh);
        step(`switched: ${fresh.map((r) => r.name).join(', ')} serve, ${blue.map((o) => o.name).join(', ') || 'nothing'} kept running until the monitor passed`);
      }
      const bad = await monitor([...fresh], blue, s.monitorMs, 'monitor after the switch', before);
      if (bad.length) {
        for (const f of bad) fail(f);
        if (a.proxy && blue.length) step('switching back to the old set');
        return await rollbackAll('the green set failed after the switch');
      }
      await drain();
      for (const o of blue) await retire(o);
      for (const o of olds.filter((x) => !x.running)) retired.push(o);
      return await finish();
    }
    // canary
    const c = await newReplica();
    if ('probe' in c) {
      fail(c);
      return await rollbackAll('the canary could not start');
    }
    const f = await gate(c);
    if (f) {
      fail(f);
      fresh.push(c);
      return await rollbackAll('the canary did not pass its health gate');
    }
    fresh.push(c);
    const base = olds.filter((o) => o.running);
    if (a.proxy) await point([...base, c]);
    step(`canary ${c.name} serves beside ${base.map((o) => o.name).join(', ')} for ${s.canaryWindowMs / 1000} s`);
    const bad = await monitor([c], base, s.canaryWindowMs, 'canary analysis');
    if (bad.length) {
      for (const x of bad) fail(x);
      return await rollbackAll('the canary is worse than the old replicas');
    }
    step(`canary ${c.name} promoted`);
    // the canary takes the first slot; the rest roll
    const firstOld = olds[0];
    if (firstOld && a.replicas >= 1) {
      if (a.proxy) await point(serving().filter((r) => r !== firstOld));
      await drain();
      await retire(firstOld);
    }
    return await rolling(1);
  } catch (err) {
    step(`failed: ${(err as Error).message}`);
    const out = await rollbackAll(`an error: ${(err as Error).message}`);
    return out;
  }
}

async function lastLog(docker: Docker, name: string): Promise<string> {
  const buf = (await docker
    .getContainer(name)
    .logs({ stdout: true, stderr: true, tail: 5, follow: false })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  // eslint-disable-next-line no-control-regex
  return Buffer.isBuffer(buf) ? buf.toString('utf8').replace(/[\u0000-\u0008\u000e-\u001f]/g, '').trim().slice(-2048) : '';
}

/** Tag the replaced image so no prune removes it; keep the last `keep` (1 newest). */
export async function keepPrevious(docker: Docker, project: string, service: string, imageId: string, keep: number): Promise<string> {
  const repo = `bcon-previous/${`${project}-${service}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`;
  for (let n = keep; n >= 1; n--) {
    const at = await docker.getImage(`${repo}:${n}`).inspect().catch(() => undefined);
    if (!at) continue;
    if (n === keep) await docker.getImage(`${repo}:${n}`).remove({ noprune: true }).catch(() => undefined);
    else await docker.getImage(at.Id).tag({ repo, tag: String(n + 1) });
  }
  await docker.getImage(imageId).tag({ repo, tag: '1' });
  return `kept the previous image ${imageId.slice(0, 19)} as ${repo}:1 (bcon rollback ${service} restores it)`;
}
