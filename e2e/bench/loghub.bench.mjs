#!/usr/bin/env node
// pnpm bench (logs part): bcon's log-template miner on LogHub-format 2k samples: grouping accuracy per data set, on
// the message part of each line (the `Content` column, as the published benchmarks do) and on the raw lines, next to
// Drain as published (Zhu et al. 2019, where a figure exists) and to a plain Drain run here on the same input
// (drain-reference.mjs: depth 4, st 0.5, the same standard masks for every set). Data sets: every folder of
// ../shared/corpora/loghub (or LOGHUB_DIR), and every folder of BCON_HELDOUT_LOGS=DIR (`<Name>/<Name>_2k.log` and
// `<Name>/<Name>_2k.log_structured.csv` with at least the columns Content and EventId). Then the throughput of the
// whole `bcon logs` path (read a file, mine, level and trend the templates) on at least 400,000 lines, with memory.
// Prints figures; asserts nothing.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../testbed/engine.mjs';
import { DrainReference } from './drain-reference.mjs';

const { TemplateMiner } = await import(path.join(REPO, 'packages', 'reasoning', 'dist', 'logs', 'drain.js'));
const { mineTemplates } = await import(path.join(REPO, 'packages', 'reasoning', 'dist', 'logs', 'analyze.js'));
const { readLogLines } = await import(path.join(REPO, 'packages', 'ops', 'dist', 'logs.js'));
const CORPUS = process.env.LOGHUB_DIR ?? path.join(REPO, '..', 'shared', 'corpora', 'loghub');
const HELDOUT = process.env.BCON_HELDOUT_LOGS;

/** Drain's grouping accuracy as published by Zhu et al., ICSE-SEIP 2019 (benchmark table), for the 16 LogHub sets. */
const PUBLISHED = {
  HDFS: 0.998, Hadoop: 0.948, Spark: 0.92, Zookeeper: 0.967, OpenStack: 0.733, BGL: 0.963, HPC: 0.887, Thunderbird: 0.955,
  Windows: 0.997, Linux: 0.69, Mac: 0.787, Android: 0.911, HealthApp: 0.78, Apache: 1.0, OpenSSH: 0.788, Proxifier: 0.527,
};

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
    } else if (ch === '\n' || ch === '\r') {
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

/** The data sets of a folder: `<Name>/<Name>_2k.log_structured.csv`, with the raw log beside it when present. */
function setsIn(dir, origin) {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, `${d.name}_2k.log_structured.csv`)))
    .map((d) => ({ name: d.name, dir: path.join(dir, d.name), origin }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function load(set) {
  const rows = parseCsv(readFileSync(path.join(set.dir, `${set.name}_2k.log_structured.csv`), 'utf8'));
  const header = rows[0].map((h) => h.replace(/^\uFEFF/, '').trim());
  const contentAt = header.indexOf('Content');
  // the event id, or else the template text, names a line's true group
  const eventAt = header.includes('EventId') ? header.indexOf('EventId') : header.indexOf('EventTemplate');
  if (contentAt < 0 || eventAt < 0) throw new Error(`${set.name}: the structured CSV has no Content, or neither EventId nor EventTemplate`);
  const body = rows.slice(1).filter((r) => r.length === header.length);
  const rawFile = path.join(set.dir, `${set.name}_2k.log`);
  let raw;
  if (existsSync(rawFile)) {
    const all = readFileSync(rawFile, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
    if (all.length > 0 && all[all.length - 1] === '') all.pop();
    // the raw lines pair with the rows only when there are as many
    if (all.length === body.length) raw = all;
  }
  return { messages: body.map((r) => r[contentAt]), truth: body.map((r) => r[eventAt]), raw };
}

/** the final groups: a template may absorb others after their lines came in */
const bconGroups = (lines) => {
  const miner = new TemplateMiner();
  lines.forEach((l, i) => miner.add(l, i + 1));
  const groups = new Array(lines.length);
  for (const t of miner.templates) for (const n of t.lines) groups[n - 1] = t.id;
  return groups;
};
const drainGroups = (lines) => {
  const drain = new DrainReference();
  return lines.map((l) => drain.add(l));
};

const sets = [...setsIn(CORPUS, 'dev'), ...setsIn(HELDOUT, 'held-out')];
if (sets.length === 0) {
  process.stdout.write(`no LogHub-format data sets found (${CORPUS}${HELDOUT ? `, ${HELDOUT}` : ''}): log-miner benchmark skipped\n`);
  process.exit(0);
}
const results = [];
for (const set of sets) {
  const { messages, truth, raw } = load(set);
  results.push({
    ...set,
    bcon: groupingAccuracy(truth, bconGroups(messages)),
    bconRaw: raw ? groupingAccuracy(truth, bconGroups(raw)) : undefined,
    drain: groupingAccuracy(truth, drainGroups(messages)),
    drainRaw: raw ? groupingAccuracy(truth, drainGroups(raw)) : undefined,
    published: PUBLISHED[set.name],
    lines: truth.length,
  });
}

const f = (x, w = 6) => (x === undefined ? '-' : x.toFixed(3)).padStart(w);
const mean = (rows, k) => {
  const xs = rows.map((r) => r[k]).filter((x) => x !== undefined);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
};
const out = [
  'bcon log-template miner on LogHub-format 2k samples (grouping accuracy, Zhu et al. 2019):',
  '  messages = the Content column; raw = the whole lines; Drain pub. = as published; Drain ref. = plain Drain run here',
  `  ${'data set'.padEnd(12)} ${'origin'.padEnd(8)} ${'bcon'.padStart(6)} ${'pub.'.padStart(6)} ${'ref.'.padStart(6)}   ${'bcon raw'.padStart(8)} ${'ref. raw'.padStart(8)}  lines`,
];
for (const r of results) {
  const worst = Math.max(r.drain, r.published ?? 0);
  out.push(
    `  ${r.name.padEnd(12)} ${r.origin.padEnd(8)} ${f(r.bcon)} ${f(r.published)} ${f(r.drain)}   ${f(r.bconRaw, 8)} ${f(r.drainRaw, 8)}  ${r.lines}${r.bcon + 1e-9 < worst ? '  below Drain' : ''}`,
  );
}
for (const origin of ['dev', 'held-out']) {
  const rows = results.filter((r) => r.origin === origin);
  if (rows.length === 0) continue;
  out.push(`  ${`mean ${origin}`.padEnd(21)} ${f(mean(rows, 'bcon'))} ${f(mean(rows.filter((r) => r.published !== undefined), 'published'))} ${f(mean(rows, 'drain'))}   ${f(mean(rows, 'bconRaw'), 8)} ${f(mean(rows, 'drainRaw'), 8)}`);
}
const below = results.filter((r) => r.bcon + 1e-9 < Math.max(r.drain, r.published ?? 0)).map((r) => r.name);
out.push(`target: at least Drain (published and reference) on every set: ${below.length === 0 ? 'met' : `NOT met (${below.join(', ')})`}`);
process.stdout.write(`${out.join('\n')}\n`);

// throughput of the whole `bcon logs --file` path: read the file, mine, level and trend; raw lines of every set
const rawLines = sets.flatMap((s) => {
  const { raw, messages } = load(s);
  return raw ?? messages;
});
const TARGET_LINES = 400_000;
const big = [];
while (big.length < TARGET_LINES) for (const l of rawLines) big.push(l);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bcon-logbench-'));
try {
  const file = path.join(tmp, 'big.log');
  writeFileSync(file, `${big.join('\n')}\n`);
  big.length = 0;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const input = await readLogLines({ file, maxLines: 2_000_000 });
  const report = mineTemplates(input.lines);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const [load] = os.loadavg();
  const heapAfter = process.memoryUsage().heapUsed;
  const rssPeak = process.resourceUsage().maxRSS / 1024;
  const perSecond = report.lines / seconds;
  process.stdout.write(
    `throughput (bcon logs --file: read, mine, level, trend): ${Math.round(perSecond).toLocaleString('en')} lines/s on ${report.lines.toLocaleString('en')} raw lines ` +
      `(${report.templates.length} templates; mining alone ${report.linesPerSecond.toLocaleString('en')} lines/s; ` +
      `${Math.round(report.lines / cpuSeconds).toLocaleString('en')} lines per CPU second, load average ${load.toFixed(1)} on ${os.cpus().length} CPUs); ` +
      `peak RSS ${Math.round(rssPeak)} MB, heap ${Math.round(heapBefore / 2 ** 20)} → ${Math.round(heapAfter / 2 ** 20)} MB after the run\n` +
      `target ≥ 100,000 lines/s: ${perSecond >= 100_000 ? 'met' : 'NOT met'}\n`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
