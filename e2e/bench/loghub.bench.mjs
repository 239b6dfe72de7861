#!/usr/bin/env node
// pnpm bench (logs part): bcon's log-template miner on the LogHub 2k samples (../shared/corpora/loghub): grouping
// accuracy per data set next to the published Drain figure, on the message part of each line (as the published
// benchmarks do) and on the raw lines; and lines per second. Prints figures; asserts nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../testbed/engine.mjs';

const { TemplateMiner } = await import(path.join(REPO, 'packages', 'reasoning', 'dist', 'logs', 'drain.js'));
const CORPUS = process.env.LOGHUB_DIR ?? path.join(REPO, '..', 'shared', 'corpora', 'loghub');
if (!existsSync(CORPUS)) {
  process.stdout.write(`LogHub corpus not found at ${CORPUS} (set LOGHUB_DIR): log-miner benchmark skipped\n`);
  process.exit(0);
}
const drain = JSON.parse(readFileSync(path.join(CORPUS, 'drain-baseline.json'), 'utf8'));

/** RFC 4180 rows. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Zhu et al.'s grouping accuracy: a line is right when its group holds exactly the lines of its true event. */
function groupingAccuracy(truth, predicted) {
  const byTruth = new Map();
  const byPred = new Map();
  truth.forEach((t, i) => (byTruth.get(t) ?? byTruth.set(t, []).get(t)).push(i));
  predicted.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, []).get(p)).push(i));
  let correct = 0;
  for (const lines of byPred.values()) {
    const t = truth[lines[0]];
    const truthLines = byTruth.get(t);
    if (truthLines.length === lines.length && lines.every((l) => truth[l] === t)) correct += lines.length;
  }
  return correct / truth.length;
}

const sets = Object.keys(drain);
const results = [];
let totalLines = 0;
let totalSeconds = 0;
for (const set of sets) {
  const rows = parseCsv(readFileSync(path.join(CORPUS, set, `${set}_2k.log_structured.csv`), 'utf8'));
  const header = rows[0];
  const body = rows.slice(1).filter((r) => r.length === header.length);
  const contentAt = header.indexOf('Content');
  const eventAt = header.indexOf('EventId');
  const truth = body.map((r) => r[eventAt]);
  const raw = readFileSync(path.join(CORPUS, set, `${set}_2k.log`), 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l, i, a) => l !== '' || i < a.length - 1);

  const miner = new TemplateMiner();
  const started = process.hrtime.bigint();
  const predicted = body.map((r, i) => miner.add(r[contentAt], i + 1).id);
  totalSeconds += Number(process.hrtime.bigint() - started) / 1e9;
  totalLines += body.length;
  const rawMiner = new TemplateMiner();
  const rawPredicted = raw.slice(0, truth.length).map((l, i) => rawMiner.add(l, i + 1).id);
  results.push({ set, accuracy: groupingAccuracy(truth, predicted), raw: groupingAccuracy(truth, rawPredicted), drain: drain[set], templates: miner.templates.length, truthTemplates: new Set(truth).size });
}

// throughput on a larger stream: every data set's messages, 25 times over
const stream = sets.flatMap((set) => {
  const rows = parseCsv(readFileSync(path.join(CORPUS, set, `${set}_2k.log_structured.csv`), 'utf8'));
  const at = rows[0].indexOf('Content');
  return rows.slice(1).map((r) => r[at]);
});
const big = Array.from({ length: 25 }, () => stream).flat();
const miner = new TemplateMiner();
const t0 = process.hrtime.bigint();
big.forEach((m, i) => miner.add(m, i + 1));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

const mean = (k) => results.reduce((a, r) => a + r[k], 0) / results.length;
const lines = [
  'bcon log-template miner on LogHub 2k samples (grouping accuracy; Drain as published, Zhu et al. 2019):',
  `  ${'data set'.padEnd(10)} ${'bcon'.padStart(6)} ${'raw lines'.padStart(9)} ${'Drain'.padStart(6)}  templates (truth)`,
  ...results.map((r) => `  ${r.set.padEnd(10)} ${r.accuracy.toFixed(4).padStart(6)} ${r.raw.toFixed(4).padStart(9)} ${r.drain.toFixed(3).padStart(6)}  ${r.templates} (${r.truthTemplates})${r.accuracy + 1e-9 < r.drain ? '  below Drain' : ''}`),
  `  ${'mean'.padEnd(10)} ${mean('accuracy').toFixed(3).padStart(6)} ${mean('raw').toFixed(3).padStart(9)} ${mean('drain').toFixed(3).padStart(6)}`,
  `throughput: ${Math.round(big.length / seconds).toLocaleString('en')} lines/s on ${big.length.toLocaleString('en')} messages (${Math.round(totalLines / totalSeconds).toLocaleString('en')} lines/s over the 2k sets)`,
  `targets: at least Drain on every set: ${results.every((r) => r.accuracy + 1e-9 >= r.drain) ? 'met' : 'NOT met'}; ≥ 100,000 lines/s: ${big.length / seconds >= 100_000 ? 'met' : 'NOT met'}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
