import type { ClientChannel } from 'ssh2';
import { SshHostError } from './errors.js';
import { catScript, newMarker, parseCatOutput } from './host-files.js';

/**
 * One `sh` on an SSH host, kept open for the reads of a command (or of the connection keeper): each read of
 * counter files is a script written to its stdin and answered up to an end marker — one round trip, no new
 * session per read. Reads are queued: one script at a time.
 */
export class RemoteShell {
  private buffer = '';
  private waiter: { marker: string; resolve: (text: string) => void; reject: (err: Error) => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed: Error | undefined;

  constructor(
    private readonly channel: ClientChannel,
    private readonly label: string,
  ) {
    channel.on('data', (d: Buffer) => {
      this.buffer += d.toString('utf8');
      const w = this.waiter;
      if (!w) return;
      const end = this.buffer.indexOf(`\n${w.marker} END\n`);
      if (end < 0) return;
      const cut = end + `\n${w.marker} END\n`.length;
      const text = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut);
      this.waiter = undefined;
      w.resolve(text);
    });
    channel.stderr.on('data', () => undefined);
    channel.on('close', () => {
      this.closed = new SshHostError(this.label, 'the shell that reads counter files on the host closed', 'ssh_remote');
      this.waiter?.reject(this.closed);
      this.waiter = undefined;
    });
  }

  /** Read the files (allow-listed paths only); missing or unreadable ones map to undefined. */
  readFiles(paths: readonly string[], timeoutMs = 10_000): Promise<Map<string, string | undefined>> {
    const run = async () => {
      if (this.closed) throw this.closed;
      const marker = newMarker();
      const script = catScript(paths, marker);
      const text = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new SshHostError(this.label, `no answer from the host's shell within ${timeoutMs / 1000} s while reading counters`, 'ssh_remote'));
        }, timeoutMs);
        this.waiter = {
          marker,
          resolve: (t) => {
            clearTimeout(timer);
            resolve(t);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        this.channel.write(script);
      });
      return parseCatOutput(text, marker, paths);
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.channel.end();
  }
}
