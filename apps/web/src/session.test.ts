import { describe, expect, it } from 'vitest';
import { SessionGuard, sameOrigin } from './session.js';

describe('SessionGuard', () => {
  it('the token opens one session, once; a wrong token opens none and does not spend it', () => {
    const g = new SessionGuard();
    const token = g.pendingToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(g.exchange(`${token}x`)).toBeUndefined();
    expect(g.exchange('')).toBeUndefined();
    const s = g.exchange(token);
    expect(s).toBeDefined();
    expect(g.pendingToken).toBeUndefined();
    expect(g.exchange(token)).toBeUndefined();
    expect(g.session(s?.id)).toBe(s);
    expect(g.session('nope')).toBeUndefined();
    expect(g.session(undefined)).toBeUndefined();
  });

  it('checks the CSRF header against the session, and sessions end after their lifetime', async () => {
    const g = new SessionGuard(30);
    const s = g.exchange(g.pendingToken as string);
    if (!s) throw new Error('no session');
    expect(g.csrfOk(s, s.csrf)).toBe(true);
    expect(g.csrfOk(s, undefined)).toBe(false);
    expect(g.csrfOk(s, [s.csrf])).toBe(false);
    expect(g.csrfOk(s, `${s.csrf.slice(0, -1)}A`)).toBe(s.csrf.endsWith('A'));
    await new Promise((r) => setTimeout(r, 50));
    expect(g.session(s.id)).toBeUndefined();
  });
});

describe('sameOrigin', () => {
  const own = 'http://127.0.0.1:7070';
  it('takes the Origin, else the Referer, and refuses when there is neither', () => {
    expect(sameOrigin({ origin: own }, own)).toBe(true);
    expect(sameOrigin({ origin: 'http://localhost:7070' }, own)).toBe(false);
    expect(sameOrigin({ origin: 'null' }, own)).toBe(false);
    expect(sameOrigin({ referer: `${own}/#/proposals` }, own)).toBe(true);
    expect(sameOrigin({ referer: 'http://127.0.0.1:7071/' }, own)).toBe(false);
    expect(sameOrigin({ referer: 'not a url' }, own)).toBe(false);
    expect(sameOrigin({}, own)).toBe(false);
    // an Origin that disagrees wins over a matching Referer
    expect(sameOrigin({ origin: 'http://evil.example', referer: `${own}/` }, own)).toBe(false);
  });
});
