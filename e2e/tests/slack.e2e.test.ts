// bcon slack on a real engine with an incident stack, against the local stand-in for Slack (its Web API, the
// response_url endpoint, and the Socket Mode websocket): signed requests to the bot's HTTP endpoint answer
// /bcon status and /bcon why api with the right services and causes; a new proposal is posted to the notify
// channel with its buttons; a mapped approver's click runs a proposal
// on the engine once and updates the message; an unmapped user, a forged or stale button, a bad signature and an
// old request are refused and nothing runs; a prohibited option runs only with two approvers' codes (modal); a
// Socket Mode round trip works; the canary secrets never reach Slack.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '@bcon/decision';
import { assessRisk, coveredContainers, describeAction, fingerprintOf, totp } from '@bcon/decision';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { listAudit, openStore, saveProposal } from '@bcon/store';
import { BCON_BIN, runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import type { FakeSlack, SlackCall } from '../harness/slack-fake.js';
import { startFakeSlack } from '../harness/slack-fake.js';
import { buttonClick, signedEvent, signedPost, slashCommand, viewSubmission } from '../harness/slack-sign.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const P = 'e2eslack';
const SLEEP = 'trap "exit 0" TERM; sleep 3600 & wait';
const BOT_TOKEN = 'xoxb-e2e-0000000001-bcon-bot-token';
const APP_TOKEN = 'xapp-1-A0E2E0001-e2e-app-token';
const SIGNING = 'e2e-signing-secret-8f3a9c2d1b7e';
const TOTP_SECRETS = { ALICE: 'JBSWY3DPEHPK3PXP', BOB: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
const USERS = { alice: 'U0ALICE01', bob: 'U0BOB0002', eve: 'U0EVE0003' };
const CHANNEL = 'C0E2EOPS1';
/** canary secrets: in a container's env, in its logs, in a healthcheck; none may reach Slack */
const CANARY = { env: 'SlackCanaryEnv-4Kq9Zt', log: 'SlackCanaryLog-7Wm2Xp', health: 'SlackCanaryHealth-1Bv8Rn', env2: 'SlackCanaryTok-5Hc3Ly' };

let fake: FakeSlack;
let home: string;
let repo: string;
let bot: ChildProcess | undefined;
let endpoint: string;
let responses = 0;

const botEnv = (extra: Record<string, string> = {}) => ({
  ...process.env,
  NO_COLOR: '1',
  BCON_HOME: home,
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING,
  SLACK_API_URL: fake.apiUrl,
  BCON_WEB_URL: 'http://127.0.0.1:7070/',
  BCON_TOTP_SECRET_ALICE: TOTP_SECRETS.ALICE,
  BCON_TOTP_SECRET_BOB: TOTP_SECRETS.BOB,
  ...extra,
});

/** Start `bcon slack` (the built CLI) and resolve with the line it prints once it listens or is connected. */
function startBot(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [BCON_BIN, 'slack', '--listen', '127.0.0.1:0', '--repo', repo], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bcon slack did not start: ${out} ${err}`)), 60_000);
    child.stderr?.on('data', (d) => (err += d));
    child.stdout?.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('bcon slack: '));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.on('exit', (code) => reject(new Error(`bcon slack exited (${code}): ${out} ${err}`)));
  });
}

async function stopBot(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const gone = new Promise((res) => child.once('exit', res));
  child.kill('SIGTERM');
  await gone;
}

const audit = () => {
  const s = openStore({ home });
  try {
    return listAudit(s);
  } finally {
    s.close();
  }
};
const textOf = (c: SlackCall) => JSON.stringify(c.body);
const nextResponse = () => `r${++responses}`;

/** A signed `/bcon TEXT` from a user; resolves with the HTTP answer and the response_url id its answer goes to. */
async function slash(text: string, user = USERS.alice, options: { timestamp?: number; secret?: string } = {}) {
  const id = nextResponse();
  const res = await signedPost(endpoint, slashCommand(text, user, fake.responseUrl(id), CHANNEL), SIGNING, options);
  return { ...res, id };
}

async function click(actionId: string, value: string, user: string, message: { channel: string; ts: string }) {
  return signedPost(endpoint, buttonClick(actionId, value, user, message, fake.responseUrl(nextResponse())), SIGNING);
}

/** The proposal message the bot posted for a proposal id (chat.postMessage with its buttons). */
async function postedProposal(id: string, after: number): Promise<{ ts: string; buttons: Array<{ action_id: string; value: string }> }> {
  const call = await fake.waitForCall((c) => c.method === 'chat.postMessage' && c.body['channel'] === CHANNEL && c.at >= after && textOf(c).includes(`Proposal ${id}`), 60_000, `the bot to post proposal ${id}`);
  const ts = String(call.response?.['ts']);
  const blocks = call.body['blocks'] as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
  return { ts, buttons: blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []) };
}

async function facts() {
  const client = new EngineClient(endpointFromEnv());
  try {
    return (await collectContainers(client)).filter((c) => c.compose?.project === P);
  } finally {
    client.close();
  }
}

const memoryOf = (c: string) => docker(['inspect', '-f', '{{.HostConfig.Memory}}', c]);
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('bcon slack', () => {
  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'bcon-slack-home-'));
    repo = mkdtempSync(path.join(tmpdir(), 'bcon-slack-repo-'));
    writeFileSync(path.join(repo, 'bcon.yaml'), `approvers:\n  alice: { slack: ${USERS.alice} }\n  bob: { slack: ${USERS.bob} }\nnotify:\n  - slack: "#ops"\n`);
    // the committed stack: web is declared with a memory limit it does not run with (drift)
    writeFileSync(path.join(repo, 'compose.yaml'), `name: ${P}\nservices:\n  api:\n    image: ${BUSYBOX_IMAGE}\n    mem_limit: 24m\n  web:\n    image: ${BUSYBOX_IMAGE}\n    mem_limit: 96m\n`);
    const git = (args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@bcon.local', '-c', 'user.name=bcon e2e', ...args], { cwd: repo });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'stack']);
    removeProject(P);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    runComposeContainer({
      project: P,
      service: 'api',
      image: BUSYBOX_IMAGE,
      memory: '24m',
      restart: 'no',
      env: { DB_PASSWORD: CANARY.env },
      health: { cmd: `wget -q --header "Authorization: Bearer ${CANARY.health}" http://127.0.0.1:1/ || true`, interval: '1s' },
      command: ['sh', '-c', `echo "connecting to db with password=${CANARY.log}"; echo loading; exec tail /dev/zero`],
    });
    runComposeContainer({ project: P, service: 'web', image: BUSYBOX_IMAGE, env: { API_TOKEN: CANARY.env2 }, health: { cmd: `echo --password ${CANARY.health} >/dev/null; true`, interval: '1s' }, command: ['sh', '-c', SLEEP] });
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', `${P}-api-1`]) === 'exited', 30_000, 'api to be OOM-killed');
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', `${P}-web-1`]) === 'healthy', 30_000, 'web to be healthy');
    fake = await startFakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    const started = await startBot(botEnv());
    bot = started.child;
    endpoint = started.line.replace('bcon slack: listening on ', '').trim();
  }, 180_000);

  afterAll(async () => {
    await stopBot(bot);
    await fake?.close();
    removeProject(P);
    docker(['rm', '-f', 'bcon-lock'], { allowFail: true });
    rmSync(home, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  it('/bcon status answers within 3 s, then names api down and web ok (response_url)', async () => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    const r = await slash('status');
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3000);
    const answer = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === r.id, 60_000, 'the status answer');
    expect(answer.body['response_type']).toBe('in_channel');
    const text = textOf(answer);
    expect(text).toMatch(/\*api\* \(e2eslack\) down/);
    expect(text).toMatch(/ok: [^"]*web/);
    expect(answer.body['text']).toMatch(/1 down/);
  }, 90_000);

  it('/bcon why api answers the cause (oom_killed in api) with its evidence and a details link', async () => {
    const r = await slash('why api it stopped');
    expect(r.status).toBe(200);
    const answer = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === r.id, 90_000, 'the why answer');
    expect(answer.body['text']).toMatch(/^api: oom_killed in api \(\d+%\)$/);
    const text = textOf(answer);
    expect(text).toMatch(/1\. oom_killed\* in \*api\*/);
    expect(text).toContain('http://127.0.0.1:7070/?view=diagnose&service=api');
  }, 120_000);

  it('/bcon drift answers with the field-level differences from HEAD', async () => {
    const r = await slash('drift');
    const answer = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === r.id, 60_000, 'the drift answer');
    expect(answer.body['text']).toMatch(/^bcon drift: \d+ findings$/);
    expect(textOf(answer)).toMatch(/\*web\* \(e2eslack\) memory/);
  }, 90_000);

  it('a mention answers in its thread; ask without a model says so; an unknown request gets the usage, not a guess', async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000300`;
    const r = await signedEvent(endpoint, { type: 'app_mention', user: USERS.bob, text: '<@UBCONBOT1> why api', ts, channel: CHANNEL, event_ts: ts }, SIGNING);
    expect(r.status).toBe(200);
    const reply = await fake.waitForCall((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === ts, 90_000, 'the answer in the mention\'s thread');
    expect(reply.body['text']).toMatch(/^api: oom_killed in api/);
    const ask = await slash('ask which service uses the most memory?');
    const answer = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === ask.id, 60_000, 'the ask answer');
    expect(answer.body['text']).toMatch(/^ask needs a model, and none is configured/);
    const unknown = await slash('restart api');
    expect(unknown.status).toBe(200);
    const usage = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === unknown.id, 30_000, 'the usage answer');
    expect(usage.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^unknown request "restart"\. bcon answers: /) });
  }, 180_000);

  it('a bad signature, a request older than 5 minutes (or 5 minutes ahead) and an unsigned one get 401, and nothing is answered', async () => {
    const forged = await slash('status', USERS.alice, { secret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);
    const old = await slash('status', USERS.alice, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(old.status).toBe(401);
    const ahead = await slash('status', USERS.alice, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(ahead.status).toBe(401);
    const noBody = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=/bcon&text=status' });
    expect(noBody.status).toBe(401);
    await sleep(3000);
    expect(fake.calls.filter((c) => c.method === 'response_url' && [forged.id, old.id, ahead.id].includes(c.responseId ?? ''))).toEqual([]);
  }, 30_000);

  it('a proposal: an unmapped user and a forged button are refused (audited, nothing runs); a double click by alice runs it once, the message is updated', async () => {
    const proposed = await runBcon(['propose', 'api', 'it stopped', '--repo', repo, '--json'], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
    expect(proposed.code, proposed.stderr).toBe(0);
    const { proposal } = JSON.parse(proposed.stdout) as { proposal: { id: string; options: Array<{ n: number; action: string; tier: string }> } };
    const mem = proposal.options.find((o) => o.action === 'service.set_memory');
    expect(mem?.tier).toBe('notify');
    // a new proposal is posted on its own to the bcon.yaml notify: slack channel, with its buttons
    const fed = await fake.waitForCall((c) => c.method === 'chat.postMessage' && c.body['channel'] === '#ops' && textOf(c).includes(`Proposal ${proposal.id}`), 30_000, 'the new proposal in #ops');
    expect(textOf(fed)).toContain(`bcon_approve_${mem?.n}`);
    const before = Date.now();
    const listed = await slash('proposals');
    expect(listed.status).toBe(200);
    const posted = await postedProposal(proposal.id, before);
    const approve = posted.buttons.find((b) => b.action_id === `bcon_approve_${mem?.n}`);
    expect(approve).toBeDefined();
    const message = { channel: CHANNEL, ts: posted.ts };
    const memBefore = memoryOf(`${P}-api-1`);
    expect(memBefore).toBe(String(24 * 1024 * 1024));

    // eve is no approver: refused, told privately, audited; nothing runs
    expect((await click(approve!.action_id, approve!.value, USERS.eve, message)).status).toBe(200);
    const refusal = await fake.waitForCall((c) => c.method === 'chat.postEphemeral' && c.body['user'] === USERS.eve, 30_000, 'the refusal to eve');
    expect(textOf(refusal)).toMatch(/not a bcon approver/);
    // a button whose fingerprint is not the proposal's as shown (forged, or the proposal changed): refused
    const forged = JSON.stringify({ ...(JSON.parse(approve!.value) as object), h: '0'.repeat(32) });
    expect((await click(approve!.action_id, forged, USERS.alice, message)).status).toBe(200);
    const stale = await fake.waitForCall((c) => c.method === 'chat.postEphemeral' && c.body['user'] === USERS.alice && textOf(c).includes('not what this message showed'), 30_000, 'the stale refusal');
    expect(stale).toBeDefined();
    await sleep(1500);
    expect(memoryOf(`${P}-api-1`)).toBe(memBefore);
    let entries = audit();
    expect(entries.filter((e) => e.action === 'approval.refused').map((e) => [e.actor, e.result, e.context?.['channel']])).toEqual(
      expect.arrayContaining([
        [`slack/${USERS.eve}`, 'unknown_approver', 'slack'],
        ['alice', 'stale', 'slack'],
      ]),
    );
    expect(entries.filter((e) => e.action === 'proposal.approve')).toEqual([]);

    // alice clicks twice at once: acked within 3 s each, executed once
    const [a, b] = await Promise.all([click(approve!.action_id, approve!.value, USERS.alice, message), click(approve!.action_id, approve!.value, USERS.alice, message)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(Math.max(a.ms, b.ms)).toBeLessThan(3000);
    const updated = await fake.waitForCall((c) => c.method === 'chat.update' && c.body['ts'] === posted.ts, 90_000, 'the proposal message to be updated');
    expect(textOf(updated)).toMatch(/done — option \d+ approved by alice/);
    expect(updated.body['blocks']).not.toEqual(expect.arrayContaining([expect.objectContaining({ type: 'actions' })]));
    expect(memoryOf(`${P}-api-1`)).toBe(String(64 * 1024 * 1024));
    await sleep(1000);
    entries = audit();
    const approvals = entries.filter((e) => e.action === 'proposal.approve');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ actor: 'alice', context: { channel: 'slack', proposal: proposal.id } });
    expect(entries.filter((e) => e.action === 'service.set_memory' && e.result === 'success')).toHaveLength(1);
  }, 240_000);

  it('Reject by a mapped approver marks the proposal rejected, audits it with channel slack, and updates the message', async () => {
    const proposed = await runBcon(['propose', 'api', '--repo', repo, '--json'], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
    expect(proposed.code, proposed.stderr).toBe(0);
    const { proposal } = JSON.parse(proposed.stdout) as { proposal: { id: string } };
    const before = Date.now();
    await slash('proposals');
    const posted = await postedProposal(proposal.id, before);
    const reject = posted.buttons.find((b) => b.action_id === 'bcon_reject');
    expect((await click('bcon_reject', reject!.value, USERS.bob, { channel: CHANNEL, ts: posted.ts })).status).toBe(200);
    const updated = await fake.waitForCall((c) => c.method === 'chat.update' && c.body['ts'] === posted.ts, 30_000, 'the rejected proposal message');
    expect(updated.body['text']).toBe(`bcon proposal ${proposal.id}: rejected by bob`);
    expect(audit().find((e) => e.action === 'proposal.reject' && e.context?.['proposal'] === proposal.id)).toMatchObject({ actor: 'bob', result: 'rejected', context: { channel: 'slack' } });
  }, 120_000);

  it('a proposal changed in the store after it was posted, or expired since, is refused on click; nothing runs', async () => {
    const all = await facts();
    const web = all.find((c) => c.name === `${P}-web-1`);
    if (!web) throw new Error('web is not running');
    const action = { type: 'container.restart' as const, container: web.name };
    const r = assessRisk(action, { containers: [web], replicas: 1 });
    const p: Proposal = {
      id: `p-slx${Math.random().toString(16).slice(2, 8)}`,
      target: 'web',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 8000).toISOString(),
      fingerprint: fingerprintOf(coveredContainers(all, [web.name])),
      containers: [web.name],
      notes: [],
      options: [{ n: 1, action: 'container.restart', params: { container: web.name }, summary: describeAction(action), risk: r.risk, tier: 'explicit', reasons: r.reasons, cause: 'crash_loop', culprit: 'web' }],
      host: { address: process.env['DOCKER_HOST'] as string },
    };
    const s = openStore({ home });
    saveProposal(s, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target: 'web', status: 'pending', body: p });
    s.close();
    const startedBefore = docker(['inspect', '-f', '{{.State.StartedAt}}', web.name]);
    const before = Date.now();
    await slash('proposals');
    const posted = await postedProposal(p.id, before);
    const approve = posted.buttons.find((b) => b.action_id === 'bcon_approve_1');
    const message = { channel: CHANNEL, ts: posted.ts };
    // the stored proposal now says something else than the message showed (another container)
    const db = new Database(path.join(home, 'bcon.db'));
    const changed = { ...p, options: [{ ...p.options[0], params: { container: `${P}-api-1` } }] };
    db.prepare('UPDATE proposals SET body = ? WHERE id = ?').run(JSON.stringify(changed), p.id);
    let at = Date.now();
    await click(approve!.action_id, approve!.value, USERS.alice, message);
    await fake.waitForCall((c) => c.method === 'chat.postEphemeral' && c.at >= at && textOf(c).includes(`proposal ${p.id} is not what this message showed`), 30_000, 'the changed-proposal refusal');
    db.prepare('UPDATE proposals SET body = ? WHERE id = ?').run(JSON.stringify(p), p.id);
    db.close();
    // then it expires: the write path refuses it, and the message loses its buttons
    await sleep(Math.max(0, Date.parse(p.expiresAt) - Date.now() + 500));
    at = Date.now();
    await click(approve!.action_id, approve!.value, USERS.alice, message);
    const expired = await fake.waitForCall((c) => c.method === 'chat.update' && c.body['ts'] === posted.ts, 30_000, 'the expired proposal message');
    expect(textOf(expired)).toMatch(/not run: proposal p-slx\w+ expired at/);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', web.name])).toBe(startedBefore);
    const refusals = audit().filter((e) => e.action === 'approval.refused' && (e.context?.['proposal'] === p.id || e.target === p.id));
    expect(refusals.map((e) => e.result)).toEqual(['stale', 'expired']);
    expect(audit().filter((e) => e.action === 'proposal.approve' && e.context?.['proposal'] === p.id)).toEqual([]);
  }, 120_000);

  it('a prohibited option asks each of two approvers for a code (modal) and runs only with both', async () => {
    const all = await facts();
    const web = all.find((c) => c.name === `${P}-web-1`);
    if (!web) throw new Error('web is not running');
    const action = { type: 'container.restart' as const, container: web.name };
    const r = assessRisk(action, { containers: [web], replicas: 1 });
    const p: Proposal = {
      id: `p-slk${Math.random().toString(16).slice(2, 8)}`,
      target: 'web',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      fingerprint: fingerprintOf(coveredContainers(all, [web.name])),
      containers: [web.name],
      notes: [],
      options: [{ n: 1, action: 'container.restart', params: { container: web.name }, summary: describeAction(action), risk: r.risk, tier: 'prohibited', reasons: r.reasons, cause: 'crash_loop', culprit: 'web' }],
      host: { address: process.env['DOCKER_HOST'] as string },
    };
    const s = openStore({ home });
    saveProposal(s, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target: 'web', status: 'pending', body: p });
    s.close();
    const startedBefore = docker(['inspect', '-f', '{{.State.StartedAt}}', web.name]);
    const before = Date.now();
    await slash('proposals');
    const posted = await postedProposal(p.id, before);
    const approve = posted.buttons.find((b) => b.action_id === 'bcon_approve_1');
    expect(textOf(fake.calls.find((c) => c.method === 'chat.postMessage' && textOf(c).includes(`Proposal ${p.id}`))!)).toMatch(/two approvers, each with a code/);
    const message = { channel: CHANNEL, ts: posted.ts };
    const submitCode = async (user: string, secret: string) => {
      const at = Date.now();
      await click(approve!.action_id, approve!.value, user, message);
      const view = await fake.waitForCall((c) => c.method === 'views.open' && c.at >= at, 30_000, `the code modal for ${user}`);
      const v = view.body['view'] as { callback_id: string; private_metadata: string };
      const res = await signedPost(endpoint, viewSubmission(v.callback_id, v.private_metadata, user, { code: { value: totp(secret, Date.now()) } }), SIGNING);
      expect(res.status).toBe(200);
    };
    await submitCode(USERS.alice, TOTP_SECRETS.ALICE);
    await fake.waitForCall((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === posted.ts && textOf(c).includes('second, different approver'), 30_000, 'the note that one more approver is needed');
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', web.name])).toBe(startedBefore);
    // a malformed code is answered in the modal, nothing is recorded
    const bad = await signedPost(endpoint, viewSubmission('bcon_totp', '{}', USERS.bob, { code: { value: '12ab' } }), SIGNING);
    expect(JSON.parse(bad.text)).toMatchObject({ response_action: 'errors' });
    await submitCode(USERS.bob, TOTP_SECRETS.BOB);
    const updated = await fake.waitForCall((c) => c.method === 'chat.update' && c.body['ts'] === posted.ts, 90_000, 'the prohibited proposal message to be updated');
    expect(textOf(updated)).toMatch(/done — option 1 approved by (alice\+bob|bob\+alice) \(two-person/);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', web.name])).not.toBe(startedBefore);
    const approval = audit().find((e) => e.action === 'proposal.approve' && e.context?.['proposal'] === p.id);
    expect(approval).toMatchObject({ approval: 'two-person', context: { channel: 'slack' } });
  }, 180_000);

  it('Socket Mode: the bot opens apps.connections.open with the app token, acks a /bcon status envelope, and answers', async () => {
    const socketBot = await startBot(botEnv({ SLACK_APP_TOKEN: APP_TOKEN }));
    try {
      expect(socketBot.line).toBe('bcon slack: connected in Socket Mode');
      await fake.socketConnected();
      expect(fake.calls.find((c) => c.method === 'apps.connections.open')?.token).toBe(APP_TOKEN);
      const id = nextResponse();
      const ack = await fake.sendEnvelope('slash_commands', slashCommand('status', USERS.bob, fake.responseUrl(id), CHANNEL));
      expect(ack.envelope_id).toMatch(/^env-/);
      const answer = await fake.waitForCall((c) => c.method === 'response_url' && c.responseId === id, 60_000, 'the Socket Mode status answer');
      expect(textOf(answer)).toMatch(/\*api\* \(e2eslack\) down/);
    } finally {
      await stopBot(socketBot.child);
    }
  }, 120_000);

  it('no canary secret (container env, logs, healthcheck) and none of the bot\'s own secrets is in any message Slack received', () => {
    // the credential calls carry the token they prove (auth.test may send it in its body), and nothing else
    const credential = new Set(['auth.test', 'apps.connections.open']);
    const messages = fake.calls.filter((c) => !credential.has(c.method));
    expect(messages.length).toBeGreaterThan(10);
    expect(new Set(messages.map((c) => c.method))).toEqual(new Set(['response_url', 'chat.postMessage', 'chat.postEphemeral', 'chat.update', 'views.open']));
    expect(fake.socketMessages().length).toBeGreaterThan(0);
    const text = [...messages.map((c) => c.raw), ...fake.socketMessages()].join('\n');
    for (const secret of [...Object.values(CANARY), SIGNING, BOT_TOKEN, APP_TOKEN]) expect(text, secret).not.toContain(secret);
    for (const c of fake.calls.filter((x) => credential.has(x.method))) expect(c.raw.replace(`token=${BOT_TOKEN}`, '')).not.toMatch(/Canary|xoxb|xapp/);
    // the canaries were there to leak: in the container's env, its logs and its healthcheck
    expect(docker(['inspect', '-f', '{{json .Config.Env}} {{json .Config.Healthcheck}}', `${P}-api-1`])).toContain(CANARY.env);
    expect(docker(['logs', `${P}-api-1`])).toContain(CANARY.log);
  });
});
