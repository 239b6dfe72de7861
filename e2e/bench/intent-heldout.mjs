#!/usr/bin/env node
// A held-out intent set kept OUTSIDE this repository (written by someone who never read the parser), measured
// through the built CLI as a user runs it: `bcon intent TEXT --file COMPOSE --no-apply --json` in a scratch git
// repository holding the set's compose files. Usage: node e2e/bench/intent-heldout.mjs DIR (DIR holds *.jsonl with
// { id, compose, text, expect: { operations } | { error } } lines and the compose files). Prints exact-match, misses
// and wrong operations (an operation no phrase asked for, or any operation where a refusal was wanted) per file;
// SHOW_MISSES=1 prints the misses too.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { REPO } from '../testbed/engine.mjs';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node e2e/bench/intent-heldout.mjs DIR\n');
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'bcon-heldout-'));
for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) cpSync(path.join(dir, f), path.join(work, f));
execFileSync('git', ['init', '-q'], { cwd: work });
execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'add', '-A'], { cwd: work });
execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'set'], { cwd: work });
const bin = path.join(REPO, 'apps', 'cli', 'bin', 'run.js');
const all = { cases: 0, exact: 0, missed: 0, wrong: 0 };
const wrongs = [];
const misses = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  const t = { cases: 0, exact: 0, missed: 0, wrong: 0 };
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)) {
    const c = JSON.parse(line);
    const r = spawnSync(process.execPath, [bin, 'intent', c.text, '--repo', work, '--file', path.join(work, c.compose), '--no-apply', '--json'], { encoding: 'utf8', env: { ...process.env, BCON_LLM_BASE_URL: '', BCON_LLM_MODEL: '', BCON_HOME: path.join(work, '.home') } });
    let out;
    try {
      out = JSON.parse(r.stdout);
    } catch {
      out = { error: { code: 'crash' } };
    }
    t.cases++;
    const got = out.operations ?? [];
    if (c.expect.error) {
      if (out.error?.code === c.expect.error) t.exact++;
      else if (got.length) {
        t.wrong++;
        wrongs.push({ id: c.id, text: c.text, want: c.expect, got: out });
      } else {
        t.missed++;
        misses.push({ id: c.id, text: c.text, want: c.expect, got: out });
      }
    } else if (isDeepStrictEqual(got, c.expect.operations)) t.exact++;
    else if (got.some((g) => !c.expect.operations.some((w) => isDeepStrictEqual(g, w)))) {
      t.wrong++;
      wrongs.push({ id: c.id, text: c.text, want: c.expect, got: out });
    } else {
      t.missed++;
      misses.push({ id: c.id, text: c.text, want: c.expect, got: out });
    }
  }
  for (const k of Object.keys(all)) all[k] += t[k];
  process.stdout.write(`${file}: ${t.exact}/${t.cases} exact (${((100 * t.exact) / t.cases).toFixed(1)} %), missed ${t.missed}, wrong ${t.wrong}\n`);
}
process.stdout.write(`all: ${all.exact}/${all.cases} exact (${((100 * all.exact) / all.cases).toFixed(1)} %), missed ${all.missed}, wrong ${all.wrong}\n`);
for (const w of wrongs.slice(0, 40)) process.stdout.write(`  WRONG ${w.id}: ${w.text}\n    want ${JSON.stringify(w.want)}\n    got  ${JSON.stringify(w.got.operations ?? w.got.error)}\n`);
if (process.env.SHOW_MISSES) for (const w of misses) process.stdout.write(`  MISS ${w.id}: ${w.text}\n    want ${JSON.stringify(w.want)}\n    got  ${JSON.stringify(w.got.operations ?? w.got.error)}\n`);
rmSync(work, { recursive: true, force: true });
