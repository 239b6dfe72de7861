// The private Docker engine for tests, the demo and the benchmarks.
// - The demo and the benchmarks: DOCKER_HOST when it answers, else the recorded private engine, never stopped here.
// - The e2e suite: always a private engine of its own (BCON_E2E_DOCKER_HOST to name one explicitly).
// - Else a private dockerd is started on its own socket, data-root and exec-root in a temp dir,
//   with --bridge=none --iptables=false --ip-masq=false, and stopped later by its PID.
// Debian's docker.io, busybox-static, redis-tools, docker-compose, OpenSSH and Podman are installed with apt-get when missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
const STATE_DIR = path.join(REPO, '.bcon-testbed');
const STATE_FILE = path.join(STATE_DIR, 'engine.json');

const log = (msg) => process.stderr.write(`[testbed] ${msg}\n`);

/** Debian packages the test bed needs, and a file each one provides. */
const PACKAGES = [
  ['docker.io', '/usr/sbin/dockerd'],
  ['busybox-static', '/bin/busybox'],
  ['redis-tools', '/usr/bin/redis-check-rdb'],
  ['docker-compose', '/usr/bin/docker-compose'],
  ['openssh-server', '/usr/sbin/sshd'],
  ['openssh-client', '/usr/bin/ssh-keygen'],
  // the second runtime: Podman's Docker-compatible API (e2e/testbed/podman.mjs)
  ['podman', '/usr/bin/podman'],
  ['podman-compose', '/usr/bin/podman-compose'],
  // the deploy strategies' reverse proxy, copied into a test image (e2e/testbed/images.mjs)
  ['nginx-light', '/usr/sbin/nginx'],
  // the web UI's tests drive Debian's Chromium with playwright-core (no browser download works here)
  ['chromium', '/usr/bin/chromium'],
];

function isStaticBusybox() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', 'busybox-static'], { encoding: 'utf8' }).includes('install ok installed');
  } catch {
    return false;
  }
}

/** Install what is missing (needs root, as in CI). */
export function ensurePackages() {
  const missing = PACKAGES.filter(([pkg, file]) => (pkg === 'busybox-static' ? !isStaticBusybox() : !existsSync(file))).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the test bed needs Debian packages ${missing.join(', ')}: install them (apt-get install -y ${missing.join(' ')}) or run as root`);
  }
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** GET /_ping on a unix socket or tcp address; resolves true when the engine answers OK. */
export function ping(dockerHost, timeoutMs = 1000) {
  return new Promise((resolve) => {
    let options;
    if (dockerHost.startsWith('unix://')) options = { socketPath: dockerHost.slice('unix://'.length) };
    else if (dockerHost.startsWith('tcp://')) {
      const u = new URL(dockerHost);
      options = { host: u.hostname, port: Number(u.port || 2375) };
    } else return resolve(false);
    const req = http.request({ ...options, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Wait until an engine started as `pid` answers /_ping on dockerHost (60 s at most); a clear error with its log otherwise. */
export async function awaitPing(dockerHost, pid, what, logFile) {
  const started = Date.now();
  while (!(await ping(dockerHost, 500))) {
    if (!pidAlive(pid)) throw new Error(`${what} exited during start-up; its log: ${logFile}\n${tail(logFile)}`);
    if (Date.now() - started > 60_000) {
      stopPid(pid);
      throw new Error(`${what} did not answer /_ping within 60 s; its log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start a private dockerd on its own socket, data-root and exec-root in a temp dir; returns { dockerHost, pid, dir }. */
export async function startPrivateEngine(prefix = '/tmp/bcon-tb-') {
  ensurePackages();
  const dir = mkdtempSync(prefix);
  const socket = path.join(dir, 'docker.sock');
  const dockerHost = `unix://${socket}`;
  const out = openSync(path.join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [
      `--host=${dockerHost}`,
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'dockerd.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  const started = Date.now();
  await awaitPing(dockerHost, child.pid, 'dockerd', path.join(dir, 'dockerd.log'));
  log(`private dockerd pid ${child.pid} on ${dockerHost} (ready in ${Date.now() - started} ms)`);
  return { dockerHost, pid: child.pid, dir, startedAt: new Date().toISOString() };
}

/**
 * The demo's and the benchmarks' engine: DOCKER_HOST when it answers, else the one recorded in the state file, else
 * a new private one (recorded there; `pnpm demo:down` stops it). Returns { dockerHost, owned, pid?, dir? };
 * `owned` is true when this call started it.
 */
export async function ensureEngine() {
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv && (await ping(fromEnv))) return { dockerHost: fromEnv, owned: false };
  const state = readState();
  if (state && pidAlive(state.pid) && (await ping(state.dockerHost))) return { ...state, owned: false };
  const info = await startPrivateEngine();
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(info, null, 2));
  return { ...info, owned: true };
}

/**
 * The e2e suite's engine: always a new private one of its own (never the demo's, never DOCKER_HOST: a test must not
 * run on an engine it did not start), unless BCON_E2E_DOCKER_HOST names one explicitly. Stop it with stopPrivateEngine.
 */
export async function engineForTests() {
  const explicit = process.env.BCON_E2E_DOCKER_HOST;
  if (explicit) {
    if (!(await ping(explicit))) throw new Error(`BCON_E2E_DOCKER_HOST=${explicit} does not answer /_ping`);
    log(`using the engine BCON_E2E_DOCKER_HOST names: ${explicit} (tests create and remove their own containers there)`);
    return { dockerHost: explicit, owned: false };
  }
  return { ...(await startPrivateEngine('/tmp/bcon-e2e-')), owned: true };
}

/** Stop a private engine by its PID (dockerd stops its containers first), its leftovers, and remove its directory. */
export async function stopPrivateEngine({ pid, dir }) {
  if (pidAlive(pid)) {
    stopPid(pid);
    const deadline = Date.now() + 45_000;
    while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    log(`stopped private dockerd pid ${pid}`);
  }
  killLeftovers(dir);
  unmountUnder(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    log(`left ${dir} behind: ${err.message}`);
  }
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

function stopPid(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

/** Processes of this engine that outlived dockerd (containerd, shims and their containers), found by their
 *  command line naming the engine's directory, are stopped by PID. */
export function killLeftovers(dir) {
  const readOr = (file, fallback) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return fallback;
    }
  };
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    const cmdline = readOr(`/proc/${pid}/cmdline`, '');
    if (!cmdline.includes(`${dir}/`)) continue;
    try {
      execFileSync('pkill', ['-KILL', '-P', pid], { stdio: 'ignore' });
    } catch {
      /* no children */
    }
    try {
      process.kill(Number(pid), 'SIGKILL');
      log(`stopped leftover pid ${pid} (${cmdline.split('\0')[0]})`);
    } catch {
      /* gone */
    }
  }
}

/** dockerd leaves bind mounts (exec-root/netns/default, overlay layers) behind; unmount them before removing. */
export function unmountUnder(dir) {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((mp) => mp && mp.startsWith(`${dir}/`));
  for (const mp of mounts.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', mp], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

/** Stop the private engine recorded in the state file (the demo's), by its PID, and remove its directory. */
export async function stopEngine() {
  const state = readState();
  if (!state) return false;
  rmSync(STATE_FILE, { force: true });
  await stopPrivateEngine(state);
  return true;
}
