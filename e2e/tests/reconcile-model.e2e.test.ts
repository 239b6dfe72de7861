// The reconciler with a model configured (issue 15: "the model may pick among the options the rules produced and
// explain why, never above the tier the policy allows, validated like every model answer; without one, the rules
// decide"). A real engine, a real git repository, a local OpenAI-protocol server as the model (the one allowed fake).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject } from '../harness/docker.js';
import type { FakeLlm, RecordedLlmRequest } from '../harness/fake-llm.js';
import { startFakeLlm } from '../harness/fake-llm.js';

const P = 'e2erecmodel';
let work = '';
let repo = '';
let home = '';
let llm: FakeLlm;

interface Decision { service: string; action: string; mode: string; reasons: string[]; result: string }
const withModel = () => ({ BCON_HOME: home, BCON_ACTOR: 'user/e2e', BCON_LLM_BASE_URL: llm.baseUrl, BCON_LLM_MODEL: 'fake-model' });
async function pass(env: Record<string, string>, dryRun = true): Promise<Decision[]> {
  const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo, ...(dryRun ? ['--dry-run'] : [])], env);
  if (r.code !== 0) throw new Error(`reconcile failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { pass: { decisions: Decision[] } }).pass.decisions;
}
const pickRequests = () => llm.requests.filter((q: RecordedLlmRequest) => q.raw.includes('bcon_pick'));
const answerPick = (picks: unknown) => (llm.fallback = (q) => (q.raw.includes('bcon_pick') ? { kind: 'content', content: JSON.stringify({ picks }) } : { kind: 'content', content: '{"hypotheses":[],"explanation":""}' }));

beforeAll(async () => {
  llm = await startFakeLlm();
  work = mkdtempSync(path.join(tmpdir(), 'bcon-recmodel-'));
  home = path.join(work, 'home');
  mkdirSync(home, { mode: 0o700 });
  repo = path.join(work, P);
  mkdirSync(repo);
  // one service whose healthcheck always fails (the rules offer: restart it, or re-create it), one calm bystander
  writeFileSync(
    path.join(repo, 'compose.yaml'),
    `services:
  flaky:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/never"], interval: 1s, timeout: 1s, retries: 1 }
  calm:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
`,
  );
  // a short health gate: the always-failing healthcheck makes a re-create fail its verification and be undone
  writeFileSync(path.join(repo, 'bcon.yaml'), 'reconcile:\n  self_heal: true\nrecovery:\n  health_check_timeout: 8s\n');
  const git = (args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@bcon.test', '-c', 'user.name=e2e', ...args], { cwd: repo });
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-qm', 'stack']);
  removeProject(P);
  execFileSync('docker-compose', ['-p', P, 'up', '-d'], { cwd: repo, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const until = Date.now() + 60_000; docker(['inspect', '-f', '{{.State.Health.Status}}', `${P}_flaky_1`]) !== 'unhealthy'; ) {
    if (Date.now() > until) throw new Error('flaky never turned unhealthy');
    await new Promise((r) => setTimeout(r, 250));
  }
}, 180_000);

afterAll(async () => {
  removeProject(P);
  docker(['rm', '-f', 'bcon-lock', 'bcon-pause'], { allowFail: true });
  await llm?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the reconciler with a model', () => {
  it('without a model the rules decide: the first option (restart)', async () => {
    const d = (await pass({ BCON_HOME: home, BCON_ACTOR: 'user/e2e' })).find((x) => x.service === `${P}/flaky`);
    expect(d).toMatchObject({ action: 'container.restart' });
    expect(d?.reasons.join(' '), JSON.stringify(d?.reasons)).not.toMatch(/the model/);
  });

  it('the model picks another of the rules\' options and says why (its text redacted); the policy still decides the mode', async () => {
    answerPick([{ culprit: 'flaky', n: 2, why: 'the healthcheck fails right after restarts (e2), a fresh container is better; token=sk-live-abcdef0123456789abcdef' }]);
    const before = pickRequests().length;
    const d = (await pass(withModel())).find((x) => x.service === `${P}/flaky`);
    expect(pickRequests().length).toBe(before + 1);
    // the request offered the rules' options only, and no service without a choice
    const sent = pickRequests().at(-1)?.raw ?? '';
    expect(sent).toContain('container.restart');
    expect(sent).toContain('service.recreate');
    expect(d).toMatchObject({ action: 'service.recreate', mode: 'notified' });
    const why = d?.reasons.find((r) => /the model picked option 2/.test(r)) ?? '';
    expect(why).toMatch(/fresh container is better/);
    expect(why).not.toContain('sk-live-abcdef0123456789abcdef');
    // notify tier (a re-create): executed with a notification, never silently
    expect(d?.result).toBe('dry run: would be notified');
  });

  it('a pick the rules did not offer, or a service with no choice, is refused: the rules\' first option stands', async () => {
    answerPick([{ culprit: 'flaky', n: 7, why: 'remove the volume' }, { culprit: 'calm', n: 1, why: 'restart it too' }]);
    const decisions = await pass(withModel());
    const d = decisions.find((x) => x.service === `${P}/flaky`);
    expect(d).toMatchObject({ action: 'container.restart' });
    expect(d?.reasons.join(' ')).toMatch(/picked option 7, which the rules did not offer/);
    expect(decisions.some((x) => x.service === `${P}/calm`)).toBe(false);
  });

  it('a model that fails changes nothing: the rules decide, and the pass says why', async () => {
    llm.fallback = () => ({ kind: 'status', status: 500, message: 'upstream exploded' });
    const d = (await pass(withModel())).find((x) => x.service === `${P}/flaky`);
    expect(d).toMatchObject({ action: 'container.restart' });
    expect(d?.reasons.join(' ')).toMatch(/the model did not pick/);
  });

  it('executed for real: the picked re-create runs through the write path (verified, undone when the new container is unhealthy too) and is audited with the model\'s reason', async () => {
    answerPick([{ culprit: 'flaky', n: 2, why: 'a fresh container (e2)' }]);
    const d = (await pass(withModel(), false)).find((x) => x.service === `${P}/flaky`);
    expect(d).toMatchObject({ action: 'service.recreate', mode: 'notified' });
    // its healthcheck can never pass: the new container fails the health gate and the previous one is put back
    expect(d?.result).toMatch(/^rolled_back: /);
    const audit = JSON.parse((await runBcon(['audit', '--json'], { BCON_HOME: home })).stdout).audit_log as Array<{ action: string; result: string; context: { reasons?: string[]; reason?: string } }>;
    expect(audit.some((e) => e.action === 'reconcile.decision' && (e.context.reasons ?? []).some((r) => /the model picked option 2/.test(r)))).toBe(true);
    expect(audit.some((e) => e.action === 'service.recreate' && e.result === 'rolled_back')).toBe(true);
  }, 300_000);
});
