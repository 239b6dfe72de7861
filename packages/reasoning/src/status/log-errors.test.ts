import { describe, expect, it } from 'vitest';
import type { LogLine } from '@bcon/sensor';
import { NOW } from '../__fixtures__/facts.js';
import { LOG_RULES, describeErrorDominance, errorDominance } from './log-errors.js';

/** `n` lines, one a second, the newest `endAgo` seconds before NOW. */
const lines = (n: number, text: (i: number) => string, endAgo = 0): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({ stream: 'stderr', timestamp: new Date(NOW - (endAgo + n - 1 - i) * 1000).toISOString(), text: text(i) }));

describe('errorDominance (the log rule of status)', () => {
  it('flags output that is nearly all errors, with a redacted sample of the newest', () => {
    const d = errorDominance(lines(60, (i) => `Error: connect ECONNREFUSED 127.0.0.1:5432 (attempt ${i}) password=hunter2secret`), NOW);
    expect(d).toMatchObject({ errors: 60, lines: 60 });
    expect(d?.sample).toContain('ECONNREFUSED');
    expect(d?.sample).not.toContain('hunter2secret');
    expect(describeErrorDominance(d!)).toMatch(/^errors in 60 of 60 log lines of the last 2m: "Error: connect ECONNREFUSED/);
  });

  it('counts an error with a retry line beside it as dominated (half the lines)', () => {
    expect(errorDominance(lines(40, (i) => (i % 2 ? 'retrying in 1s' : 'ERROR request failed: upstream db refused')), NOW)).toMatchObject({ errors: 20, lines: 40 });
  });

  it('does not count WARN lines as errors (a warn-heavy service is ok)', () => {
    expect(errorDominance(lines(100, () => 'WARN slow query took 250ms'), NOW)).toBeUndefined();
  });

  it('ignores errors that are a small share of the output', () => {
    expect(errorDominance(lines(100, (i) => (i % 10 === 0 ? 'ERROR cache miss storm' : 'GET /items 200 3ms')), NOW)).toBeUndefined();
  });

  it('ignores old errors: outside the window, or none in the last seconds', () => {
    expect(errorDominance(lines(50, () => 'ERROR boom'), NOW - 0, { ...LOG_RULES, windowSeconds: 120 })).toBeDefined();
    // all of them older than the window
    expect(errorDominance(lines(50, () => 'ERROR boom', LOG_RULES.windowSeconds + 1), NOW)).toBeUndefined();
    // inside the window, but the newest is older than lastErrorSeconds (a start that recovered)
    expect(errorDominance(lines(20, () => 'ERROR boom', LOG_RULES.lastErrorSeconds + 5), NOW)).toBeUndefined();
  });

  it('needs a minimum number of error lines', () => {
    expect(errorDominance(lines(LOG_RULES.minErrorLines - 1, () => 'ERROR boom'), NOW)).toBeUndefined();
    expect(errorDominance(lines(LOG_RULES.minErrorLines, () => 'ERROR boom'), NOW)).toBeDefined();
  });

  it('takes lines without a timestamp as recent, and skips blank ones', () => {
    const bare: LogLine[] = [...Array.from({ length: 6 }, () => ({ stream: 'stdout' as const, timestamp: undefined, text: 'FATAL: cannot reach queue' })), { stream: 'stdout', timestamp: undefined, text: '   ' }];
    expect(errorDominance(bare, NOW)).toMatchObject({ errors: 6, lines: 6 });
  });

  it('reads a stack trace as one event: a Java exception per request with its frames is still error-dominated', () => {
    const trace = (i: number) => [
      `2026-01-01 ERROR [http-${i}] c.a.OrderController - request failed`,
      'java.net.ConnectException: Connection refused',
      '\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
      '\tat java.base/sun.nio.ch.Net.connect(Net.java:579)',
      '\tat org.postgresql.core.PGStream.<init>(PGStream.java:98)',
      'Caused by: java.io.IOException: closed',
      '\t... 12 more',
    ];
    const texts = Array.from({ length: 8 }, (_, i) => trace(i)).flat();
    const d = errorDominance(lines(texts.length, (i) => texts[i]!), NOW);
    expect(d).toMatchObject({ errors: 8, lines: 8 });
    // the same frames after an ordinary line are lines of their own (an indented config dump is not a trace)
    const dump = Array.from({ length: 8 }, (_, i) => [`INFO settings ${i}:`, '  pool: 10', '  port: 8080', 'ERROR one bad thing']).flat();
    expect(errorDominance(lines(dump.length, (i) => dump[i]!), NOW)).toBeUndefined();
  });
});
