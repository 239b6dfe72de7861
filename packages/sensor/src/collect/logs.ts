import type { EngineClient } from '../engine/client.js';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 timestamp from the engine, when asked for. */
  timestamp: string | undefined;
  /** The line without its timestamp (untrusted text). */
  text: string;
}

/**
 * Split Docker's multiplexed log stream (8-byte frame headers: stream id, 3 zero bytes, big-endian size)
 * into stdout and stderr text. A TTY container's stream is not multiplexed and is all stdout.
 */
export function demultiplex(buffer: Buffer, tty: boolean): Array<{ stream: 'stdout' | 'stderr'; text: string }> {
  if (tty) return [{ stream: 'stdout', text: buffer.toString('utf8') }];
  const out: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const end = Math.min(offset + 8 + size, buffer.length);
    out.push({ stream: kind === 2 ? 'stderr' : 'stdout', text: buffer.subarray(offset + 8, end).toString('utf8') });
    offset = end;
  }
  return out;
}

export function splitLines(frames: Array<{ stream: 'stdout' | 'stderr'; text: string }>, timestamps: boolean): LogLine[] {
  // Frames may cut a line in two; join the pieces of each stream before splitting.
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const lines: LogLine[] = [];
  const emit = (stream: 'stdout' | 'stderr', raw: string) => {
    const line = raw.replace(/\r$/, '');
    if (timestamps) {
      const m = /^(\d{4}-\d{2}-\d{2}T\S+) (.*)$/s.exec(line);
      if (m) return lines.push({ stream, timestamp: m[1], text: m[2] ?? '' });
    }
    lines.push({ stream, timestamp: undefined, text: line });
  };
  for (const frame of frames) {
    const parts = (pending[frame.stream] + frame.text).split('\n');
    pending[frame.stream] = parts.pop() ?? '';
    for (const part of parts) emit(frame.stream, part);
  }
  for (const stream of ['stdout', 'stderr'] as const) if (pending[stream]) emit(stream, pending[stream]);
  return lines;
}

/** The last lines a container logged (default 200), with timestamps, stdout and stderr apart. */
export async function collectLogs(
  client: EngineClient,
  container: { id: string; tty: boolean },
  options: { tail?: number; sinceSeconds?: number } = {},
): Promise<LogLine[]> {
  const since = options.sinceSeconds ? Math.floor(Date.now() / 1000) - options.sinceSeconds : undefined;
  const res = await client.logStream(container.id, { ...(options.tail !== undefined || since === undefined ? { tail: options.tail ?? 200 } : {}), since, timestamps: true });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return splitLines(demultiplex(Buffer.concat(chunks), container.tty), true);
}
