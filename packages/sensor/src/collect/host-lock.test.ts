import { describe, expect, it } from 'vitest';
import { isLockContainer, lockOfLabels } from './host-lock.js';

describe("bcon's per-host lock, read from labels", () => {
  it('reads holder, since and message; since falls back to the creation time', () => {
    expect(lockOfLabels({ 'bcon.lock.holder': 'user/alice', 'bcon.lock.since': '2026-11-25T15:40:02Z', 'bcon.lock.message': 'migrating' }, 'x')).toEqual({ holder: 'user/alice', since: '2026-11-25T15:40:02Z', message: 'migrating' });
    expect(lockOfLabels({ 'bcon.lock.holder': 'user/bob' }, '2026-01-01T00:00:00Z')).toEqual({ holder: 'user/bob', since: '2026-01-01T00:00:00Z', message: '' });
  });
  it('says nothing of other containers', () => {
    expect(lockOfLabels({ 'com.docker.compose.service': 'web' }, 'x')).toBeUndefined();
    expect(lockOfLabels(null, 'x')).toBeUndefined();
    expect(isLockContainer({ 'bcon.lock.holder': 'user/alice' })).toBe(true);
    expect(isLockContainer({})).toBe(false);
  });
});
