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
export const NGINX_IMAGE = 'bcon-test/nginx:1';
/** A small HTTP app (busybox httpd + a CGI script) in several behaviours, one tag each (see APP_MODES). */
export const APP_REPO = 'bcon-test/app';
/**
 * tag → [APP_VERSION, APP_MODE]: ok answers 200 with its version; unhealthy fails its healthcheck; errors answers 500
 * to most requests and logs an ERROR line for each (its healthcheck passes); slow answers after 1.5 s; crash exits at
 * once; flaky fails its healthcheck on the ports listed in FAIL_PORTS.
 */
export const APP_MODES = {
  1: ['1', 'ok'],
  2: ['2', 'ok'],
  3: ['3', 'ok'],
  unhealthy: ['4-unhealthy', 'unhealthy'],
  errors: ['4-errors', 'errors'],
  slow: ['4-slow', 'slow'],
  crash: ['4-crash', 'crash'],
  flaky: ['4-flaky', 'flaky'],
};

const docker = (dockerHost, args, input) =>
  execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

/** Bumped whenever the app's scripts change (2: the request counter written whole, renamed into place). */
const APP_REVISION = '2';

function appRevision(dockerHost, ref) {
  const r = spawnSync('docker', ['image', 'inspect', '-f', '{{index .Config.Labels "bcon.test.app-revision"}}', ref], { env: { ...process.env, DOCKER_HOST: dockerHost }, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

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
    if (force || !imageExists(dockerHost, NGINX_IMAGE)) {
      const root = path.join(work, 'nginx');
      baseRootfs(root);
      copyWithLibraries(root, '/usr/sbin/nginx', 'usr/sbin/nginx');
      for (const d of ['etc/nginx/bcon', 'etc/nginx/conf.d', 'var/lib/nginx', 'var/log/nginx', 'run']) mkdirSync(path.join(root, d), { recursive: true });
      // the site: LISTEN (127.0.0.1:PORT) proxies to the upstream bcon writes (bcon_app) in /etc/nginx/bcon; until the
      // first deploy the entrypoint writes one from FIRST_UPSTREAM. The access log is bcon's format (docs/deploy.md).
      writeFileSync(
        path.join(root, 'etc/nginx/nginx.conf'),
        [
          'user root;',
          'worker_processes 1;',
          'pid /run/nginx.pid;',
          'error_log stderr warn;',
          'events { worker_connections 256; }',
          'http {',
          "  log_format bcon '$remote_addr [$time_local] \"$request\" upstream=$upstream_addr status=$status rt=$upstream_response_time';",
          '  access_log /dev/stdout bcon;',
          '  client_body_temp_path /tmp/nginx-body; proxy_temp_path /tmp/nginx-proxy;',
          '  fastcgi_temp_path /tmp/nginx-fcgi; uwsgi_temp_path /tmp/nginx-uwsgi; scgi_temp_path /tmp/nginx-scgi;',
          '  include /etc/nginx/bcon/*.conf;',
          '  include /etc/nginx/conf.d/*.conf;',
          '}',
          '',
        ].join('\n'),
      );
      writeFileSync(
        path.join(root, 'entrypoint.sh'),
        [
          '#!/bin/sh',
          'set -e',
          'UP=${UPSTREAM_NAME:-app}',
          '[ -f /etc/nginx/bcon/$UP.conf ] || printf "upstream bcon_%s {\\n    server %s;\\n}\\n" "$UP" "$FIRST_UPSTREAM" > /etc/nginx/bcon/$UP.conf',
          'printf "server {\\n  listen %s;\\n  location / {\\n    proxy_pass http://bcon_%s/cgi-bin/app;\\n    proxy_next_upstream error timeout http_502;\\n    proxy_connect_timeout 2s;\\n  }\\n}\\n" "$LISTEN" "$UP" > /etc/nginx/conf.d/site.conf',
          'exec /usr/sbin/nginx -g "daemon off;"',
          '',
        ].join('\n'),
      );
      chmodSync(path.join(root, 'entrypoint.sh'), 0o755);
      importRootfs(dockerHost, root, NGINX_IMAGE, ['CMD ["/entrypoint.sh"]', 'ENV PATH=/usr/sbin:/usr/bin:/bin:/sbin', 'ENV LISTEN=127.0.0.1:18000']);
    }
    let appRoot;
    for (const [tag, [version, mode]] of Object.entries(APP_MODES)) {
      const ref = `${APP_REPO}:${tag}`;
      // an engine kept from an earlier run (the demo's) holds the app as it was built then: rebuilt when its scripts changed
      if (!force && imageExists(dockerHost, ref) && appRevision(dockerHost, ref) === APP_REVISION) continue;
      if (!appRoot) {
        appRoot = path.join(work, 'app');
        baseRootfs(appRoot);
        mkdirSync(path.join(appRoot, 'www/cgi-bin'), { recursive: true });
        // the readiness probe's page: static, so an app that fails requests can still pass its healthcheck
        writeFileSync(path.join(appRoot, 'www/healthz'), 'ok\n');
        writeFileSync(
          path.join(appRoot, 'start.sh'),
          [
            '#!/bin/sh',
            'PORT=${PORT:-8080}',
            'echo "INFO app version $APP_VERSION starting on 127.0.0.1:$PORT (mode $APP_MODE)"',
            'if [ "$APP_MODE" = crash ]; then echo "FATAL cannot open the database: connection refused"; exit 3; fi',
            // like a real app, it may take a while to boot (APP_START_DELAY seconds) before it listens
            "trap 'exit 0' TERM INT",
            'if [ -n "$APP_START_DELAY" ]; then sleep "$APP_START_DELAY" & wait $!; fi',
            "trap 'kill $pid 2>/dev/null; echo \"INFO app version $APP_VERSION stopping\"; exit 0' TERM INT",
            'httpd -f -p 127.0.0.1:$PORT -h /www & pid=$!',
            'wait $pid',
            '',
          ].join('\n'),
        );
        writeFileSync(
          path.join(appRoot, 'www/cgi-bin/app'),
          [
            '#!/bin/sh',
            // the request counter: concurrent requests run this at once, and `echo $n > /tmp/count` (truncate, then
            // write) let one read an empty file or another's half-overwritten one ("1\n00"): $((n+1)) then failed on
            // every later request — the old replica answered nothing but 502s for the rest of the suite. Written to a
            // file of its own and renamed (a reader sees a whole file), and anything not a number counts as 0.
            'n=$(cat /tmp/count 2>/dev/null); case "$n" in ""|*[!0-9]*) n=0 ;; esac; n=$((n+1))',
            'echo "$n" > /tmp/count.$$ && mv -f /tmp/count.$$ /tmp/count',
            'if [ "$APP_MODE" = errors ] && [ $((n % 5)) -ne 0 ]; then',
            '  echo "ERROR request $n failed: upstream payment service returned an invalid response" > /proc/1/fd/1',
            '  printf "Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nerror\\n"',
            '  exit 0',
            'fi',
            '[ "$APP_MODE" = slow ] && sleep 1.5',
            'echo "INFO served request $n" > /proc/1/fd/1',
            'printf "Content-Type: text/plain\\r\\n\\r\\nversion %s\\n" "$APP_VERSION"',
            '',
          ].join('\n'),
        );
        writeFileSync(
          path.join(appRoot, 'health.sh'),
          [
            '#!/bin/sh',
            'if [ "$APP_MODE" = unhealthy ]; then echo "probe: GET /healthz answered 503: dependency check failed (cache unreachable)"; exit 1; fi',
            'if [ "$APP_MODE" = flaky ]; then for p in $FAIL_PORTS; do if [ "$p" = "$PORT" ]; then echo "probe: port $PORT refuses its readiness check"; exit 1; fi; done; fi',
            'printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" | nc 127.0.0.1 ${PORT:-8080} | head -1 | grep -q " 200 " && exit 0',
            'echo "probe: no answer on 127.0.0.1:${PORT:-8080}"; exit 1',
            '',
          ].join('\n'),
        );
        for (const f of ['start.sh', 'health.sh', 'www/cgi-bin/app']) chmodSync(path.join(appRoot, f), 0o755);
      }
      importRootfs(dockerHost, appRoot, ref, [
        `LABEL bcon.test.app-revision=${APP_REVISION}`,
        'CMD ["/start.sh"]',
        'ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin',
        `ENV APP_VERSION=${version}`,
        `ENV APP_MODE=${mode}`,
      ]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { busybox: BUSYBOX_IMAGE, redis: REDIS_IMAGE, list: docker(dockerHost, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n') };
}
