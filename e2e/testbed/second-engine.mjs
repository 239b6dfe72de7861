// A second private dockerd beside the test bed's (its own data, exec root and socket): a second "host" for the
// remote-hosts tests. Stopped by its PID, with what it leaves behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { killLeftovers, pidAlive, ping, unmountUnder } from './engine.mjs';
import { buildImages } from './images.mjs';

export async function startSecondEngine() {
  const dir = mkdtempSync('/tmp/bcon-tb2-');
  const dockerHost = `unix://${path.join(dir, 'docker.sock')}`;
  const out = openSync(path.join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [`--host=${dockerHost}`, `--data-root=${path.join(dir, 'data')}`, `--exec-root=${path.join(dir, 'exec')}`, `--pidfile=${path.join(dir, 'dockerd.pid')}`, '--bridge=none', '--iptables=false', '--ip-masq=false'],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  const started = Date.now();
  while (!(await ping(dockerHost, 500))) {
    if (!pidAlive(child.pid) || Date.now() - started > 60_000) throw new Error(`the second dockerd did not start; its log: ${path.join(dir, 'dockerd.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  buildImages(dockerHost);
  return {
    dockerHost,
    pid: child.pid,
    async stop() {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const deadline = Date.now() + 30_000;
      while (pidAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (pidAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
      killLeftovers(dir);
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
