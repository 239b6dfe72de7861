// A private rootful Podman serving the Docker-compatible API on its own socket (podman system service), with its
// own root, runroot and containers.conf in a temp dir, stopped by its PID. Here (no systemd as PID 1, a sandbox
// with low rlimits) it needs vfs storage, cgroupfs, file events and nofile/nproc ulimits at most 1024.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awaitPing, ensurePackages, stopPrivateEngine } from './engine.mjs';
import { buildImages } from './images.mjs';

export async function startPodman() {
  ensurePackages();
  const dir = mkdtempSync('/tmp/bcon-podman-');
  const conf = path.join(dir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n');
  const dockerHost = `unix://${path.join(dir, 'podman.sock')}`;
  const out = openSync(path.join(dir, 'service.log'), 'a');
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const child = spawn('podman', ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot'), '--storage-driver', 'vfs', 'system', 'service', '--time', '0', dockerHost], { detached: true, stdio: ['ignore', out, out], env });
  child.unref();
  await awaitPing(dockerHost, child.pid, 'podman system service', path.join(dir, 'service.log'));
  buildImages(dockerHost);
  return {
    dockerHost,
    pid: child.pid,
    async stop() {
      try {
        // the service's containers first (conmon keeps them running after the service exits)
        execFileSync('docker', ['rm', '-f', ...execFileSync('docker', ['ps', '-aq'], { env: { ...process.env, DOCKER_HOST: dockerHost }, encoding: 'utf8' }).split('\n').filter(Boolean)], { env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: 'ignore' });
      } catch {
        /* none, or gone */
      }
      await stopPrivateEngine({ pid: child.pid, dir });
    },
  };
}
