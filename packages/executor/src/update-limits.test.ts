import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { updateLimits } from './update-limits.js';

/** An engine whose update answers with the given outcomes in turn (an Error to throw, or undefined for success). */
function engine(outcomes: Array<Error | undefined>) {
  const calls: unknown[] = [];
  const docker = {
    getContainer: () => ({
      update: async (body: unknown) => {
        calls.push(body);
        const next = outcomes.shift();
        if (next) throw next;
      },
    }),
  } as unknown as Pick<Docker, 'getContainer'>;
  return { docker, calls };
}

const err = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });
const died = () => err(500, '(HTTP code 500) server error - Cannot update container e99: runc did not terminate successfully: exit status 1: container not running\n: unknown');

describe('updateLimits', () => {
  it('asks again when the container died half-way through the update (an OOM kill), until the engine takes it', async () => {
    const { docker, calls } = engine([died(), died(), undefined]);
    await updateLimits(docker, 'search', { Memory: 96 * 1048576 }, 1);
    expect(calls).toHaveLength(3);
  });

  it('gives up after four tries, and throws any other error at once', async () => {
    const dying = engine([died(), died(), died(), died(), undefined]);
    await expect(updateLimits(dying.docker, 'search', { Memory: 1 }, 1)).rejects.toThrow(/container not running/);
    expect(dying.calls).toHaveLength(4);
    for (const other of [err(404, 'no such container: search'), err(500, 'Minimum memory limit allowed is 6MB'), err(409, 'container not running')]) {
      const e = engine([other, undefined]);
      await expect(updateLimits(e.docker, 'search', { Memory: 1 }, 1)).rejects.toThrow(other.message);
      expect(e.calls).toHaveLength(1);
    }
  });
});
