// bcon diagnose on a real engine: a failure followed through a chain of dependencies to its root (web ← api ← db),
// odd logs (binary bytes, invalid UTF-8, a 1 MB line, a million lines) bounded and said so, and bad input (an
// unknown service, an unreachable engine) answered with exit code 2 and a message that says what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { runBcon } from '../harness/bcon.js';
import { docker, removeProject, waitFor } from '../harness/docker.js';
import { runComposeContainer } from '../harness/fixtures.js';
import { BUSYBOX_IMAGE } from '../testbed/images.mjs';

const CHAIN = 'e2echain';
const ODD = 'e2eodd';
const dbPort = 25000 + Math.floor(Math.random() * 2000);
const apiPort = dbPort + 1;

async function diagnose(args: string[]) {
  const res = await runBcon(['diagnose', ...args, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return DiagnosisReportSchema.parse(JSON.parse(res.stdout));
}

describe('bcon diagnose follows a chain of dependencies to its root', () => {
  beforeAll(() => {
    removeProject(CHAIN);
    // db: a server on a loopback port; stopped below
    runComposeContainer({ project: CHAIN, service: 'db', image: BUSYBOX_IMAGE, network: 'host', command: ['httpd', '-f', '-p', `127.0.0.1:${dbPort}`] });
    // api: needs db (DATABASE_URL); when db refuses it logs a pino error and exits; restarted forever
    const refused = `echo '{"level":50,"msg":"connect ECONNREFUSED 127.0.0.1:${dbPort}","err":{"code":"ECONNREFUSED","address":"127.0.0.1","port":${dbPort}}}'; exit 1`;
    const api =
      `check() { echo | nc -w 1 127.0.0.1 ${dbPort} >/dev/null 2>&1; }; check || { ${refused}; }; ` +
      `echo '{"level":30,"msg":"api listening on 127.0.0.1:${apiPort}"}'; httpd -f -p 127.0.0.1:${apiPort} & ` +
      `while check; do sleep 1; done; ${refused}`;
    runComposeContainer({
      project: CHAIN,
      service: 'api',
      image: BUSYBOX_IMAGE,
      network: 'host',
      restart: 'always',
      env: { DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${dbPort}/app` },
      labels: { 'com.docker.compose.depends_on': 'db:service_started:false' },
      command: ['sh', '-c', api],
    });
    // web: an nginx-style proxy in front of api; logs 502s and upstream errors when api refuses
    const web =
      `while true; do if echo | nc -w 1 127.0.0.1 ${apiPort} >/dev/null 2>&1; then echo '127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"'; ` +
      `else echo "2026/11/25 10:00:00 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: \\"GET / HTTP/1.1\\", upstream: \\"http://127.0.0.1:${apiPort}/\\", host: \\"localhost\\"" >&2; ` +
      `echo '127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"'; fi; sleep 0.5; done`;
    runComposeContainer({ project: CHAIN, service: 'web', image: BUSYBOX_IMAGE, network: 'host', labels: { 'com.docker.compose.depends_on': 'api:service_started:false' }, command: ['sh', '-c', web] });
    waitFor(() => docker(['logs', `${CHAIN}-api-1`]).includes('listening'), 20_000, 'api to reach db');
    docker(['stop', '-t', '1', `${CHAIN}-db-1`]);
    waitFor(() => docker(['logs', `${CHAIN}-web-1`], { allowFail: true }).length > 0 && Number(docker(['inspect', '-f', '{{.RestartCount}}', `${CHAIN}-api-1`])) >= 2, 60_000, 'api to crash-loop');
    waitFor(() => (docker(['logs', `${CHAIN}-web-1`]).match(/ 502 /g) ?? []).length >= 4, 30_000, 'web to log 502s');
  }, 120_000);
  afterAll(() => removeProject(CHAIN));

  it('asked about web, blames db (not api, not web)', async () => {
    const r = await diagnose(['web', 'web returns 502']);
    expect(r.checked.sort()).toEqual(['api', 'db', 'web']);
    expect(r.hypotheses[0], JSON.stringify(r.hypotheses.slice(0, 3))).toMatchObject({ cause: 'dependency_down', culprit: 'db' });
    // api's own trouble is there, ranked below the root
    expect(r.hypotheses.some((h) => h.culprit === 'api')).toBe(true);
    // every cited id exists; the password in DATABASE_URL never leaves the process
    const ids = new Set(r.evidence.map((e) => e.id));
    for (const h of r.hypotheses) for (const id of h.evidence) expect(ids.has(id)).toBe(true);
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });

  it('asked about db itself, says it was stopped', async () => {
    const r = await diagnose(['db', 'db is down']);
    expect(r.hypotheses[0]).toMatchObject({ cause: 'stopped_service', culprit: 'db' });
  });

  it('with no target, checks every service that is not OK', async () => {
    const r = await diagnose([]);
    expect(r.target).toBeNull();
    expect(r.checked).toEqual(expect.arrayContaining(['api', 'db']));
    expect(r.hypotheses[0]).toMatchObject({ culprit: 'db' });
  });

  it('speaks Korean with --lang ko, and English by default', async () => {
    const ko = await runBcon(['diagnose', 'web', '웹이 502 에러를 냅니다', '--lang', 'ko']);
    expect(ko.code).toBe(0);
    expect(ko.stdout).toContain('가능한 원인 (신뢰도 순)');
    expect(ko.stdout).toContain('권장 조치');
    expect(ko.stdout).toMatch(/db.*멈춰 있습니다/);
    const en = await runBcon(['diagnose', 'web', 'web returns 502']);
    expect(en.stdout).toMatch(/Likely causes \(by confidence\)\n {2}1\. \[\d+%\] db, which api needs, is down/);
  });
});

describe('bcon diagnose on odd logs and bad input', () => {
  beforeAll(() => {
    removeProject(ODD);
    const script =
      'head -c 4000 /dev/urandom; echo; printf "\\377\\376 invalid utf-8 \\300\\n"; ' +
      'head -c 1048576 /dev/zero | tr "\\000" a; echo; ' +
      'yes "GET /health 200 1 ms" | head -n 1000000; echo "Error: EMFILE: too many open files, open /tmp/x"; echo done; exec sleep 3600';
    runComposeContainer({ project: ODD, service: 'noisy', image: BUSYBOX_IMAGE, command: ['sh', '-c', script] });
    waitFor(() => docker(['logs', '--tail', '1', `${ODD}-noisy-1`]) === 'done', 120_000, 'a million lines');
  }, 180_000);
  afterAll(() => removeProject(ODD));

  it('reads a bounded window and says what it left out; binary bytes and a 1 MB line do not break it', async () => {
    const res = await runBcon(['diagnose', 'noisy', '--tail', '2000000', '--max-log-bytes', String(4 * 1024 * 1024), '--json']);
    expect(res.code, res.stderr).toBe(0);
    const r = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    expect(r.notices.join('\n')).toMatch(/read the first 4 MiB of the log window only/);
    // the default window (the newest 5000 lines) sees the last error
    const def = await diagnose(['noisy']);
    expect(def.hypotheses[0]).toMatchObject({ cause: 'too_many_open_files', culprit: 'noisy' });
    const all = await runBcon(['diagnose', 'noisy', '--since', '1h', '--tail', '2000000', '--json']);
    const whole = DiagnosisReportSchema.parse(JSON.parse(all.stdout));
    expect(whole.notices.join('\n')).toMatch(/read the first 8 MiB|longer than 16 KiB cut/);
  }, 60_000);

  it('names the known services when the one asked for does not exist', async () => {
    const res = await runBcon(['diagnose', 'nosuch', 'is it up?']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^bcon: no service or container named "nosuch" on unix:\/\/.*; known: .*\bnoisy\b/);
    const json = await runBcon(['diagnose', 'nosuch', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'unknown_service' } });
  });

  it('says so when the engine cannot be reached', async () => {
    const res = await runBcon(['diagnose', 'noisy'], { DOCKER_HOST: 'unix:///tmp/bcon-no-such-engine.sock' });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^bcon: .*unix:\/\/\/tmp\/bcon-no-such-engine\.sock/);
  });
});
