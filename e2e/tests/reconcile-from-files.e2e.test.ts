// A service whose only container was removed by hand (`docker rm -f`) on a real engine and a real git repository:
// no container is left to clone, so the reconciler makes it again from the committed compose files, as compose
// would (image, command, environment, limits, healthcheck, a file bound from the repository, compose's labels), and
// the next pass finds nothing to repair — bcon's own drift check agrees the container is what the files declare.
// A service with a setting bcon does not render (logging) is reported instead, never made half-right; a service a
// person took out with compose (stopped first), and a one-off job removed after it finished, are never made again; a
// dry run makes nothing. A project of the same name brought up from another checkout (another app: none of its
// services in the files) is not this project up here: the files' services are not made into it; nor is a project that
// bcon.yaml places on another host, up here by mistake, made more of here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBcon } from '../harness/bcon.js';
import { type ComposeStack, composeUp, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { type PassDecision, reconcilePass } from '../harness/reconcile.js';

const P = 'e2efiles';
const COMPOSE = `services:
  web:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command: ["sh", "-c", "trap 'exit 0' TERM; echo listening; while true; do sleep 1; done"]
  mailer:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    mem_limit: 48m
    ulimits:
      nofile: {soft: 512, hard: 1024}
    cap_add: [NET_ADMIN]
    user: "65534"
    working_dir: /tmp
    environment:
      SMTP_RELAY: relay.internal
      QUEUE: "outbound"
    labels:
      team: notify
    volumes:
      - ./conf/mailer.conf:/etc/mailer.conf:ro
    healthcheck:
      test: ["CMD", "test", "-f", "/etc/mailer.conf"]
      interval: 2s
      timeout: 2s
      retries: 3
    command: ["sh", "-c", "trap 'exit 0' TERM; echo \\"mailer up, relay $$SMTP_RELAY\\"; while true; do sleep 1; done"]
  sidecar:
    image: bcon-test/busybox:1
    network_mode: none
    restart: always
    logging:
      driver: json-file
      options: {max-size: 1m}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  seed:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "echo seeded 12 rows"]
`;

describe('a service whose only container was removed is made again from the committed files', () => {
  let stack: ComposeStack | undefined;
  let repo: string;
  let home: string;
  const name = (svc: string) => `${P}_${svc}_1`;
  const exists = (svc: string) => docker(['ps', '-aq', '--filter', `name=^${name(svc)}$`]) !== '';
  const pass = (extra: string[] = []) => reconcilePass(repo, home, extra);
  const on = (ds: PassDecision[], svc: string) => ds.filter((d) => d.service === `${P}/${svc}`);

  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'conf/mailer.conf': 'relay = relay.internal\n', 'bcon.yaml': SELF_HEAL }, 'stack with a mailer');
    ({ dir: repo, home } = stack);
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', name('mailer')]) === 'healthy', 30_000, 'the mailer to be healthy');
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', name('seed')]) === 'exited', 30_000, 'the seed job to finish');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('a dry run decides to make it and makes nothing', async () => {
    docker(['rm', '-f', name('mailer')]);
    const { decisions, dryRun } = await pass(['--dry-run']);
    expect(dryRun).toBe(true);
    expect(on(decisions, 'mailer')[0], JSON.stringify(decisions)).toMatchObject({ action: 'service.scale', mode: 'executed' });
    expect(exists('mailer')).toBe(false);
  }, 60_000);

  it('a pass makes it from the files, as compose would; the next pass finds nothing to repair', async () => {
    const { decisions } = await pass();
    const d = on(decisions, 'mailer')[0];
    expect(d, JSON.stringify(decisions)).toMatchObject({ action: 'service.scale', mode: 'executed', tier: 'autonomous' });
    expect(d?.reasons.join(' ')).toMatch(/desired state at commit [0-9a-f]{12}/);
    const info = JSON.parse(docker(['inspect', name('mailer')]))[0] as {
      State: { Status: string; Health?: { Status: string } };
      Config: { Env: string[]; User: string; WorkingDir: string; Labels: Record<string, string>; Healthcheck?: { Test: string[] } };
      HostConfig: { Memory: number; NetworkMode: string; Binds: string[] | null; RestartPolicy: { Name: string }; Ulimits: Array<{ Name: string; Soft: number; Hard: number }> | null; CapAdd: string[] | null };
    };
    expect(info.State.Status).toBe('running');
    expect(info.Config.Env).toEqual(expect.arrayContaining(['SMTP_RELAY=relay.internal', 'QUEUE=outbound']));
    expect(info.Config.User).toBe('65534');
    expect(info.Config.WorkingDir).toBe('/tmp');
    expect(info.HostConfig.Memory).toBe(48 * 1024 * 1024);
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.HostConfig.Ulimits).toEqual([{ Name: 'nofile', Soft: 512, Hard: 1024 }]);
    expect(info.HostConfig.CapAdd).toEqual(['NET_ADMIN']);
    expect(info.HostConfig.Binds).toEqual([`${path.join(repo, 'conf', 'mailer.conf')}:/etc/mailer.conf:ro`]);
    expect(info.Config.Healthcheck?.Test).toEqual(['CMD', 'test', '-f', '/etc/mailer.conf']);
    expect(info.Config.Labels).toMatchObject({ team: 'notify', 'com.docker.compose.project': P, 'com.docker.compose.service': 'mailer', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' });
    expect(docker(['logs', name('mailer')])).toContain('mailer up, relay relay.internal');
    // compose sees it as its own
    expect(execFileSync('docker-compose', ['-p', P, 'ps', '-q', 'mailer'], { cwd: repo, env: process.env, encoding: 'utf8' }).trim()).not.toBe('');
    waitFor(() => docker(['inspect', '-f', '{{.State.Health.Status}}', name('mailer')]) === 'healthy', 30_000, 'the new mailer to be healthy');
    const again = await pass();
    expect(on(again.decisions, 'mailer'), JSON.stringify(again.decisions)).toEqual([]);
    // bcon drift agrees: the container is what the files declare (bcon's mark of the commit is no difference)
    const drift = JSON.parse((await runBcon(['drift', '--repo', repo, '--json'], { BCON_HOME: home })).stdout) as { drift_report: { differences: Array<{ service: string }> } };
    expect(drift.drift_report.differences.filter((x) => x.service === 'mailer'), JSON.stringify(drift.drift_report.differences)).toEqual([]);
    const audit = JSON.parse((await runBcon(['audit', '--json'], { BCON_HOME: home })).stdout) as { audit_log: Array<{ action: string; result: string; context: { steps?: string[] } }> };
    const entry = audit.audit_log.find((e) => e.action === 'service.scale' && e.result === 'success');
    expect(entry?.context.steps?.join(' '), JSON.stringify(audit.audit_log.slice(0, 5))).toMatch(/created e2efiles_mailer_1 from the committed compose files \(commit [0-9a-f]{12}\)/);
  }, 120_000);

  it('a service with a setting bcon does not render is reported, not made', async () => {
    docker(['rm', '-f', name('sidecar')]);
    const { decisions } = await pass();
    expect(on(decisions, 'sidecar'), JSON.stringify(decisions)).toMatchObject([{ action: 'report', mode: 'reported' }]);
    expect(exists('sidecar')).toBe(false);
  }, 60_000);

  it('a service a person took out with compose (stopped, then removed: rm -s, down, scale 0) is not made again', async () => {
    execFileSync('docker-compose', ['-p', P, 'rm', '-s', '-f', 'web'], { cwd: repo, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(exists('web')).toBe(false);
    const { decisions } = await pass();
    expect(on(decisions, 'web'), JSON.stringify(decisions)).toEqual([]);
    expect(exists('web')).toBe(false);
  }, 60_000);

  it('a one-off job removed after it finished is not made again', async () => {
    docker(['rm', name('seed')]);
    const { decisions } = await pass();
    expect(on(decisions, 'seed'), JSON.stringify(decisions)).toEqual([]);
    expect(exists('seed')).toBe(false);
  }, 60_000);
});

describe('a same-named project from another checkout is not this one', () => {
  const Q = 'e2esame';
  let repo: string;
  let stack: ComposeStack | undefined;
  let home: string;
  const OURS = `services:
  api:
    image: bcon-test/busybox:1
    network_mode: none
    restart: always
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
  const THEIRS = `services:
  blog:
    image: bcon-test/busybox:1
    network_mode: none
    restart: always
    command: ["sh", "-c", "trap 'exit 0' TERM; echo blog up; while true; do sleep 1; done"]
`;
  beforeAll(() => {
    stack = upStack(Q, { 'compose.yaml': OURS, 'bcon.yaml': SELF_HEAL }, 'our api', { up: false });
    ({ dir: repo, home } = stack);
    const theirs = path.join(stack.work, 'elsewhere', Q);
    mkdirSync(theirs, { recursive: true });
    writeFileSync(path.join(theirs, 'compose.yaml'), THEIRS);
    // another app that happens to bear the project's name, up on this engine; ours was never brought up here
    composeUp(Q, theirs);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', `${Q}_blog_1`]) === 'running', 30_000, 'their blog to run');
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('our api is not made into their project; their blog is not touched', async () => {
    const blog = docker(['inspect', '-f', '{{.Id}} {{.State.StartedAt}}', `${Q}_blog_1`]);
    const { decisions } = await reconcilePass(repo, home);
    expect(decisions.filter((d) => d.service === `${Q}/api` && d.mode !== 'refused'), JSON.stringify(decisions)).toEqual([]);
    expect(docker(['ps', '-aq', '--filter', `name=^${Q}_api_1$`])).toBe('');
    expect(decisions.filter((d) => d.service === `${Q}/blog` && (d.mode === 'executed' || d.mode === 'notified')), JSON.stringify(decisions)).toEqual([]);
    expect(docker(['inspect', '-f', '{{.Id}} {{.State.StartedAt}}', `${Q}_blog_1`])).toBe(blog);
  }, 60_000);
});

describe('a project bcon.yaml places on another host is not made here from its files', () => {
  const Q = 'e2eplaced';
  let repo: string;
  let stack: ComposeStack | undefined;
  let home: string;
  const COMPOSE = `services:
  api:
    image: bcon-test/busybox:1
    network_mode: none
    restart: always
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  worker:
    image: bcon-test/busybox:1
    network_mode: none
    restart: always
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
  beforeAll(() => {
    const here = process.env['DOCKER_HOST'] as string;
    const bcon = `hosts:\n  here: ${here}\n  there: unix:///tmp/bcon-e2e-no-such-engine.sock\nprojects:\n  - path: .\n    name: ${Q}\n    host: there\nreconcile:\n  self_heal: true\n`;
    // brought up here by mistake (bcon.yaml places it on "there"), then its api removed while it ran
    stack = upStack(Q, { 'compose.yaml': COMPOSE, 'bcon.yaml': bcon }, 'placed on there');
    ({ dir: repo, home } = stack);
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}}', `${Q}_api_1`]) === 'running', 30_000, 'the api to run');
    docker(['rm', '-f', `${Q}_api_1`]);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('its api removed here is not made again here (the pass reads this engine, bcon.yaml host "here")', async () => {
    const r = await runBcon(['reconcile', '--once', '--json', '--repo', repo], { BCON_HOME: home, BCON_ACTOR: 'user/e2e' });
    const pass = (JSON.parse(r.stdout) as { pass: { decisions: PassDecision[]; hosts?: unknown } }).pass;
    expect(pass.decisions.filter((d) => d.service === `${Q}/api` && d.mode !== 'refused'), r.stdout).toEqual([]);
    expect(docker(['ps', '-aq', '--filter', `name=^${Q}_api_1$`])).toBe('');
    expect(pass.hosts, r.stdout).toEqual([{ name: 'here', status: 'ok' }]);
  }, 60_000);
});
