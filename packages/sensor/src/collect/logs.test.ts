import { describe, expect, it } from 'vitest';
import { demultiplex, splitLines } from './logs.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('log demultiplexing', () => {
  it('splits stdout and stderr frames and joins lines cut across frames', () => {
    const buf = Buffer.concat([
      frame(1, '2026-01-01T10:00:00.000000001Z hello '),
      frame(2, '2026-01-01T10:00:00.5Z boom\n'),
      frame(1, 'world\n2026-01-01T10:00:01Z second\n'),
    ]);
    expect(splitLines(demultiplex(buf, false), true)).toEqual([
      { stream: 'stderr', timestamp: '2026-01-01T10:00:00.5Z', text: 'boom' },
      { stream: 'stdout', timestamp: '2026-01-01T10:00:00.000000001Z', text: 'hello world' },
      { stream: 'stdout', timestamp: '2026-01-01T10:00:01Z', text: 'second' },
    ]);
  });

  it('reads a TTY stream as stdout', () => {
    expect(splitLines(demultiplex(Buffer.from('a\r\nb'), true), false)).toEqual([
      { stream: 'stdout', timestamp: undefined, text: 'a' },
      { stream: 'stdout', timestamp: undefined, text: 'b' },
    ]);
  });

  it('ignores a truncated header', () => {
    expect(demultiplex(Buffer.from([1, 0, 0]), false)).toEqual([]);
  });
});
