import type { EngineClient } from '../engine/client.js';

/** An engine event about a container (die, oom, kill, restart, health_status, start, …). */
export interface EngineEventFact {
  /** ms since epoch */
  at: number;
  type: string;
  action: string;
  containerId: string;
  containerName: string | undefined;
  /** exit code for `die` events */
  exitCode: number | undefined;
  attributes: Record<string, string>;
}

/**
 * Podman's own events (the sensor reads /libpod/events there: engine/client.ts) name a container's death `died`, with
 * its exit code in `containerExitCode`: read as Docker's `die`. Its removals stay `remove`, not Docker's `destroy`:
 * they do not tell a forced removal from one a person meant (`rm -f` may log a stop, `stop` then `rm` may log none),
 * so what bcon reads from a `destroy` (docs/reconciler.md, "A service with no container left") is not read there.
 */
const PODMAN_ACTIONS: Record<string, string> = { died: 'die' };

/** Container events from the last `windowSeconds` (default one hour), with Docker's action names on either runtime. */
export async function collectEvents(
  client: EngineClient,
  options: { windowSeconds?: number; until?: Date } = {},
): Promise<EngineEventFact[]> {
  // to the millisecond: a whole second would leave out what happened in the second under way
  const until = (options.until ?? new Date()).getTime() / 1000;
  const since = Math.floor(until) - (options.windowSeconds ?? 3600);
  const raw = await client.events({ since, until, filters: { type: ['container'] } });
  return raw.map((e) => {
    const attributes = e.Actor.Attributes ?? {};
    const action = PODMAN_ACTIONS[e.Action] ?? e.Action;
    const exit = attributes['exitCode'] ?? (action === 'die' ? attributes['containerExitCode'] : undefined);
    return {
      at: Math.floor(e.timeNano / 1e6) || e.time * 1000,
      type: e.Type,
      action,
      containerId: e.Actor.ID,
      containerName: attributes['name'],
      exitCode: exit !== undefined && /^-?\d+$/.test(exit) ? Number(exit) : undefined,
      attributes,
    };
  });
}
