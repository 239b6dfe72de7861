import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../engine/client.js';
import { collectEvents } from './events.js';

const event = (Action: string, attributes: Record<string, string>, time = 1_800_000_000) => ({ Type: 'container', Action, Actor: { ID: 'c1', Attributes: { name: 'shop_web_1', ...attributes } }, time, timeNano: time * 1e9 });
const clientWith = (events: unknown[]) => ({ events: async () => events }) as unknown as EngineClient;

describe('collectEvents', () => {
  it("reads Docker's events as they are: the action, the exit code of a die", async () => {
    const [die, destroy] = await collectEvents(clientWith([event('die', { exitCode: '137' }), event('destroy', {})]));
    expect(die).toMatchObject({ action: 'die', exitCode: 137, containerName: 'shop_web_1', at: 1_800_000_000_000 });
    expect(destroy).toMatchObject({ action: 'destroy', exitCode: undefined });
  });

  it("reads Podman's own events with Docker's names: died is a die, its exit code in containerExitCode", async () => {
    const [died, remove, start] = await collectEvents(clientWith([event('died', { containerExitCode: '1' }), event('remove', { containerExitCode: '0' }), event('start', { containerExitCode: '0' })]));
    expect(died).toMatchObject({ action: 'die', exitCode: 1 });
    // a removal there is not read as Docker's destroy (it does not say whether a stop was asked: docs/engine.md)
    expect(remove).toMatchObject({ action: 'remove', exitCode: undefined });
    expect(start).toMatchObject({ action: 'start', exitCode: undefined });
  });

  it('reads up to the millisecond asked: the second under way is not cut off', async () => {
    let asked: { since: number; until: number } | undefined;
    const client = { events: async (o: { since: number; until: number }) => ((asked = o), []) } as unknown as EngineClient;
    await collectEvents(client, { windowSeconds: 60, until: new Date(1_800_000_000_750) });
    expect(asked).toMatchObject({ since: 1_800_000_000 - 60, until: 1_800_000_000.75 });
  });
});
