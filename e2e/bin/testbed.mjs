#!/usr/bin/env node
// pnpm exec node e2e/bin/testbed.mjs up|down|env|deps — the private test engine by hand; deps installs only the
// Debian packages the tests use (unit tests too: ssh-keygen makes real known_hosts lines), as `pnpm test` does first.
import { ensureEngine, ensurePackages, stopEngine } from '../testbed/engine.mjs';
import { buildImages } from '../testbed/images.mjs';

const cmd = process.argv[2] ?? 'up';
if (cmd === 'up' || cmd === 'env') {
  const engine = await ensureEngine();
  buildImages(engine.dockerHost);
  if (cmd === 'env') process.stdout.write(`export DOCKER_HOST=${engine.dockerHost}\n`);
  else process.stdout.write(`engine ready: DOCKER_HOST=${engine.dockerHost}${engine.pid ? ` (dockerd pid ${engine.pid})` : ''}\n`);
} else if (cmd === 'deps') {
  ensurePackages();
} else if (cmd === 'down') {
  const stopped = await stopEngine();
  process.stdout.write(stopped ? 'private engine stopped\n' : 'no private engine was running\n');
} else {
  process.stderr.write('usage: node e2e/bin/testbed.mjs up|down|env|deps\n');
  process.exitCode = 2;
}
