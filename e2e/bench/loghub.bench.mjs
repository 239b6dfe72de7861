#!/usr/bin/env node
// pnpm bench (logs part): bcon's log-template miner on LogHub-format 2k samples: grouping accuracy per data set, on
// the message part of each line (the `Content` column, as the published benchmarks do) and on the raw lines, next to
// Drain as published (Zhu et al. 2019, where a figure exists) and to a plain Drain run here on the same input
// (drain-reference.mjs: depth 4, st 0.5, the same standard masks for every set). Data sets: every folder of
// ../shared/corpora/loghub (or LOGHUB_DIR), and every folder of BCON_HELDOUT_LOGS=DIR (`<Name>/<Name>_2k.log` and
// `<Name>/<Name>_2k.log_structured.csv` with at least the columns Content and EventId). Then the throughput of the
// whole `bcon logs` path (read a file, mine, level and trend the templates) on at least 400,000 lines, with memory:
// the raw lines of the data sets, and synthetic lines in the shapes of common container logs (no accuracy there).
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

// throughput of the whole `bcon logs --file` path: read the file, mine, level and trend; raw lines of every set, then
// synthetic lines in the shapes of common container logs
/**
 * Synthetic lines in the shapes of common container logs (journald, klog, nginx access under compose, OpenStack,
 * pino JSON, PostgreSQL, Redis and a Go logfmt service under compose, Spring Boot with stack traces): written here
 * from the public formats, for throughput only (no ground truth, no accuracy).
 */
function syntheticLines(count, seed = 7) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const n = (m) => Math.floor(rnd() * m);
  const hex = (len) => Array.from({ length: len }, () => '0123456789abcdef'[n(16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const ip = () => `172.18.${n(4)}.${n(250)}`;
  const t = () => `2024-05-01T10:${String(n(60)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')}.${String(n(1000)).padStart(3, '0')}Z`;
  const path = () => pick(['/api/orders', `/api/orders/${n(9999)}`, `/api/users/${n(999)}/cart`, '/health', `/static/app.${hex(8)}.js`]);
  const frames = [
    'com.acme.orders.OrderService.place(OrderService.java:142)', 'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897) ~[spring-webmvc-5.3.20.jar:5.3.20]',
    'sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)', 'org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)',
    'java.base/java.lang.Thread.run(Thread.java:833)', 'com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)',
  ];
  const shapes = [
    () => `May 01 10:${String(n(60)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')} host-${n(3)} ${pick([`systemd[1]: Started Session ${n(999)} of user ${pick(['alice', 'bob', 'deploy'])}.`, `sshd[${n(99999)}]: Accepted publickey for ${pick(['bob', 'root'])} from ${ip()} port ${n(65535)} ssh2: ED25519 SHA256:${hex(43)}`, `kernel: [${n(99999)}.${n(999999)}] eth0: link up`, `systemd[1]: ${pick(['docker', 'cron', 'nginx'])}.service: Deactivated successfully.`])}`,
    () => `I0501 10:00:${n(60)}.${n(999999)}    ${n(9999)} ${pick(['kubelet.go:2345] "SyncLoop (PLEG): event for pod" pod="default/web-' + hex(5) + '" event={"ID":"' + uuid() + '","Type":"ContainerStarted","Data":"' + hex(64) + '"}', 'prober.go:107] "Probe failed" probeType="Readiness" pod="default/api-' + hex(5) + '" podUID=' + uuid() + ' containerName="api" probeResult=failure output="HTTP probe failed with statuscode: 503"', 'kuberuntime_manager.go:' + n(999) + '] "Creating container" pod="kube-system/coredns-' + hex(6) + '"'])}`,
    () => `web-${1 + n(2)}  | ${ip()} - - [01/May/2024:10:${n(60)}:${n(60)} +0000] "${pick(['GET', 'POST', 'PUT'])} ${path()} HTTP/1.1" ${pick([200, 201, 304, 404, 502])} ${n(99999)} "-" "${pick(['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'])}" "-"`,
    () => `nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:${n(60)}.${n(999)} ${n(9999)} INFO nova.compute.manager [req-${uuid()} - - - - -] [instance: ${uuid()}] ${pick(['VM Started (Lifecycle Event)', 'VM Paused (Lifecycle Event)', `Took ${n(30)}.${n(99)} seconds to spawn the instance on the hypervisor.`, 'During sync_power_state the instance has a pending task (spawning). Skip.'])}`,
    () => JSON.stringify({ level: pick([30, 30, 40, 50]), time: 1714557600000 + n(1e6), pid: 7, hostname: `api-${hex(5)}`, reqId: `req-${n(9999)}`, req: { method: pick(['GET', 'POST']), url: path(), remoteAddress: `::ffff:${ip()}` }, msg: pick(['incoming request', 'request completed', 'cache miss for key', 'order placed']) }),
    () => `2024-05-01 10:00:${n(60)}.${n(999)} UTC [${n(999)}] ${pick(['LOG:  checkpoint starting: time', `LOG:  checkpoint complete: wrote ${n(999)} buffers (${n(9)}.${n(9)}%); 0 WAL file(s) added, 0 removed, ${n(9)} recycled; write=${n(99)}.${n(999)} s, sync=0.${n(999)} s, total=${n(99)}.${n(999)} s`, `ERROR:  duplicate key value violates unique constraint "orders_pkey"`, `DETAIL:  Key (id)=(${n(9999)}) already exists.`, `STATEMENT:  INSERT INTO orders (id, customer) VALUES (${n(9999)}, ${n(999)})`, `FATAL:  password authentication failed for user "${pick(['app', 'report'])}"`])}`,
    () => pick([`redis-1  | 1:M 01 May 2024 10:${n(60)}:${n(60)}.${n(999)} * ${pick([`${n(999)} changes in ${n(3600)} seconds. Saving...`, `Background saving started by pid ${n(999)}`, 'Background saving terminated with success', 'DB saved on disk'])}`, `api-1  | time=${t()} level=${pick(['info', 'warn'])} msg="${pick(['request served', 'cache miss', 'slow query'])}" method=${pick(['GET', 'POST'])} path=${path()} status=${pick([200, 201, 500])} duration=${n(99)}.${n(9)}ms`, `api-1  | time=${t()} level=error msg="upstream failed" err="dial tcp ${ip()}:5432: connect: connection refused" retry=${n(5)}`]),
    () => pick([`2024-05-01 10:00:${n(60)}.${n(999)}  INFO 1 --- [nio-8080-exec-${n(10)}] c.a.orders.OrderController               : Order ${n(99999)} placed for customer ${n(999)}`, `\tat ${pick(frames)}`, `\tat ${pick(frames)}`, `\t... ${n(99)} more`, `Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after ${n(30000)}ms.`]),
  ];
  const lines = [];
  for (let i = 0; i < count; i++) lines.push(shapes[Math.floor(i / 200) % shapes.length]());
  return lines;
}

async function throughput(label, lines) {
  const big = [];
  while (big.length < TARGET_LINES) for (const l of lines) big.push(l);
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
      `throughput (bcon logs --file: read, mine, level, trend), ${label}: ${Math.round(perSecond).toLocaleString('en')} lines/s on ${report.lines.toLocaleString('en')} lines ` +
        `(${report.templates.length} templates; mining alone ${report.linesPerSecond.toLocaleString('en')} lines/s; ` +
        `${Math.round(report.lines / cpuSeconds).toLocaleString('en')} lines per CPU second, load average ${load.toFixed(1)} on ${os.cpus().length} CPUs); ` +
        `peak RSS ${Math.round(rssPeak)} MB, heap ${Math.round(heapBefore / 2 ** 20)} → ${Math.round(heapAfter / 2 ** 20)} MB after the run\n` +
        `target ≥ 100,000 lines/s: ${perSecond >= 100_000 ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const TARGET_LINES = 400_000;
const rawLines = sets.flatMap((s) => {
  const { raw, messages } = load(s);
  return raw ?? messages;
});
await throughput('raw lines of the data sets above', rawLines);
await throughput('synthetic container-log shapes (journald, klog, nginx, OpenStack, pino, PostgreSQL, Redis and logfmt, Spring Boot)', syntheticLines(16_000));
