// bcon deploy and bcon rollback on a real engine, through a real nginx (bcon-test/nginx:1) fronting a small HTTP app on
// 127.0.0.1: rolling (start-first) and blue-green serve every request of a bounded loop; a bad image (fails its
// healthcheck; healthy but answering errors; slow) is rolled back in every strategy and the output names the failing
// probe and its output; max_failure_ratio continues on one failure of four and rolls back on the second; a canary as
// good as the old version is promoted, a worse one aborted with the comparison; bcon rollback restores the previous
// image by id; a production deploy waits as a proposal that bcon approve runs. Every step is an audit entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, openStore } from '@bcon/store';
import { runBcon } from '../harness/bcon.js';
import type { DeployStack } from '../harness/deploy-stack.js';
import { deployStack, freePorts, get, requestLoop } from '../harness/deploy-stack.js';
import { docker } from '../harness/docker.js';

interface DeployOut {
  deploy: { service: string; from: string; to: string; strategy: string; result: string; steps: string[]; durationMs: number; proposal: string; tier: string; approve?: string; failures?: Array<{ replica: string; probe: string; reason: string; exitCode?: number; output?: string }>; comparison?: { worse: string[]; fresh: { requests: number }; old: { requests: number } } };
}

let home: string;
let base: number;
const stacks: DeployStack[] = [];
const env = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
const imageId = (ref: string) => docker(['image', 'inspect', '-f', '{{.Id}}', ref]);
const running = (project: string) =>
  docker(['ps', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=web', '--format', '{{.Names}} {{.Image}}']).split('\n').filter(Boolean).sort();

/** The proxy's upstream file and the warnings and errors in its log: what a failed request through it is explained by. */
function proxyState(project: string): string {
  const name = docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=proxy']);
  if (!name) return `no running proxy in ${project}`;
  const conf = docker(['exec', name, 'sh', '-c', 'cat /etc/nginx/bcon/*.conf'], { allowFail: true });
  const logs = docker(['logs', '--tail', '200', name], { allowFail: true }).split('\n').filter((l) => /\[(warn|error|crit|alert|emerg)\]/.test(l)).slice(-15);
  return `upstream file:\n${conf}\nproxy warnings and errors:\n${logs.join('\n') || 'none'}`;
}

async function deploy(stack: DeployStack, args: string[]): Promise<{ code: number; out: DeployOut; stderr: string }> {
  const r = await runBcon([...args, '--repo', stack.dir, '--yes', '--json'], env());
  let out: DeployOut;
  try {
    out = JSON.parse(r.stdout) as DeployOut;
  } catch {
    throw new Error(`bcon ${args.join(' ')} did not print JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, out, stderr: r.stderr };
}

describe('deploy strategies through a real nginx', () => {
  let main: DeployStack;
  beforeAll(async () => {
    // each stack's proxy and replicas listen on the host's 127.0.0.1: ports nobody holds (another run may be going)
    base = await freePorts(400);
    home = mkdtempSync(path.join(tmpdir(), 'bcon-deploy-home-'));
    main = deployStack('e2edeploy', base, { updateConfig: { parallelism: 1, order: 'start-first', monitor: '4s' }, labels: { 'bcon.deploy.canary-window': '5s' } });
    stacks.push(main);
  }, 120_000);
  afterAll(() => {
    for (const s of stacks) s.remove();
    rmSync(home, { recursive: true, force: true });
  });

  it('rolling, start-first, with a good image: every request of the loop answered; then bcon rollback restores the previous image by id', async () => {
    expect((await get(main.proxyPort)).body).toBe('version 1');
    const loop = requestLoop(main.proxyPort);
    const { code, out } = await deploy(main, ['deploy', 'web', '--image', 'bcon-test/app:2']);
    const traffic = await loop.stop();
    expect(out.deploy.result, out.deploy.steps.join('\n')).toBe('succeeded');
    expect(code).toBe(0);
    expect(out.deploy).toMatchObject({ service: 'web', from: 'bcon-test/app:1', to: 'bcon-test/app:2', strategy: 'rolling', tier: 'notify' });
    expect(traffic.requests).toBeGreaterThan(20);
    expect(traffic.failed).toBe(0);
    expect(traffic.bodies['version 1']).toBeGreaterThan(0);
    expect(traffic.bodies['version 2']).toBeGreaterThan(0);
    expect((await get(main.proxyPort)).body).toBe('version 2');
    expect(running('e2edeploy')).toEqual([expect.stringMatching(/ bcon-test\/app:2$/)]);
    // the previous image is kept (tagged) and restored by id
    expect(imageId('bcon-previous/e2edeploy-web:1')).toBe(imageId('bcon-test/app:1'));
    const back = await deploy(main, ['rollback', 'web']);
    expect(back.out.deploy.result, back.out.deploy.steps.join('\n')).toBe('succeeded');
    const [name] = running('e2edeploy')[0]?.split(' ') ?? [];
    expect(docker(['inspect', '-f', '{{.Image}}', name as string])).toBe(imageId('bcon-test/app:1'));
    expect((await get(main.proxyPort)).body).toBe('version 1');
    // every step is an audit entry of its own, in the chain
    const store = openStore({ home });
    try {
      const steps = listAudit(store).filter((e) => e.action === 'service.deploy.step' && e.context['proposal'] === out.deploy.proposal);
      expect(steps.length).toBeGreaterThan(4);
      expect(steps.some((e) => /^proxy proxy → .* \(reload in effect after \d+ ms/.test(String(e.context['step'])))).toBe(true);
    } finally {
      store.close();
    }
    expect((await runBcon(['audit', '--verify'], env())).code).toBe(0);
  }, 240_000);

  it('blue-green with a good image: the whole new set, one switch, every request answered', async () => {
    const loop = requestLoop(main.proxyPort);
    const { code, out } = await deploy(main, ['deploy', 'web', '--image', 'bcon-test/app:3', '--strategy', 'blue-green']);
    const traffic = await loop.stop();
    expect(out.deploy.result, out.deploy.steps.join('\n')).toBe('succeeded');
    expect(code).toBe(0);
    expect(out.deploy.steps.some((s) => s.startsWith('switched: '))).toBe(true);
    expect(traffic.failed).toBe(0);
    expect(traffic.requests).toBeGreaterThan(20);
    expect((await get(main.proxyPort)).body).toBe('version 3');
  }, 240_000);

  const BAD = {
    unhealthy: { tag: 'unhealthy', probe: 'health', says: /dependency check failed/ },
    errors: { tag: 'errors', probe: 'analysis', says: /failed \(5xx\)|log lines are errors/ },
    slow: { tag: 'slow', probe: 'analysis', says: /mean latency/ },
  } as const;
  // Run always since the two causes of the CI flake were fixed: the 502 right after a rollback (switchUpstream returned
  // before nginx's old workers stopped accepting) and a new replica's host port taken by another process on
  // 127.0.0.1 (the port choice now reads the host's sockets through the host-network proxy). docs/deploy.md.
  const badImages = it;
  for (const strategy of ['rolling', 'blue-green', 'canary'] as const) {
    for (const [kind, bad] of Object.entries(BAD)) {
      badImages(`${strategy}: an image that is ${kind} is rolled back within health_check_timeout + monitor, the old version serves, the failing probe is named`, async () => {
        const loop = requestLoop(main.proxyPort, { concurrency: 4, everyMs: 30 });
        const started = Date.now();
        const { code, out } = await deploy(main, ['deploy', 'web', '--image', `bcon-test/app:${bad.tag}`, '--strategy', strategy]);
        const took = Date.now() - started;
        await loop.stop();
        expect(out.deploy.result, out.deploy.steps.join('\n')).toBe('rolled_back');
        expect(code).toBe(1);
        const failure = out.deploy.failures?.[0];
        expect(failure?.probe, out.deploy.steps.join('\n')).toBe(bad.probe);
        expect(`${failure?.reason} ${failure?.output ?? ''}`).toMatch(bad.says);
        if (kind === 'unhealthy') expect(failure?.exitCode).toBe(1);
        // health_check_timeout (60 s) + monitor/canary window, plus the work around them
        expect(took).toBeLessThan(60_000 + 5_000 + 30_000);
        // the rollback returned: the proxy's workers all route to the old replica (switchUpstream waits for the
        // reload to take effect), so the very next request gets the old version, not a 502 from the removed replica
        const after = await get(main.proxyPort);
        expect(after.body, `${after.status}\n${out.deploy.steps.join('\n')}\n${proxyState('e2edeploy')}`).toBe('version 3');
        expect(running('e2edeploy')).toEqual([expect.stringMatching(/ bcon-test\/app:3$/)]);
      }, 240_000);
    }
  }

  it('canary: a version as good as the old one is promoted, with the comparison shown', async () => {
    const loop = requestLoop(main.proxyPort, { concurrency: 3, everyMs: 30 });
    const { code, out } = await deploy(main, ['deploy', 'web', '--image', 'bcon-test/app:2', '--strategy', 'canary']);
    await loop.stop();
    expect(out.deploy.result, out.deploy.steps.join('\n')).toBe('succeeded');
    expect(code).toBe(0);
    expect(out.deploy.comparison?.worse).toEqual([]);
    expect(out.deploy.comparison?.fresh.requests).toBeGreaterThan(4);
    expect(out.deploy.steps.some((s) => /^canary analysis: new .* \| old /.test(s))).toBe(true);
    expect((await get(main.proxyPort)).body).toBe('version 2');
  }, 240_000);

  it('max_failure_ratio 0.25 with 4 replicas: one failed replica continues, a second runs the failure action (rollback)', async () => {
    const ratio = { parallelism: 1, order: 'start-first', monitor: '1s', max_failure_ratio: 0.25, failure_action: 'rollback' };
    // replica ports: the first deploy gives the 4 replicas base+2…base+5; the next one base+1, then base+6, base+7, …
    const one = deployStack('e2edeployone', base + 100, { updateConfig: ratio, env: { FAIL_PORTS: String(base + 100 + 6) } });
    const two = deployStack('e2edeploytwo', base + 200, { updateConfig: ratio, env: { FAIL_PORTS: `${base + 200 + 6} ${base + 200 + 7}` } });
    stacks.push(one, two);
    for (const s of [one, two]) {
      // to four replicas, all at once, then the settings under test
      s.rewrite({ replicas: 4, updateConfig: { ...ratio, parallelism: 4 } });
      const up = await deploy(s, ['deploy', 'web', '--image', 'bcon-test/app:2']);
      expect(up.out.deploy.result, up.out.deploy.steps.join('\n')).toBe('succeeded');
      expect(running(s.project)).toHaveLength(4);
      s.rewrite({ updateConfig: ratio });
    }
    const a = await deploy(one, ['deploy', 'web', '--image', 'bcon-test/app:flaky']);
    expect(a.out.deploy.result, a.out.deploy.steps.join('\n')).toBe('succeeded');
    expect(a.out.deploy.failures).toHaveLength(1);
    expect(a.out.deploy.failures?.[0]?.output).toMatch(/refuses its readiness check/);
    expect(a.out.deploy.steps.some((s) => /1 of 4 replicas failed, within max_failure_ratio 0.25/.test(s))).toBe(true);
    // the failed slot keeps its old replica
    expect(running(one.project).map((l) => l.split(' ')[1]).sort()).toEqual(['bcon-test/app:2', 'bcon-test/app:flaky', 'bcon-test/app:flaky', 'bcon-test/app:flaky']);
    const b = await deploy(two, ['deploy', 'web', '--image', 'bcon-test/app:flaky']);
    expect(b.out.deploy.result, b.out.deploy.steps.join('\n')).toBe('rolled_back');
    expect(b.code).toBe(1);
    expect(b.out.deploy.failures).toHaveLength(2);
    expect(running(two.project).map((l) => l.split(' ')[1])).toEqual(['bcon-test/app:2', 'bcon-test/app:2', 'bcon-test/app:2', 'bcon-test/app:2']);
    expect((await get(two.proxyPort)).body).toBe('version 2');
    // three stacks, ~20 proxy switches each waiting for its reload to take effect: 390 s once on a machine at load 30–65
  }, 600_000);

  it('a production deploy is a proposal (explicit tier) that bcon approve then runs', async () => {
    const prod = deployStack('e2edeployprod', base + 300, { labels: { 'bcon.environment': 'production' } });
    stacks.push(prod);
    const r = await runBcon(['deploy', 'web', '--image', 'bcon-test/app:2', '--repo', prod.dir, '--yes', '--json'], env());
    const out = JSON.parse(r.stdout) as DeployOut;
    expect(r.code).toBe(1);
    expect(out.deploy).toMatchObject({ result: 'proposed', tier: 'explicit' });
    expect(running(prod.project)).toEqual([expect.stringMatching(/ bcon-test\/app:1$/)]);
    const approved = await runBcon(['approve', out.deploy.proposal, '--option', '1', '--yes', '--json'], env());
    expect(approved.code, approved.stdout + approved.stderr).toBe(0);
    expect((await get(prod.proxyPort)).body).toBe('version 2');
  }, 240_000);

  it('bad input is refused clearly and changes nothing', async () => {
    const same = await runBcon(['deploy', 'web', '--image', 'bcon-test/app:2', '--repo', main.dir, '--yes', '--json'], env());
    expect(same.code).toBe(2);
    expect(same.stdout + same.stderr).toMatch(/already runs bcon-test\/app:2/);
    const unknown = await runBcon(['deploy', 'nope', '--repo', main.dir, '--yes'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no service nope/);
    expect(running('e2edeploy')).toEqual([expect.stringMatching(/ bcon-test\/app:2$/)]);
  }, 120_000);
});
