#!/usr/bin/env node
// pnpm demo: bring up the private engine (installing Debian's docker.io, busybox-static, redis-tools and
// docker-compose when missing), start a small sample stack with docker-compose, and run `bcon status` on it.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureEngine, REPO } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

const engine = await ensureEngine();
buildImages(engine.dockerHost);
const env = { ...process.env, DOCKER_HOST: engine.dockerHost };
const compose = path.join(REPO, 'e2e', 'fixtures', 'demo', 'compose.yaml');

process.stderr.write('[demo] starting the sample stack "demo" with docker-compose…\n');
execFileSync('docker-compose', ['-p', 'demo', '-f', compose, 'up', '-d'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const health = (name) => spawnSync('docker', ['inspect', '-f', '{{.State.Health.Status}}', name], { env, encoding: 'utf8' }).stdout.trim();
const deadline = Date.now() + 20_000;
while (Date.now() < deadline && !['demo_web_1', 'demo_cache_1'].every((n) => health(n) === 'healthy')) {
  await new Promise((r) => setTimeout(r, 250));
}

process.stderr.write('[demo] bcon status:\n\n');
const res = spawnSync(process.execPath, [path.join(REPO, 'apps', 'cli', 'bin', 'run.js'), 'status'], { env, stdio: 'inherit' });
process.stderr.write(
  [
    '',
    `[demo] the engine keeps running at ${engine.dockerHost}; try:`,
    `         DOCKER_HOST=${engine.dockerHost} node apps/cli/bin/run.js status --json`,
    '       stop it (by its PID) and remove its data with: pnpm demo:down',
    '',
  ].join('\n'),
);
process.exitCode = res.status ?? 1;
