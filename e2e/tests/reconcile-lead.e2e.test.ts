// A service that restarted once at first boot (its database was not up yet) and has run sound since, whose logs are
// warnings about the outside hosts it watches (a status-page checker: refusals are its job), on a real engine and a
// real git repository. The engine shows a past restart, so the pass looks at it; what its logs give is a lead, not
// a claim. The pass tells nobody (recovery-1222's Uptime Kuma, reported as a false alarm) and runs nothing; once it
// is down for real, it is acted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2elead';
const COMPOSE = `services:
  watchdog:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        if [ ! -f /tmp/booted ]; then touch /tmp/booted; echo "$$(date -u +%FT%TZ) ERROR [store] cannot open state database: not ready, exiting"; exit 1; fi
        echo "$$(date -u +%FT%TZ) INFO [watchdog] loaded 14 endpoints from /config/endpoints.yaml"
        i=0
        while :; do
          i=$$((i + 1))
          echo "$$(date -u +%FT%TZ) INFO [watchdog] endpoint=intranet status=up latency=12ms"
          echo "$$(date -u +%FT%TZ) WARN [watchdog] endpoint=old-ftp address=10.20.0.23:21 status=down error=\\"dial tcp 10.20.0.23:21: connect: connection refused\\" failures=$$i"
          echo "$$(date -u +%FT%TZ) INFO [watchdog] endpoint=public-site status=up latency=48ms"
          sleep 1
        done
`;

describe('a lead on a service that runs sound after a past restart', () => {
  let stack: ComposeStack | undefined;
  const name = `${P}_watchdog_1`;
  beforeAll(() => {
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SELF_HEAL }, 'watchdog');
    waitFor(() => docker(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', name]) === '1 running', 60_000, `${name} to run after one restart`);
    waitFor(() => (docker(['logs', name]).match(/connection refused/g) ?? []).length >= 4, 30_000, `${name} to log its watched host's refusals`);
  }, 120_000);
  afterAll(() => stack?.cleanup());

  it('is neither reported nor acted on', async () => {
    if (!stack) throw new Error('no stack');
    const p = await reconcilePass(stack.dir, stack.home);
    expect(p.decisions.filter((d) => d.service === `${P}/watchdog`), JSON.stringify(p.decisions)).toEqual([]);
  }, 60_000);

  it('stopped, it is started', async () => {
    if (!stack) throw new Error('no stack');
    docker(['stop', '-t', '1', name]);
    const p = await reconcilePass(stack.dir, stack.home);
    expect(p.decisions.find((d) => d.service === `${P}/watchdog`), JSON.stringify(p.decisions)).toMatchObject({ action: 'container.start', mode: 'executed' });
  }, 60_000);
});
