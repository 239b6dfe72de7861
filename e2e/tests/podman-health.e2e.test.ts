// Healthchecks on both runtimes. Docker runs them itself; Podman runs them with systemd timers, which do not exist
// here (PID 1 is not systemd), so its health stays "starting". The executor's verification goes through the health
// gate (packages/executor/src/health/run-healthcheck.ts): on Podman bcon runs the check through exec. A restart of a
// service whose check passes verifies healthy on both; one whose check fails is reported failed with the probe's
// output and exit code on both. `bcon status` on Podman says the health is not run by the runtime.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime, RuntimeName } from './podman-runtimes.js';
import { approve, bcon, compose, composeDir, removeProject, seedProposal, startRuntime } from './podman-runtimes.js';

const STACK = `services:
  good:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck:
      test: ["CMD-SHELL", "test -d /proc/1 && echo serving"]
      interval: 2s
      timeout: 2s
      retries: 2
  bad:
    image: bcon-test/busybox:1
    network_mode: none
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    healthcheck:
      test: ["CMD-SHELL", "echo 'probe says no: backend refused on 127.0.0.1:5432'; exit 3"]
      interval: 1s
      timeout: 2s
      retries: 2
`;

interface StatusJson {
  engine: { runtime: string };
  projects: Array<{ name: string; services: Array<{ name: string; containers: Array<{ health: string; state: string }> }> }>;
}

const healthOf = (report: StatusJson, project: string, service: string) => report.projects.find((p) => p.name === project)?.services.find((s) => s.name === service)?.containers[0]?.health;

describe.each<RuntimeName>(['Docker', 'Podman'])('healthchecks on %s', (name) => {
  const P = `e2ehealth${name.toLowerCase()}`;
  let rt: Runtime;
  let dir: string;

  beforeAll(async () => {
    rt = await startRuntime(name);
    dir = composeDir(STACK);
    removeProject(rt, P);
    compose(rt, dir, P, ['up', '-d']);
  }, 240_000);
  afterAll(async () => {
    if (rt) removeProject(rt, P);
    await rt?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a restart of a service whose healthcheck passes is verified healthy', async () => {
    const p = await seedProposal(rt, P, 'good', [{ type: 'container.restart', container: `${P}_good_1` }]);
    const r = await approve(rt, p);
    expect(r.code, r.raw).toBe(0);
    expect(r.status).toBe('succeeded');
    // who judged differs, and says so: Docker's own status, bcon's probe where Podman does not run it
    expect(r.state).toBe(name === 'Docker' ? `${P}_good_1 running and healthy` : `${P}_good_1 running and healthy (healthcheck run by bcon: the runtime does not run it)`);
  }, 120_000);

  it('a restart of a service whose healthcheck fails is reported failed, with the probe output and exit code', async () => {
    const p = await seedProposal(rt, P, 'bad', [{ type: 'container.restart', container: `${P}_bad_1` }]);
    const r = await approve(rt, p, 1, 20);
    expect(r.code, r.raw).toBe(1);
    expect(r.status).toBe('failed');
    const said = (r.steps ?? []).join('\n');
    expect(said).toContain(`${P}_bad_1 is unhealthy`);
    expect(said).toContain('exit code 3: probe says no: backend refused on 127.0.0.1:5432');
    if (name === 'Podman') expect(said).toContain('run by bcon: the runtime does not run it');
  }, 120_000);

  it(name === 'Docker' ? 'status reports the health Docker measured' : 'status says the health is not run by the runtime instead of "starting" forever', async () => {
    // one Interval + Timeout + 5 s after the start without a probe: Podman's health is not known
    await new Promise((r) => setTimeout(r, 10_000));
    const r = await bcon(rt, ['status', '--json']);
    const report = JSON.parse(r.stdout) as StatusJson;
    expect(report.engine.runtime).toBe(name);
    if (name === 'Docker') {
      expect(healthOf(report, P, 'good')).toBe('healthy');
      expect(healthOf(report, P, 'bad')).toBe('unhealthy');
    } else {
      expect(healthOf(report, P, 'good')).toBe('not_run');
      expect(healthOf(report, P, 'bad')).toBe('not_run');
      const text = await bcon(rt, ['status']);
      expect(text.stdout).toMatch(new RegExp(`good +ok +1/1 +running \\(health not run by the runtime\\)`));
      expect(text.stdout).not.toMatch(/running \(starting\)/);
    }
  }, 60_000);
});
