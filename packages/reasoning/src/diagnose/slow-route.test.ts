import { describe, expect, it } from 'vitest';
import { slowRoute } from './slow-route.js';

describe('slowRoute', () => {
  const fast = (n: number) => Array.from({ length: n }, (_, i) => 20 + i);
  it('finds one route slow beside the others', () => {
    const r = slowRoute(new Map([['POST /login', [3900, 4200, 5100, 4400]], ['GET /api/search', fast(20)], ['GET /public/img', fast(10)]]));
    expect(r).toMatchObject({ route: 'POST /login', samples: 4 });
    expect(r?.now).toBeGreaterThanOrEqual(4200);
    expect(r?.others).toBeLessThan(40);
  });

  it('prefers the route a person named, then the slowest', () => {
    const routes = new Map([['POST /login', [1500, 1600, 1700]], ['GET /api/export', [9000, 9100, 9200]], ['GET /api/x', fast(20)]]);
    expect(slowRoute(routes)?.route).toBe('GET /api/export');
    expect(slowRoute(routes, ['login'])?.route).toBe('POST /login');
  });

  it('passes over a connection held open by design (a websocket, a stream) unless the person names it', () => {
    const routes = new Map([['GET /api/live/ws', [30000, 30000, 30000]], ['GET /api/x', fast(20)]]);
    expect(slowRoute(routes)).toBeUndefined();
    expect(slowRoute(routes, ['live'])?.route).toBe('GET /api/live/ws');
  });

  it('is nothing with too few requests, a median under 1 s, or others not 10× faster', () => {
    expect(slowRoute(new Map([['POST /login', [4000, 4200]], ['GET /x', fast(20)]]))).toBeUndefined();
    expect(slowRoute(new Map([['POST /login', [900, 950, 990]], ['GET /x', fast(20)]]))).toBeUndefined();
    expect(slowRoute(new Map([['POST /login', [1500, 1600, 1700]], ['GET /x', [300, 300, 300, 300, 300]]]))).toBeUndefined();
    expect(slowRoute(new Map([['POST /login', [4000, 4200, 4400]], ['GET /x', fast(4)]]))).toBeUndefined();
  });
});
