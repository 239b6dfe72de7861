import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/** How much of a probe's output is kept (the end of it: where the error usually is). */
export const PROBE_OUTPUT_BYTES = 2048;

/**
 * Reads the frames of an exec stream without a TTY (8-byte header: stream type, 3 zero bytes, big-endian size, then
 * the payload) as they arrive in chunks of any size, keeping only the last `keep` bytes of stdout and stderr together.
 */
export class ExecOutput {
  private pending: Buffer = Buffer.alloc(0);
  private kept: Buffer = Buffer.alloc(0);
  constructor(private readonly keep = PROBE_OUTPUT_BYTES * 4) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1 || type === 2) this.append(payload);
    }
  }

  private append(payload: Buffer): void {
    this.kept = Buffer.concat([this.kept, payload]);
    if (this.kept.length > this.keep) this.kept = this.kept.subarray(this.kept.length - this.keep);
  }

  /** The output, trimmed, at most its last `bytes` bytes (cut on a character boundary). */
  text(bytes = PROBE_OUTPUT_BYTES): string {
    return lastBytes(this.kept.toString('utf8').trim(), bytes);
  }
}

/** The end of a text in at most `bytes` UTF-8 bytes, on a character boundary. */
export function lastBytes(text: string, bytes: number): string {
  const b = Buffer.from(text, 'utf8');
  if (b.length <= bytes) return text;
  return b
    .subarray(b.length - bytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '')
    .trim();
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr, trimmed, the last ~2 KB */
  output: string;
  /** the command did not end within the timeout (exit code -1) */
  timedOut: boolean;
  /** when it timed out: what it had written, at most `partialBytes` */
  partial?: string;
}

/**
 * Run a command in a running container through the engine's exec API (no shell unless the command is one), bounded
 * by `timeoutMs`; `env` is passed as the exec's environment (how a file's content reaches the container without a
 * shell-quoted string). A command that does not end in time answers exit code -1.
 */
/** `outputBytes`: how much of the output's end to keep (default: a probe's few KB). */
export async function execIn(docker: Docker, container: string, cmd: string[], opts: { env?: Record<string, string>; timeoutMs?: number; partialBytes?: number; outputBytes?: number } = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const started = Date.now();
  const exec = await docker.getContainer(container).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    Tty: false,
    ...(opts.env ? { Env: Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) } : {}),
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const out = new ExecOutput(opts.outputBytes ? Math.max(opts.outputBytes, PROBE_OUTPUT_BYTES * 4) : undefined);
  const ended = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, timeoutMs);
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  if (!ended) return { exitCode: -1, output: `did not end within ${timeoutMs / 1000} s: ${out.text()}`, timedOut: true, partial: out.text(opts.partialBytes) };
  // the stream ends as the process does; the exit code may take a moment to be recorded
  let info = await exec.inspect();
  for (let i = 0; info.Running && i < 40 && Date.now() - started < timeoutMs; i++) {
    await new Promise((r) => setTimeout(r, 50));
    info = await exec.inspect();
  }
  return { exitCode: info.Running ? -1 : (info.ExitCode ?? -1), output: out.text(opts.outputBytes), timedOut: false };
}
