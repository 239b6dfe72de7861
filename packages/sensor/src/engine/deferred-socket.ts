import { Duplex } from 'node:stream';

/**
 * A socket-like stream for node:http whose bytes travel over a stream that opens later (an SSH channel, the
 * connection keeper's socket): node:http needs a socket at once, the stream comes after a handshake.
 */
export class DeferredSocket extends Duplex {
  private target: Duplex | undefined;
  private readonly queue: Array<[Buffer, (err?: Error | null) => void]> = [];

  /** Carry the bytes over `stream`; when it closes, `closeError` (if any) fails the socket, else it ends. */
  attach(stream: Duplex, closeError?: () => Error | undefined): void {
    this.target = stream;
    stream.on('data', (d: Buffer) => this.push(d));
    stream.on('error', (err: Error) => this.destroy(err));
    stream.on('close', () => {
      const err = closeError?.();
      if (err) this.destroy(err);
      else this.push(null);
    });
    for (const [chunk, cb] of this.queue.splice(0)) stream.write(chunk, cb);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.target) this.target.write(chunk, cb);
    else this.queue.push([chunk, cb]);
  }
  override _read(): void {}
  override _final(cb: (err?: Error | null) => void): void {
    this.target?.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const t = this.target as (Duplex & { close?: () => void }) | undefined;
    if (t?.close) t.close();
    else t?.destroy();
    cb(err);
  }
  // what node:http asks of a socket
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
