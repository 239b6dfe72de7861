import { EngineClient, collectSnapshot, endpointFromEnv } from '@bcon/sensor';
import type { StatusReport } from '@bcon/reasoning';
import { buildStatusReport } from '@bcon/reasoning';
import type { Store } from '@bcon/store';
import { latestSamples, openStore, recordSamples } from '@bcon/store';
import { createLogger } from './log.js';

/**
 * `bcon status`: read the engine (read-only), use the previous CPU counters from the store so CPU% needs no
 * second sample, record the new counters, and build the report. A store that cannot be opened only costs the
 * baseline (a notice says so); it never stops the status.
 */
export async function collectStatus(options: { stats: boolean; statsSource?: 'auto' | 'cgroup' | 'engine'; env?: NodeJS.ProcessEnv }): Promise<StatusReport> {
  const log = await createLogger();
  const notices: string[] = [];
  const env = options.env ?? process.env;
  const client = new EngineClient(endpointFromEnv(env), { env });
  const engineKey = client.endpoint.address;
  let store: Store | undefined;
  try {
    if (options.stats) {
      try {
        store = openStore();
      } catch (err) {
        notices.push(`CPU figures from fresh samples only: ${(err as Error).message}`);
        log.warn({ err }, 'store unavailable');
      }
    }
    const opened = store;
    const snapshot = await collectSnapshot(client, {
      stats: options.stats,
      ...(options.statsSource ? { statsSource: options.statsSource } : {}),
      ...(opened ? { cpuBaseline: (ids: readonly string[]) => latestSamples(opened, engineKey, ids) } : {}),
    });
    if (opened) {
      try {
        recordSamples(
          opened,
          engineKey,
          Object.values(snapshot.stats).map((s) => ({ ...s.counters, memoryBytes: s.memory.usageBytes, memoryLimitBytes: s.memory.limitBytes })),
        );
      } catch (err) {
        log.warn({ err }, 'could not record samples');
      }
    }
    log.debug({ durationMs: snapshot.durationMs, containers: snapshot.containers.length }, 'snapshot collected');
    return buildStatusReport(snapshot, { notices });
  } finally {
    client.close();
    store?.close();
  }
}
