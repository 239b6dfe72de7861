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

/** Bounds on what one container's log window may cost (untrusted output can be anything). */
export interface LogBounds {
  /** Stop reading after this many bytes of the stream (default 8 MiB). */
  maxBytes?: number;
  /** Keep at most this many characters of one line (default 16 KiB); the rest is dropped. */
  maxLineLength?: number;
}

export interface LogWindow {
  lines: LogLine[];
  /** bytes read from the engine */
  bytes: number;
  /** why the window is incomplete, when it is */
  truncated: string | undefined;
}

/** The last lines a container logged (default 200), with timestamps, stdout and stderr apart. */
export async function collectLogs(
  client: EngineClient,
  container: { id: string; tty: boolean },
  options: { tail?: number; sinceSeconds?: number } = {},
): Promise<LogLine[]> {
  return (await collectLogWindow(client, container, options)).lines;
}

/** Like collectLogs, bounded in bytes and line length, and saying when it was cut. */
export async function collectLogWindow(
  client: EngineClient,
  container: { id: string; tty: boolean },
  options: { tail?: number; sinceSeconds?: number } & LogBounds = {},
): Promise<LogWindow> {
  const since = options.sinceSeconds ? Math.floor(Date.now() / 1000) - options.sinceSeconds : undefined;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const maxLine = options.maxLineLength ?? 16 * 1024;
  const res = await client.logStream(container.id, { ...(options.tail !== undefined || since === undefined ? { tail: options.tail ?? 200 } : {}), since, timestamps: true });
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated: string | undefined;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= maxBytes) {
      truncated = `read the first ${Math.round(maxBytes / 1024 / 1024)} MiB of the log window only`;
      res.destroy();
      break;
    }
  }
  const lines = splitLines(demultiplex(Buffer.concat(chunks), container.tty), true);
  let cut = 0;
  for (const line of lines) {
    if (line.text.length > maxLine) {
      line.text = line.text.slice(0, maxLine);
      cut++;
    }
  }
  if (cut) truncated = [truncated, `${cut} line${cut === 1 ? '' : 's'} longer than ${maxLine / 1024} KiB cut`].filter(Boolean).join('; ');
  return { lines, bytes, truncated };
}
