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

/** Container events from the last `windowSeconds` (default one hour). */
export async function collectEvents(
  client: EngineClient,
  options: { windowSeconds?: number; until?: Date } = {},
): Promise<EngineEventFact[]> {
  const until = Math.floor((options.until ?? new Date()).getTime() / 1000);
  const since = until - (options.windowSeconds ?? 3600);
  const raw = await client.events({ since, until, filters: { type: ['container'] } });
  return raw.map((e) => {
    const attributes = e.Actor.Attributes ?? {};
    const exit = attributes['exitCode'];
    return {
      at: Math.floor(e.timeNano / 1e6) || e.time * 1000,
      type: e.Type,
      action: e.Action,
      containerId: e.Actor.ID,
      containerName: attributes['name'],
      exitCode: exit !== undefined && /^-?\d+$/.test(exit) ? Number(exit) : undefined,
      attributes,
    };
  });
}
