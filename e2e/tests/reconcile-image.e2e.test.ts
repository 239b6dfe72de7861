// A service running another image than the committed files name, on a real engine and a real git repository: someone
// brought it up from an edited, uncommitted compose file (a hotfix tag tried by hand). With self_heal the pass puts
// the committed image back as a deploy (rolling, health-gated; notify & execute like a staging deploy), and for a
// production-labelled service the same deploy waits as a proposal.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeStack, SELF_HEAL, upStack } from '../harness/compose-stack.js';
import { docker } from '../harness/docker.js';
import { reconcilePass } from '../harness/reconcile.js';

const P = 'e2eimage';
const OTHER = 'bcon-test/busybox:e2ehotfix';
const service = (name: string, image: string, labels = '') => `  ${name}:
    image: ${image}
    network_mode: none
    restart: unless-stopped${labels}
    command: ["sh", "-c", "trap 'exit 0' TERM; echo serving; while true; do sleep 1; done"]
`;
const committed = `services:\n${service('app', 'bcon-test/busybox:1')}${service('ledger', 'bcon-test/busybox:1', '\n    labels:\n      bcon.environment: production')}`;
const edited = committed.replaceAll('bcon-test/busybox:1', OTHER);

describe('a service running another image than the committed one', () => {
  let stack: ComposeStack | undefined;
  const image = (svc: string) =>
    docker(['ps', '--filter', `label=com.docker.compose.project=${P}`, '--filter', `label=com.docker.compose.service=${svc}`, '--format', '{{.Image}}'])
      .split('\n')
      .filter(Boolean)
      .join(',');

  beforeAll(() => {
    docker(['tag', 'bcon-test/busybox:1', OTHER]);
    stack = upStack(P, { 'compose.yaml': committed, 'bcon.yaml': SELF_HEAL }, 'app and ledger on busybox:1', { up: false });
    // brought up from the edited file, never committed; then the checkout is as committed again
    writeFileSync(path.join(stack.dir, 'compose.yaml'), edited);
    execFileSync('docker-compose', ['-p', P, 'up', '-d'], { cwd: stack.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(path.join(stack.dir, 'compose.yaml'), committed);
    expect(image('app')).toBe(OTHER);
  }, 120_000);
  afterAll(() => {
    stack?.cleanup();
    docker(['rmi', OTHER], { allowFail: true });
  });

  it('is put back on the committed image (notified); a production service waits as a proposal', async () => {
    if (!stack) throw new Error('no stack');
    const p = await reconcilePass(stack.dir, stack.home);
    expect(p.decisions.find((d) => d.service === `${P}/app`), JSON.stringify(p.decisions)).toMatchObject({ action: 'service.deploy', tier: 'notify', mode: 'notified', result: expect.stringMatching(/^succeeded/) });
    expect(image('app')).toBe('bcon-test/busybox:1');
    expect(p.decisions.find((d) => d.service === `${P}/ledger`)).toMatchObject({ action: 'service.deploy', tier: 'explicit', mode: 'proposed' });
    expect(image('ledger')).toBe(OTHER);
    const next = await reconcilePass(stack.dir, stack.home);
    expect(next.decisions.filter((d) => d.service === `${P}/app`)).toEqual([]);
  }, 120_000);
});
