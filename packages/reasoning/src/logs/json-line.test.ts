import { describe, expect, it } from 'vitest';
import { mineTemplates } from './analyze.js';
import { jsonLineFields } from './json-line.js';

describe('structured (JSON) log lines', () => {
  it('reads the message and the field names; without a message, each field as one key=value token', () => {
    expect(jsonLineFields('{"level":"info","msg":"request served","path":"/a/1","user":{"id":7}}')).toEqual({
      message: 'request served',
      fields: [
        ['level', ''],
        ['path', ''],
        ['user', ''],
      ],
    });
    expect(jsonLineFields('  {"message":"cache miss","err":"timed out after 5s"}')?.message).toBe('cache miss');
    expect(jsonLineFields('{"ts":1,"status":200,"err":"timed out after 5s","user":{"id":7}}')).toEqual({
      fields: [
        ['ts', '1'],
        ['status', '200'],
        ['err', 'timed_out_after_5s'],
        ['user', '{"id":7}'],
      ],
    });
  });

  it('leaves other lines alone: not an object, not JSON', () => {
    for (const line of ['[1,2,3]', '{not json}', 'plain text {"a":1}', '{"a":1} trailing']) expect(jsonLineFields(line)).toBeUndefined();
  });

  it('groups JSON lines by their message, whatever the values of their fields', () => {
    const report = mineTemplates([
      '{"level":"info","ts":"2024-05-01T10:00:00.123Z","msg":"request served","path":"/api/users/12","status":200}',
      '{"level":"error","ts":"2024-05-01T10:00:02.789Z","msg":"db query failed","err":"timeout after 5s","query":"select"}',
      '{"level":"info","ts":"2024-05-01T10:00:01.456Z","msg":"request served","path":"/api/orders/9","status":201}',
      '{"level":"error","ts":"2024-05-01T10:00:03.789Z","msg":"db query failed","err":"connection reset","query":"update"}',
    ]);
    expect(report.templates.map((t) => [t.template, t.lines, t.level])).toEqual([
      ['request served level=<*> ts=<*> path=<*> status=<*>', [1, 3], 'info'],
      ['db query failed level=<*> ts=<*> err=<*> query=<*>', [2, 4], 'error'],
    ]);
  });
});
