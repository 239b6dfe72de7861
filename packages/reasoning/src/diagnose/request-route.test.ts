import { describe, expect, it } from 'vitest';
import { requestRoute, routePath } from './request-route.js';

describe('requestRoute', () => {
  it('reads the method and path of access-log, morgan, gin, logfmt and JSON request lines', () => {
    expect(requestRoute('127.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "POST /login?next=%2F HTTP/1.1" 200 87 "-" "curl/8"')).toBe('POST /login');
    expect(requestRoute('POST /api/orders/1234/items 201 38.118 ms - 2048')).toBe('POST /api/orders/:n/items');
    expect(requestRoute('[GIN] 2026/12/06 - 10:00:00 | 200 |    4.2s |  127.0.0.1 | POST     "/login"')).toBe('POST /login');
    expect(requestRoute('logger=context userId=0 orgId=1 t=2026-12-06T10:00:00Z level=info msg="Request Completed" method=POST path=/login status=200 time_ms=4213 duration=4.213s')).toBe('POST /login');
    expect(requestRoute('{"level":"info","method":"GET","url":"/api/users/0b7c4a1e-8c3b-4c52-9f7e-2a1d3c4b5e6f","status":200,"responseTime":12}')).toBe('GET /api/users/:id');
  });

  it('is nothing for a line that names no request', () => {
    expect(requestRoute('conn=1003 op=2 SEARCH RESULT tag=101 err=0 etime=4.2 nentries=1')).toBeUndefined();
    expect(requestRoute('level=info msg="GET is the verb" path=/x')).toBeUndefined();
    expect(routePath('/a/b/c/d/e/f/g/h')).toBe('/a/b/c/d/e/f');
    expect(routePath('/d/aBc9XyZ12/home-overview')).toBe('/d/:id/home-overview');
    expect(routePath('/api/dashboards/home')).toBe('/api/dashboards/home');
  });
});
