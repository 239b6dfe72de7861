// bcon serve in a real headless Chromium (Debian's chromium through playwright-core) against a stack on the test
// engine, made by Debian's docker-compose v1 from a committed compose file: the board shows each service's verdict,
// the diagnose view the OOM-killed service's cause and evidence, a proposal approved in the page really changes the
// container (audited with channel web); a browser without the token gets nothing, the token works once, forged
// cross-site and CSRF-less POSTs are refused and run nothing; a canary secret in a service's env, logs and healthcheck
// is in no page or API response. Screenshots of every view are saved (the directory is printed).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProposal, listAudit, openStore, recordServiceSamples, saveProposal } from '@bcon/store';
import type { Proposal } from '@bcon/decision';
import { describeAction, fingerprintOf, totp } from '@bcon/decision';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { launchChromium } from '../harness/web-browser.js';
import type { ServeProcess } from '../harness/web-serve.js';
import { startServe } from '../harness/web-serve.js';
import { startFakeLlm } from '../harness/fake-llm.js';

const P = 'e2eweb';
const CANARY = `cnry${randomBytes(12).toString('hex')}`;
const MiB = 1024 * 1024;
const name = (service: string) => `${P}_${service}_1`;
const inspect = (c: string, f: string) => docker(['inspect', '-f', f, c]);
const SECRETS = { ALICE: 'JBSWY3DPEHPK3PXP', BOB: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
const SHOTS = process.env['BCON_WEB_SCREENSHOTS'] ?? mkdtempSync(path.join(tmpdir(), 'bcon-web-shots-'));

// `$$` is compose's escape for a literal `$`
const compose = (webMemory: string) => `x-busybox: &busybox
  image: bcon-test/busybox:1
  network_mode: none

services:
  # oom_killed: needs ~30 MB, has 24 MiB: the kernel ends it, and it is not restarted
  ledger:
    <<: *busybox
    mem_limit: 24m
    memswap_limit: 24m
    restart: "no"
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        echo "ledger: replaying journal 0000000000000042.wal into memory"
        head -c 30000000 /dev/zero | tail > /dev/null || exit 137
        echo "ledger: journal replayed"
        while :; do echo "ledger: balanced 12 accounts"; sleep 5 & wait; done

  # healthy; carries the canary secret in its env, prints it in its logs and its healthcheck
  api:
    <<: *busybox
    environment:
      API_TOKEN: ${CANARY}
      MODE: blue
    healthcheck:
      test: ["CMD", "sh", "-c", "echo probing with key ${CANARY}"]
      interval: 2s
      retries: 2
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        echo "api: starting with API_TOKEN=$$API_TOKEN"
        while :; do
          echo "api: GET /v1/items 200 12ms"
          echo "api: upstream auth used token $$API_TOKEN"
          sleep 2 & wait
        done

  web:
    <<: *busybox
    mem_limit: ${webMemory}
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do echo "web: GET / 200 3ms"; sleep 3 & wait; done
`;

let repo: ReturnType<typeof fixtureRepo>;
let serve: ServeProcess;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let proposalId: string;
/** every body the page and the test got from the server */
const collected: Array<{ url: string; body: string }> = [];

const shot = async (p: Page, file: string) => {
  await p.waitForTimeout(300);
  await p.screenshot({ path: path.join(SHOTS, file), fullPage: false });
};

function collect(p: Page) {
  p.on('response', async (r) => {
    if (!r.url().startsWith(serve.origin)) return;
    if ((r.headers()['content-type'] ?? '').includes('text/event-stream')) return;
    try {
      collected.push({ url: r.url(), body: await r.text() });
    } catch {
      // a redirect has no body
    }
  });
}

/** Poll in the test (the page's CSP forbids evaluating strings, so no waitForFunction). */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The session's CSRF token, as the page gets it. */
async function csrf(): Promise<string> {
  const r = await ctx.request.get(`${serve.origin}/api/session`);
  return ((await r.json()) as { csrf: string }).csrf;
}

/** The first bytes of a server-sent event stream, read with the session's cookie (the page's EventSource cannot be read by playwright). */
async function firstEvents(url: string, cookie: string, ms = 2500, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: { cookie, ...init.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      }, ms);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function sessionCookie(): Promise<string> {
  const c = (await ctx.cookies(serve.origin)).find((x) => x.name === 'bcon_session');
  if (!c) throw new Error('no session cookie');
  return `${c.name}=${c.value}`;
}

describe('bcon serve: the web UI in a real browser', () => {
  beforeAll(async () => {
    removeProject(P);
    const fixture = mkdtempSync(path.join(tmpdir(), 'bcon-web-fixture-'));
    writeFileSync(path.join(fixture, 'compose.yaml'), compose('32m'));
    repo = fixtureRepo(fixture, P);
    rmSync(fixture, { recursive: true, force: true });
    spawnSync('docker-compose', ['-p', P, 'up', '-d'], { cwd: repo.dir, env: process.env, stdio: 'ignore' });
    waitFor(() => inspect(name('ledger'), '{{.State.Status}}') === 'exited', 30_000, 'ledger to be OOM-killed');
    waitFor(() => inspect(name('api'), '{{.State.Health.Status}}') === 'healthy', 30_000, 'api to be healthy');
    // a committed change that was not deployed: drift with a field difference
    writeFileSync(path.join(repo.dir, 'compose.yaml'), compose('48m'));
    repo.commit('web: 48m');
    // what "usual" was for api and web: samples from before this run (a baseline needs 3, 10 minutes old or more)
    const store = openStore();
    const now = Date.now();
    const usual = (service: string, cpu: number, mem: number) =>
      [40, 35, 30, 25, 20].map((m, i) => ({ project: P, service, at: now - m * 60_000, cpuPercent: cpu + i * 0.05, memoryBytes: mem + i * 4096, restarts: 0, errorsPerMinute: 0, latencyP50Ms: undefined, latencyP95Ms: undefined }));
    recordServiceSamples(store, endpointFromEnv(process.env).address, [...usual('api', 0.4, 600 * 1024), ...usual('web', 0.2, 500 * 1024)], now);
    store.close();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`web screenshots: ${SHOTS}`);
    serve = await startServe(['--repo', repo.dir, '--actor', 'user/web-e2e', '--refresh', '2'], { BCON_TOTP_SECRET_ALICE: SECRETS.ALICE, BCON_TOTP_SECRET_BOB: SECRETS.BOB }, { cwd: repo.dir });
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await ctx.newPage();
    collect(page);
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    spawnSync('docker-compose', ['-p', P, 'down', '-t', '1'], { cwd: repo.dir, env: process.env, stdio: 'ignore' });
    removeProject(P);
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
  });

  it('the printed URL opens the board (the token becomes an HttpOnly SameSite=Strict cookie): each service with its verdict, live', async () => {
    const res = await page.goto(serve.url);
    expect(res?.status()).toBe(200);
    // the token is gone from the address bar
    expect(page.url()).toBe(`${serve.origin}/`);
    const cookie = (await ctx.cookies(serve.origin)).find((c) => c.name === 'bcon_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.waitForSelector('[data-service="ledger"][data-verdict="down"]', { timeout: 30_000 });
    await page.waitForSelector('[data-service="api"][data-verdict="ok"]');
    await page.waitForSelector('[data-service="web"][data-verdict="ok"]');
    // CPU and memory against the stored baseline
    expect(await page.locator('[data-service="api"] .load').first().textContent()).toMatch(/baseline 0\.\d%/);
    expect(await page.locator('.conn.on').count()).toBe(1);
    // a second board arrives over the event stream (refresh 2 s): the "updated" time moves
    const first = await page.locator('.side-foot .tiny').first().textContent();
    await until(async () => (await page.locator('.side-foot .tiny').first().textContent()) !== first, 20_000, 'a second board over the event stream');
    await shot(page, 'board.png');
    await page.click('#lang-ko');
    await page.waitForSelector('.nav.on:has-text("상태")');
    await shot(page, 'board-ko.png');
    await page.click('#lang-en');
  });

  it('the diagnose view of the broken service shows its cause and the cited evidence', async () => {
    await page.click('[data-service="ledger"]');
    const top = page.locator('.hypothesis.first');
    await top.waitFor({ timeout: 60_000 });
    expect(await top.getAttribute('data-cause')).toBe('oom_killed');
    expect(await top.getAttribute('data-culprit')).toBe('ledger');
    const evidence = top.locator('details.evidence li');
    expect(await evidence.count()).toBeGreaterThan(0);
    expect((await evidence.allTextContents()).join('\n')).toMatch(/OOM|oom|137|memory/i);
    await shot(page, 'diagnose.png');
  });

  it('a proposal made in the page: a browser without the token, the token a second time, and forged POSTs get nothing and run nothing', async () => {
    await page.click('#propose');
    await page.waitForSelector('.proposal.focus');
    proposalId = (await page.locator('.proposal.focus').getAttribute('data-proposal')) as string;
    expect(proposalId).toMatch(/^p-/);
    const memOption = page.locator('.proposal.focus .option', { hasText: 'service.set_memory' });
    expect(await memOption.count()).toBe(1);

    // another browser context: no cookie, no data — pages, API, the event stream, assets
    const stranger = await browser.newContext();
    const sp = await stranger.newPage();
    const home = await sp.goto(serve.origin);
    expect(home?.status()).toBe(401);
    const html = await sp.content();
    expect(html).toContain('needs the token');
    expect(html).not.toMatch(/ledger|e2eweb/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec((collected.find((c) => c.url === `${serve.origin}/`) ?? { body: '' }).body)?.[1];
    expect(asset).toBeTruthy();
    for (const p of ['/api/board', '/api/proposals', '/api/audit', '/api/diagnose?service=ledger', '/api/session', '/api/events', asset as string, '/nothing-here']) {
      const r = await stranger.request.get(`${serve.origin}${p}`);
      expect(r.status(), p).toBe(401);
      expect(await r.text(), p).not.toMatch(/ledger|e2eweb|csrf"/);
    }
    // the one-time token, used a second time
    const again = await sp.goto(serve.url);
    expect(again?.status()).toBe(401);
    expect(await sp.content()).not.toMatch(/ledger|e2eweb/);
    await shot(sp, 'needs-token.png');
    await stranger.close();

    // a cross-site page that posts a form to the approve endpoint, opened in the browser that HAS the session
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form id="f" method="POST" enctype="text/plain" action="${serve.origin}/api/proposals/${proposalId}/approve"><input name='{"option":1,"x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const evilOrigin = `http://localhost:${(evil.address() as AddressInfo).port}`;
    const ep = await ctx.newPage();
    const forged = ep.waitForResponse((r) => r.url().includes('/approve'));
    await ep.goto(evilOrigin);
    expect([401, 403]).toContain((await forged).status());
    await ep.close();
    evil.close();

    // with the session cookie but no CSRF token, and with the token but a foreign Origin
    const token = await csrf();
    const url = `${serve.origin}/api/proposals/${proposalId}/approve`;
    const noCsrf = await ctx.request.post(url, { data: { option: 1 }, headers: { origin: serve.origin } });
    expect(noCsrf.status()).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const foreign = await ctx.request.post(url, { data: { option: 1 }, headers: { origin: evilOrigin, 'x-bcon-csrf': token } });
    expect(foreign.status()).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    const noOrigin = await firstEvents(url, await sessionCookie(), 2000, { method: 'POST', body: '{"option":1}', headers: { 'content-type': 'application/json', 'x-bcon-csrf': token } });
    expect(noOrigin.status).toBe(403);

    // a name the server does not answer to (DNS rebinding): nothing, even with the session
    const rebound = await firstEvents(`${serve.origin}/api/board`, await sessionCookie(), 2000, { headers: { host: `evil.example:${new URL(serve.origin).port}` } });
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toMatch(/ledger/);

    // nothing ran: still pending, the limit unchanged, no approval in the audit log
    const store = openStore();
    try {
      expect(getProposal(store, proposalId)?.status).toBe('pending');
      expect(listAudit(store).filter((e) => e.context['proposal'] === proposalId && e.action !== 'proposal.create')).toEqual([]);
    } finally {
      store.close();
    }
    expect(inspect(name('ledger'), '{{.HostConfig.Memory}}')).toBe(String(24 * MiB));
  });

  it('approved in the page: the container really changes, the verified result appears live, audited with channel web and the actor', async () => {
    await page.bringToFront();
    const memOption = page.locator('.proposal.focus .option', { hasText: 'service.set_memory' });
    await memOption.locator('button.approve').click();
    const result = page.locator('.proposal.focus .live-result[data-phase="done"]');
    await result.waitFor({ timeout: 90_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/running|memory|limit/i);
    await page.waitForSelector(`.proposal.focus[data-status="approved"]`);
    await shot(page, 'proposal-approved.png');
    const memory = Number(inspect(name('ledger'), '{{.HostConfig.Memory}}'));
    expect(memory).toBeGreaterThan(24 * MiB);

    const store = openStore();
    try {
      const mine = listAudit(store).filter((e) => e.context['proposal'] === proposalId);
      const approval = mine.find((e) => e.action === 'proposal.approve');
      const executed = mine.find((e) => e.action === 'service.set_memory');
      expect(approval).toMatchObject({ actor: 'user/web-e2e', approval: 'explicit', context: { channel: 'web' } });
      expect(executed).toMatchObject({ actor: 'user/web-e2e', result: 'success', context: { channel: 'web' } });
    } finally {
      store.close();
    }
    // approving twice is refused, and said so in the page's terms
    const again = await ctx.request.post(`${serve.origin}/api/proposals/${proposalId}/approve`, { data: { option: 1 }, headers: { origin: serve.origin, 'x-bcon-csrf': await csrf() } });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_pending');

    await page.goto(`${serve.origin}/#/audit`);
    await page.waitForSelector('.verify[data-ok="true"]');
    await page.waitForSelector('tr[data-action="service.set_memory"][data-channel="web"]');
    await shot(page, 'audit.png');
  });

  it('a prohibited option needs two different approvers with TOTP codes in the page: a wrong code runs nothing, two valid ones run it', async () => {
    // a restart of web held at the prohibited tier, stored as bcon propose stores one (on the containers as they are)
    const client = new EngineClient(endpointFromEnv(process.env));
    const all = (await collectContainers(client)).filter((c) => c.compose?.project === P);
    client.close();
    const action = { type: 'container.restart' as const, container: name('web') };
    const { type, ...params } = action;
    const p: Proposal = {
      id: `p-web${randomBytes(3).toString('hex')}`,
      target: 'web',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      fingerprint: fingerprintOf(all),
      containers: all.map((c) => c.name).sort(),
      notes: [],
      options: [{ n: 1, action: type, params, summary: describeAction(action), risk: 'high', tier: 'prohibited', reasons: ['held at the prohibited tier for this test'], cause: 'crash_loop', culprit: 'web' }],
    };
    const store = openStore();
    saveProposal(store, { id: p.id, createdAt: Date.parse(p.createdAt), expiresAt: Date.parse(p.expiresAt), target: 'web', status: 'pending', body: p });
    store.close();
    const started = inspect(name('web'), '{{.State.StartedAt}}');

    await page.goto(`${serve.origin}/#/proposals/${p.id}`);
    const form = page.locator(`[data-proposal="${p.id}"] form.two-person`);
    await form.waitFor();
    expect(await page.locator(`[data-proposal="${p.id}"] button.approve`).count()).toBe(0);
    const fill = async (a: string, b: string) => {
      const inputs = form.locator('input');
      await inputs.nth(0).fill('alice');
      await inputs.nth(1).fill(a);
      await inputs.nth(2).fill('bob');
      await inputs.nth(3).fill(b);
      await form.locator('button').click();
    };
    await fill(totp(SECRETS.ALICE, Date.now()), '000000');
    const refused = page.locator(`[data-proposal="${p.id}"] .live-result[data-phase="refused"], [data-proposal="${p.id}"] .error.refused`).first();
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toMatch(/one-time code of bob is missing or wrong/);
    expect(inspect(name('web'), '{{.State.StartedAt}}')).toBe(started);
    await shot(page, 'two-person-refused.png');

    await fill(totp(SECRETS.ALICE, Date.now()), totp(SECRETS.BOB, Date.now()));
    const done = page.locator(`[data-proposal="${p.id}"] .live-result[data-phase="done"]`);
    await done.waitFor({ timeout: 60_000 });
    expect(await done.getAttribute('data-ok')).toBe('true');
    expect(inspect(name('web'), '{{.State.StartedAt}}')).not.toBe(started);
    const after = openStore();
    try {
      const mine = listAudit(after).filter((e) => e.context['proposal'] === p.id);
      expect(mine.find((e) => e.action === 'container.restart')).toMatchObject({ actor: 'alice+bob', approval: 'two-person', result: 'success', context: { channel: 'web' } });
      expect(mine.find((e) => e.action === 'approval.refused')).toMatchObject({ result: 'bad_code', context: { channel: 'web' } });
    } finally {
      after.close();
    }
  });

  it('drift with field differences, logs as templates, cost, the reconciler, and the chat box (no model: parsed offline)', async () => {
    await page.goto(`${serve.origin}/#/drift`);
    await page.waitForSelector('tr[data-field="memory"]', { timeout: 60_000 });
    // the committed 48m against the running 32m of web
    expect(await page.locator('tr[data-field="memory"]', { hasText: 'web' }).count()).toBeGreaterThan(0);
    await shot(page, 'drift.png');

    await page.goto(`${serve.origin}/#/logs/api`);
    await page.waitForSelector('.logs table tbody tr', { timeout: 30_000 });
    expect(await page.locator('.logs').textContent()).toMatch(/GET \/v1\/items/);
    await shot(page, 'logs.png');

    await page.goto(`${serve.origin}/#/cost`);
    await page.waitForSelector('.cost .stat');
    await shot(page, 'cost.png');
    // the reconciler's last pass, once one ran (a dry run decides and executes nothing)
    await page.goto(`${serve.origin}/#/reconciler`);
    await page.waitForSelector('.main .empty');
    const pass = await runBcon(['reconcile', '--once', '--dry-run', '--repo', repo.dir, '--json']);
    expect(pass.code, pass.stderr).toBe(0);
    const decided = (JSON.parse(pass.stdout) as { pass: { decisions: Array<{ service: string }> } }).pass.decisions;
    await page.reload();
    await page.waitForSelector('.main table');
    expect(await page.locator('.main table tbody tr').count()).toBe(decided.length);
    await shot(page, 'reconciler.png');

    await page.goto(`${serve.origin}/#/board`);
    await page.fill('.chat input', 'why is ledger failing?');
    await page.click('.chat button');
    const answer = page.locator('.chat .msg.bcon[data-done="true"]').last();
    await answer.waitFor({ timeout: 60_000 });
    expect(await answer.textContent()).toMatch(/offline · diagnose/);
    await page.fill('.chat input', 'what drifted?');
    await page.click('.chat button');
    await until(async () => (await page.locator('.chat .msg.bcon[data-done="true"]').count()) === 2, 60_000, 'the second answer');
    expect(await page.locator('.chat .msg.bcon').last().textContent()).toMatch(/offline · drift[\s\S]*web/);
    await shot(page, 'chat.png');
  });

  it('with a model, the chat box runs the ask loop: each tool call streamed, then the answer, redacted', async () => {
    const llm = await startFakeLlm();
    const withModel = await startServe(['--repo', repo.dir, '--actor', 'user/web-e2e'], { BCON_LLM_BASE_URL: llm.baseUrl, BCON_LLM_MODEL: 'fake-model' }, { cwd: repo.dir });
    const c2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      llm.script.push(
        { kind: 'tools', calls: [{ name: 'status', arguments: '{}' }] },
        { kind: 'tools', calls: [{ name: 'logs', arguments: '{"target":"api","tail":20}' }] },
        // a model that repeats a secret it should never have seen: the page still must not show it
        { kind: 'content', content: `api is healthy: GET /v1/items answers 200 in 12 ms; it authenticates upstream with ${CANARY}.` },
      );
      const p2 = await c2.newPage();
      collect(p2);
      await p2.goto(withModel.url);
      await p2.waitForSelector('[data-service="api"]', { timeout: 30_000 });
      await p2.fill('.chat input', 'is api healthy?');
      await p2.click('.chat button');
      const answer = p2.locator('.chat .msg.bcon[data-done="true"]').last();
      await answer.waitFor({ timeout: 60_000 });
      const text = (await answer.textContent()) ?? '';
      expect(text).toMatch(/model fake-model/);
      expect(text).toMatch(/reads: status, logs/);
      expect(text).toMatch(/api is healthy: GET \/v1\/items answers 200/);
      expect(text).toMatch(/REDACTED/);
      expect(text).not.toContain(CANARY);
      collected.push({ url: 'page with a model', body: await p2.content() });
      await shot(p2, 'chat-model.png');
      // what went to the model was redacted too, and only read tools were offered
      expect(llm.requests[0]?.body.tools?.map((t) => t.function.name)).toEqual(['status', 'inspect', 'logs', 'stats', 'events']);
      expect(llm.requests.map((r) => r.raw).join('\n')).not.toContain(CANARY);
    } finally {
      await c2.close();
      await withModel.stop();
      await llm.close();
    }
  });

  it('the canary secret in env, logs and healthcheck is in no page and no API response', async () => {
    // it really is there to leak
    expect(inspect(name('api'), '{{json .Config.Env}}')).toContain(CANARY);
    expect(docker(['logs', name('api')])).toContain(CANARY);
    expect(inspect(name('api'), '{{json .State.Health.Log}}')).toContain(CANARY);

    const token = await csrf();
    const headers = { origin: serve.origin, 'x-bcon-csrf': token };
    for (const p of ['/api/board', '/api/diagnose?service=api&complaint=auth%20fails', '/api/diagnose?service=ledger', '/api/logs?service=api', '/api/drift', '/api/audit', '/api/proposals', '/api/cost', '/api/reconciler', '/api/session']) {
      const r = await ctx.request.get(`${serve.origin}${p}`);
      expect(r.status(), p).toBe(200);
      collected.push({ url: p, body: await r.text() });
    }
    const propose = await ctx.request.post(`${serve.origin}/api/propose`, { data: { service: 'api', complaint: 'auth fails' }, headers });
    collected.push({ url: 'POST /api/propose', body: await propose.text() });
    const cookie = await sessionCookie();
    for (const question of ['logs of api', 'why does api fail auth?', 'is everything ok?']) {
      const r = await firstEvents(`${serve.origin}/api/chat`, cookie, 30_000, { method: 'POST', body: JSON.stringify({ question }), headers: { 'content-type': 'application/json', ...headers } });
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/event: answer/);
      collected.push({ url: `chat ${question}`, body: r.body });
    }
    collected.push({ url: '/api/events', body: (await firstEvents(`${serve.origin}/api/events`, cookie)).body });
    for (const view of ['board', 'diagnose/api', 'logs/api', 'proposals', 'audit', 'drift']) {
      await page.goto(`${serve.origin}/#/${view}`);
      await page.waitForTimeout(view === 'board' ? 500 : 3000);
      collected.push({ url: `page #/${view}`, body: await page.content() });
    }
    // a service started after the page was opened, with a secret of its own: read at once, still masked
    const late = `cnry${randomBytes(12).toString('hex')}`;
    runComposeContainer({ project: P, service: 'late', image: 'bcon-test/busybox:1', env: { SESSION_SECRET: late }, command: ['sh', '-c', 'echo "late: session secret is $SESSION_SECRET"; trap "exit 0" TERM; sleep 3600 & wait'] });
    waitFor(() => docker(['logs', 'e2eweb-late-1']).includes(late), 20_000, 'the late service to print its secret');
    for (const p of ['/api/logs?service=late', '/api/diagnose?service=late&complaint=session%20errors']) {
      const r = await ctx.request.get(`${serve.origin}${p}`);
      expect(r.status(), p).toBe(200);
      const body = await r.text();
      expect(body, p).not.toContain(late);
      collected.push({ url: p, body });
    }
    expect(collected.find((c) => c.url === '/api/logs?service=late')?.body).toMatch(/late: session secret is \[REDACTED/);
    docker(['rm', '-f', 'e2eweb-late-1'], { allowFail: true });

    // the log view really showed the api's lines, with the secret masked where it stood
    const logs = collected.find((c) => c.url === '/api/logs?service=api')?.body ?? '';
    expect(logs).toMatch(/upstream auth used token/);
    expect(logs).toMatch(/REDACTED/);
    expect(collected.length).toBeGreaterThan(25);
    const leaks = collected.filter((c) => c.body.includes(CANARY)).map((c) => c.url);
    expect(leaks).toEqual([]);
  });
});
