// The engine's events up to the instant they are read, on a real engine: a container removed by force (`docker rm -f`)
// just after a second began is in the events read at once — its kill, die and destroy — not cut off with the second
// under way. (With a whole-second `until`, Docker dropped them, and a reconciler pass right after the removal did not
// see a server removed while it ran: the service was not made again, and its dependents were made before it.)
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient, collectEvents, endpointFromEnv } from '@bcon/sensor';
import { docker } from '../harness/docker.js';

const NAME = 'e2eevents_gone_1';

describe('engine events read right after they happen', () => {
  afterAll(() => {
    docker(['rm', '-f', NAME], { allowFail: true });
  });

  it('a docker rm -f in the second under way is read: kill, die, destroy', async () => {
    docker(['rm', '-f', NAME], { allowFail: true });
    const id = docker(['run', '-d', '--network', 'none', '--name', NAME, 'bcon-test/busybox:1', 'sleep', '300']);
    const client = new EngineClient(endpointFromEnv());
    // just after a second begins, so that the read falls in the same second as the removal
    while (Date.now() % 1000 > 100) await new Promise((r) => setTimeout(r, 5));
    docker(['rm', '-f', NAME]);
    const actions = (await collectEvents(client, { windowSeconds: 60 })).filter((e) => e.containerId === id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['start', 'kill', 'die', 'destroy']));
  }, 60_000);
});
