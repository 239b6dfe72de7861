import { describe, expect, it } from 'vitest';
import type { PatternHits } from './log-digest.js';
import { digestLogs } from './log-digest.js';
import { saysReconnected } from './reconnected.js';
import { refusalsStopped } from './refusals-stopped.js';
import type { ServiceSignals } from './signals.js';

const amqp = [{ host: '127.0.0.1', port: 5672 }];

describe('saysReconnected', () => {
  it('a connected line naming the refused port', () => {
    expect(saysReconnected('[2026-12-06 02:17:14,101: INFO/MainProcess] Connected to amqp://guest:**@127.0.0.1:5672//', 'info', amqp)).toBe(true);
    expect(saysReconnected('2026-12-06T02:17:14Z pool: connection established to 127.0.0.1:5672', 'info', amqp)).toBe(true);
    expect(saysReconnected('Reconnected to redis at redis-cache:6379', 'info', [{ host: 'redis-cache' }])).toBe(true);
  });

  it('not another port, not a failure, not an error line, not disconnected', () => {
    expect(saysReconnected('Connected to amqp://guest:**@127.0.0.1:15672//', 'info', amqp)).toBe(false);
    expect(saysReconnected('Connected to postgres at 127.0.0.1:5432', 'info', amqp)).toBe(false);
    expect(saysReconnected('consumer: not connected to 127.0.0.1:5672 yet', 'info', amqp)).toBe(false);
    expect(saysReconnected('Could not connect: connected=false 127.0.0.1:5672', 'info', amqp)).toBe(false);
    expect(saysReconnected('disconnected from 127.0.0.1:5672', 'info', amqp)).toBe(false);
    expect(saysReconnected('Connected to 127.0.0.1:5672', 'error', amqp)).toBe(false);
    // another host on the same port, a server's own incoming connection, a host name of hex letters
    expect(saysReconnected('Connected to redis://broker:6379/0', 'info', [{ host: 'cache', port: 6379 }])).toBe(false);
    expect(saysReconnected('Connected to redis://cache:6379/0', 'info', [{ host: 'cache', port: 6379 }])).toBe(true);
    expect(saysReconnected('client connected on port 5672', 'info', amqp)).toBe(false);
    expect(saysReconnected('Connected to postgres at cafe:5432', 'info', [{ host: 'db', port: 5432 }])).toBe(false);
    // a refusal that named no address: nothing to match
    expect(saysReconnected('Connected to 127.0.0.1:5672', 'info', [])).toBe(false);
  });
});

describe('digestLogs marks refusals the service says ended', () => {
  const svc = (lines: string[]): ServiceSignals =>
    ({ name: 'consumer', logs: { consumer_1: lines.map((text, i) => ({ text, timestamp: new Date(Date.UTC(2026, 11, 6, 2, 17, 10, i * 500)).toISOString() })) } }) as unknown as ServiceSignals;
  const refused = '[2026-12-06 02:17:10,270: ERROR/MainProcess] consumer: Cannot connect to amqp://pipeline:**@127.0.0.1:26082//: [Errno 111] Connection refused.';
  const connected = '[2026-12-06 02:17:12,910: INFO/MainProcess] Connected to amqp://pipeline:**@127.0.0.1:26082//';
  const refusal = (d: ReturnType<typeof digestLogs>) => [...d.hits.values()].find((h) => h.matches[0]?.pattern.cause === 'connection_refused');

  it('refused twice, then connected: the refusals ended, whatever the time since', () => {
    const d = digestLogs(svc([refused, 'Trying again in 2.00 seconds... (1/100)', refused, connected, 'celery@pipeline-consumer ready.']));
    expect(refusal(d)?.reconnected?.text).toBe(connected);
    expect(refusalsStopped(refusal(d) as PatternHits, d)).toBe(true);
  });

  it('the last refusal is the one that counts: a connection to the first address refused does not end refusals elsewhere', () => {
    const db = '[2026-12-06 02:17:11,000: ERROR/MainProcess] dial tcp 127.0.0.1:26090: connect: connection refused';
    const d = digestLogs(svc([...Array.from({ length: 60 }, () => refused), db, connected]));
    expect([...d.hits.values()].filter((h) => h.matches[0]?.pattern.cause === 'connection_refused').some((h) => h.reconnected), JSON.stringify([...d.hits.keys()])).toBe(false);
  });

  it('refused again after it connected, or connected elsewhere: not ended', () => {
    const again = digestLogs(svc([refused, connected, refused]));
    expect(refusal(again)?.reconnected).toBeUndefined();
    expect(refusalsStopped(refusal(again) as PatternHits, again)).toBe(false);
    const elsewhere = digestLogs(svc([refused, '[2026-12-06 02:17:12,910: INFO/MainProcess] Connected to redis://127.0.0.1:26090/0']));
    expect(refusal(elsewhere)?.reconnected).toBeUndefined();
  });
});
