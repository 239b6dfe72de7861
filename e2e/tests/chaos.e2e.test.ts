// A small chaos run against the reconciler on a real engine: containers stopped, killed, their limits changed,
// replicas removed and untracked containers started at random (seeded, bounded in count and time), a pass after
// each round. Whatever happens, the reconciler never executes an action above its tier, never exceeds its budget,
// never touches a healthy service it was not asked about, never changes a production service by itself and never
// removes a container.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, openStore } from '@bcon/store';
import { REPO, runBcon } from '../harness/bcon.js';
import { docker, removeProject } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2echaos';
const BUDGET = 2;
let repo: ReturnType<typeof fixtureRepo>;
let home: string;

/** A small seeded generator (mulberry32): the run is the same every time, and a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a chaos run against the reconciler', () => {
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'bcon-chaos-home-'));
    removeProject(P);
    docker(['rm', '-f', 'bcon-lock', 'bcon-pause'], { allowFail: true });
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'reconcile'), P, { 'bcon.yaml': `reconcile:\n  self_heal: true\n  budget:\n    per_service_per_hour: ${BUDGET}\n    per_host_per_hour: 50\n` });
    execFileSync('docker-compose', ['--compatibility', '-p', P, 'up', '-d', 'web', 'worker', 'billing', 'api', 'cache', 'queue', 'jobs'], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  }, 120_000);
  afterAll(() => {
    removeProject(P, ['e2echaos-stray']);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('never above its tier, never over budget, never a healthy bystander, never production, never a removal', async () => {
    const random = rng(20261202);
    const victims = ['api', 'cache', 'queue', 'jobs', 'worker', 'billing'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const done: string[] = [];
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 2; k++) {
        const svc = pick(victims);
        const c = `${P}_${svc}_1`;
        const what = pick(['stop', 'kill', 'memory', 'replica', 'untracked'] as const);
        if (what === 'stop') docker(['stop', '-t', '1', c], { allowFail: true });
        else if (what === 'kill') docker(['kill', c], { allowFail: true });
        else if (what === 'memory') docker(['update', '--memory', '96m', '--memory-swap', '96m', c], { allowFail: true });
        else if (what === 'replica') docker(['rm', '-f', `${P}_worker_2`], { allowFail: true });
        else docker(['run', '-d', '--name', 'e2echaos-stray', '--network', 'none', '--label', `com.docker.compose.project=${P}`, '--label', 'com.docker.compose.service=stray', BUSYBOX_IMAGE, 'sleep', '3600'], { allowFail: true });
        done.push(`${round}:${what}:${svc}`);
      }
      const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo.dir], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
      expect(r.code, r.stderr).toBe(0);
    }
    const store = openStore({ home });
    const audit = listAudit(store);
    store.close();
    const decisions = audit.filter((e) => e.action === 'reconcile.decision');
    expect(decisions.length, done.join(' ')).toBeGreaterThan(0);
    // never above its tier: everything that ran by itself was autonomous or notify, and was audited as such
    for (const d of decisions.filter((x) => x.result === 'executed' || x.result === 'notified')) expect(['autonomous', 'notify'], JSON.stringify(d)).toContain(d.context['tier']);
    for (const e of audit.filter((x) => x.actor === 'bcon/reconciler' && /^(container|service)\./.test(x.action) && !x.action.endsWith('.undo'))) expect(['autonomous', 'notified'], JSON.stringify(e)).toContain(e.approval);
    // never over budget: per service, at most BUDGET automatic actions in the run (well within the hour)
    const perService = new Map<string, number>();
    for (const d of decisions.filter((x) => x.result === 'executed' || x.result === 'notified')) perService.set(d.target, (perService.get(d.target) ?? 0) + 1);
    for (const [svc, n] of perService) expect(n, `${svc}: ${n} automatic actions`).toBeLessThanOrEqual(BUDGET);
    // never a healthy bystander: web was never touched by the run, so no decision names it
    expect(decisions.filter((d) => d.target === 'web')).toEqual([]);
    // never production by itself, never a removal
    for (const d of decisions.filter((x) => x.target === 'billing')) expect(['proposed', 'refused', 'reported']).toContain(d.result);
    expect(audit.filter((e) => e.action === 'container.remove_untracked')).toEqual([]);
    if (done.some((d) => d.includes('untracked'))) expect(docker(['inspect', '-f', '{{.State.Running}}', 'e2echaos-stray'])).toBe('true');
    writeFileSync(path.join(home, 'chaos.txt'), done.join('\n'));
  }, 300_000);
});
