// A full disk that passes, on a real engine and a real git repository, with a real ENOSPC: two services each write to
// their own tmpfs volume of 512 KiB, which an export run by hand (`docker run … dd`) filled; each died at start on
// `no space left on device` and, with no restart policy, stays down. Then the export of one volume is deleted. A
// restart cannot make room, so the reconciler does not restart into a full disk — but a container that gave up is
// re-tried by nothing, so each gets one start: the one whose disk has room again runs; the other's start fails, is
// undone, and is not retried at that commit (a person frees the disk).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2edisk';
const writer = (name: string, dir: string) => `  ${name}:
    image: bcon-test/busybox:1
    network_mode: none
    restart: "no"
    volumes:
      - ${dir}:/data
    command:
      - sh
      - -c
      - |
        echo "${name}: loading the context store from /data"
        if ! dd if=/dev/zero of=/data/context.json bs=1k count=64 2>/dev/null; then
          echo "[red] Uncaught Exception:"
          echo "[error] Error: ENOSPC: no space left on device, write"
          exit 1
        fi
        echo "${name}: started"
        trap 'exit 0' TERM
        sleep 3600 & wait
`;
const COMPOSE = `services:
${writer('flows', 'data')}${writer('cache', 'scratch')}volumes:
  data:
    driver_opts: { type: tmpfs, device: tmpfs, o: "size=512k" }
  scratch:
    driver_opts: { type: tmpfs, device: tmpfs, o: "size=512k" }
`;

describe('a full disk that passes', () => {
  let stack: ComposeStack | undefined;
  const name = (svc: string) => `${P}_${svc}_1`;
  // the export, run by hand beside the stack: it holds its volume mounted (a tmpfs volume lives while a container uses it)
  const exporter = (volume: string) => `${P}-export-${volume}`;
  const removeExporters = () => docker(['rm', '-f', exporter('data'), exporter('scratch')], { allowFail: true });

  beforeAll(() => {
    removeExporters();
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'flows and cache on small disks', { up: false });
    execFileSync('docker-compose', ['-p', P, 'up', '--no-start'], { cwd: stack.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    for (const v of ['data', 'scratch']) {
      docker(['run', '-d', '--name', exporter(v), '--network', 'none', '-v', `${P}_${v}:/data`, 'bcon-test/busybox:1', 'sh', '-c', 'dd if=/dev/zero of=/data/export.lp bs=1k count=1024 2>/dev/null; trap "exit 0" TERM; sleep 3600 & wait']);
      waitFor(() => docker(['exec', exporter(v), 'df', '/data']).includes('100%'), 30_000, `the export to fill ${v}`);
    }
    for (const s of ['flows', 'cache']) {
      docker(['start', name(s)]);
      waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name(s)]) === 'exited 1', 30_000, `${name(s)} to die on the full disk`);
    }
    // the export on flows' disk is deleted: room again there, not on cache's
    docker(['exec', exporter('data'), 'rm', '-f', '/data/export.lp']);
  }, 120_000);
  afterAll(() => {
    removeExporters();
    stack?.cleanup();
  });

  it('each gets one start: the one with room again runs; the other is undone and not retried at that commit', async () => {
    if (!stack) throw new Error('no stack');
    const first = await reconcilePass(stack.dir, stack.home);
    const on = (p: typeof first, svc: string) => p.decisions.filter((d) => d.service === `${P}/${svc}`);
    expect(on(first, 'flows'), JSON.stringify(first.decisions)).toEqual([expect.objectContaining({ action: 'container.start', mode: 'executed', result: expect.stringMatching(/^succeeded/) })]);
    expect(docker(['inspect', '-f', '{{.State.Status}}', name('flows')])).toBe('running');
    expect(on(first, 'cache'), JSON.stringify(first.decisions)).toEqual([expect.objectContaining({ action: 'container.start', mode: 'executed', result: expect.stringMatching(/^(rolled_back|failed)/) })]);
    expect(docker(['inspect', '-f', '{{.State.Status}}', name('cache')])).toBe('exited');
    const startedAt = docker(['inspect', '-f', '{{.State.StartedAt}}', name('cache')]);
    await new Promise((r) => setTimeout(r, 11_000));
    const second = await reconcilePass(stack.dir, stack.home);
    expect(on(second, 'cache').filter((d) => d.mode === 'executed'), JSON.stringify(second.decisions)).toEqual([]);
    expect(docker(['inspect', '-f', '{{.State.StartedAt}}', name('cache')])).toBe(startedAt);
  }, 120_000);
});
