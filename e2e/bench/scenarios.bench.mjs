#!/usr/bin/env node
// pnpm bench (diagnosis part): the incident scenarios in ../shared/scenarios/dev and bcon's own in e2e/scenarios
// (real incidents on the test engine, each with its ground truth) scored by the shared runner, bin/run-all.mjs,
// with `bcon diagnose {target} {complaint} --json` run in each scenario's work directory. Prints each line and
// top-1 / top-3 accuracy and the count over 3 s per set; asserts nothing. SCENARIOS_DIR picks one set instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from '../testbed/engine.mjs';
import { BCON, benchEngine } from './bench-engine.mjs';

const ROOT = process.env.SCENARIOS_ROOT ?? path.join(REPO, '..', 'shared', 'scenarios');
const DIRS = process.env.SCENARIOS_DIR ? [process.env.SCENARIOS_DIR] : [path.join(ROOT, 'dev'), path.join(REPO, 'e2e', 'scenarios')];
const RUNNER = path.join(ROOT, 'bin', 'run-all.mjs');
if (!existsSync(RUNNER)) {
  process.stdout.write(`the scenario runner was not found at ${RUNNER} (set SCENARIOS_ROOT): diagnosis benchmark skipped\n`);
  process.exit(0);
}
const bench = await benchEngine();
// a fresh store: no baseline carried over from other runs
const home = mkdtempSync(path.join(tmpdir(), 'bcon-bench-scenarios-'));
try {
  const engineVersion = bench.docker(['version', '--format', '{{.Server.Version}}']);
  for (const dir of DIRS.filter((d) => existsSync(d))) {
    process.stdout.write(`bcon diagnose on the incident scenarios of ${dir} (Docker ${engineVersion})\n`);
    const res = spawnSync(process.execPath, [RUNNER, dir, '--', process.execPath, BCON, 'diagnose', '{target}', '{complaint}', '--json'], {
      env: { ...bench.env, BCON_HOME: home },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (res.status !== 0) process.stdout.write(`the scenario runner exited with ${res.status}\n`);
  }
  process.stdout.write('target: top-1 >= 90%, top-3 100%, each diagnosis under 3 s\n');
} finally {
  rmSync(home, { recursive: true, force: true });
  await bench.stop();
}
