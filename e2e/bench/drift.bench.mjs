#!/usr/bin/env node
// pnpm bench (drift part): `bcon drift --json` on a repository with 200 services (2 replicas each) against a real
// engine running them, beside `docker-compose config -q` on the same files. Prints figures; asserts nothing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';
import { BCON, benchEngine, spread } from './bench-engine.mjs';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 200);
const REPLICAS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROJECT = 'benchdrift';

const bench = await benchEngine();
const { engine, env } = bench;
const cleanup = () => bench.removeProject(PROJECT);
const time = (cmd, args, cwd, extraEnv = {}) => bench.time(cmd, args, { cwd, env: extraEnv, check: false });
const median = (xs) => spread(xs).median;

/** Start many `docker run`s, a few at a time. */
async function runAll(argLists, parallel = 6) {
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const args = argLists[next++];
      await new Promise((resolve, reject) => {
        const p = spawn('docker', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker ${args.join(' ')}: ${err}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bcon-bench-')), PROJECT);
mkdirSync(dir);
try {
  cleanup();
  const lines = ['services:'];
  for (let s = 0; s < SERVICES; s++) {
    lines.push(
      `  svc${s}:`,
      `    image: ${BUSYBOX_IMAGE}`,
      '    network_mode: none',
      `    command: ["sleep", "3600"]`,
      `    environment:`,
      `      SERVICE_INDEX: "${s}"`,
      `    mem_limit: 16m`,
      `    scale: ${REPLICAS}`,
    );
  }
  writeFileSync(path.join(dir, 'compose.yaml'), `${lines.join('\n')}\n`);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'bench stack'], { cwd: dir });

  process.stderr.write(`starting ${SERVICES * REPLICAS} containers (${SERVICES} services × ${REPLICAS})…\n`);
  const runs = [];
  for (let s = 0; s < SERVICES; s++) {
    for (let n = 1; n <= REPLICAS; n++) {
      runs.push([
        'run', '-d', '--name', `${PROJECT}-svc${s}-${n}`, '--network', 'none', '--memory', '16m', '--memory-swap', '16m',
        '--label', `com.docker.compose.project=${PROJECT}`, '--label', `com.docker.compose.service=svc${s}`,
        '--label', `com.docker.compose.container-number=${n}`, '--label', 'com.docker.compose.oneoff=False',
        '--env', `SERVICE_INDEX=${s}`, BUSYBOX_IMAGE, 'sleep', '3600',
      ]);
    }
  }
  await runAll(runs);

  const home = mkdtempSync(path.join(tmpdir(), 'bcon-bench-home-'));
  const check = time(process.execPath, [BCON, 'drift', '--json'], dir, { BCON_HOME: home });
  const report = JSON.parse(check.stdout).drift_report;
  const bcon = [];
  const config = [];
  for (let r = 0; r < RUNS; r++) {
    bcon.push(time(process.execPath, [BCON, 'drift', '--json'], dir, { BCON_HOME: home }).seconds);
    config.push(time('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], dir).seconds);
  }
  rmSync(home, { recursive: true, force: true });
  const b = median(bcon);
  const c = median(config);
  const out = [
    `bcon drift benchmark: ${SERVICES} services × ${REPLICAS} replicas (${SERVICES * REPLICAS} containers running) on Docker ${engine.dockerHost}`,
    `first check: ${report.status}, ${report.differences.length} differences, ${report.untracked.length} untracked, ${report.orphans.length} orphans (exit ${check.code})`,
    `${RUNS} runs each, wall time median [min–max]:`,
    `  bcon drift --json                        ${b.toFixed(3)} s  [${Math.min(...bcon).toFixed(3)}–${Math.max(...bcon).toFixed(3)}]`,
    `  docker-compose config -q (same file)     ${c.toFixed(3)} s  [${Math.min(...config).toFixed(3)}–${Math.max(...config).toFixed(3)}]`,
    `target (under 1.5 s and faster than docker-compose config -q): ${b < 1.5 && b < c ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  if (process.env.BENCH_KEEP) process.stderr.write(`BENCH_KEEP: containers and ${dir} left in place, on the engine at ${bench.engine.dockerHost}${bench.engine.pid ? ` (dockerd pid ${bench.engine.pid}: stop it with kill ${bench.engine.pid})` : ''}\n`);
  else {
    cleanup();
    rmSync(path.dirname(dir), { recursive: true, force: true });
    await bench.stop();
  }
}
