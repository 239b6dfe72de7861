#!/usr/bin/env node
// pnpm bench (reconciler part): on a stack of 50 running containers committed in a git repository (nothing to do),
// the wall time of `bcon reconcile --once --dry-run`, and bcon-reconciler's CPU and memory while it idles through
// passes every 2 s for 20 s. Prints figures; asserts nothing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from '../testbed/engine.mjs';
import { BCON, benchEngine, spread } from './bench-engine.mjs';

const PROJECT = 'benchrec';
const SERVICES = 10;
const REPLICAS = 5;
const bench = await benchEngine();
const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-rec-bench-')), PROJECT);
const home = mkdtempSync(path.join(tmpdir(), 'bcon-rec-bench-home-'));
try {
  bench.removeProject(PROJECT);
  execFileSync('mkdir', ['-p', dir]);
  const services = Array.from({ length: SERVICES }, (_, i) => `  svc${i}:\n    image: bcon-test/busybox:1\n    network_mode: none\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    deploy:\n      replicas: ${REPLICAS}\n`).join('');
  writeFileSync(path.join(dir, 'compose.yaml'), `services:\n${services}`);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'stack'], { cwd: dir });
  process.stderr.write(`bringing up ${SERVICES * REPLICAS} containers with docker-compose…\n`);
  execFileSync('docker-compose', ['--compatibility', '-p', PROJECT, 'up', '-d'], { cwd: dir, env: bench.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const runs = [];
  let decisions = 0;
  for (let i = 0; i < 5; i++) {
    const r = bench.time(process.execPath, [BCON, 'reconcile', '--once', '--dry-run', '--json', '--repo', dir], { env: { BCON_HOME: home } });
    decisions = JSON.parse(r.stdout).pass.decisions.length;
    runs.push(r.seconds);
  }
  const s = spread(runs);
  process.stdout.write(`reconcile --once --dry-run on ${SERVICES * REPLICAS} containers, nothing to do: median ${s.median.toFixed(2)} s (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}), ${decisions} decisions\n`);
  // the loop idling
  const child = spawn(process.execPath, [path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js'), '--repo', dir, '--listen', '127.0.0.1:0', '--interval', '2s'], { env: { ...bench.env, BCON_HOME: home }, stdio: 'ignore' });
  const ticks = () => {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  await new Promise((r) => setTimeout(r, 3000));
  const t0 = ticks();
  const started = Date.now();
  let rssMax = 0;
  while (Date.now() - started < 20_000) {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    rssMax = Math.max(rssMax, rss);
    await new Promise((r) => setTimeout(r, 500));
  }
  const cpu = (ticks() - t0) / 100 / ((Date.now() - started) / 1000);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  process.stdout.write(`bcon-reconciler idling (a pass every 2 s): CPU ${(cpu * 100).toFixed(1)} % of one core, RSS up to ${(rssMax / 1024).toFixed(0)} MiB\n`);
} finally {
  bench.removeProject(PROJECT);
  rmSync(path.dirname(dir), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  await bench.stop();
}
