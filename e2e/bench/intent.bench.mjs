#!/usr/bin/env node
// pnpm bench (intent part): the deterministic intent parser on e2e/fixtures/intents/intents.json (English and
// Korean, typos, units in many forms, and requests it must refuse): exact-match accuracy of the operations or the
// error code. Prints figures and the misses; asserts nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { REPO } from '../testbed/engine.mjs';

const { parseIntent } = await import(path.join(REPO, 'packages', 'decision', 'dist', 'index.js'));
for (const [file, label] of [
  ['intents.json', 'the set written with the parser'],
  ['heldout.json', 'a held-out set written by someone who did not read the parser (its misses then drove general fixes)'],
  ['heldout2.json', 'a second held-out set, measured once, never tuned on'],
]) {
const { services, cases } = JSON.parse(readFileSync(path.join(REPO, 'e2e', 'fixtures', 'intents', file), 'utf8'));
const now = Object.fromEntries(Object.entries(services).map(([k, v]) => [k, { memoryBytes: undefined, memoryReservationBytes: undefined, cpus: undefined, restart: undefined, ...v }]));
let hits = 0;
const misses = [];
const t0 = process.hrtime.bigint();
for (const c of cases) {
  let got;
  try {
    got = { ops: parseIntent(c.text, now) };
  } catch (err) {
    got = { error: err.code ?? `crash: ${err.message}` };
  }
  const ok = c.error ? got.error === c.error : isDeepStrictEqual(got.ops, c.ops);
  if (ok) hits++;
  else misses.push(`  MISS  ${c.text}\n        want ${JSON.stringify(c.error ?? c.ops)}\n        got  ${JSON.stringify(got.error ?? got.ops)}`);
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const ko = cases.filter((c) => /[가-힣]/.test(c.text)).length;
process.stdout.write(
  [
    `intent parser (deterministic, offline) on ${label}: ${cases.length} intents (${ko} Korean, ${cases.filter((c) => c.error).length} to refuse)`,
    ...misses,
    `exact match ${hits}/${cases.length} = ${((hits / cases.length) * 100).toFixed(1)}% in ${ms.toFixed(1)} ms; target ≥ 90%: ${hits / cases.length >= 0.9 ? 'met' : 'NOT met'}`,
  ].join('\n') + '\n',
);
}
