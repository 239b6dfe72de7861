import { describe, expect, it } from 'vitest';
import type { Applied } from './failed-apply.js';
import { applyKey, failedApplyKey, failedAt } from './failed-apply.js';

const c = (action: string, container = 'shop_db_1', host = 'h1'): Applied => ({ host, option: { action: action as Applied['option']['action'], params: { container } }, candidate: { service: 'shop/db' } });
const at = '2026-12-06T00:00:00.000Z';

describe('the failed-apply memory', () => {
  it('stops a start of the container whose restart failed at this commit, and the other way round', () => {
    const failed = [{ key: failedApplyKey(c('container.restart')), commit: 'abc', at }];
    expect(failedAt(failed, c('container.start'), 'abc')).toMatchObject({ commit: 'abc' });
    const started = [{ key: failedApplyKey(c('container.start')), commit: 'abc', at }];
    expect(failedAt(started, c('container.restart'), 'abc')).toMatchObject({ commit: 'abc' });
  });

  it('lets the same repair run at a new commit, on another container or host, and another kind of action', () => {
    const failed = [{ key: failedApplyKey(c('container.restart')), commit: 'abc', at }];
    expect(failedAt(failed, c('container.start'), 'def')).toBeUndefined();
    expect(failedAt(failed, c('container.start', 'shop_db_2'), 'abc')).toBeUndefined();
    expect(failedAt(failed, c('container.start', 'shop_db_1', 'h2'), 'abc')).toBeUndefined();
    expect(failedAt(failed, c('service.recreate'), 'abc')).toBeUndefined();
    expect(failedAt(failed, c('container.start'), undefined)).toBeUndefined();
  });

  it('still reads an entry kept under the action itself (a state file written before the families)', () => {
    const failed = [{ key: applyKey(c('container.restart')), commit: 'abc', at }];
    expect(failedAt(failed, c('container.restart'), 'abc')).toBeDefined();
  });
});
