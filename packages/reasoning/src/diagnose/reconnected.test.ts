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

  it('refused again after it connected, or connected elsewhere: not ended', () => {
    const again = digestLogs(svc([refused, connected, refused]));
    expect(refusal(again)?.reconnected).toBeUndefined();
    expect(refusalsStopped(refusal(again) as PatternHits, again)).toBe(false);
    const elsewhere = digestLogs(svc([refused, '[2026-12-06 02:17:12,910: INFO/MainProcess] Connected to redis://127.0.0.1:26090/0']));
    expect(refusal(elsewhere)?.reconnected).toBeUndefined();
  });
});
