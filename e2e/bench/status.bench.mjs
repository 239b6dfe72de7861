#!/usr/bin/env node
// pnpm bench: `bcon status --json` wall time next to `docker ps -a` and `docker stats --no-stream` on the same
// engine, in the same run, with 50 running containers. Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';
import { BCON, benchEngine, spread as stats } from './bench-engine.mjs';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROJECT = 'bench';

const bench = await benchEngine();
const { docker } = bench;
const cleanup = () => bench.removeProject(PROJECT);
const time = (cmd, args, extraEnv = {}) => bench.time(cmd, args, { env: extraEnv });

try {
  cleanup();
  process.stderr.write(`creating ${CONTAINERS} running containers…\n`);
  const services = 10;
  for (let i = 0; i < CONTAINERS; i++) {
    const service = `svc${i % services}`;
    const number = Math.floor(i / services) + 1;
    docker([
      'run', '-d', '--network', 'none', '--name', `${PROJECT}-${service}-${number}`,
      '--label', `com.docker.compose.project=${PROJECT}`, '--label', `com.docker.compose.service=${service}`,
      '--label', `com.docker.compose.container-number=${number}`, '--label', 'com.docker.compose.oneoff=False',
      '--memory', '32m', BUSYBOX_IMAGE, 'sleep', '3600',
    ]);
  }
  const running = Number(docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).split('\n').filter(Boolean).length);

  const warmHome = mkdtempSync(path.join(tmpdir(), 'bcon-bench-'));
  time(process.execPath, [BCON, 'status', '--json'], { BCON_HOME: warmHome }); // seeds the store and warms caches
  const rows = {
    'bcon status --json (previous sample in store)': [],
    'bcon status --json (empty store: two samples)': [],
    'bcon status --json --stats-source engine': [],
    'docker ps -a': [],
    'docker stats --no-stream': [],
  };
  let lastReport;
  for (let r = 0; r < RUNS; r++) {
    const warm = time(process.execPath, [BCON, 'status', '--json'], { BCON_HOME: warmHome });
    rows['bcon status --json (previous sample in store)'].push(warm.seconds);
    lastReport = JSON.parse(warm.stdout);
    const coldHome = mkdtempSync(path.join(tmpdir(), 'bcon-bench-'));
    rows['bcon status --json (empty store: two samples)'].push(time(process.execPath, [BCON, 'status', '--json'], { BCON_HOME: coldHome }).seconds);
    rmSync(coldHome, { recursive: true, force: true });
    rows['bcon status --json --stats-source engine'].push(time(process.execPath, [BCON, 'status', '--json', '--stats-source', 'engine'], { BCON_HOME: warmHome }).seconds);
    rows['docker ps -a'].push(time('docker', ['ps', '-a']).seconds);
    rows['docker stats --no-stream'].push(time('docker', ['stats', '--no-stream']).seconds);
  }
  rmSync(warmHome, { recursive: true, force: true });

  const figures = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, stats(v)]));
  const cli = docker(['version', '--format', '{{.Client.Version}}']);
  const e = lastReport.engine;
  const fmt = (s) => `${s.median.toFixed(3)} s  [${s.min.toFixed(3)}–${s.max.toFixed(3)}]`;
  const width = Math.max(...Object.keys(figures).map((k) => k.length), 'docker ps -a + docker stats --no-stream'.length);
  const lines = [
    `bcon status benchmark: ${running} running containers (${lastReport.summary.containers} in all) on Docker ${e.version} (API ${e.apiVersion}), ${e.cpus} CPUs; docker CLI ${cli}`,
    `${RUNS} runs each, wall time median [min–max]:`,
    ...Object.entries(figures).map(([k, s]) => `  ${k.padEnd(width)}  ${fmt(s)}`),
    `  ${'docker ps -a + docker stats --no-stream'.padEnd(width)}  ${(figures['docker ps -a'].median + figures['docker stats --no-stream'].median).toFixed(3)} s  (sum of medians)`,
  ];
  const bcon = figures['bcon status --json (previous sample in store)'].median;
  const cold = figures['bcon status --json (empty store: two samples)'].median;
  const dstats = figures['docker stats --no-stream'].median;
  lines.push(
    `target (under 1.0 s and faster than docker stats --no-stream): ${bcon < 1 && bcon < dstats && cold < 1 && cold < dstats ? 'met' : 'NOT met'}` +
      ` (bcon ${bcon.toFixed(3)} s warm, ${cold.toFixed(3)} s cold vs docker stats ${dstats.toFixed(3)} s)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  cleanup();
  await bench.stop();
}
