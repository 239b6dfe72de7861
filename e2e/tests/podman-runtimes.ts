// The runtimes the Podman e2e tests compare: Docker (the suite's private dockerd, started by the global setup) and a
// private rootful Podman service (e2e/testbed/podman.mjs, started and stopped by the test file). Helpers run the
// docker CLI, docker-compose v1 and bcon against one of them, and store a proposal as `bcon propose` would, so
// `bcon approve` runs a catalog action through the one write path on that runtime.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Action, Proposal } from '@bcon/decision';
import { assessRisk, coveredContainers, describeAction, fingerprintOf } from '@bcon/decision';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { openStore, saveProposal } from '@bcon/store';
import { runBcon } from '../harness/bcon.js';
import { startPodman } from '../testbed/podman.mjs';

export type RuntimeName = 'Docker' | 'Podman';

export interface Runtime {
  name: RuntimeName;
  dockerHost: string;
  /** bcon's state for this runtime's tests */
  home: string;
  stop(): Promise<void>;
}

/** Docker: the suite's engine (never stopped here); Podman: a private service of this test file's own. */
export async function startRuntime(name: RuntimeName): Promise<Runtime> {
  const home = mkdtempSync(path.join(tmpdir(), `bcon-${name.toLowerCase()}-home-`));
  if (name === 'Docker') {
    const dockerHost = process.env['DOCKER_HOST'];
    if (!dockerHost) throw new Error('DOCKER_HOST is not set: the e2e global setup should have started the test engine');
    return { name, dockerHost, home, stop: async () => rmSync(home, { recursive: true, force: true }) };
  }
  const podman = await startPodman();
  return {
    name,
    dockerHost: podman.dockerHost,
    home,
    async stop() {
      await podman.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The docker CLI against a runtime (the harness may write; bcon's sensor may not). */
export function cli(rt: Runtime, args: string[], options: { allowFail?: boolean; cwd?: string } = {}): string {
  const res = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: rt.dockerHost }, encoding: 'utf8', cwd: options.cwd });
  if (res.status !== 0 && !options.allowFail) throw new Error(`docker ${args.join(' ')} on ${rt.name} failed (${res.status}): ${res.stderr}`);
  return (res.stdout ?? '').trim();
}

/** A container's output, stdout and stderr together. */
export function logs(rt: Runtime, container: string): string {
  const res = spawnSync('docker', ['logs', container], { env: { ...process.env, DOCKER_HOST: rt.dockerHost }, encoding: 'utf8' });
  return `${res.stdout ?? ''}${res.stderr ?? ''}`;
}

/** docker-compose v1 in `dir` against a runtime. */
export function compose(rt: Runtime, dir: string, project: string, args: string[]): string {
  const res = spawnSync('docker-compose', ['--compatibility', '-p', project, ...args], { env: { ...process.env, DOCKER_HOST: rt.dockerHost }, encoding: 'utf8', cwd: dir });
  if (res.status !== 0) throw new Error(`docker-compose ${args.join(' ')} on ${rt.name} failed (${res.status}): ${res.stderr}`);
  return res.stdout.trim();
}

/** Write a compose file into a new temp dir; returns the dir. */
export function composeDir(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bcon-stack-'));
  writeFileSync(path.join(dir, 'compose.yaml'), text);
  return dir;
}

/**
 * Remove every container of `project`, and check none is left: Podman restarts a crash-looping container without
 * backoff, and `rm -f` of one caught mid-restart can fail ("container state improper") and leave it behind, where the
 * next test's drift reads it as untracked. Tries again for a while; throws with what is left.
 */
export function removeProject(rt: Runtime, project: string): void {
  const list = () => cli(rt, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { allowFail: true }).split('\n').filter(Boolean);
  let error = '';
  let ids = list();
  // one list per try: what is left after a removal is what the next try removes
  for (let attempt = 0; attempt < 20 && ids.length; attempt++) {
    // spawnSync, not cli(): the engine's stderr says why a removal failed
    const res = spawnSync('docker', ['rm', '-f', ...ids], { env: { ...process.env, DOCKER_HOST: rt.dockerHost }, encoding: 'utf8' });
    error = res.stderr ?? '';
    ids = list();
    if (ids.length) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  if (ids.length) throw new Error(`could not remove the containers of ${project} on ${rt.name}: ${ids.join(', ')} left (${error.trim()})`);
}

export const bcon = (rt: Runtime, args: string[], extra: Record<string, string> = {}) => runBcon(args, { DOCKER_HOST: rt.dockerHost, BCON_HOME: rt.home, BCON_ACTOR: 'user/e2e', ...extra });

/** Store a proposal for `actions` on the runtime's containers of `project`, fingerprinted and risk-assessed as propose would. */
export async function seedProposal(rt: Runtime, project: string, target: string, actions: Action[]): Promise<Proposal> {
  const client = new EngineClient(endpointFromEnv({ DOCKER_HOST: rt.dockerHost }));
  const all = await collectContainers(client).finally(() => client.close());
  const mine = all.filter((c) => c.compose?.project === project);
  const p: Proposal = {
    id: `p-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}`,
    target,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    fingerprint: fingerprintOf(coveredContainers(all, mine.map((c) => c.name))),
    containers: mine.map((c) => c.name).sort(),
    notes: [],
    options: actions.map((a, i) => {
      const r = assessRisk(a, { containers: mine.filter((c) => 'container' in a && c.name === a.container), replicas: 1 });
      const { type, ...params } = a;
      return { n: i + 1, action: type, params, summary: describeAction(a), risk: r.risk, tier: r.tier === 'prohibited' ? 'explicit' : r.tier, reasons: r.reasons, cause: 'crash_loop', culprit: target };
    }),
  };
  const store = openStore({ home: rt.home });
  try {
    saveProposal(store, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target, status: 'pending', body: p });
  } finally {
    store.close();
  }
  return p;
}

export interface Approved {
  code: number;
  status?: string;
  steps?: string[];
  state?: string;
  raw: string;
}

/** `bcon approve <id> --option N --yes --json` on the runtime. */
export async function approve(rt: Runtime, p: Proposal, option = 1, timeoutSeconds?: number): Promise<Approved> {
  const r = await bcon(rt, ['approve', p.id, '--option', String(option), '--yes', '--json', ...(timeoutSeconds ? ['--timeout', String(timeoutSeconds)] : [])]);
  let view: { status?: string; steps?: string[]; state?: string } = {};
  try {
    view = JSON.parse(r.stdout) as typeof view;
  } catch {
    /* an error: stderr says it */
  }
  return { code: r.code, ...view, raw: r.stdout + r.stderr };
}
