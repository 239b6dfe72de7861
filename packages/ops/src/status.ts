import type { ContainerFacts, LogLine } from '@bcon/sensor';
import { EngineClient, collectLogWindow, collectSnapshot, endpointFromEnv } from '@bcon/sensor';
import type { StatusReport } from '@bcon/reasoning';
import { STATUS_RULES, buildStatusReport } from '@bcon/reasoning';
import type { Store } from '@bcon/store';
import { latestSamples, openStore, recordSamples } from '@bcon/store';
import { createLogger } from './log.js';

/** How many log tails are read at once (each is one small engine request). */
const LOG_READS_AT_ONCE = 8;

/**
 * A bounded tail of each running container's recent output (the last `logWindowSeconds`, at most `logTail` lines and
 * `logMaxBytes` bytes), for the log rule of the verdict. A tail that cannot be read is left out: the verdict is then
 * what the state says, as before.
 */
async function recentLogs(client: EngineClient, containers: readonly ContainerFacts[], onError: (err: unknown, name: string) => void): Promise<Record<string, LogLine[]>> {
  const running = containers.filter((c) => c.state === 'running');
  const out: Record<string, LogLine[]> = {};
  let next = 0;
  const worker = async () => {
    while (next < running.length) {
      const c = running[next++] as ContainerFacts;
      try {
        out[c.id] = (await collectLogWindow(client, c, { tail: STATUS_RULES.logTail, sinceSeconds: STATUS_RULES.logWindowSeconds, maxBytes: STATUS_RULES.logMaxBytes, maxLineLength: 2048 })).lines;
      } catch (err) {
        onError(err, c.name);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOG_READS_AT_ONCE, running.length) }, worker));
  return out;
}

/**
 * `bcon status`: read the engine (read-only), use the previous CPU counters from the store so CPU% needs no
 * second sample, record the new counters, and build the report. A store that cannot be opened only costs the
 * baseline (a notice says so); it never stops the status.
 */
export async function collectStatus(options: { stats: boolean; statsSource?: 'auto' | 'cgroup' | 'engine'; env?: NodeJS.ProcessEnv; logs?: boolean }): Promise<StatusReport> {
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
    // the log rule: a bounded tail of recent output per running container (status reads no more than this)
    const logs = options.logs === false ? undefined : await recentLogs(client, snapshot.containers, (err, name) => log.debug({ err, container: name }, 'log tail not read'));
    log.debug({ durationMs: snapshot.durationMs, containers: snapshot.containers.length }, 'snapshot collected');
    return buildStatusReport(snapshot, { notices, ...(logs ? { logs } : {}) });
  } finally {
    client.close();
    store?.close();
  }
}
