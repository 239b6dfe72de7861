#!/usr/bin/env node
// pnpm bench: `bcon status --json` on 50 running containers on a private rootful Podman (e2e/testbed/podman.mjs,
// Docker-compatible API on its own socket) next to `podman ps -a` and `podman stats --no-stream` on the same
// storage, in the same run (same style as status.bench.mjs). Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';
import { startPodman } from '../testbed/podman.mjs';
import { BCON, spread as stats } from './bench-engine.mjs';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROJECT = 'benchpodman';

const podman = await startPodman();
const env = { ...process.env, ...podman.env, DOCKER_HOST: podman.dockerHost, NO_COLOR: '1' };
const docker = (args) => execFileSync('docker', args, { env, encoding: 'utf8' }).trim();
const time = (cmd, args, extraEnv = {}) => {
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return { seconds, stdout: res.stdout };
};

try {
  process.stderr.write(`creating ${CONTAINERS} running containers on Podman…\n`);
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
  const running = podman.podman(['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).split('\n').filter(Boolean).length;

  const warmHome = mkdtempSync(path.join(tmpdir(), 'bcon-bench-'));
  time(process.execPath, [BCON, 'status', '--json'], { BCON_HOME: warmHome }); // seeds the store and warms caches
  const rows = {
    'bcon status --json (previous sample in store)': [],
    'bcon status --json (empty store: two samples)': [],
    'bcon status --json --stats-source engine': [],
    'podman ps -a': [],
    'podman stats --no-stream': [],
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
    rows['podman ps -a'].push(time('podman', ['ps', '-a']).seconds);
    rows['podman stats --no-stream'].push(time('podman', ['stats', '--no-stream']).seconds);
  }
  rmSync(warmHome, { recursive: true, force: true });

  const figures = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, stats(v)]));
  const e = lastReport.engine;
  const withStats = lastReport.projects.flatMap((p) => p.services).flatMap((s) => s.containers).filter((c) => c.memory.usageBytes !== null).length;
  const fmt = (s) => `${s.median.toFixed(3)} s  [${s.min.toFixed(3)}–${s.max.toFixed(3)}]`;
  const width = Math.max(...Object.keys(figures).map((k) => k.length), 'podman ps -a + podman stats --no-stream'.length);
  const lines = [
    `bcon status benchmark on Podman: ${running} running containers (${lastReport.summary.containers} in all, ${withStats} with figures) on ${e.runtime} ${e.version} (API ${e.apiVersion}), ${e.cpus} CPUs; rootful, vfs, cgroupfs`,
    `${RUNS} runs each, wall time median [min–max]:`,
    ...Object.entries(figures).map(([k, s]) => `  ${k.padEnd(width)}  ${fmt(s)}`),
    `  ${'podman ps -a + podman stats --no-stream'.padEnd(width)}  ${(figures['podman ps -a'].median + figures['podman stats --no-stream'].median).toFixed(3)} s  (sum of medians)`,
  ];
  const bcon = figures['bcon status --json (previous sample in store)'].median;
  const cold = figures['bcon status --json (empty store: two samples)'].median;
  const pstats = figures['podman stats --no-stream'].median;
  lines.push(
    `target (under 1.0 s and faster than podman stats --no-stream): ${bcon < 1 && bcon < pstats && cold < 1 && cold < pstats ? 'met' : 'NOT met'}` +
      ` (bcon ${bcon.toFixed(3)} s warm, ${cold.toFixed(3)} s cold vs podman stats ${pstats.toFixed(3)} s)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await podman.stop();
}
