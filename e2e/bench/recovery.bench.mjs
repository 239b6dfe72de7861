#!/usr/bin/env node
// pnpm bench (recovery part): a replay of incident and drift kinds on two hosts (two private dockerds of this bench;
// the second one reached over a real sshd, both named in bcon.yaml hosts), each injected into a committed compose
// stack (busybox, network none), and who brings the service back with no person:
// - bcon-reconciler (interval 2 s, self_heal: true, default budget, a fresh BCON_HOME);
// - Docker's own restart policy (restart: always on the same stack);
// - a naive restart-when-unhealthy loop (like autoheal: every 5 s, restart every unhealthy container; no backoff, no cap).
// Each kind is timed from the injection to its resolution (the service back to its committed state and running, or
// healthy when it has a healthcheck), polled every 250 ms, capped at 90 s. bcon's wrong actions are read from its audit
// log. Then bcon-reconciler's CPU and memory while it idles on 100 containers (50 per host). Prints figures; asserts
// nothing. Everything it starts (engines, sshd, reconciler) is stopped by PID.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, startPrivateEngine, stopPrivateEngine } from '../testbed/engine.mjs';
import { BUSYBOX_IMAGE, buildImages } from '../testbed/images.mjs';
import { startSshHost } from '../testbed/sshd.mjs';
import { BCON } from './bench-engine.mjs';

const CAP_MS = 90_000;
const POLL_MS = 250;
const CRASH_FOR_S = 25;
const MiB = 1024 * 1024;
const log = (m) => process.stderr.write(`[recovery] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The injected kinds: on which host, into which service. */
const KINDS = [
  { kind: 'crash loop', host: 'a', svc: 'crashloop' },
  { kind: 'OOM kill', host: 'a', svc: 'oom' },
  { kind: 'unhealthy, running', host: 'a', svc: 'sick' },
  { kind: 'stopped container', host: 'b', svc: 'stopped' },
  { kind: 'removed replica', host: 'b', svc: 'replicas' },
  { kind: 'memory limit drift', host: 'b', svc: 'limits' },
  { kind: 're-tagged image', host: 'a', svc: 'tagged' },
];

// One workload for every service: it remembers its boot (a restart is a new boot) and plays the fault it is given:
// /tmp/crash-until (an epoch): until then, every start dies after 4 s with exit 1 (a dependency down for a while);
// /tmp/oom: allocate past the memory limit once (the kernel kills it; exit 137);
// /tmp/sick holding this boot's id: the healthcheck fails until the next boot.
const WORKLOAD = [
  'cat /proc/sys/kernel/random/uuid > /tmp/boot',
  "trap 'exit 0' TERM",
  'while :; do',
  '  if [ -f /tmp/crash-until ] && [ "$(date +%s)" -lt "$(cat /tmp/crash-until)" ]; then sleep 4; echo "fatal: lost the connection to the queue" >&2; exit 1; fi',
  '  if [ -f /tmp/oom ]; then rm -f /tmp/oom; echo "loading the whole index into memory"; head -c 512m /dev/zero | tail > /dev/null; exit 137; fi',
  '  sleep 1 & wait $!',
  'done',
].join('\n');

function composeFile(project, restart) {
  const idle = `    image: ${BUSYBOX_IMAGE}\n    network_mode: none\n    restart: "${restart}"\n    command: ${JSON.stringify(['sh', '-c', WORKLOAD]).replaceAll('$', '$$$$')}\n`;
  return [
    `# recovery bench stack (${project}): one service per injected kind, and bystanders that nothing touches`,
    'services:',
    `  crashloop:\n${idle}`,
    `  oom:\n${idle}    mem_limit: 32m\n    memswap_limit: 32m\n`,
    `  sick:\n${idle}    healthcheck:\n      test: ["CMD-SHELL", "[ \\"$$(cat /tmp/sick 2>/dev/null)\\" != \\"$$(cat /tmp/boot)\\" ]"]\n      interval: 1s\n      timeout: 2s\n      retries: 2\n`,
    `  stopped:\n${idle}`,
    `  replicas:\n${idle}    deploy:\n      replicas: 2\n`,
    `  limits:\n${idle}    mem_limit: 64m\n`,
    `  tagged:\n${idle.replace(BUSYBOX_IMAGE, `bcon-test/busybox:${project}-tagged`)}`,
    `  bystander:\n${idle}`,
    `  bystander2:\n${idle}`,
    '',
  ].join('\n');
}

// ---- the Docker API over a unix socket (cheap enough to poll every 250 ms)
function api(dockerHost, method, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: dockerHost.slice('unix://'.length), method, path: urlPath, timeout: 30_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body: body ? (() => { try { return JSON.parse(body); } catch { return body; } })() : null }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timeout`)));
    req.end();
  });
}
const listService = async (dockerHost, project, svc) =>
  (await api(dockerHost, 'GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${svc}`] }))}`)).body ?? [];
const inspect = async (dockerHost, id) => (await api(dockerHost, 'GET', `/containers/${id}/json`)).body;

const dockerOn = (dockerHost, args) => execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const cname = (project, svc, n = 1) => `${project}_${svc}_${n}`;

/** Inject one kind into `project` on `dockerHost`; returns what its resolution check needs. */
async function inject(k, project, dockerHost) {
  const c = cname(project, k.svc);
  const at = Date.now();
  switch (k.svc) {
    case 'crashloop': {
      const until = Math.floor(at / 1000) + CRASH_FOR_S;
      dockerOn(dockerHost, ['exec', c, 'sh', '-c', `echo ${until} > /tmp/crash-until`]);
      return { at, until: until * 1000 };
    }
    case 'oom':
      dockerOn(dockerHost, ['exec', c, 'touch', '/tmp/oom']);
      return { at };
    case 'sick':
      dockerOn(dockerHost, ['exec', c, 'sh', '-c', 'cat /tmp/boot > /tmp/sick']);
      return { at };
    case 'stopped':
      dockerOn(dockerHost, ['stop', '-t', '1', c]);
      return { at };
    case 'replicas':
      dockerOn(dockerHost, ['rm', '-f', cname(project, k.svc, 2)]);
      return { at };
    case 'limits':
      dockerOn(dockerHost, ['update', '--memory', '128m', '--memory-swap', '128m', c]);
      return { at };
    case 'tagged':
      dockerOn(dockerHost, ['commit', '--pause=false', cname(project, 'bystander'), `bcon-test/busybox:${project}-tagged`]);
      return { at, imageId: dockerOn(dockerHost, ['image', 'inspect', '-f', '{{.Id}}', `bcon-test/busybox:${project}-tagged`]) };
    default:
      throw new Error(k.svc);
  }
}

/** Is the injected service back to its committed state (and running; healthy when it has a healthcheck)? */
async function resolved(k, project, dockerHost, ctx) {
  const list = await listService(dockerHost, project, k.svc);
  const details = await Promise.all(list.map((x) => inspect(dockerHost, x.Id)));
  const running = details.filter((d) => d?.State?.Running && !d.State.Restarting);
  const startedAfter = (d, t) => Date.parse(d.State.StartedAt) > t;
  switch (k.svc) {
    case 'crashloop':
      // started once the dependency is back: it stays up
      return running.length === 1 && startedAfter(running[0], ctx.until - 1);
    case 'oom':
      return running.length === 1 && startedAfter(running[0], ctx.at) && ctx.seenOom === true;
    case 'sick':
      return running.length === 1 && startedAfter(running[0], ctx.at) && running[0].State.Health?.Status === 'healthy';
    case 'stopped':
      return running.length === 1 && startedAfter(running[0], ctx.at);
    case 'replicas':
      return running.length === 2 && details.length === 2;
    case 'limits':
      return running.length === 1 && running[0].HostConfig.Memory === 64 * MiB;
    case 'tagged':
      return running.length === 1 && running[0].Image === ctx.imageId;
    default:
      return false;
  }
}

/** Inject every kind at once (each on its host) into `project`; poll until each is resolved or the cap. */
async function replay(project, hosts) {
  const tracks = [];
  for (const k of KINDS) tracks.push({ k, dockerHost: hosts[k.host], ctx: await inject(k, project, hosts[k.host]), ms: undefined });
  // an OOM kill is seen in the container's state (OOMKilled) before it counts as recovered from
  const watchOom = async (t) => {
    for (const x of await listService(t.dockerHost, project, 'oom')) if ((await inspect(t.dockerHost, x.Id))?.State?.OOMKilled) t.ctx.seenOom = true;
  };
  const started = Date.now();
  while (tracks.some((t) => t.ms === undefined) && Date.now() - started < CAP_MS) {
    await Promise.all(
      tracks
        .filter((t) => t.ms === undefined)
        .map(async (t) => {
          if (t.k.svc === 'oom' && !t.ctx.seenOom) await watchOom(t);
          if (await resolved(t.k, project, t.dockerHost, t.ctx)) t.ms = Date.now() - t.ctx.at;
        }),
    );
    await sleep(POLL_MS);
  }
  return new Map(tracks.map((t) => [t.k.kind, t]));
}

function git(dir, args) {
  return execFileSync('git', ['-c', 'user.email=bench@bcon.local', '-c', 'user.name=bench', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

function stackDir(root, project, restart, bconYaml) {
  const dir = path.join(root, project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'compose.yaml'), composeFile(project, restart));
  if (bconYaml) writeFileSync(path.join(dir, 'bcon.yaml'), bconYaml);
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', `${project} stack`]);
  return dir;
}

function composeUp(dir, project, dockerHost) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker-compose', ['--compatibility', '-p', project, 'up', '-d'], { cwd: dir, env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker-compose up ${project} on ${dockerHost}: ${err.slice(-2000)}`))));
  });
}

function removeProject(dockerHost, project) {
  const ids = dockerOn(dockerHost, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]).split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 100) dockerOn(dockerHost, ['rm', '-f', ...ids.slice(i, i + 100)]);
}

function startReconciler(repo, home, env) {
  const child = spawn(process.execPath, [path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js'), '--repo', repo, '--listen', '127.0.0.1:0', '--interval', '2s'], { cwd: repo, env: { ...process.env, ...env, BCON_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const passes = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        passes.push(JSON.parse(line).pass);
      } catch {
        /* not a pass line */
      }
    }
  });
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  return {
    child,
    passes,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const exited = new Promise((r) => child.once('exit', r));
      if ((await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

async function waitForPasses(rec, n, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (rec.passes.length < n && Date.now() < until) {
    if (rec.child.exitCode !== null) throw new Error(`bcon-reconciler exited: ${rec.stderr()}`);
    await sleep(200);
  }
  if (rec.passes.length < n) throw new Error(`bcon-reconciler made no pass in ${timeoutMs / 1000} s: ${rec.stderr()}`);
}

// Which catalog actions may run by themselves at which tier (the issue's tiers): anything else executed is above it.
const AUTONOMOUS = new Set(['container.restart', 'container.start', 'container.unpause', 'service.scale']);
const NOTIFY = new Set(['service.set_memory', 'service.set_cpus', 'service.recreate', 'service.set_env', 'service.deploy']);

const fmt = (t) => (t.ms === undefined ? `no (>${CAP_MS / 1000} s)` : `yes ${(t.ms / 1000).toFixed(1)} s`);
const pad = (s, n) => String(s).padEnd(n);

const work = mkdtempSync(path.join(tmpdir(), 'bcon-recovery-bench-'));
const engines = [];
const sshds = [];
let reconciler;
const hosts = {};
try {
  // ---- two hosts: two private engines; b is reached over its own sshd (as bcon.yaml names it)
  log('starting two private dockerds');
  engines.push(await startPrivateEngine('/tmp/bcon-rb-a-'), await startPrivateEngine('/tmp/bcon-rb-b-'));
  hosts.a = engines[0].dockerHost;
  hosts.b = engines[1].dockerHost;
  buildImages(hosts.a);
  // only the busybox image is needed on b: copied from a
  execFileSync('sh', ['-c', `DOCKER_HOST=${hosts.a} docker save ${BUSYBOX_IMAGE} | DOCKER_HOST=${hosts.b} docker load -q`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const sshB = await startSshHost(hosts.b);
  sshds.push(sshB);
  const sshEnv = { DOCKER_HOST: '', BCON_SSH_KEY: sshB.clientKey, BCON_SSH_KNOWN_HOSTS: sshB.knownHosts, SSH_AUTH_SOCK: '', NO_COLOR: '1' };
  const hostsYaml = `hosts:\n  a: ${hosts.a}\n  b: ${sshB.address}\n`;
  for (const h of ['a', 'b']) for (const p of ['brec', 'rpol', 'naive', 'bidle']) dockerOn(hosts[h], ['tag', BUSYBOX_IMAGE, `bcon-test/busybox:${p}-tagged`]);

  // ---- bcon-reconciler
  const home = path.join(work, 'home');
  mkdirSync(home);
  const brec = stackDir(work, 'brec', 'no', `${hostsYaml}reconcile:\n  interval: 2s\n  self_heal: true\n`);
  log('bringing up the stack for bcon-reconciler on a and b');
  await Promise.all([composeUp(brec, 'brec', hosts.a), composeUp(brec, 'brec', hosts.b)]);
  await sleep(3000);
  reconciler = startReconciler(brec, home, sshEnv);
  await waitForPasses(reconciler, 1, 120_000);
  const before = reconciler.passes.flatMap((p) => p.decisions);
  log(`bcon-reconciler first pass: ${reconciler.passes[0].hosts.map((h) => `${h.name} ${h.status}`).join(', ')}; ${before.length} decisions on the clean stack`);
  log('injecting every kind at once (bcon-reconciler)');
  const bconRun = await replay('brec', hosts);
  await reconciler.stop();
  const passCount = reconciler.passes.length;
  const passMs = reconciler.passes.map((p) => p.durationMs).sort((x, y) => x - y);
  reconciler = undefined;
  const auditRun = spawnSync(process.execPath, [BCON, 'audit', '--json'], { env: { ...process.env, ...sshEnv, BCON_HOME: home }, encoding: 'utf8', maxBuffer: 64 * MiB });
  const auditLog = JSON.parse(auditRun.stdout).audit_log;
  const injected = new Set(KINDS.map((k) => `${k.host}/${k.svc}`));
  const decisions = auditLog.filter((e) => e.action === 'reconcile.decision');
  const executions = auditLog.filter((e) => e.actor === 'bcon/reconciler' && /^(container|service)\./.test(e.action));
  const wrong = [];
  for (const d of decisions.filter((x) => x.result === 'executed' || x.result === 'notified')) {
    const key = `${d.context.host}/${d.target}`;
    if (!injected.has(key)) wrong.push(`acted on ${key}, which was not injected (${d.context.action})`);
    if (d.result === 'executed' && !(d.context.tier === 'autonomous' && AUTONOMOUS.has(d.context.action))) wrong.push(`${d.context.action} on ${key} executed autonomously at tier ${d.context.tier}`);
    if (d.result === 'notified' && !(d.context.tier === 'notify' && (AUTONOMOUS.has(d.context.action) || NOTIFY.has(d.context.action)))) wrong.push(`${d.context.action} on ${key} executed with a notification at tier ${d.context.tier}`);
  }
  for (const e of executions) {
    if (!['autonomous', 'notified'].includes(e.approval)) wrong.push(`${e.action} on ${e.target} ran with approval ${e.approval}`);
    if (e.action === 'container.remove_untracked') wrong.push(`removed ${e.target}`);
  }
  const actionsOf = (k) =>
    decisions
      .filter((d) => d.target === k.svc && d.context.host === k.host)
      .map((d) => `${d.context.action} ${d.result}`)
      .reduce((acc, x) => {
        const last = acc.at(-1);
        if (last && last.x === x) last.n++;
        else acc.push({ x, n: 1 });
        return acc;
      }, [])
      .map(({ x, n }) => (n > 1 ? `${x} ×${n}` : x))
      .join(', ');
  const bconActions = new Map(KINDS.map((k) => [k.kind, actionsOf(k)]));
  // why bcon held back where it did (refused: the policy's reason; proposed: the proposal)
  const heldBack = [
    ...new Set(
      decisions
        .filter((d) => d.result === 'refused' || d.result === 'proposed')
        .map((d) => `${d.target}@${d.context.host} ${d.context.action} ${d.result}: ${String(d.context.result).replace(/^refused: /, '')}`),
    ),
  ];
  removeProject(hosts.a, 'brec');
  removeProject(hosts.b, 'brec');

  // ---- Docker's restart policy (restart: always) and the naive loop (restart: "no"), side by side, bcon not running
  const rpol = stackDir(work, 'rpol', 'always');
  const naive = stackDir(work, 'naive', 'no');
  log('bringing up the restart-policy and naive-loop stacks on a and b');
  await Promise.all([composeUp(rpol, 'rpol', hosts.a), composeUp(rpol, 'rpol', hosts.b), composeUp(naive, 'naive', hosts.a), composeUp(naive, 'naive', hosts.b)]);
  await sleep(3000);
  // the naive loop: every 5 s, restart (timeout 10 s, like autoheal) every unhealthy container of its stack
  let naiveRestarts = 0;
  let loopOn = true;
  const naiveLoop = (async () => {
    while (loopOn) {
      await Promise.all(
        Object.values(hosts).map(async (h) => {
          const sick = (await api(h, 'GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify({ health: ['unhealthy'], label: ['com.docker.compose.project=naive'] }))}`)).body ?? [];
          await Promise.all(
            sick.map(async (c) => {
              naiveRestarts++;
              await api(h, 'POST', `/containers/${c.Id}/restart?t=10`);
            }),
          );
        }),
      );
      for (let i = 0; i < 20 && loopOn; i++) await sleep(250);
    }
  })();
  log('injecting every kind at once (restart policy and naive loop)');
  const [policyRun, naiveRun] = await Promise.all([replay('rpol', hosts), replay('naive', hosts)]);
  loopOn = false;
  await naiveLoop;
  for (const h of ['a', 'b']) for (const p of ['rpol', 'naive']) removeProject(hosts[h], p);

  // ---- the table
  const notes = {
    'crash loop': ['restarts at once, 100 ms doubling', 'not unhealthy: ignored'],
    'OOM kill': ['restarted (exit 137)', 'not unhealthy: ignored'],
    'unhealthy, running': ['ignores health', 'restarted'],
    'stopped container': ['a stopped container stays stopped', 'ignored'],
    'removed replica': ['ignores drift', 'ignored'],
    'memory limit drift': ['ignores drift', 'ignored'],
    're-tagged image': ['ignores drift', 'ignored'],
  };
  const out = [];
  out.push(`recovery replay: ${KINDS.length} kinds injected at once on two hosts (a: local socket, b: over SSH), cap ${CAP_MS / 1000} s, polled every ${POLL_MS} ms`);
  out.push(`${pad('kind', 20)}${pad('host', 5)}${pad('bcon-reconciler', 18)}${pad('restart: always', 18)}${pad('naive loop', 18)}bcon did / restart policy / naive loop`);
  for (const k of KINDS) {
    const [np, nn] = notes[k.kind];
    if (k.svc === 'oom') for (const [who, run] of [['bcon', bconRun], ['restart policy', policyRun], ['naive', naiveRun]]) if (!run.get(k.kind).ctx.seenOom) out.push(`  (${who}: no OOM kill was observed for ${k.kind})`);
    out.push(`${pad(k.kind, 20)}${pad(k.host, 5)}${pad(fmt(bconRun.get(k.kind)), 18)}${pad(fmt(policyRun.get(k.kind)), 18)}${pad(fmt(naiveRun.get(k.kind)), 18)}${bconActions.get(k.kind) || 'nothing'} / ${np} / ${nn}`);
  }
  const share = (run) => {
    const ok = [...run.values()].filter((t) => t.ms !== undefined);
    const mean = ok.length ? ok.reduce((s, t) => s + t.ms, 0) / ok.length / 1000 : NaN;
    return `${ok.length}/${KINDS.length} (${Math.round((100 * ok.length) / KINDS.length)} %), mean time to recovery of those ${Number.isNaN(mean) ? '-' : `${mean.toFixed(1)} s`}`;
  };
  out.push(`resolved with no human: bcon-reconciler ${share(bconRun)}; restart: always ${share(policyRun)}; naive loop ${share(naiveRun)} (${naiveRestarts} restarts)`);
  const left = (run) => [...run.values()].filter((t) => t.ms === undefined).length;
  out.push(`left for a person: bcon-reconciler ${left(bconRun)}, restart: always ${left(policyRun)}, naive loop ${left(naiveRun)} of ${KINDS.length}`);
  for (const h of heldBack) out.push(`  bcon held back once: ${h}`);
  out.push(`bcon-reconciler wrong actions: ${wrong.length}${wrong.length ? ` (${wrong.join('; ')})` : ''} — over ${decisions.length} decisions, ${executions.length} executions, ${passCount} passes (median ${passMs[Math.floor(passMs.length / 2)] ?? '-'} ms, max ${passMs.at(-1) ?? '-'} ms), ${before.length} decisions on the clean stack before injection`);
  process.stdout.write(`${out.join('\n')}\n`);

  // ---- idle on 100 containers: 50 per host
  const services = Array.from({ length: 10 }, (_, i) => `  svc${i}:\n    image: ${BUSYBOX_IMAGE}\n    network_mode: none\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    deploy:\n      replicas: 5\n`).join('');
  const idleDir = path.join(work, 'bidle');
  mkdirSync(idleDir);
  writeFileSync(path.join(idleDir, 'compose.yaml'), `services:\n${services}`);
  writeFileSync(path.join(idleDir, 'bcon.yaml'), `${hostsYaml}reconcile:\n  interval: 2s\n  self_heal: true\n`);
  git(idleDir, ['init', '-q']);
  git(idleDir, ['add', '-A']);
  git(idleDir, ['commit', '-qm', 'idle stack']);
  log('bringing up 100 containers (50 on each host)');
  await Promise.all([composeUp(idleDir, 'bidle', hosts.a), composeUp(idleDir, 'bidle', hosts.b)]);
  const idleHome = path.join(work, 'idle-home');
  mkdirSync(idleHome);
  reconciler = startReconciler(idleDir, idleHome, sshEnv);
  await waitForPasses(reconciler, 1, 120_000);
  const pid = reconciler.child.pid;
  const ticks = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const p0 = reconciler.passes.length;
  const t0 = ticks();
  const started = Date.now();
  let rssMax = 0;
  while (Date.now() - started < 20_000) {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    rssMax = Math.max(rssMax, rss);
    await sleep(500);
  }
  const cpu = (ticks() - t0) / 100 / ((Date.now() - started) / 1000);
  const idlePasses = reconciler.passes.slice(p0);
  const idleDecisions = idlePasses.flatMap((p) => p.decisions).length;
  const idleMs = idlePasses.map((p) => p.durationMs).sort((x, y) => x - y);
  await reconciler.stop();
  reconciler = undefined;
  process.stdout.write(
    `bcon-reconciler idling on 100 containers (50 per host, b over SSH; a pass every 2 s, ${idlePasses.length} passes in 20 s, median pass ${idleMs[Math.floor(idleMs.length / 2)] ?? '-'} ms, ${idleDecisions} decisions): CPU ${(cpu * 100).toFixed(1)} % of one core, RSS up to ${(rssMax / 1024).toFixed(0)} MiB\n`,
  );
} finally {
  if (reconciler) await reconciler.stop();
  for (const s of sshds) await s.stop();
  for (const e of engines) await stopPrivateEngine(e);
  rmSync(work, { recursive: true, force: true });
}
