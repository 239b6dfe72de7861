// A stack brought up by podman-compose (Debian's 1.0.3, which runs the podman CLI, not the API) on the private
// Podman is read as compose made it: project, service and container-number from the com.docker.compose labels,
// the config hash from io.podman.compose.config-hash, podman-compose's own labels not drift; and a stack whose
// containers sit in a pod (pod_<project>, as later podman-compose releases create by default) reads the same.
// podman-compose 1.0.3 adds its project network even to containers with network_mode: the test bed's shim drops it
// (e2e/testbed/podman.mjs); everything else is podman-compose's own.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';
import { runBcon } from '../harness/bcon.js';
import { fixtureRepo } from '../harness/git-repo.js';
import { startPodman } from '../testbed/podman.mjs';
import { composeDir } from './podman-runtimes.js';

const STACK = `x-idle: &idle
  image: bcon-test/busybox:1
  network_mode: none
  command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]

services:
  web:
    <<: *idle
    mem_limit: 64m
    environment:
      LEVEL: info
    deploy:
      replicas: 2
  worker:
    <<: *idle
    mem_limit: 48m
`;

const P = 'e2epcompose';
const Q = 'e2epcomposepod';
let podman: Awaited<ReturnType<typeof startPodman>>;
let fixture: string;
let repo: ReturnType<typeof fixtureRepo>;
let podRepo: ReturnType<typeof fixtureRepo>;
let home: string;
const bcon = (args: string[]) => runBcon(args, { DOCKER_HOST: podman.dockerHost, BCON_HOME: home, BCON_ACTOR: 'user/e2e' });

interface StatusJson {
  engine: { runtime: string };
  projects: Array<{ name: string; services: Array<{ name: string; verdict: string; replicas: { running: number; total: number }; containers: Array<{ name: string }> }> }>;
}
const services = (report: StatusJson, project: string) =>
  Object.fromEntries((report.projects.find((p) => p.name === project)?.services ?? []).map((s) => [s.name, `${s.verdict} ${s.replicas.running}/${s.replicas.total} ${s.containers.map((c) => c.name).join(',')}`]));

describe('podman-compose on Podman', () => {
  beforeAll(async () => {
    podman = await startPodman();
    home = composeDir('');
    fixture = composeDir(STACK);
    repo = fixtureRepo(fixture, P);
    podRepo = fixtureRepo(fixture, Q);
    const up = podman.podmanCompose(repo.dir, ['-p', P, 'up', '-d']);
    expect(up.status, up.stderr + up.stdout).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await podman?.stop();
    for (const r of [repo, podRepo]) if (r) rmSync(path.dirname(r.dir), { recursive: true, force: true });
    for (const d of [fixture, home]) if (d) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('podman-compose labels its containers with Docker compose project/service/number and its own config hash', () => {
    const labels = JSON.parse(podman.podman(['inspect', '-f', '{{json .Config.Labels}}', `${P}_web_2`])) as Record<string, string>;
    expect(labels).toMatchObject({ 'com.docker.compose.project': P, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '2', 'io.podman.compose.config-hash': expect.any(String) });
    expect(labels['com.docker.compose.config-hash']).toBeUndefined();
  });

  it('the sensor reads project, service, number and the config hash (from io.podman.compose.config-hash)', async () => {
    const client = new EngineClient(endpointFromEnv({ DOCKER_HOST: podman.dockerHost }));
    const all = await collectContainers(client).finally(() => client.close());
    const web2 = all.find((c) => c.name === `${P}_web_2`);
    expect(web2?.compose).toMatchObject({ project: P, service: 'web', number: 2, oneoff: false, configHash: expect.stringMatching(/.+/), workingDir: repo.dir, configFiles: ['compose.yaml'] });
  }, 30_000);

  it('status reads the stack as a compose project with its replicas', async () => {
    const r = await bcon(['status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as StatusJson;
    expect(report.engine.runtime).toBe('Podman');
    expect(services(report, P)).toEqual({ web: `ok 2/2 ${P}_web_1,${P}_web_2`, worker: `ok 1/1 ${P}_worker_1` });
  }, 60_000);

  it("drift is IN_SYNC (podman-compose's labels are not drift), and sees a removed replica", async () => {
    const d = await bcon(['drift', '--repo', repo.dir, '--json']);
    expect(d.code, d.stdout).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ drift_report: { status: 'IN_SYNC', differences: [], untracked: [] } });
    podman.podman(['rm', '-f', `${P}_web_2`]);
    const after = await bcon(['drift', '--repo', repo.dir, '--json']);
    expect(after.code).toBe(1);
    expect((JSON.parse(after.stdout) as { drift_report: { differences: unknown[] } }).drift_report.differences).toEqual([{ project: P, service: 'web', field: 'replicas', expected: { replicas: 2 }, actual: { replicas: 1 } }]);
  }, 60_000);

  it('a stack in a pod (pod_<project>, no infra container, as later podman-compose releases make it) reads the same', async () => {
    podman.podman(['rm', '-f', `${P}_web_1`, `${P}_worker_1`]);
    podman.podman(['pod', 'create', '--name', `pod_${Q}`, '--infra=false']);
    const up = podman.podmanCompose(podRepo.dir, ['-p', Q, `--podman-run-args=--pod=pod_${Q}`, 'up', '-d']);
    expect(up.status, up.stderr + up.stdout).toBe(0);
    expect(podman.podman(['ps', '--pod', '--filter', `label=com.docker.compose.project=${Q}`, '--format', '{{.PodName}}']).split('\n').filter(Boolean)).toEqual([`pod_${Q}`, `pod_${Q}`, `pod_${Q}`]);
    const r = await bcon(['status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(services(JSON.parse(r.stdout) as StatusJson, Q)).toEqual({ web: `ok 2/2 ${Q}_web_1,${Q}_web_2`, worker: `ok 1/1 ${Q}_worker_1` });
    const d = await bcon(['drift', '--repo', podRepo.dir, '--json']);
    expect(d.code, d.stdout).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ drift_report: { status: 'IN_SYNC', differences: [], untracked: [] } });
  }, 120_000);
});
