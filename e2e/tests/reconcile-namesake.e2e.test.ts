// Two compose projects on one engine with a service of the same name, on a real engine: an old checkout's `kuma` left
// up (project e2eoldkuma) holds the port, and the new one's `kuma` (project e2ekuma) fails to bind it at every start
// (busybox httpd, a real EADDRINUSE) and loops under its restart policy. The reconciler's view (no target, the first
// pass a sweep) read the healthy namesake in place of the crashing one — the diagnosis knows services by name — and
// reported a crash loop; the cause is the port, and a restart cannot help: it is reported, nothing is run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const PORT = 24931;
const server = (restart: string) => `services:
  kuma:
    image: bcon-test/busybox:1
    network_mode: host
    restart: ${restart}
    command: ["sh", "-c", "mkdir -p /srv && echo ok > /srv/index.html && echo 'Listening on 127.0.0.1:${PORT}' && exec httpd -f -p 127.0.0.1:${PORT} -h /srv"]
`;

describe('a same-named service of another project holds the port', () => {
  let old: ComposeStack | undefined;
  let fresh: ComposeStack | undefined;
  beforeAll(() => {
    old = upStack('e2eoldkuma', { 'compose.yaml': server('unless-stopped') }, 'the old checkout');
    waitFor(() => docker(['inspect', '-f', '{{.State.Running}}', 'e2eoldkuma_kuma_1']) === 'true', 20_000, 'the old kuma to run');
    fresh = upStack('e2ekuma', { 'compose.yaml': server('unless-stopped'), 'bcon.yaml': 'reconcile:\n  self_heal: true\n' }, 'the new checkout');
    waitFor(() => Number(docker(['inspect', '-f', '{{.RestartCount}}', 'e2ekuma_kuma_1'])) >= 2, 60_000, 'the new kuma to fail to bind twice');
  }, 120_000);
  afterAll(() => {
    fresh?.cleanup();
    old?.cleanup();
  });

  it('the pass reports the port conflict of the new one (not a crash loop), runs nothing, and leaves the old one alone', async () => {
    if (!fresh) throw new Error('no stack');
    const p = await reconcilePass(fresh.dir, fresh.home, ['--dry-run']);
    const mine = p.decisions.filter((d) => d.service === 'e2ekuma/kuma');
    expect(mine.length, JSON.stringify(p.decisions)).toBeGreaterThan(0);
    expect(mine.every((d) => d.action === 'report' && d.mode === 'reported'), JSON.stringify(mine)).toBe(true);
    expect(mine[0]?.reasons[0], JSON.stringify(mine)).toMatch(/port_conflict of kuma/);
    expect(p.decisions.filter((d) => d.service.startsWith('e2eoldkuma/')), JSON.stringify(p.decisions)).toEqual([]);
  }, 90_000);
});
