#!/usr/bin/env node
// pnpm bench (reconciler over three hosts): three private dockerds of this bench — `a` on its local socket, `b` and
// `c` each behind a real sshd — all named in one bcon.yaml `hosts:`, 50 containers on each (busybox, network none,
// 10 services × 5 replicas, the committed stack, so nothing needs doing). Prints the wall time of
// `bcon reconcile --once --dry-run` (a new process each time: with a fresh SSH handshake per host, and with the
// connection keepers running, BCON_SSH_PERSIST) and the pass durations bcon-reconciler reports (a pass every 2 s for
// 20 s), each with the load average beside it (the machine is shared). The target: a pass under 2 s. Asserts nothing.
// The ordinary passes run with reconcile.sweep off; then a sweep's own cost (every service's logs and stats read:
// a dry run stores nothing, so each run is one), and the loop, whose first pass is a sweep (5m).
// Everything it starts (engines, sshds, reconciler, keepers) is stopped by PID.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, startPrivateEngine, stopPrivateEngine } from '../testbed/engine.mjs';
import { BUSYBOX_IMAGE, buildImages } from '../testbed/images.mjs';
import { authorizedKey, startSshHost } from '../testbed/sshd.mjs';
import { stopKeepers } from '../testbed/keepers.mjs';
import { BCON } from './bench-engine.mjs';

const PROJECT = 'benchhosts';
const SERVICES = 10;
const REPLICAS = 5;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const IDLE_MS = 20_000;
const log = (m) => process.stderr.write(`[reconcile-hosts] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const dockerOn = (host, args) => execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const git = (dir, args) => execFileSync('git', ['-c', 'user.email=bench@bcon.local', '-c', 'user.name=bench', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: s[Math.floor(s.length / 2)], min: s[0], max: s.at(-1) };
};
const fmt = (st) => (st.n ? `median ${st.median.toFixed(2)} s (min ${st.min.toFixed(2)}, max ${st.max.toFixed(2)}, n=${st.n})` : 'no runs');
const fmtLoad = (st) => (st.n ? `${st.median.toFixed(2)} (${st.min.toFixed(2)}–${st.max.toFixed(2)})` : '-');

function composeUp(dir, dockerHost) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker-compose', ['--compatibility', '-p', PROJECT, 'up', '-d'], { cwd: dir, env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker-compose up on ${dockerHost}: ${err.slice(-2000)}`))));
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'bcon-hosts-bench-'));
const engines = [];
const sshds = [];
let reconciler;
const home = path.join(work, 'home');
try {
  log('starting three private dockerds');
  for (const h of ['a', 'b', 'c']) engines.push(await startPrivateEngine(`/tmp/bcon-hb-${h}-`));
  const [a, b, c] = engines.map((e) => e.dockerHost);
  buildImages(a);
  for (const to of [b, c]) execFileSync('sh', ['-c', `DOCKER_HOST=${a} docker save ${BUSYBOX_IMAGE} | DOCKER_HOST=${to} docker load -q`], { stdio: ['ignore', 'ignore', 'inherit'] });
  // b and c behind their own sshds; one client key (b's) and one known_hosts file for both, as a control host has
  const sshB = await startSshHost(b);
  sshds.push(sshB);
  const sshC = await startSshHost(c);
  sshds.push(sshC);
  writeFileSync(path.join(sshC.dir, 'authorized_keys'), authorizedKey(c, readFileSync(`${sshB.clientKey}.pub`, 'utf8')), { mode: 0o600 });
  const known = path.join(work, 'known_hosts');
  writeFileSync(known, readFileSync(sshB.knownHosts, 'utf8') + readFileSync(sshC.knownHosts, 'utf8'));
  const sshEnv = { DOCKER_HOST: '', BCON_SSH_KEY: sshB.clientKey, BCON_SSH_KNOWN_HOSTS: known, SSH_AUTH_SOCK: '', NO_COLOR: '1', BCON_HOME: home };

  const dir = path.join(work, PROJECT);
  mkdirSync(dir);
  mkdirSync(home);
  const services = Array.from({ length: SERVICES }, (_, i) => `  svc${i}:\n    image: ${BUSYBOX_IMAGE}\n    network_mode: none\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    deploy:\n      replicas: ${REPLICAS}\n`).join('');
  writeFileSync(path.join(dir, 'compose.yaml'), `services:\n${services}`);
  // the ordinary passes first (sweep off); then the sweep's own cost (every service's logs and stats read)
  const bconYaml = (sweep) => writeFileSync(path.join(dir, 'bcon.yaml'), `hosts:\n  a: ${a}\n  b: ${sshB.address}\n  c: ${sshC.address}\nreconcile:\n  interval: 2s\n  self_heal: true\n  sweep: ${sweep}\n`);
  bconYaml('off');
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'stack']);
  log(`bringing up ${SERVICES * REPLICAS} containers on each of the three hosts`);
  await Promise.all([a, b, c].map((h) => composeUp(dir, h)));
  const counts = [a, b, c].map((h) => dockerOn(h, ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).split('\n').filter(Boolean).length);
  log(`running: a ${counts[0]}, b ${counts[1]}, c ${counts[2]}`);

  const out = [`reconciler over three hosts (a: local socket, b and c: each over SSH behind its own sshd), ${counts.join(' + ')} containers, nothing to do; 2 cores shared with other work`];
  /** `bcon reconcile --once --dry-run --json`, RUNS times: wall time, the pass's own durationMs, load beside each */
  const once = (label, extraEnv) => {
    const wall = [];
    const pass = [];
    const loads = [];
    let seen = '';
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [BCON, 'reconcile', '--once', '--dry-run', '--json', '--repo', dir], { cwd: dir, env: { ...process.env, ...sshEnv, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const seconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`bcon reconcile failed (${r.status}): ${r.stderr}`);
      const p = JSON.parse(r.stdout).pass;
      seen = `hosts ${p.hosts.map((h) => `${h.name} ${h.status}`).join(', ')}; ${p.decisions.length} decisions`;
      wall.push(seconds);
      pass.push(p.durationMs / 1000);
      loads.push(loadavg()[0]);
    }
    out.push(`  ${label}: wall ${fmt(stats(wall))}; pass ${fmt(stats(pass))}; ${seen}; load (1 min) ${fmtLoad(stats(loads))}`);
  };
  log('bcon reconcile --once --dry-run, a new SSH connection per host each time');
  once('bcon reconcile --once --dry-run, SSH handshake each run      ', { BCON_SSH_PERSIST: '0' });
  log('bcon reconcile --once --dry-run, with the connection keepers');
  spawnSync(process.execPath, [BCON, 'reconcile', '--once', '--dry-run', '--json', '--repo', dir], { cwd: dir, env: { ...process.env, ...sshEnv, BCON_SSH_PERSIST: '60' }, encoding: 'utf8' });
  once('bcon reconcile --once --dry-run, keepers running (PERSIST=60)', { BCON_SSH_PERSIST: '60' });
  // reconcile.sweep on: a dry run stores nothing, so each of these is a sweep
  bconYaml('5m');
  git(dir, ['commit', '-qam', 'sweep every 5m']);
  log('bcon reconcile --once --dry-run, a sweep each run, with the connection keepers');
  once('a sweep (every service judged), keepers running             ', { BCON_SSH_PERSIST: '60' });
  await stopKeepers(home);

  // bcon-reconciler: a pass every 2 s; its pass durations from its JSON lines
  log(`bcon-reconciler, a pass every 2 s for ${IDLE_MS / 1000} s`);
  const child = spawn(process.execPath, [path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js'), '--repo', dir, '--listen', '127.0.0.1:0', '--interval', '2s'], { cwd: dir, env: { ...process.env, ...sshEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  reconciler = child;
  const passes = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; ) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        passes.push({ pass: JSON.parse(line).pass, load: loadavg()[0] });
      } catch {
        /* not a pass line */
      }
    }
  });
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  for (const until = Date.now() + 120_000; passes.length < 1 && Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`bcon-reconciler exited: ${err}`);
    await sleep(200);
  }
  const p0 = passes.length;
  await sleep(IDLE_MS);
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  reconciler = undefined;
  const first = passes[0]?.pass;
  const later = passes.slice(p0);
  const bad = later.filter((p) => p.pass.decisions.length || p.pass.hosts.some((h) => h.status !== 'ok')).length;
  out.push(
    `  bcon-reconciler (interval 2 s): first pass ${first ? (first.durationMs / 1000).toFixed(2) : '-'} s (connections made; a sweep); then ${fmt(stats(later.map((p) => p.pass.durationMs / 1000)))} over ${later.length} passes in ${IDLE_MS / 1000} s, ${bad} with a decision or a host not ok; load (1 min) ${fmtLoad(stats(later.map((p) => p.load)))}`,
  );
  out.push(`load average at the end: ${load()}`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  if (reconciler && reconciler.exitCode === null) {
    reconciler.kill('SIGTERM');
    await new Promise((r) => reconciler.once('exit', r));
  }
  await stopKeepers(home).catch(() => 0);
  for (const s of sshds) await s.stop();
  for (const e of engines) await stopPrivateEngine(e);
  rmSync(work, { recursive: true, force: true });
}
