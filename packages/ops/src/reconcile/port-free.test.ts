import { describe, expect, it } from 'vitest';
import { portFreeServices } from './port-free.js';

const graph = (ports: Record<string, number[]>) => ({ surePorts: (name: string) => ports[name] ?? [], namedPorts: (name: string) => ports[name] ?? [] });
const svc = (name: string, ...states: string[]) => ({ name, containers: states.map((state) => ({ state })) });

describe('portFreeServices (a taken port that may have passed)', () => {
  it('free when nothing running is known to listen on its port', () => {
    expect([...portFreeServices([svc('navidrome', 'exited'), svc('db', 'running')], graph({ navidrome: [4533], db: [5432] }))]).toEqual(['navidrome']);
  });
  it('held by another running service on the same port, by a running replica of its own, or unknown', () => {
    expect(portFreeServices([svc('kuma', 'exited'), svc('old-kuma', 'running')], graph({ kuma: [3001], 'old-kuma': [3001] })).has('kuma')).toBe(false);
    expect(portFreeServices([svc('edge', 'running', 'exited')], graph({ edge: [8080] })).has('edge')).toBe(false);
    expect(portFreeServices([svc('app', 'exited')], graph({})).has('app')).toBe(false);
    // a holder that is itself stopped holds nothing
    expect(portFreeServices([svc('kuma', 'exited'), svc('old-kuma', 'exited')], graph({ kuma: [3001], 'old-kuma': [3001] })).has('kuma')).toBe(true);
  });
});
