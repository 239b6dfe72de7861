// Test images, built locally with `docker import` of a rootfs (no registry is reachable; nothing is pulled):
// - bcon-test/busybox:1  Debian's busybox-static with every applet linked: shell-scripted workloads.
// - bcon-test/redis:7    Debian's redis-server binary (redis-tools ships it as redis-check-rdb), redis-cli,
//                        the libraries `ldd` names, busybox, and a loopback-only config.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BUSYBOX_IMAGE = 'bcon-test/busybox:1';
export const REDIS_IMAGE = 'bcon-test/redis:7';

const docker = (dockerHost, args, input) =>
  execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

function imageExists(dockerHost, ref) {
  return spawnSync('docker', ['image', 'inspect', ref], { env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: 'ignore' }).status === 0;
}

function baseRootfs(root) {
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'tmp', 'var/run', 'proc', 'sys', 'dev', 'data', 'root']) {
    mkdirSync(path.join(root, d), { recursive: true });
  }
  chmodSync(path.join(root, 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
  chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    if (applet === 'busybox') continue;
    try {
      symlinkSync('busybox', path.join(root, 'bin', applet));
    } catch {
      /* duplicate name */
    }
  }
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

function importRootfs(dockerHost, root, ref, changes) {
  const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 512 * 1024 * 1024 });
  const args = ['import'];
  for (const c of changes) args.push('--change', c);
  args.push('-', ref);
  execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost }, input: tar, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Copy a binary and every library `ldd` lists for it (with the dynamic loader) into root. */
function copyWithLibraries(root, binary, as) {
  const target = path.join(root, as);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(binary, target);
  chmodSync(target, 0o755);
  const ldd = execFileSync('ldd', [binary], { encoding: 'utf8' });
  for (const line of ldd.split('\n')) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (!m) continue;
    const lib = m[1];
    mkdirSync(path.join(root, path.dirname(lib)), { recursive: true });
    copyFileSync(lib, path.join(root, lib));
  }
}

export function buildImages(dockerHost, { force = false } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'bcon-img-'));
  try {
    if (force || !imageExists(dockerHost, BUSYBOX_IMAGE)) {
      const root = path.join(work, 'busybox');
      baseRootfs(root);
      importRootfs(dockerHost, root, BUSYBOX_IMAGE, ['CMD ["sh"]', 'ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin']);
    }
    if (force || !imageExists(dockerHost, REDIS_IMAGE)) {
      const root = path.join(work, 'redis');
      baseRootfs(root);
      copyWithLibraries(root, '/usr/bin/redis-check-rdb', 'usr/bin/redis-server');
      copyWithLibraries(root, '/usr/bin/redis-cli', 'usr/bin/redis-cli');
      writeFileSync(
        path.join(root, 'etc/redis.conf'),
        ['bind 127.0.0.1', 'port 6379', 'protected-mode yes', 'save ""', 'appendonly no', 'dir /data', 'loglevel notice', ''].join('\n'),
      );
      importRootfs(dockerHost, root, REDIS_IMAGE, [
        'CMD ["/usr/bin/redis-server", "/etc/redis.conf"]',
        'ENV PATH=/usr/bin:/bin:/usr/sbin:/sbin',
        'EXPOSE 6379',
      ]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { busybox: BUSYBOX_IMAGE, redis: REDIS_IMAGE, list: docker(dockerHost, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n') };
}
