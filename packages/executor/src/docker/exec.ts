import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { ExecOutput } from '../health/run-healthcheck.js';

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr, trimmed, the last ~2 KB */
  output: string;
}

/**
 * Run a command in a running container through the engine's exec API (no shell unless the command is one), bounded
 * by `timeoutMs`; `env` is passed as the exec's environment (how a file's content reaches the container without a
 * shell-quoted string). A command that does not end in time answers exit code -1.
 */
export async function execIn(docker: Docker, container: string, cmd: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExecResult> {
  const exec = await docker.getContainer(container).exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    Tty: false,
    ...(opts.env ? { Env: Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) } : {}),
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const out = new ExecOutput();
  const ended = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, opts.timeoutMs ?? 15_000);
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  if (!ended) return { exitCode: -1, output: `did not end within ${(opts.timeoutMs ?? 15_000) / 1000} s: ${out.text()}` };
  let info = await exec.inspect();
  for (let i = 0; info.Running && i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    info = await exec.inspect();
  }
  return { exitCode: info.Running ? -1 : (info.ExitCode ?? -1), output: out.text() };
}
