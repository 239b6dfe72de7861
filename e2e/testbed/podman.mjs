// A private rootful Podman serving the Docker-compatible API on its own socket (podman system service), with its
// own root, runroot, containers.conf and storage.conf in a temp dir, stopped by its PID. Here (no systemd as PID 1,
// a sandbox with low rlimits) it needs vfs storage, cgroupfs, file events and nofile/nproc ulimits at most 1024. Its
// events file is its own too (Podman's default, /run/libpod/events/events.log, is shared by every Podman here: one
// test's events, another's container names, were seen by the next).
// `env` points the podman CLI (and podman-compose) at the same storage; network definitions stay in the temp dir.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awaitPing, ensurePackages, stopPrivateEngine } from './engine.mjs';
import { buildImages } from './images.mjs';

export async function startPodman() {
  ensurePackages();
  const dir = mkdtempSync('/tmp/bcon-podman-');
  const conf = path.join(dir, 'containers.conf');
  writeFileSync(
    conf,
    `[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nevents_logfile_path = "${path.join(dir, 'events.log')}"\n[network]\nnetwork_config_dir = "${path.join(dir, 'networks')}"\n`,
  );
  const storage = path.join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "vfs"\nrunroot = "${path.join(dir, 'runroot')}"\ngraphroot = "${path.join(dir, 'root')}"\n`);
  const podmanEnv = { CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
  const composeShim = writeComposeShim(dir);
  const dockerHost = `unix://${path.join(dir, 'podman.sock')}`;
  const out = openSync(path.join(dir, 'service.log'), 'a');
  const env = { ...process.env, ...podmanEnv };
  // cwd: its temp dir (an empty `oom` file, written by a Podman process on a container's OOM kill, it seems, was left in
  // the working directory of the test that started it: e2e/)
  const child = spawn('podman', ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot'), '--storage-driver', 'vfs', 'system', 'service', '--time', '0', dockerHost], { detached: true, stdio: ['ignore', out, out], env, cwd: dir });
  child.unref();
  await awaitPing(dockerHost, child.pid, 'podman system service', path.join(dir, 'service.log'));
  buildImages(dockerHost);
  return {
    dockerHost,
    pid: child.pid,
    /** for the podman CLI: the same storage and configuration as the service */
    env: podmanEnv,
    /** the podman CLI on this Podman's storage */
    podman: (args, options = {}) => execFileSync('podman', args, { env: { ...process.env, ...podmanEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }),
    /** podman-compose (Debian's 1.0.3) in `cwd` on this Podman; exits non-zero when a container failed to start */
    podmanCompose: (cwd, args) => spawnSync('podman-compose', ['--podman-path', composeShim, ...args], { cwd, env: { ...process.env, ...podmanEnv }, encoding: 'utf8' }),
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

/**
 * podman-compose 1.0.3 gives every container `--net <project>_default --network-alias <service>`, even one whose
 * compose file sets network_mode (later releases fix this); Podman refuses both with `--network none|host`, and the
 * test bed uses no bridge networks. The shim drops those two options where `--network` is given and runs podman
 * with everything else as podman-compose wrote it (labels, limits, env), so the containers are podman-compose's own.
 */
function writeComposeShim(dir) {
  const file = path.join(dir, 'podman-for-compose');
  writeFileSync(
    file,
    `#!/bin/sh
network=
for a do [ "$a" = --network ] && network=1; done
skip=
for a do
  shift
  if [ -n "$skip" ]; then skip=; continue; fi
  if [ -n "$network" ] && { [ "$a" = --net ] || [ "$a" = --network-alias ]; }; then skip=1; continue; fi
  set -- "$@" "$a"
done
exec podman "$@"
`,
  );
  chmodSync(file, 0o755);
  return file;
}
