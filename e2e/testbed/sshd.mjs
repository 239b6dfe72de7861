// An agentless remote "host" on this machine: an sshd on its own 127.0.0.1 port, with generated host and client
// keys, whose authorized_keys entry sets DOCKER_HOST to an engine (PermitUserEnvironment yes). Stopped by its PID.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

const keygen = (file) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bcon-e2e', '-f', file]);

/** The process ids under `pid` (sshd's per-connection processes and their sessions), from /proc. */
export function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** SIGKILL every process under sshd's pid (its connections): what a host that goes away does to them. */
function killSessions(pid) {
  for (const p of descendants(pid)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The authorized_keys line of a test host: its logins reach `dockerHost`, and bash skips this machine's ~/.bashrc
 * (bash reads it for an ssh command only at shell level 1: SHLVL=1 in the session makes it 2). A root .bashrc that
 * runs `pyenv init` waited 60 s for a lock a killed session had left, and every command over SSH timed out.
 */
export function authorizedKey(dockerHost, publicKey) {
  return `environment="SHLVL=1",environment="DOCKER_HOST=${dockerHost}" ${publicKey.trim()}\n`;
}

/**
 * Start an sshd whose logins reach `dockerHost`. Returns its port, the client key, a known_hosts file that holds
 * its host key, the env a bcon command needs to use it, and stop().
 */
export async function startSshHost(dockerHost) {
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'bcon-sshd-'));
  const port = await freePort();
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  const clientPub = readFileSync(path.join(dir, 'client_key.pub'), 'utf8').trim();
  writeFileSync(path.join(dir, 'authorized_keys'), authorizedKey(dockerHost, clientPub), { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitUserEnvironment yes',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}: ${stderr}`, { cause: err });
  }
  const user = userInfo().username;
  return {
    dir,
    port,
    pid: child.pid,
    user,
    address: `ssh://${user}@127.0.0.1:${port}`,
    clientKey: path.join(dir, 'client_key'),
    knownHosts: path.join(dir, 'known_hosts'),
    env: { DOCKER_HOST: `ssh://${user}@127.0.0.1:${port}`, BCON_SSH_KEY: path.join(dir, 'client_key'), BCON_SSH_KNOWN_HOSTS: path.join(dir, 'known_hosts'), SSH_AUTH_SOCK: '' },
    /** Stop sshd and its sessions (its keys stay): a host that went away. */
    async kill() {
      killSessions(child.pid);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    },
    async stop() {
      killSessions(child.pid);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
