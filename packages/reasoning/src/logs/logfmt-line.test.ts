import { describe, expect, it } from 'vitest';
import { mineTemplates } from './analyze.js';
import { logfmtLineFields } from './logfmt-line.js';

const groups = (lines: string[]) => mineTemplates(lines).templates.map((t) => [t.template, t.lines]);

describe('logfmt lines', () => {
  it('reads pairs with quoted values whole, after a short prefix', () => {
    expect(logfmtLineFields('time=2024-05-01T10:00:00Z level=info msg="request served" err="dial tcp: \\"x\\" refused" n=3')).toEqual({
      prefix: '',
      message: 'request served',
      fields: [
        ['time', '2024-05-01T10:00:00Z'],
        ['level', 'info'],
        ['err', 'dial_tcp:_"x"_refused'],
        ['n', '3'],
      ],
    });
    expect(logfmtLineFields('api-1    | level=warn msg=started')).toEqual({ prefix: 'api-1    |', message: 'started', fields: [['level', 'warn']] });
    expect(logfmtLineFields('at=info method=GET path=/')?.message).toBeUndefined();
    // a compose prefix, a date, a time and a level in front: six words
    expect(logfmtLineFields('api-1  | 2024/05/01 10:00:00 [INFO] main.go:42: msg="cache miss" key=a')?.message).toBe('cache miss');
  });

  it('leaves lines that are not all pairs alone', () => {
    for (const line of ['user=bob logged in', 'error=timeout', 'a b c d e f g x=1 y=2', 'x=1 y="open', 'retry in 5s x=1 y=2 then'])
      expect(logfmtLineFields(line)).toBeUndefined();
  });

  it('groups by the message and the field names: values vary, the message words stay constant', () => {
    expect(
      groups([
        'time=2024-05-01T10:00:00Z level=info msg="request served" method=GET path=/api/orders status=200 duration=12.3ms',
        'time=2024-05-01T10:00:01Z level=info msg="cache miss" key=user:42 backend=redis',
        'time=2024-05-01T10:00:02Z level=info msg="request served" method=POST path=/api/orders/17 status=201 duration=40.1ms',
        'time=2024-05-01T10:00:03Z level=info msg="cache hit" key=user:42 backend=redis',
        'time=2024-05-01T10:00:04Z level=error msg="upstream failed" err="dial tcp 10.0.0.3:5432: connect: connection refused" retry=3',
        'time=2024-05-01T10:00:05Z level=warn msg="request served" method=DELETE path=/health status=503 duration=3ms',
        'time=2024-05-01T10:00:06Z level=error msg="upstream failed" err="context deadline exceeded" retry=1',
        'time=2024-05-01T10:00:07Z level=info msg="cache miss" key=session:abc backend=memcached',
        'time=2024-05-01T10:00:08Z level=info msg="cache hit" key=order:7 backend=redis',
      ]),
    ).toEqual([
      ['request served time=<*> level=<*> method=<*> path=<*> status=<*> duration=<*>', [1, 3, 6]],
      ['cache miss time=<*> level=<*> key=<*> backend=<*>', [2, 8]],
      ['cache hit time=<*> level=<*> key=<*> backend=<*>', [4, 9]],
      ['upstream failed time=<*> level=<*> err=<*> retry=<*>', [5, 7]],
    ]);
  });

  it('keeps messages that differ in one word apart, even with three such words (a message is not a value)', () => {
    expect(
      groups([
        'level=info msg="worker started" id=1',
        'level=info msg="worker stopped" id=1',
        'level=info msg="worker paused" id=2',
        'level=info msg="worker started" id=3',
        'level=info msg=started component=scheduler',
        'level=info msg=stopped component=scheduler',
        'level=info msg=started component=poller',
      ]),
    ).toEqual([
      ['worker started level=<*> id=<*>', [1, 4]],
      ['started level=<*> component=<*>', [5, 7]],
      ['worker stopped level=<*> id=<*>', [2]],
      ['worker paused level=<*> id=<*>', [3]],
      ['stopped level=<*> component=<*>', [6]],
    ]);
  });

  it('keeps the same message with other fields apart, and masks variables inside the message', () => {
    expect(
      groups([
        'level=info msg="retrying in 5s" attempt=1',
        'level=info msg="retrying in 10s" attempt=2',
        'level=info msg="retrying in 5s" attempt=1 err=timeout',
      ]),
    ).toEqual([
      ['retrying in <*> level=<*> attempt=<*>', [1, 2]],
      ['retrying in <*> level=<*> attempt=<*> err=<*>', [3]],
    ]);
  });

  it('reads logfmt and JSON after a compose prefix, and the service prefix stays in the template', () => {
    expect(
      groups([
        'api-1    | time=2024-05-01T10:00:00Z level=info msg="request served" method=GET status=200',
        'api-2    | time=2024-05-01T10:00:01Z level=info msg="request served" method=POST status=201',
        'worker-1  | {"level":30,"time":1714557600000,"msg":"job done","job":"a b"}',
        'worker-1  | {"level":30,"time":1714557601000,"msg":"job done","job":"c"}',
        'worker-1  | {"level":50,"time":1714557601000,"msg":"job failed","job":"c"}',
      ]),
    ).toEqual([
      ['api-<*> | request served time=<*> level=<*> method=<*> status=<*>', [1, 2]],
      ['worker-<*> | job done level=<*> time=<*> job=<*>', [3, 4]],
      ['worker-<*> | job failed level=<*> time=<*> job=<*>', [5]],
    ]);
  });

  it('keeps the words of a compose-prefixed plain line (a Redis-style `pid:role date level` prefix) as its message', () => {
    expect(
      groups([
        'redis-1  | 1:M 01 May 2024 10:00:00.123 * Background saving started by pid 42',
        'redis-1  | 42:C 01 May 2024 10:00:00.200 * DB saved on disk',
        'redis-1  | 1:M 01 May 2024 10:00:00.301 * Background saving terminated with success',
        'redis-1  | 1:M 01 May 2024 10:05:00.124 * Background saving started by pid 57',
        'redis-1  | 57:C 01 May 2024 10:05:00.200 * DB saved on disk',
        'redis-1  | 1:M 01 May 2024 10:05:00.301 * Background saving terminated with success',
        'redis-1  | 1:M 01 May 2024 10:05:00.123 * 100 changes in 300 seconds. Saving...',
        'redis-1  | 1:M 01 May 2024 10:10:00.123 * 1 changes in 3600 seconds. Saving...',
      ]),
    ).toEqual([
      ['redis-<*> | <*>:M <*> May <*> <*> * Background saving started by pid <*>', [1, 4]],
      ['redis-<*> | <*>:C <*> May <*> <*> * DB saved on disk', [2, 5]],
      ['redis-<*> | <*>:M <*> May <*> <*> * Background saving terminated with success', [3, 6]],
      ['redis-<*> | <*>:M <*> May <*> <*> * <*> changes in <*> seconds. Saving...', [7, 8]],
    ]);
  });
});
