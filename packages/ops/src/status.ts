import type { ContainerFacts, LogLine } from '@bcon/sensor';
import { EngineClient, collectSnapshot, demultiplex, endpointFromEnv, splitLines } from '@bcon/sensor';
import type { StatusReport } from '@bcon/reasoning';
import { STATUS_RULES, buildStatusReport } from '@bcon/reasoning';
import type { Store } from '@bcon/store';
import { latestSamples, openStore, recordSamples } from '@bcon/store';
import { createLogger } from './log.js';

/** How many log tails are read at once (each is one small engine request). */
const LOG_READS_AT_ONCE = 8;
const MAX_LINE = 2048;

/**
 * The raw log tail of each running container (the last `logWindowSeconds`, at most `logTail` lines and `logMaxBytes`
 * bytes), for the log rule of the verdict. Started beside the snapshot (it needs only the ids of the running
 * containers), so its requests overlap the inspects and the stats samples. A tail that cannot be read is left out:
 * that container's verdict is then what its state says, as before.
 */
async function rawLogTails(client: EngineClient, onError: (err: unknown, id: string) => void): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let ids: string[];
  try {
    ids = (await client.listContainers({ all: false })).map((c) => c.Id);
  } catch (err) {
    onError(err, '(list)');
    return out;
  }
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      try {
        const res = await client.logStream(id, { tail: STATUS_RULES.logTail, since: Math.floor(Date.now() / 1000) - STATUS_RULES.logWindowSeconds, timestamps: true });
        const chunks: Buffer[] = [];
        let bytes = 0;
        for await (const chunk of res) {
          chunks.push(chunk as Buffer);
          bytes += (chunk as Buffer).length;
          if (bytes >= STATUS_RULES.logMaxBytes) {
            res.destroy();
            break;
          }
        }
        out.set(id, Buffer.concat(chunks));
      } catch (err) {
        onError(err, id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOG_READS_AT_ONCE, ids.length) }, worker));
  return out;
}

/** The tails as lines, split as the container wrote them (a TTY's stream is not multiplexed), each cut to MAX_LINE. */
function logLines(raw: ReadonlyMap<string, Buffer>, containers: readonly ContainerFacts[]): Record<string, LogLine[]> {
  const out: Record<string, LogLine[]> = {};
  for (const c of containers) {
    const buf = raw.get(c.id);
    if (c.state !== 'running' || !buf) continue;
    out[c.id] = splitLines(demultiplex(buf, c.tty), true).map((l) => (l.text.length > MAX_LINE ? { ...l, text: l.text.slice(0, MAX_LINE) } : l));
  }
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
    // the log rule's tails, read beside the snapshot (status reads no more than this of the logs)
    const tails = options.logs === false ? undefined : rawLogTails(client, (err, id) => log.debug({ err, container: id }, 'log tail not read'));
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
    const logs = tails ? logLines(await tails, snapshot.containers) : undefined;
    log.debug({ durationMs: snapshot.durationMs, containers: snapshot.containers.length }, 'snapshot collected');
    return buildStatusReport(snapshot, { notices, ...(logs ? { logs } : {}) });
  } finally {
    client.close();
    store?.close();
  }
}
