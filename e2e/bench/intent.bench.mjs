#!/usr/bin/env node
// pnpm bench (intent part): the deterministic intent parser on the request sets in e2e/fixtures/intents and on the
// parser author's own dev sets (packages/decision/src/intent/dev-cases.json): English and Korean, typos, units in
// many forms, several changes at once, and requests it must refuse. For each set it prints exact-match accuracy (the
// operations, or the refusal code) and counts apart:
//   missed — a refusal where operations were wanted (or another code than the one wanted), or only part of the
//            operations wanted and nothing else;
//   wrong  — at least one operation no phrase asked for (not among the operations wanted, or any operation where a
//            refusal was wanted). A wrong operation is worse than a refusal: the target is 0.
// Prints figures, the misses and the wrong answers; asserts nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { REPO } from '../testbed/engine.mjs';

const { parseIntent } = await import(path.join(REPO, 'packages', 'decision', 'dist', 'index.js'));
const read = (...p) => JSON.parse(readFileSync(path.join(REPO, ...p), 'utf8'));

const sets = [
  ...[
    ['intents.json', 'the set written with the parser'],
    ['heldout.json', 'a held-out set written by someone who did not read the parser (its misses then drove general fixes)'],
    ['heldout2.json', 'a second held-out set, measured once with the phrase parser; since read while writing the slot-filling parser, so now a dev set'],
  ].map(([file, label]) => ({ label, short: `e2e/fixtures/intents/${file}`, ...read('e2e', 'fixtures', 'intents', file) })),
  ...read('packages', 'decision', 'src', 'intent', 'dev-cases.json').sets.map((s) => ({ ...s, short: `dev-cases.json "${s.label}"`, label: `the slot-filling parser's own dev set "${s.label}" (its author's sentences, not held out)` })),
];

const totals = { cases: 0, hits: 0, missed: 0, wrongCases: 0, wrongOps: 0 };
/** one row per set for the precision table printed at the end */
const rows = [];
for (const { label, short, services, cases } of sets) {
  const now = Object.fromEntries(Object.entries(services).map(([k, v]) => [k, { memoryBytes: undefined, memoryReservationBytes: undefined, cpus: undefined, restart: undefined, ...v }]));
  let hits = 0;
  let missed = 0;
  let wrongCases = 0;
  let wrongOps = 0;
  const lines = [];
  const t0 = process.hrtime.bigint();
  for (const c of cases) {
    let got;
    try {
      got = { ops: parseIntent(c.text, now) };
    } catch (err) {
      got = { error: err.code ?? `crash: ${err.message}` };
    }
    if (c.error ? got.error === c.error : isDeepStrictEqual(got.ops, c.ops)) {
      hits++;
      continue;
    }
    // operations emitted that no phrase asked for
    const unasked = (got.ops ?? []).filter((o) => !(c.ops ?? []).some((w) => isDeepStrictEqual(w, o)));
    if (unasked.length) {
      wrongCases++;
      wrongOps += unasked.length;
    } else missed++;
    lines.push(`  ${unasked.length ? 'WRONG' : 'MISS '} ${c.text}\n        want ${JSON.stringify(c.error ?? c.ops)}\n        got  ${JSON.stringify(got.error ?? got.ops)}`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ko = cases.filter((c) => /[가-힣]/.test(c.text)).length;
  rows.push({ label: short, cases: cases.length, hits, missed, wrongCases, wrongOps });
  totals.cases += cases.length;
  totals.hits += hits;
  totals.missed += missed;
  totals.wrongCases += wrongCases;
  totals.wrongOps += wrongOps;
  process.stdout.write(
    [
      `intent parser (deterministic, offline) on ${label}: ${cases.length} intents (${ko} Korean, ${cases.filter((c) => c.error).length} to refuse)`,
      ...lines,
      `exact match ${hits}/${cases.length} = ${((hits / cases.length) * 100).toFixed(1)}%, missed ${missed}, wrong ${wrongCases} (${wrongOps} wrong operations) in ${ms.toFixed(1)} ms; target ≥ 90% exact: ${hits / cases.length >= 0.9 ? 'met' : 'NOT met'}, 0 wrong: ${wrongOps === 0 ? 'met' : 'NOT met'}`,
    ].join('\n') + '\n',
  );
}
// the precision table: exact / missed / wrong per set (a wrong answer is an operation no phrase asked for; target 0)
const col = (v, w) => String(v).padStart(w);
process.stdout.write(
  [
    `intent parser, precision per set (wrong = an operation no phrase asked for, counted apart from misses; target 0)`,
    `  ${'set'.padEnd(40)} ${col('cases', 5)} ${col('exact', 5)} ${col('missed', 6)} ${col('wrong', 5)}`,
    ...rows.map((r) => `  ${r.label.padEnd(40)} ${col(r.cases, 5)} ${col(r.hits, 5)} ${col(r.missed, 6)} ${col(r.wrongCases, 5)}`),
    `  ${'all'.padEnd(40)} ${col(totals.cases, 5)} ${col(totals.hits, 5)} ${col(totals.missed, 6)} ${col(totals.wrongCases, 5)}`,
  ].join('\n') + '\n',
);
process.stdout.write(
  `intent parser, all sets: exact ${totals.hits}/${totals.cases} = ${((totals.hits / totals.cases) * 100).toFixed(1)}%, missed ${totals.missed}, wrong ${totals.wrongCases} cases (${totals.wrongOps} wrong operations)\n`,
);
