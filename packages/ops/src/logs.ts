import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { EngineClient, collectContainers, collectLogs, endpointFromEnv } from '@bcon/sensor';
import { parseInterval } from './duration.js';
import { OpsError } from './errors.js';

export interface LogInput {
  lines: string[];
  /** what was read, for the header line */
  source: string;
  /** why the input was cut, when it was */
  truncated?: string;
}

async function readStream(stream: NodeJS.ReadableStream, maxLines: number): Promise<{ lines: string[]; truncated?: string }> {
  const lines: string[] = [];
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of rl) {
    if (lines.length >= maxLines) {
      rl.close();
      return { lines, truncated: `read the first ${maxLines.toLocaleString('en')} lines only (--max-lines)` };
    }
    lines.push(line);
  }
  return { lines };
}

/** Lines from a file, standard input, or the containers of a service (all replicas), bounded. */
export async function readLogLines(options: { target?: string | undefined; file?: string | undefined; since?: string; tail?: number; maxLines: number; env?: NodeJS.ProcessEnv }): Promise<LogInput> {
  if (options.file !== undefined) {
    if (options.file === '-') return { ...(await readStream(process.stdin, options.maxLines)), source: 'standard input' };
    const stream = createReadStream(options.file);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err) => reject(new OpsError(`cannot read ${options.file}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, 'file_unreadable')));
    });
    return { ...(await readStream(stream, options.maxLines)), source: options.file };
  }
  if (!options.target) throw new OpsError('name a compose service or a container, or pass --file PATH (- for standard input)', 'no_target');
  const client = new EngineClient(endpointFromEnv(options.env ?? process.env), { env: options.env ?? process.env });
  try {
    const containers = (await collectContainers(client)).filter((c) => !c.compose?.oneoff);
    const matching = containers
      .filter((c) => c.compose?.service === options.target || c.name === options.target)
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    if (matching.length === 0) {
      const known = [...new Set(containers.map((c) => c.compose?.service ?? c.name))].sort();
      throw new OpsError(`no service or container named "${options.target}" on ${client.endpoint.address}; known: ${known.join(', ') || 'none'}`, 'unknown_service');
    }
    const sinceSeconds = options.since ? Math.round(parseInterval(options.since) / 1000) : undefined;
    // --since reads the whole period (bounded by --max-lines below); without it, the last --tail lines
    const tail = options.tail ?? (sinceSeconds ? undefined : 10_000);
    const perContainer = await Promise.all(matching.map((c) => collectLogs(client, c, { ...(tail ? { tail } : {}), ...(sinceSeconds ? { sinceSeconds } : {}) })));
    // interleave by time, as one stream
    const all = perContainer.flat().sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
    const cut = all.length > options.maxLines;
    return {
      lines: all.slice(0, options.maxLines).map((l) => l.text),
      source: `${matching.map((c) => c.name).join(', ')}${sinceSeconds ? ` (last ${options.since})` : ` (last ${tail ?? 10_000} lines each)`}`,
      ...(cut ? { truncated: `read the first ${options.maxLines.toLocaleString('en')} lines only (--max-lines)` } : {}),
    };
  } finally {
    client.close();
  }
}
