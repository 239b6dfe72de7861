#!/usr/bin/env node
// `bcon --version` start-up beside plain node: thin commands must load only what they use (target < 0.25 s).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'cli', 'bin', 'run.js');
const time = (args) => {
  const runs = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[5] / 1000;
};
const bcon = time([bin, '--version']);
const node = time(['-e', '0']);
process.stdout.write(`start-up (median of 11): bcon --version ${bcon.toFixed(3)} s, plain node ${node.toFixed(3)} s (target < 0.25 s: ${bcon < 0.25 ? 'met' : 'NOT met'})\n`);
