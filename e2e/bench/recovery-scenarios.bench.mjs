#!/usr/bin/env node
// pnpm bench (recovery on incidents): the incident scenarios of ../shared/scenarios/dev and bcon's own
// (e2e/scenarios), each brought up with its own up.sh on a private dockerd of this bench, replayed through three
// approaches with the same time budget, one after the other on the same engine:
//   - bcon-reconciler (--interval 2s; bcon.yaml `reconcile: { self_heal: true, sweep: 20s, memory_ceiling: 1g }`
//     committed in the scenario's work directory; a fresh BCON_HOME per scenario; the stack as the scenario commits
//     it; the sweep judges the services that look fine every 20 s instead of 5 min, so that a fault it must see in
//     two sweeps in a row can be reported inside the budget; the memory ceiling lets it commit an OOM kill's raise
//     up to 1 GiB by itself — RECOVERY_MEMORY_CEILING=off runs it as configured before, with none);
//   - Docker's own restart policy: the same stack with `restart: always` on every service;
//   - a naive restart-when-unhealthy loop (like autoheal: every 5 s, restart every `unhealthy` container of the
//     stack, timeout 10 s; no backoff, no cap) on the stack as the scenario commits it. It runs only on stacks where
//     a service has a healthcheck: elsewhere no container can ever be `unhealthy`, the loop has nothing to act on,
//     and it is printed as `n/a` and counted as not resolved, with no action (to keep the bench near 10 minutes).
// Prints one line per scenario and a summary; asserts nothing. Every engine it starts is stopped by its PID, every
// reconciler by its PID; each scenario is removed with its own down.sh.
//
// Time: t0 is the moment up.sh returns (the stack is up, the perturbation applied, the scenario's `settle` waited:
// the incident is there). Each approach is watched from t0 for BUDGET_S seconds, polled every POLL_MS.
//
// The rules, from the scenario's ground truth (scenario.yaml: cause, culprit, target) and, for bcon, its audit log
// (`bcon audit --json`), never from bcon's own diagnosis:
//   OK(service): as many containers as declared (scale / deploy.replicas, else 1), each running, not paused (the
//     engine calls a paused container running: it serves nothing) and not restarting — or, for a prerequisite job
//     (another service depends on it; no restarting policy, healthcheck or published port), run again inside the
//     budget and exited 0 by itself (added after recovery-1214's first run, where a migration bcon re-ran and that
//     finished was counted unresolved),
//     `healthy` when it has a healthcheck; for cause cpu_saturation also fewer than 20 % of the culprit's CPU periods
//     throttled since the last sample (the engine's throttling counters); for cause config_drift also the culprit's
//     running CPU and memory limits equal to the ones its compose file declares (added after recovery-1207i's first
//     run, where bcon set back a `docker update --cpus 0.05` and the bench, seeing a running healthy container at t0,
//     could not tell).
//   Resolved with no human: an incident (cause ≠ none) whose target and culprit(s) were not all OK at t0, and are OK
//     at the end of the budget and have been continuously for at least STABLE_S (no sample failed, no container of
//     theirs started) — "serves again and stays so". Time to recovery: t0 to the start of that last stable span.
//     When all were OK at t0 already (the fault is in the logs only: dependency_slow), resolution cannot be seen in
//     the engine and is never counted. A container its restart policy restarted twice or more, the last time less
//     than STABLE_S before t0, is not OK at t0 even when the sample catches it running (one restart at start-up,
//     waiting for its database, is not a loop; a restart loop between two kills is: recovery-1207's Ollama was
//     raised to a limit it stays up at, and was not counted because t0's sample saw it running).
//   Restart-fixable causes (a start, restart or scale of the culprit removes the cause): dependency_down,
//     stopped_service, replica_drift, crash_loop. Every other cause (bad_command, missing_config, disk_full,
//     port_conflict, healthcheck_failing, oom_killed, memory_pressure, cpu_saturation, dependency_slow, dns_failure…)
//     needs a change to the files, the image or the host: left for a person is the right outcome there.
//   Left for a person: not resolved; for bcon, "with a proposal" when the audit has a `reconcile.decision` with
//     result `proposed`, "reported" when it has a report (no catalog action answers the cause: told to people),
//     "refused" when it has only refusals, "silent" when it decided nothing.
//   Wrong action (any one makes the scenario count as wrong):
//     W1 an action executed on a service that is neither the culprit nor the target;
//     W2 an action executed on a healthy scenario (cause none) — bcon, the restart policy or the loop;
//     W3 (bcon) an execution above its tier: executed with tier ≠ autonomous or an action outside the issue's
//        autonomous list (container.restart, container.start, container.unpause, service.scale), notified with tier ≠ notify or an
//        action outside the notify list (those, service.set_memory, service.set_cpus, service.recreate,
//        service.set_env, service.deploy), an execution approved otherwise than autonomous/notified, or a removal;
//     W4 a restart loop: on a cause no restart can fix, more than 3 restarts/starts/re-creates of one service within
//        the budget (3 in 30 min is where the issue's circuit breaker stops; Docker's restarts are counted from
//        RestartCount, the loop's from its own calls, bcon's from its executed decisions).
//   A proposal or a report on a healthy scenario is a false alarm (printed), not a wrong action.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { killLeftovers, REPO, startPrivateEngine, stopPrivateEngine, unmountUnder } from '../testbed/engine.mjs';
import { BCON } from './bench-engine.mjs';

const ROOT = process.env.SCENARIOS_ROOT ?? path.join(REPO, '..', 'shared', 'scenarios');
// RECOVERY_SETS=dev (or bcon) runs one set only: a held-out set given by SCENARIOS_ROOT, alone
const SETS = [
  { name: 'dev', dir: path.join(ROOT, 'dev') },
  { name: 'bcon', dir: path.join(REPO, 'e2e', 'scenarios') },
].filter((s) => !process.env.RECOVERY_SETS || process.env.RECOVERY_SETS.split(',').includes(s.name));
const BUDGET_S = Number(process.env.RECOVERY_BUDGET_S ?? 60);
const STABLE_S = Number(process.env.RECOVERY_STABLE_S ?? 10);
const SLOTS = Number(process.env.RECOVERY_SLOTS ?? 6);
/** bcon.yaml reconcile.memory_ceiling for bcon's runs (`off`: none) */
const MEMORY_CEILING = process.env.RECOVERY_MEMORY_CEILING ?? '1g';
const POLL_MS = 500;
const NAIVE_EVERY_MS = 5000;
const LOOP_LIMIT = 3;
const RECONCILER = path.join(REPO, 'apps', 'reconciler', 'dist', 'main.js');
const UP = path.join(ROOT, 'bin', 'up.sh');
const DOWN = path.join(ROOT, 'bin', 'down.sh');

const RESTART_FIXABLE = new Set(['dependency_down', 'stopped_service', 'replica_drift', 'crash_loop']);
// a scenario may give its cause as a list of codes it accepts (as its culprit), the root cause first: fixable by a
// restart when that one is ([missing_config, crash_loop] — the loop a missing secret causes — is not)
const restartFixable = (cause) => RESTART_FIXABLE.has(cause.split('|')[0]);
// an unpause is the issue's "start a stopped one" for a frozen container (the same processes, the same configuration)
const RESTART_CLASS = new Set(['container.restart', 'container.start', 'container.unpause', 'service.recreate']);
const AUTONOMOUS = new Set(['container.restart', 'container.start', 'container.unpause', 'service.scale']);
const NOTIFY = new Set([...AUTONOMOUS, 'service.set_memory', 'service.set_cpus', 'service.recreate', 'service.set_env', 'service.deploy']);
const APPROACHES = ['bcon', 'always', 'naive'];

const log = (m) => process.stderr.write(`[recovery-scenarios] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = (s, n) => String(s).padEnd(n);
const list = (v) => (Array.isArray(v) ? v : [v]);

// scenario.yaml is flat `key: value`; a list is written [a, b] (as bin/run-all.mjs reads it)
function readScenario(dir) {
  const out = {};
  for (const line of readFileSync(path.join(dir, 'scenario.yaml'), 'utf8').split('\n')) {
    const m = line.match(/^(\w+):\s*(.*)$/);
    if (!m) continue;
    let v = m[2].trim().replace(/^"(.*)"$/, '$1');
    if (v.startsWith('[')) v = v.slice(1, -1).split(',').map((s) => s.trim());
    out[m[1]] = v;
  }
  return out;
}

// ---- the Docker API over the engine's unix socket
function api(dockerHost, method, urlPath, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: dockerHost.slice('unix://'.length), method, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: body ? JSON.parse(body) : null });
        } catch {
          resolve({ status: res.statusCode, body });
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timeout`)));
    req.end();
  });
}
const projectContainers = async (dockerHost, project, extra = {}) =>
  (await api(dockerHost, 'GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`], ...extra }))}`)).body ?? [];

/** What the ground truth needs of one service, from the committed compose file. */
function declared(composeText) {
  const doc = parse(composeText);
  const out = {};
  const bytes = (v) => {
    const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(String(v ?? '').trim());
    return m ? Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase())) : undefined;
  };
  for (const [name, s] of Object.entries(doc.services ?? {})) {
    const limits = s.deploy?.resources?.limits ?? {};
    const cpus = s.cpus ?? limits.cpus;
    const memory = s.mem_limit ?? limits.memory;
    out[name] = { replicas: Number(s.scale ?? s.deploy?.replicas ?? 1), healthcheck: Boolean(s.healthcheck && !s.healthcheck.disable), awaited: false, nanoCpus: cpus === undefined ? undefined : Math.round(Number(cpus) * 1e9), memory: memory === undefined ? undefined : bytes(memory) };
  }
  // a service another one depends on with no restarting policy of its own, no healthcheck and no published port: a
  // prerequisite job (a migration, a seed), whose success is to have run and exited 0 — not a server
  for (const s of Object.values(doc.services ?? {})) {
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const d of deps) {
      const j = doc.services?.[d];
      if (out[d] && !['always', 'unless-stopped'].includes(String(j?.restart ?? 'no')) && !j?.healthcheck && !(j?.ports ?? []).length) out[d].awaited = true;
    }
  }
  return out;
}

/**
 * Watch a scenario's stack from t0 for BUDGET_S: per sample, is every watched service OK; when did any of their
 * containers last start; Docker's restart counts (the restart policy's doing) per service. `during` runs alongside.
 */
async function watch(sc, dockerHost, project, t0, begin) {
  const watched = [...new Set([sc.target, ...list(sc.culprit)])].filter((s) => sc.services[s]);
  const samples = [];
  const restartsAt0 = new Map();
  const restartsNow = new Map();
  const throttle = new Map();
  let lastStart = 0;
  // a watched container the restart policy restarted shortly before t0: looping, whatever t0's sample catches
  let loopingAt0 = false;
  while (Date.now() - t0 < BUDGET_S * 1000) {
    const at = Date.now();
    let ok = true;
    const why = [];
    try {
      const all = await projectContainers(dockerHost, project);
      const details = (await Promise.all(all.map((c) => api(dockerHost, 'GET', `/containers/${c.Id}/json`)))).map((r) => r.body).filter((d) => d && d.State);
      for (const d of details) {
        const svc = d.Config?.Labels?.['com.docker.compose.service'];
        const key = `${svc}|${d.Id}`;
        if (!restartsAt0.has(key)) restartsAt0.set(key, d.RestartCount ?? 0);
        restartsNow.set(key, d.RestartCount ?? 0);
      }
      for (const svc of watched) {
        const mine = details.filter((d) => d.Config?.Labels?.['com.docker.compose.service'] === svc && d.Config?.Labels?.['com.docker.compose.oneoff'] !== 'True');
        for (const d of mine) if (d.State.Running) lastStart = Math.max(lastStart, Date.parse(d.State.StartedAt));
        if (samples.length === 0 && mine.some((d) => d.State.Running && (d.RestartCount ?? 0) >= 2 && at - Date.parse(d.State.StartedAt) < STABLE_S * 1000)) loopingAt0 = true;
        const good = mine.filter((d) => (d.State.Running && !d.State.Paused && !d.State.Restarting && (!d.State.Health || d.State.Health.Status === 'healthy')) || (sc.services[svc].awaited && ranToCompletion(d, t0)));
        why.push(`${svc}:${mine.map((d) => `${d.State.Status}${d.State.Health ? `/${d.State.Health.Status}` : ''}@${d.State.StartedAt.slice(11, 19)}`).join(',') || 'none'}`);
        if (good.length !== mine.length || mine.length !== sc.services[svc].replicas) ok = false;
        // a limit changed by hand away from the committed file (config_drift): OK once the running one is the declared
        if (sc.cause === 'config_drift' && list(sc.culprit).includes(svc)) {
          const want = sc.services[svc];
          for (const d of mine) {
            if (want.nanoCpus !== undefined && (d.HostConfig?.NanoCpus ?? 0) !== want.nanoCpus) ok = false;
            if (want.memory !== undefined && (d.HostConfig?.Memory ?? 0) !== want.memory) ok = false;
          }
        }
        if (sc.cause === 'cpu_saturation' && list(sc.culprit).includes(svc)) {
          for (const d of good) {
            const st = (await api(dockerHost, 'GET', `/containers/${d.Id}/stats?stream=false&one-shot=true`)).body?.cpu_stats?.throttling_data;
            const prev = throttle.get(d.Id);
            throttle.set(d.Id, st);
            if (!st || !prev) ok = false;
            else {
              const periods = st.periods - prev.periods;
              const throttled = st.throttled_periods - prev.throttled_periods;
              if (periods > 0 && throttled / periods >= 0.2) ok = false;
            }
          }
        }
      }
    } catch (err) {
      ok = false;
      why.push(err.message);
    }
    samples.push({ at, ok });
    if (samples.length === 1) begin();
    if (process.env.RECOVERY_DEBUG) log(`${project} +${((at - t0) / 1000).toFixed(1)} s ${ok ? 'OK' : 'not OK'} ${why.join(' ')}`);
    await sleep(Math.max(0, POLL_MS - (Date.now() - at)));
  }
  const end = Date.now();
  const okAt0 = samples[0]?.ok === true && !loopingAt0;
  const lastBad = samples.filter((s) => !s.ok).at(-1)?.at ?? t0;
  const stableSince = Math.max(lastBad, lastStart, t0);
  const okAtEnd = samples.at(-1)?.ok === true;
  const resolved = sc.cause !== 'none' && !okAt0 && okAtEnd && end - stableSince >= STABLE_S * 1000;
  const policyRestarts = {};
  for (const [key, n] of restartsNow) {
    const svc = key.split('|')[0];
    policyRestarts[svc] = (policyRestarts[svc] ?? 0) + n - (restartsAt0.get(key) ?? 0);
  }
  return { okAt0, okAtEnd, resolved, ttrMs: resolved ? stableSince - t0 : undefined, policyRestarts };
}

/**
 * A one-off job that was run again in the budget and finished: exited 0 by itself (not OOM-killed), under a policy
 * that does not restart it (none, no, on-failure), started at or after t0. That is what "OK" means for a migration
 * or a seed job — running is not its success state. One that finished before t0 is not counted (nothing ran it).
 */
const ranToCompletion = (d, t0) =>
  d.State.Status === 'exited' && d.State.ExitCode === 0 && !d.State.OOMKilled && ['', 'no', 'on-failure'].includes(d.HostConfig?.RestartPolicy?.Name ?? '') && Date.parse(d.State.StartedAt) >= t0;

/** A child process, asynchronously: the slots share this process, and a synchronous call would stop every other
 *  slot's sampling while it runs. Resolves { status, stdout, stderr }; killed after timeoutMs. */
function run(cmd, args, { env, cwd, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve) => {
    // its own process group: on time-out the whole group is killed (up.sh's docker-compose too, which would hold
    // the pipes open: a `restart: always` copy of a stack that waits for a job to complete never comes up)
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
async function upScenario(dir, dockerHost) {
  const r = await run(UP, [dir], { env: { DOCKER_HOST: dockerHost } });
  if (r.status !== 0) throw new Error(`up.sh ${dir} (exit ${r.status}): ${r.stderr.slice(-1500)}`);
  return r.stdout.trim().split('\n').at(-1);
}
const downScenario = (dir, work, dockerHost) => run(DOWN, work ? [dir, work] : [dir], { env: { DOCKER_HOST: dockerHost }, timeoutMs: 120_000 });
async function git(cwd, args) {
  const r = await run('git', ['-c', 'user.email=bench@bcon.local', '-c', 'user.name=bench', ...args], { cwd });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** A copy of the scenario directory (same folder name: the same compose project) whose stack has restart: always. */
function restartAlwaysCopy(sc, scratch) {
  const dir = path.join(mkdtempSync(path.join(scratch, 'always-')), sc.id);
  mkdirSync(dir);
  for (const f of readdirSync(sc.dir)) copyFileSync(path.join(sc.dir, f), path.join(dir, f));
  const doc = parse(readFileSync(path.join(sc.dir, 'compose.yaml'), 'utf8'));
  for (const s of Object.values(doc.services)) s.restart = 'always';
  writeFileSync(path.join(dir, 'compose.yaml'), stringify(doc, { lineWidth: 0 }));
  return dir;
}

function startReconciler(repo, home, dockerHost) {
  const child = spawn(process.execPath, [RECONCILER, '--repo', repo, '--listen', '127.0.0.1:0', '--interval', '2s'], {
    cwd: repo,
    env: { ...process.env, DOCKER_HOST: dockerHost, BCON_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const passes = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const p = JSON.parse(line).pass;
        if (p) passes.push(p);
      } catch {
        /* not a pass line */
      }
    }
  });
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise((r) => child.once('exit', r));
  return {
    passes,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // the current pass (and its action) finishes, then it exits
      if ((await Promise.race([exited.then(() => true), sleep(40_000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** bcon's audit of one scenario, judged by the rules above. */
async function judgeAudit(sc, home) {
  const r = await run(process.execPath, [BCON, 'audit', '--json'], { env: { BCON_HOME: home, NO_COLOR: '1' } });
  let entries;
  try {
    entries = JSON.parse(r.stdout).audit_log ?? [];
  } catch {
    return { error: `bcon audit --json failed (${r.status}): ${(r.stderr ?? '').slice(0, 300)}`, decisions: [], wrong: [], counts: {} };
  }
  const allowed = new Set([sc.target, ...list(sc.culprit)]);
  const decisions = entries.filter((e) => e.action === 'reconcile.decision');
  const executions = entries.filter((e) => e.actor === 'bcon/reconciler' && /^(container|service)\./.test(e.action));
  const wrong = [];
  const restartsBy = {};
  for (const d of decisions.filter((x) => x.result === 'executed' || x.result === 'notified')) {
    const what = `${d.context.action} on ${d.target} (${d.result}, tier ${d.context.tier})`;
    if (sc.cause === 'none') wrong.push(`W2 ${what} on a healthy stack`);
    else if (!allowed.has(d.target)) wrong.push(`W1 ${what}: not the culprit (${list(sc.culprit).join('|')}) nor the target (${sc.target})`);
    if (d.result === 'executed' && !(d.context.tier === 'autonomous' && AUTONOMOUS.has(d.context.action))) wrong.push(`W3 ${what} executed autonomously`);
    if (d.result === 'notified' && !(d.context.tier === 'notify' && NOTIFY.has(d.context.action))) wrong.push(`W3 ${what} executed with a notification`);
    if (RESTART_CLASS.has(d.context.action)) restartsBy[d.target] = (restartsBy[d.target] ?? 0) + 1;
  }
  for (const e of executions) {
    if (!['autonomous', 'notified'].includes(e.approval)) wrong.push(`W3 ${e.action} on ${e.target} ran with approval ${e.approval}`);
    if (e.action === 'container.remove_untracked') wrong.push(`W3 removed ${e.target}`);
  }
  if (sc.cause !== 'none' && !restartFixable(sc.cause)) {
    for (const [svc, n] of Object.entries(restartsBy)) if (n > LOOP_LIMIT) wrong.push(`W4 ${n} restarts/starts/re-creates of ${svc} for ${sc.cause}, which no restart fixes`);
  }
  // what it did, in order, repeats folded
  const did = decisions
    .map((d) => `${d.context.action} ${d.target} ${d.result}`)
    .reduce((acc, x) => {
      const last = acc.at(-1);
      if (last && last.x === x) last.n++;
      else acc.push({ x, n: 1 });
      return acc;
    }, [])
    .map(({ x, n }) => (n > 1 ? `${x} ×${n}` : x))
    .join(', ');
  const proposals = decisions.filter((d) => d.result === 'proposed');
  const refusals = decisions.filter((d) => d.result === 'refused');
  const reports = decisions.filter((d) => d.result === 'reported');
  const executed = decisions.filter((d) => d.result === 'executed' || d.result === 'notified');
  return { decisions, wrong, did, proposals, refusals, reports, executed, restartsBy, lines: decisions.map((d) => `${d.timestamp} ${d.target} ${d.context.action} ${d.result} tier ${d.context.tier}: ${String(d.context.result ?? '').slice(0, 160)}${process.env.RECOVERY_AUDIT === 'reasons' ? ` | reasons: ${JSON.stringify(d.context.reasons ?? d.context).slice(0, 2000)}` : ''}`) };
}

/** The baselines' wrong actions: restarts (Docker's own, or the loop's) judged by the same rules. */
function judgeRestarts(sc, restartsBy) {
  const wrong = [];
  const allowed = new Set([sc.target, ...list(sc.culprit)]);
  for (const [svc, n] of Object.entries(restartsBy)) {
    if (n <= 0) continue;
    if (sc.cause === 'none') wrong.push(`W2 ${n} restarts of ${svc} on a healthy stack`);
    else if (!allowed.has(svc)) wrong.push(`W1 ${n} restarts of ${svc}: not the culprit nor the target`);
    else if (!restartFixable(sc.cause) && n > LOOP_LIMIT) wrong.push(`W4 ${n} restarts of ${svc} for ${sc.cause}, which no restart fixes`);
  }
  return wrong;
}

/** One approach on one scenario, on the slot's engine. */
async function runApproach(approach, sc, engine, scratch) {
  const dockerHost = engine.dockerHost;
  const dir = approach === 'always' ? restartAlwaysCopy(sc, scratch) : sc.dir;
  let work;
  let rec;
  const home = mkdtempSync(path.join(scratch, `home-${sc.id}-`));
  try {
    const tUp = Date.now();
    work = await upScenario(dir, dockerHost);
    const t0 = Date.now();
    log(`${sc.id}: ${approach}: up in ${((t0 - tUp) / 1000).toFixed(1)} s (settle ${sc.settle} s)`);
    if (approach === 'bcon') {
      writeFileSync(path.join(work, 'bcon.yaml'), `reconcile:\n  interval: 2s\n  self_heal: true\n  sweep: 20s\n  memory_ceiling: ${MEMORY_CEILING}\n`);
      await git(work, ['add', 'bcon.yaml']);
      await git(work, ['commit', '-qm', 'reconcile with self_heal']);
    }
    let naive;
    // the approach starts once the first sample (the incident as it is at t0) is taken
    const begin = () => {
      if (approach === 'bcon') rec = startReconciler(work, home, dockerHost);
      if (approach === 'naive') startNaive();
    };
    const startNaive = () => {
      naive = { on: true, restarts: {} };
      naive.done = (async () => {
        while (naive.on) {
          const sick = await projectContainers(dockerHost, sc.id, { health: ['unhealthy'] }).catch(() => []);
          await Promise.all(
            sick.map(async (c) => {
              const svc = c.Labels?.['com.docker.compose.service'];
              naive.restarts[svc] = (naive.restarts[svc] ?? 0) + 1;
              await api(dockerHost, 'POST', `/containers/${c.Id}/restart?t=10`, 60_000).catch(() => undefined);
            }),
          );
          for (let i = 0; i < NAIVE_EVERY_MS / 250 && naive.on; i++) await sleep(250);
        }
      })();
    };
    const seen = await watch(sc, dockerHost, sc.id, t0, begin);
    const out = { approach, t0, ...seen };
    if (rec) {
      const tStop = Date.now();
      await rec.stop();
      log(`${sc.id}: bcon-reconciler stopped in ${((Date.now() - tStop) / 1000).toFixed(1)} s`);
      out.passes = rec.passes.length;
      out.passMs = rec.passes.map((p) => p.durationMs);
      if (rec.passes.length === 0) out.error = `bcon-reconciler made no pass: ${rec.stderr().slice(-400)}`;
      out.audit = await judgeAudit(sc, home);
      out.wrong = out.audit.wrong;
    }
    if (naive) {
      naive.on = false;
      await naive.done;
      out.actions = naive.restarts;
      out.wrong = judgeRestarts(sc, naive.restarts);
    }
    if (approach === 'always') {
      // every restart Docker made within the budget (where the scenario commits a policy already, it is the same one)
      out.actions = seen.policyRestarts;
      out.wrong = judgeRestarts(sc, seen.policyRestarts);
    }
    return out;
  } catch (err) {
    return { approach, error: err.message, wrong: [] };
  } finally {
    if (rec) await rec.stop();
    const tDown = Date.now();
    await downScenario(dir, work, dockerHost);
    log(`${sc.id}: ${approach}: down in ${((Date.now() - tDown) / 1000).toFixed(1)} s`);
    rmSync(home, { recursive: true, force: true });
  }
}

// ---- the scenarios
/**
 * The host ports a scenario may bind (network host on 127.0.0.1): every number from 1024 to 65535 after a colon, an
 * equals sign, `-p`, `--port` or `port` in its compose file and scripts. Two scenarios that share one are never run at once on the slots' engines — they share the host's
 * network, and a port the other holds is a port conflict neither scenario has. Over-reading (a year, a size) only
 * runs two scenarios one after the other.
 */
function hostPorts(dir, composeText) {
  const texts = [composeText, ...['pre-up.sh', 'perturb.sh'].filter((f) => existsSync(path.join(dir, f))).map((f) => readFileSync(path.join(dir, f), 'utf8'))];
  return new Set(texts.flatMap((t) => [...t.matchAll(/(?:[:=]\s?|-p\s+|--port[= ]\s*|\bport\s+)(\d{4,5})\b/gi)].map((m) => Number(m[1])).filter((n) => n >= 1024 && n <= 65535)));
}
const scenarios = [];
for (const set of SETS) {
  if (!existsSync(set.dir)) {
    log(`no scenarios at ${set.dir}: skipped`);
    continue;
  }
  for (const id of readdirSync(set.dir).sort()) {
    const dir = path.join(set.dir, id);
    if (!existsSync(path.join(dir, 'scenario.yaml'))) continue;
    if (process.env.SCENARIO && !process.env.SCENARIO.split(',').includes(id)) continue;
    const s = readScenario(dir);
    const text = readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    scenarios.push({ ...s, cause: list(s.cause).join('|'), id, set: set.name, dir, settle: Number(s.settle ?? 5), services: declared(text), ports: hostPorts(dir, text) });
  }
}
if (!existsSync(UP) || scenarios.length === 0) {
  process.stdout.write(`no incident scenarios found (${ROOT}; set SCENARIOS_ROOT): recovery on scenarios skipped\n`);
  process.exit(0);
}
if (!existsSync(RECONCILER)) {
  process.stdout.write(`${RECONCILER} is not built (pnpm build): recovery on scenarios skipped\n`);
  process.exit(0);
}

/** A dockerd that failed to start: what it left (containerd, mounts, its directory, named in the error) is removed. */
function forgetEngine(err) {
  log(`dockerd did not start (${err.message.split('\n')[0]}); again`);
  const dir = /its log: (\/tmp\/bcon-rsc-[^/\s]+)\/dockerd\.log/.exec(err.message)?.[1];
  if (!dir) return;
  killLeftovers(dir);
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}

const scratch = mkdtempSync(path.join(tmpdir(), 'bcon-recovery-scenarios-'));
const engines = [];
const results = new Map();
const started = Date.now();
try {
  const slots = Math.max(1, Math.min(SLOTS, scenarios.length));
  log(`starting ${slots} private dockerds (one per slot: a scenario and its three approaches at a time)`);
  for (let i = 0; i < slots; i++) {
    // a dockerd can miss its start-up deadline on a loaded machine (containerd's own timeout): one more try
    engines.push(await startPrivateEngine(`/tmp/bcon-rsc-${i}-`).catch((err) => (forgetEngine(err), startPrivateEngine(`/tmp/bcon-rsc-${i}-`))));
  }
  // longest first: the slots finish together; a scenario waits while another that binds one of its host ports runs
  const queue = [...scenarios].sort((a, b) => b.settle - a.settle);
  const running = new Map();
  const next = async (slot) => {
    for (;;) {
      if (!queue.length) return undefined;
      const busy = [...running.values()];
      const i = queue.findIndex((sc) => !busy.some((ports) => [...sc.ports].some((p) => ports.has(p))));
      if (i >= 0) {
        const [sc] = queue.splice(i, 1);
        running.set(slot, sc.ports);
        return sc;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  await Promise.all(
    engines.map(async (engine, slot) => {
      for (let sc = await next(slot), k = 0; sc; running.delete(slot), sc = await next(slot), k++) {
        // the approaches in another order on each slot: fewer reconcilers at once on a small machine
        const order = APPROACHES.map((_, i) => APPROACHES[(i + slot + k) % APPROACHES.length]);
        const byApproach = {};
        for (const a of order) {
          if (a === 'naive' && !Object.values(sc.services).some((s) => s.healthcheck)) {
            byApproach[a] = { approach: a, skipped: true, wrong: [] };
            continue;
          }
          log(`${sc.id}: ${a} (slot ${slot})`);
          byApproach[a] = await runApproach(a, sc, engine, scratch);
        }
        results.set(sc.id, byApproach);
      }
    }),
  );

  // ---- the table
  const cell = (r, sc) => {
    if (!r || r.error) return `error`;
    if (r.skipped) return 'n/a (no check)';
    const restarts = Object.values(r.actions ?? {}).reduce((s, n) => s + n, 0);
    if (sc.cause === 'none') {
      if (r.approach === 'bcon') return r.audit.executed.length ? `acted ×${r.audit.executed.length}` : r.audit.proposals.length || r.audit.reports.length ? 'false alarm' : 'nothing done';
      return restarts ? `acted ×${restarts}` : 'nothing done';
    }
    if (r.resolved) return `resolved ${(r.ttrMs / 1000).toFixed(1)} s`;
    if (r.approach === 'bcon') return r.audit.proposals.length ? 'person: proposal' : r.audit.reports.length ? 'person: reported' : r.audit.refusals.length ? 'person: refused' : r.audit.executed.length ? 'no: acted' : 'person: silent';
    return restarts ? `no (${restarts} restarts)` : 'no';
  };
  const out = [];
  out.push(
    `recovery on incident scenarios: ${scenarios.length} scenarios (${SETS.map((s) => `${scenarios.filter((x) => x.set === s.name).length} ${s.name}`).join(', ')}), one host each (a private dockerd, local socket), budget ${BUDGET_S} s from the settled incident, resolved = target and culprit OK for the last ${STABLE_S} s, polled every ${POLL_MS} ms; bcon with reconcile.memory_ceiling ${MEMORY_CEILING}`,
  );
  out.push(`${pad('scenario', 22)}${pad('set', 5)}${pad('cause/culprit', 32)}${pad('bcon-reconciler', 23)}${pad('restart: always', 23)}${pad('naive loop', 23)}bcon did`);
  for (const sc of scenarios) {
    const r = results.get(sc.id) ?? {};
    const b = r.bcon;
    const flag = (x) => (x?.wrong?.length ? ' WRONG' : '');
    const first = b?.audit?.executed?.[0];
    const when = first && b.t0 ? ` (first execution +${Math.round((Date.parse(first.timestamp) - b.t0) / 1000)} s)` : '';
    const did = b?.error ? `error: ${b.error.split('\n')[0].slice(0, 200)}` : b?.audit?.error ?? (b?.audit?.did ? `${b.audit.did}${when}` : 'nothing');
    out.push(
      `${pad(sc.id, 22)}${pad(sc.set, 5)}${pad(`${sc.cause}/${list(sc.culprit).join('|')}`, 32)}${pad(cell(b, sc) + flag(b), 23)}${pad(cell(r.always, sc) + flag(r.always), 23)}${pad(cell(r.naive, sc) + flag(r.naive), 23)}${did}`,
    );
  }
  const incidents = scenarios.filter((s) => s.cause !== 'none');
  const healthy = scenarios.filter((s) => s.cause === 'none');
  const fixable = incidents.filter((s) => restartFixable(s.cause));
  const summary = (a, label) => {
    const rs = incidents.map((s) => results.get(s.id)?.[a]).filter(Boolean);
    const ok = rs.filter((r) => r.resolved);
    const mttr = ok.length ? `${(ok.reduce((s, r) => s + r.ttrMs, 0) / ok.length / 1000).toFixed(1)} s` : '-';
    const wrongN = scenarios.filter((s) => results.get(s.id)?.[a]?.wrong?.length).length;
    const quiet = healthy.filter((s) => {
      const r = results.get(s.id)?.[a];
      return r && !r.error && !(r.wrong?.length) && (a !== 'bcon' || r.audit.executed.length === 0);
    }).length;
    const falseAlarms = a === 'bcon' ? healthy.filter((s) => results.get(s.id)?.bcon?.audit?.proposals?.length || results.get(s.id)?.bcon?.audit?.reports?.length).length : 0;
    // manual interventions: every incident needs a person when nobody acts; with the approach, the unresolved ones and
    // every scenario where it did something wrong (someone has to undo or stop it)
    const interventions = incidents.filter((s) => !results.get(s.id)?.[a]?.resolved || results.get(s.id)?.[a]?.wrong?.length).length + healthy.filter((s) => results.get(s.id)?.[a]?.wrong?.length).length;
    const down = Math.round((100 * (incidents.length - interventions)) / Math.max(1, incidents.length));
    return `${label}: resolved with no human ${ok.length}/${incidents.length} incidents (${Math.round((100 * ok.length) / Math.max(1, incidents.length))} %; of the ${fixable.length} restart-fixable ${fixable.filter((s) => results.get(s.id)?.[a]?.resolved).length}), mean time to recovery ${mttr}; nothing done on ${quiet}/${healthy.length} healthy${a === 'bcon' ? ` (false alarms — a proposal or a report — on ${falseAlarms})` : ''}; scenarios with a wrong action ${wrongN}; manual interventions ${interventions} of ${incidents.length} (down ${down} %, target 80 %)`;
  };
  out.push(summary('bcon', 'bcon-reconciler'));
  out.push(summary('always', 'restart: always'));
  out.push(summary('naive', 'naive loop'));
  const unfixable = incidents.filter((s) => !restartFixable(s.cause) && !results.get(s.id)?.bcon?.resolved);
  const withProposal = unfixable.filter((s) => results.get(s.id)?.bcon?.audit?.proposals?.length);
  out.push(
    `bcon-reconciler left for a person with a proposal: ${withProposal.length}/${unfixable.length} unresolved incidents no restart fixes (${withProposal.map((s) => `${s.id}: ${[...new Set(results.get(s.id).bcon.audit.proposals.map((d) => `${d.context.action} ${d.target}`))].join(', ')}`).join('; ') || 'none'})`,
  );
  const reported = unfixable.filter((s) => !results.get(s.id)?.bcon?.audit?.proposals?.length && results.get(s.id)?.bcon?.audit?.reports?.length);
  const refusedOnly = unfixable.filter((s) => !results.get(s.id)?.bcon?.audit?.proposals?.length && !results.get(s.id)?.bcon?.audit?.reports?.length && results.get(s.id)?.bcon?.audit?.refusals?.length);
  const silent = unfixable.filter((s) => results.get(s.id)?.bcon?.audit && !results.get(s.id).bcon.audit.proposals.length && !results.get(s.id).bcon.audit.reports.length && !results.get(s.id).bcon.audit.refusals.length);
  out.push(`  reported (told to people, nothing run): ${reported.map((s) => `${s.id} (${[...new Set(results.get(s.id).bcon.audit.reports.map((d) => `${d.context.cause ?? '?'} of ${d.target}`))].join(', ')})`).join(', ') || 'none'}`);
  out.push(`  refused only: ${refusedOnly.map((s) => s.id).join(', ') || 'none'}; silent (decided nothing): ${silent.map((s) => `${s.id} (${s.cause})`).join(', ') || 'none'}`);
  const missed = fixable.filter((s) => !results.get(s.id)?.bcon?.resolved);
  if (missed.length) out.push(`  restart-fixable but not resolved by bcon: ${missed.map((s) => s.id).join(', ')}`);
  const futile = incidents
    .filter((s) => !restartFixable(s.cause))
    .map((s) => [s, Object.values(results.get(s.id)?.bcon?.audit?.restartsBy ?? {}).reduce((x, n) => x + n, 0)])
    .filter(([, n]) => n > 0);
  out.push(`  bcon's restarts/starts/re-creates on causes no restart fixes (not wrong up to ${LOOP_LIMIT} per service): ${futile.map(([s, n]) => `${s.id} ${n}`).join(', ') || 'none'}`);
  const passes = scenarios.flatMap((s) => results.get(s.id)?.bcon?.passMs ?? []).sort((x, y) => x - y);
  out.push(`  bcon-reconciler passes: ${passes.length} (median ${passes[Math.floor(passes.length / 2)] ?? '-'} ms, max ${passes.at(-1) ?? '-'} ms)`);
  for (const a of APPROACHES) {
    for (const s of scenarios) {
      const r = results.get(s.id)?.[a];
      if (r?.error) out.push(`  ${a} ${s.id}: error: ${r.error.split('\n').slice(0, 3).join(' / ').slice(0, 400)}`);
      for (const w of r?.wrong ?? []) out.push(`  wrong (${a === 'bcon' ? 'bcon-reconciler' : a === 'always' ? 'restart: always' : 'naive loop'}) ${s.id}: ${w}`);
    }
  }
  out.push(`(${((Date.now() - started) / 1000).toFixed(0)} s in all, ${engines.length} engines at once)`);
  process.stdout.write(`${out.join('\n')}\n`);
  // bcon's audit lines (repeats folded) where it acted wrongly, or for every scenario with RECOVERY_AUDIT=1 (=reasons: each decision's reasons too)
  for (const s of scenarios) {
    const b = results.get(s.id)?.bcon;
    if (!b?.audit?.lines || !(process.env.RECOVERY_AUDIT || b.wrong?.length)) continue;
    let last = '';
    let n = 0;
    const flush = () => n && process.stdout.write(`audit ${s.id}: ${last}${n > 1 ? ` (×${n})` : ''}\n`);
    for (const l of b.audit.lines) {
      const body = l.slice(l.indexOf(' ') + 1);
      if (body === last.slice(last.indexOf(' ') + 1)) n++;
      else {
        flush();
        last = l;
        n = 1;
      }
    }
    flush();
  }
} finally {
  for (const e of engines) await stopPrivateEngine(e);
  rmSync(scratch, { recursive: true, force: true });
}
