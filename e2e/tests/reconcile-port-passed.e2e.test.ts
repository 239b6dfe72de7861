// A taken port that passed, on a real engine and a real git repository: a trial container someone ran by hand
// (`docker run --rm --network host`, outside compose) held the port for a few seconds while the compose `web` started;
// web failed to bind it (busybox httpd, a real EADDRINUSE) at each try of its `on-failure:2` policy and gave up. The
// trial is gone. Nothing running is known to listen on web's port, so the one start the rules allow a container that
// gave up is run — where a port still held (e2e reconcile-namesake) is reported and nothing is run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { docker, waitFor } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2eportpassed';
const PORT = 24951;
const TRIAL = `${P}-trial`;
const COMPOSE = `services:
  web:
    image: bcon-test/busybox:1
    network_mode: host
    restart: on-failure:2
    command: ["sh", "-c", "mkdir -p /srv && echo ok > /srv/index.html && echo 'web 2.4.1 listening on 127.0.0.1:${PORT}' && exec httpd -f -p 127.0.0.1:${PORT} -h /srv"]
`;

describe('a port conflict that passed', () => {
  let stack: ComposeStack | undefined;
  const web = `${P}_web_1`;

  beforeAll(() => {
    docker(['rm', '-f', TRIAL], { allowFail: true });
    docker(['run', '-d', '--rm', '--name', TRIAL, '--network', 'host', 'bcon-test/busybox:1', 'sh', '-c', `mkdir -p /t && echo trial > /t/index.html && httpd -p 127.0.0.1:${PORT} -h /t && sleep 8`]);
    waitFor(() => docker(['inspect', '-f', '{{.State.Running}}', TRIAL]) === 'true', 20_000, 'the trial to hold the port');
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': 'reconcile:\n  self_heal: true\n' }, 'web');
    waitFor(() => docker(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', web]) === 'exited 2', 60_000, 'web to give up on the taken port');
    waitFor(() => docker(['ps', '-aq', '--filter', `name=^${TRIAL}$`]) === '', 30_000, 'the trial to end');
  }, 120_000);
  afterAll(() => {
    docker(['rm', '-f', TRIAL], { allowFail: true });
    stack?.cleanup();
  });

  it('web gets its one start, and serves', async () => {
    if (!stack) throw new Error('no stack');
    const { decisions } = await reconcilePass(stack.dir, stack.home);
    const mine = decisions.filter((d) => d.service === `${P}/web`);
    expect(mine, JSON.stringify(decisions)).toEqual([expect.objectContaining({ action: 'container.start', mode: 'executed', result: expect.stringMatching(/^succeeded/) })]);
    expect(docker(['inspect', '-f', '{{.State.Status}}', web])).toBe('running');
  }, 90_000);
});
