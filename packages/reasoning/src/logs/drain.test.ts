import { describe, expect, it } from 'vitest';
import { levelOf, mineTemplates } from './analyze.js';
import { maskVariables } from './mask.js';

describe('the template miner', () => {
  it('groups lines that differ only in their variables, and keeps different messages apart', () => {
    const report = mineTemplates([
      'Connection from 10.0.0.1:5432 accepted',
      'login of user alice after 35 ms',
      'Connection from 10.0.0.2:5433 accepted',
      'login of user bob after 120 ms',
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      'login of user carol after 7 ms',
    ]);
    expect(report.lines).toBe(6);
    expect(report.templates.map((t) => [t.template, t.count, t.lines, t.level])).toEqual([
      ['login of user <*> after <*> ms', 3, [2, 4, 6], 'info'],
      ['Connection from <*> accepted', 2, [1, 3], 'info'],
      ['Error: connect ECONNREFUSED <*>', 1, [5], 'error'],
    ]);
  });

  it('masks timestamps, addresses, ids and numbers without configuration', () => {
    expect(maskVariables('2026-01-01T10:00:00.123Z GET /api/7 from 192.168.1.4 took 12ms id=0xdeadbeef uuid=123e4567-e89b-12d3-a456-426614174000')).toBe(
      '<*> GET /api/<*> from <*> took <*> id=<*> uuid=<*>',
    );
    expect(maskVariables('proxy.example.com:443 close, lifetime <1 sec')).toBe('<*> close, lifetime <*>');
  });

  it('takes a list of values of any length as one variable', () => {
    const report = mineTemplates(['ask 10.0.0.1:50010 to delete blk_-12 blk_34', 'ask 10.0.0.2:50010 to delete blk_56 blk_-78 blk_9 blk_10']);
    expect(report.templates.map((t) => [t.template, t.count])).toEqual([['ask <*> to delete blk_<*>', 2]]);
  });

  it('reads levels from the words of a line', () => {
    expect(['FATAL: password authentication failed', 'WARNING: slow query', 'ready to accept connections'].map(levelOf)).toEqual(['error', 'warn', 'info']);
  });

  it('copes with odd input: binary bytes, invalid UTF-8, a 1 MB line', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x41]).toString('utf8');
    const report = mineTemplates([binary, 'x'.repeat(1_000_000), '']);
    expect(report.lines).toBe(3);
    expect(report.templates.reduce((a, t) => a + t.count, 0)).toBe(3);
    expect(Math.max(...report.templates.map((t) => t.template.length))).toBeLessThanOrEqual(4096);
  });
});
