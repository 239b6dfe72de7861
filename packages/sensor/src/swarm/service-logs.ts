import type { EngineClient } from '../engine/client.js';
import type { LogLine } from '../collect/logs.js';
import { demultiplex, splitLines } from '../collect/logs.js';

/**
 * The last lines of a swarm service, every task's, through the service logs endpoint (the engine gathers them from
 * each node), bounded in bytes. Without a TTY the stream is multiplexed like a container's.
 */
export async function collectServiceLogs(client: EngineClient, service: string, options: { tail?: number; sinceSeconds?: number; maxBytes?: number } = {}): Promise<{ lines: LogLine[]; truncated: string | undefined }> {
  const since = options.sinceSeconds ? Math.floor(Date.now() / 1000) - options.sinceSeconds : undefined;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const res = await client.serviceLogStream(service, { tail: options.tail ?? 200, ...(since ? { since } : {}) });
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated: string | undefined;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= maxBytes) {
      truncated = `read the first ${Math.round(maxBytes / 1024 / 1024)} MiB of the service's logs only`;
      res.destroy();
      break;
    }
  }
  return { lines: splitLines(demultiplex(Buffer.concat(chunks), false), true), truncated };
}
