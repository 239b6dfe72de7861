// bcon diagnose on real incidents: one compose project (e2e/fixtures/diagnose) with one incident per service, made
// by Debian's docker-compose v1 on the test engine, and the drift causes made by hand (a replica removed, a service
// stopped, a committed change not deployed, a container started outside compose). Every cause code of the
// architecture document has a case here; each must come out first, with its culprit, in the JSON contract.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import type { DiagnosisReport } from '@bcon/reasoning';
import { REPO, runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';
import { endpointFromEnv } from '@bcon/sensor';
import { openStore, recordServiceSamples } from '@bcon/store';

const PROJECT = 'e2ediag';
const ADHOC = 'e2ediag-adhoc';
let repo: ReturnType<typeof fixtureRepo>;

const name = (service: string, n = 1) => `${PROJECT}_${service}_${n}`;
const restarts = (service: string) => Number(docker(['inspect', '-f', '{{.RestartCount}}', name(service)]));
const state = (service: string, format: string) => docker(['inspect', '-f', format, name(service)]);
const logs = (service: string) => {
  const r = spawnSync('docker', ['logs', name(service)], { encoding: 'utf8', env: process.env });
  return `${r.stdout}${r.stderr}`;
};

async function diagnose(target: string, complaint?: string): Promise<DiagnosisReport> {
  const res = await runBcon(['diagnose', target, ...(complaint ? [complaint] : []), '--repo', repo.dir, '--json']);
  expect(res.code, res.stderr).toBe(0);
  const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
  // the contract: every cited evidence id exists
  const ids = new Set(report.evidence.map((e) => e.id));
  for (const h of report.hypotheses) for (const id of h.evidence) expect(ids.has(id), `${id} cited by ${h.cause}`).toBe(true);
  return report;
}

const first = (r: DiagnosisReport) => `${r.hypotheses[0]?.cause}/${r.hypotheses[0]?.culprit}`;
const seen = (r: DiagnosisReport) => JSON.stringify(r.hypotheses.slice(0, 3).map((h) => [h.cause, h.culprit, h.confidence]));

describe('bcon diagnose names the cause and the culprit of real incidents', () => {
  beforeAll(() => {
    removeProject(PROJECT, [ADHOC]);
    repo = fixtureRepo(path.join(REPO, 'e2e', 'fixtures', 'diagnose'), PROJECT);
    // exits 1 by design: `gateway` cannot start
    spawnSync('docker-compose', ['-p', PROJECT, 'up', '-d'], { cwd: repo.dir, env: process.env, stdio: 'ignore' });
    waitFor(() => state('ledger', '{{.State.Status}}') === 'exited', 30_000, 'ledger to be OOM-killed');
    waitFor(() => restarts('mailer') >= 3 && restarts('billing') >= 3, 60_000, 'mailer and billing to crash-loop');
    waitFor(() => state('portal', '{{.State.Health.Status}}') === 'unhealthy', 30_000, 'portal to be unhealthy');
    waitFor(() => restarts('proxy') >= 2 && restarts('exporter') >= 2 && restarts('uploader') >= 2, 60_000, 'proxy, exporter and uploader to fail');
    waitFor(() => (logs('tracker').match(/failed to flush/g) ?? []).length >= 60, 60_000, 'tracker to spike');
    waitFor(() => (logs('search-api').match(/ \d{4}\.\d{3} ms/g) ?? []).length >= 5, 60_000, 'search-api to slow down');
    waitFor(() => (logs('sso').match(/path=\/login /g) ?? []).length >= 3, 90_000, 'sso to log three logins');
  }, 900_000);

  afterAll(() => {
    spawnSync('docker-compose', ['-p', PROJECT, 'down', '-t', '1'], { cwd: repo.dir, env: process.env, stdio: 'ignore' });
    removeProject(PROJECT, [ADHOC]);
    rmSync(path.dirname(repo.dir), { recursive: true, force: true });
  });

  const cases: Array<[cause: string, target: string, complaint: string, culprit: string]> = [
    ['oom_killed', 'ledger', 'the ledger job stopped', 'ledger'],
    ['memory_pressure', 'thumbnailer', 'thumbnails are sluggish', 'thumbnailer'],
    ['cpu_saturation', 'indexer', 'indexing takes forever', 'indexer'],
    ['crash_loop', 'mailer', 'mailer keeps restarting', 'mailer'],
    ['bad_command', 'gateway', 'gateway is down', 'gateway'],
    ['missing_config', 'billing', 'billing keeps restarting', 'billing'],
    ['dependency_slow', 'search-api', 'search is slow', 'search'],
    ['dependency_slow', 'sso', 'logging in takes forever', 'directory'],
    ['connection_refused', 'notifier', 'notifications are not sent', 'notifier'],
    ['dns_failure', 'webhooks', 'webhooks fail', 'webhooks'],
    ['disk_full', 'uploader', 'uploads fail', 'uploader'],
    ['port_conflict', 'proxy', 'proxy does not come up', 'proxy'],
    ['healthcheck_failing', 'portal', 'portal shows as unhealthy', 'portal'],
    ['permission_denied', 'exporter', 'the export job fails', 'exporter'],
    ['too_many_open_files', 'crawler', 'crawler errors', 'crawler'],
    ['log_error_spike', 'tracker', 'tracker is throwing errors', 'tracker'],
  ];
  for (const [cause, target, complaint, culprit] of cases) {
    it(`${cause}: ${target} ("${complaint}")`, async () => {
      const r = await diagnose(target, complaint);
      expect(first(r), seen(r)).toBe(`${cause}/${culprit}`);
      expect(r.hypotheses[0]?.confidence).toBeGreaterThanOrEqual(0.5);
      expect(r.hypotheses[0]?.evidence.length).toBeGreaterThan(0);
      expect(r.durationMs).toBeGreaterThan(0);
    });
  }

  it('measures "usual" from the samples earlier runs stored (the baseline in SQLite)', async () => {
    const store = openStore();
    const engine = endpointFromEnv().address;
    const now = Date.now();
    const older = [90, 60, 30].map((minutes) => ({ project: PROJECT, service: 'search-api', at: now - minutes * 60_000, cpuPercent: 1, memoryBytes: 1e6, restarts: 0, errorsPerMinute: 0, latencyP50Ms: 31, latencyP95Ms: 44 }));
    recordServiceSamples(store, engine, older, now);
    store.close();
    const r = await diagnose('search-api', 'search is slow');
    expect(first(r), seen(r)).toBe('dependency_slow/search');
    const baseline = r.evidence.find((e) => e.kind === 'baseline');
    expect(baseline?.text).toMatch(/usual 31 ms \(baseline\)/);
    expect(r.hypotheses[0]?.evidence).toContain(baseline?.id);
    // and this run stored its own sample for the next one
    const after = openStore();
    const rows = after.sqlite.prepare('SELECT latency_p50_ms FROM service_samples WHERE service = ? AND project = ? ORDER BY at DESC LIMIT 1').get('search-api', PROJECT) as { latency_p50_ms: number };
    after.close();
    expect(rows.latency_p50_ms).toBeGreaterThan(1000);
  });

  it('dependency_down: orders-api fails because orders-db was stopped', async () => {
    const before = await diagnose('orders-api', 'orders api returns 500 errors');
    expect(before.hypotheses.filter((h) => h.confidence >= 0.5), seen(before)).toEqual([]);
    docker(['stop', '-t', '1', name('orders-db')]);
    waitFor(() => (logs('orders-api').match(/ECONNREFUSED/g) ?? []).length >= 3, 30_000, 'orders-api to be refused');
    const r = await diagnose('orders-api', 'orders api returns 500 errors');
    expect(first(r), seen(r)).toBe('dependency_down/orders-db');
    // it reads the api and what it needs (and whatever of the project the engine shows not OK beside it: that is
    // left out when the api's side has a finding of its own)
    expect(r.checked).toEqual(expect.arrayContaining(['orders-api', 'orders-db']));
    expect(r.hypotheses.filter((h) => !h.culprit.startsWith('orders-')), seen(r)).toEqual([]);
    // the password in DATABASE_URL is not in the evidence
    expect(JSON.stringify(r)).not.toContain('orders:orders@');
  });

  it('stopped_service: cron was stopped by hand', async () => {
    docker(['stop', '-t', '1', name('cron')]);
    const r = await diagnose('cron', 'cron is down');
    expect(first(r), seen(r)).toBe('stopped_service/cron');
  });

  it('replica_drift: one of the two reports replicas was removed', async () => {
    docker(['rm', '-f', name('reports', 2)]);
    const r = await diagnose('reports', 'reports have less capacity than usual');
    expect(first(r), seen(r)).toBe('replica_drift/reports');
    expect(r.hypotheses[0]?.summary).toMatch(/runs 1 of 2 declared replicas/);
  });

  it('config_drift and image_drift: committed changes that were never deployed', async () => {
    const file = path.join(repo.dir, 'compose.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
      repo.commit('settings: debug logging');
      let r = await diagnose('settings', 'settings behave oddly');
      expect(first(r), seen(r)).toBe('config_drift/settings');
      expect(r.evidence.some((e) => e.kind === 'drift' && e.text.includes('LOG_LEVEL'))).toBe(true);
      writeFileSync(file, original);
      repo.commit('settings: back to info');
      docker(['tag', BUSYBOX_IMAGE, 'bcon-test/busybox:diag-next']);
      const block = original.slice(original.indexOf('  settings:'));
      writeFileSync(file, original.replace(block, block.replace(/image: [^\n]+|<<: \*busybox/, (m) => (m.startsWith('<<') ? `${m}\n    image: bcon-test/busybox:diag-next` : 'image: bcon-test/busybox:diag-next'))));
      repo.commit('settings: next image');
      r = await diagnose('settings', 'settings return errors since the deploy');
      expect(first(r), seen(r)).toBe('image_drift/settings');
    } finally {
      writeFileSync(file, original);
      repo.commit('back to the deployed stack');
      docker(['rmi', 'bcon-test/busybox:diag-next'], { allowFail: true });
    }
  });

  it('untracked_container: a container started by hand, outside compose', async () => {
    docker(['run', '-d', '--name', ADHOC, '--network', 'none', BUSYBOX_IMAGE, 'sleep', '3600']);
    const r = await diagnose(ADHOC, 'what is this container?');
    expect(first(r), seen(r)).toBe(`untracked_container/${ADHOC}`);
  });

  it('with no target, checks the services that are not OK and blames each', async () => {
    const res = await runBcon(['diagnose', '--repo', repo.dir, '--json']);
    const r = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    const culprits = new Set(r.hypotheses.map((h) => h.culprit));
    for (const s of ['ledger', 'gateway', 'billing', 'portal']) expect(culprits.has(s), s).toBe(true);
    expect(r.checked).not.toContain('indexer');
  });

  it('prints the text view: symptoms, causes with evidence, suggested actions', async () => {
    const res = await runBcon(['why', 'billing', 'billing keeps restarting', '--repo', repo.dir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Symptoms\n {2}- e2ediag_billing_1 (?:restarted \d+ times|is restarting|is exited)/);
    expect(res.stdout).toMatch(/Likely causes \(by confidence\)\n {2}1\. \[\d+%\] billing is missing configuration: .*STRIPE_API_KEY/);
    expect(res.stdout).toMatch(/cause: missing_config {2}culprit: billing/);
    expect(res.stdout).toMatch(/Suggested actions\n {2}- set STRIPE_API_KEY for billing/);
    void execFileSync;
  });
});
