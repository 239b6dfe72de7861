import type { ContainerFacts } from '@bcon/sensor';
import type { ServiceSignals } from './signals.js';

/** Host paths that many containers bind by design (the engine's socket, the clock, kernel interfaces): not data. */
const SYSTEM_PATH = /^\/(?:var\/run|run|proc|sys|dev)(?:\/|$)|^\/etc\/(?:localtime|timezone|hosts|resolv\.conf)$/;

/** The data a container can write: its writable named volumes and its writable binds outside system paths. */
function writableData(c: ContainerFacts): string[] {
  return c.mounts
    .filter((m) => !m.readOnly)
    .flatMap((m) => (m.type === 'volume' && m.name ? [`volume ${m.name}`] : m.type === 'bind' && !SYSTEM_PATH.test(m.source) ? [`bind ${m.source}`] : []));
}

/**
 * Where a container outside the committed files writes the same data as a declared service: a named volume or a host
 * directory both mount writable (an old `docker run` of the app left running beside its compose service: two writers
 * on one database). Each shared mount once, with the declared service that shares it.
 */
export function sharedWritableData(untracked: ServiceSignals, services: readonly ServiceSignals[]): Array<{ data: string; service: string }> {
  const mine = new Set(untracked.containers.filter((c) => c.state === 'running' || c.state === 'restarting').flatMap(writableData));
  if (!mine.size) return [];
  const out: Array<{ data: string; service: string }> = [];
  for (const s of services) {
    if (s === untracked || s.untracked) continue;
    for (const data of new Set(s.containers.filter((c) => c.state === 'running' || c.state === 'restarting').flatMap(writableData))) if (mine.has(data)) out.push({ data, service: s.name });
  }
  return out;
}
