import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { BCON_BIN } from './bcon.js';

export interface ServeProcess {
  /** the printed URL, with its one-time token */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  pid: number;
  output(): string;
  /** SIGTERM by PID, then SIGKILL after 5 s */
  stop(): Promise<void>;
}

/** Start the built `bcon serve --listen 127.0.0.1:0` and read the URL it prints. */
export async function startServe(args: string[], env: Record<string, string | undefined>, options: { cwd?: string } = {}): Promise<ServeProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BCON_BIN, 'serve', '--listen', '127.0.0.1:0', ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, ...(options.cwd ? { cwd: options.cwd } : {}) });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bcon serve printed no URL in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /open (http:\/\/\S+\?token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bcon serve exited (${code}) before printing its URL:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    pid: child.pid as number,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
