#!/usr/bin/env node
// pnpm bench (deploy part): a bounded request loop (2 clients, one request each 50 ms, 127.0.0.1 only) through the
// test nginx while the app's image changes from bcon-test/app:1 to :2, measured the same way for
// `docker-compose up -d` (compose's own replace: stop, then start; the app takes 2 s to boot, as apps do), `bcon deploy --strategy rolling` (start-first)
// and `bcon deploy --strategy blue-green`. Prints requests, failed requests and the wall time; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BCON, benchEngine } from './bench-engine.mjs';

const bench = await benchEngine();
const base = 24000 + Math.floor(Math.random() * 500) * 10; // below the ephemeral port range
const home = mkdtempSync(path.join(tmpdir(), 'bcon-deploy-bench-home-'));

function stack(project, port) {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-deploy-bench-')), project);
  execFileSync('mkdir', ['-p', dir]);
  const text = (tag) =>
    [
      'services:',
      '  proxy:',
      '    image: bcon-test/nginx:1',
      '    network_mode: host',
      '    stop_signal: SIGQUIT',
      `    environment: { LISTEN: "127.0.0.1:${port}", FIRST_UPSTREAM: "127.0.0.1:${port + 1}", UPSTREAM_NAME: web }`,
      '  web:',
      `    image: bcon-test/app:${tag}`,
      '    network_mode: host',
      `    environment: { PORT: "${port + 1}", APP_START_DELAY: "2" }`,
      `    labels: { bcon.proxy: proxy, bcon.proxy.port: "${port + 1}", bcon.proxy.port-env: PORT }`,
      '    healthcheck: { test: ["CMD", "/health.sh"], interval: 1s, timeout: 2s, retries: 2 }',
      '    deploy: { update_config: { parallelism: 1, order: start-first, monitor: 3s } }',
      '',
    ].join('\n');
  writeFileSync(path.join(dir, 'compose.yaml'), text('1'));
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'stack']]) execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', ...args], { cwd: dir });
  bench.removeProject(project);
  execFileSync('docker-compose', ['-p', project, 'up', '-d'], { cwd: dir, env: bench.env, stdio: ['ignore', 'ignore', 'pipe'] });
  return { dir, text, project };
}

const get = (port) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });

let measuredSince = 0;
/** The time of an nginx access line ([02/Dec/2026:10:57:41 +0000]) or error line (2026/12/02 10:57:39), in ms. */
function logTime(line) {
  const a = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{4})\]/.exec(line);
  if (a) return Date.parse(`${a[2]} ${a[1]} ${a[3]} ${a[4]} GMT${a[5]}`);
  const e = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(line);
  return e ? Date.parse(`${e[1]}-${e[2]}-${e[3]}T${e[4]}Z`) : 0;
}

async function measured(port, run) {
  measuredSince = Date.now() - 1000;
  const counts = { requests: 0, failed: 0 };
  let going = true;
  const client = async () => {
    while (going && counts.requests < 5000) {
      const ok = await get(port);
      counts.requests++;
      if (!ok) counts.failed++;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const clients = [client(), client()];
  await new Promise((r) => setTimeout(r, 1000));
  const started = performance.now();
  const detail = await run();
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  going = false;
  await Promise.all(clients);
  return { ...counts, seconds, detail };
}

const rows = [];
try {
  const c = stack('benchdeploycompose', base);
  // wait until the first replica is healthy, as a deploy would have it
  for (let i = 0; i < 40 && !(await get(base)); i++) await new Promise((r) => setTimeout(r, 250));
  rows.push(['docker-compose up -d (image :1 → :2)', await measured(base, async () => {
    writeFileSync(path.join(c.dir, 'compose.yaml'), c.text('2'));
    spawnSync('docker-compose', ['-p', c.project, 'up', '-d'], { cwd: c.dir, env: bench.env, stdio: 'ignore' });
    return '';
  })]);
  bench.removeProject(c.project);
  for (const strategy of ['rolling', 'blue-green']) {
    const s = stack(`benchdeploy${strategy.replace('-', '')}`, base + (strategy === 'rolling' ? 10 : 20));
    const port = base + (strategy === 'rolling' ? 10 : 20);
    for (let i = 0; i < 40 && !(await get(port)); i++) await new Promise((r) => setTimeout(r, 250));
    rows.push([`bcon deploy --strategy ${strategy} (start-first)`.replace(' (start-first)', strategy === 'rolling' ? ' (start-first)' : ''), await measured(port, async () => {
      const r = spawnSync(process.execPath, [BCON, 'deploy', 'web', '--image', 'bcon-test/app:2', '--strategy', strategy, '--repo', s.dir, '--yes', '--json'], { env: { ...bench.env, BCON_HOME: home }, encoding: 'utf8' });
      try {
        return JSON.parse(r.stdout).deploy.result;
      } catch {
        return `exit ${r.status}`;
      }
    })]);
    const proxyLog = spawnSync('docker', ['logs', `${s.project}_proxy_1`], { env: bench.env, encoding: 'utf8' });
    const since = measuredSince;
    const bad = `${proxyLog.stdout}${proxyLog.stderr}`.split('\n').filter((l) => /status=(?!200)\d{3}|\[(error|crit|alert|emerg)\]/.test(l) && logTime(l) >= since);
    if (bad.length) process.stderr.write(`${s.project}: what nginx logged about the failed requests:\n${bad.slice(-10).join('\n')}\n`);
    bench.removeProject(s.project);
  }
  process.stdout.write('image change under a request loop through nginx (2 clients, 20 req/s each):\n');
  for (const [what, r] of rows) process.stdout.write(`  ${what.padEnd(44)} ${String(r.requests).padStart(4)} requests, ${String(r.failed).padStart(3)} failed, ${r.seconds.toFixed(1)} s${r.detail ? ` (${r.detail})` : ''}\n`);
} finally {
  rmSync(home, { recursive: true, force: true });
  // the engine it started, stopped by its PID (it was left running)
  await bench.stop();
}
