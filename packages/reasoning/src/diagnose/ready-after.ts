import { lineLevel } from './log-level.js';
import type { ServiceSignals } from './signals.js';

/** A server saying it accepts connections: MySQL `ready for connections`, Redis `Ready to accept connections`, postgres `database system is ready to accept connections`. */
const READY = /\bready (?:to accept|for) connections\b/i;
/** …or where it listens, naming a port: postgres `listening on IPv4 address "0.0.0.0", port 5432`, `started TCP listener on 127.0.0.1:5672`, `Listening on http://0.0.0.0:8080`. */
const LISTENING = /\b(?:listening|listener|ready|accepting connections|started server|server started|bound)\b/i;

/**
 * When a service that was refused by a dependency's address last heard the dependency say it was ready after that:
 * the dependency's container started after `at`, or one of its lines written after `at` says it accepts
 * connections (on `port`, or with no port named: MySQL's and Redis's ready lines). Refusals before it were its start
 * (a database replaying its log after an unclean stop), not an address that is wrong: nothing listened there yet.
 */
export function readyAfter(dep: ServiceSignals, at: number, port: number | undefined): boolean {
  const live = dep.containers.filter((c) => c.state === 'running');
  if (!live.length) return false;
  if (live.every((c) => c.startedAt !== undefined && Date.parse(c.startedAt) > at)) return true;
  const onPort = port !== undefined ? new RegExp(`(?:[:\\s=]|port:?\\s*)${port}(?!\\d)`) : undefined;
  for (const lines of Object.values(dep.logs)) {
    for (const l of lines) {
      const when = l.timestamp ? Date.parse(l.timestamp) : NaN;
      if (!(when > at)) continue;
      const text = l.text.length > 1024 ? l.text.slice(0, 1024) : l.text;
      if (lineLevel(text) === 'error') continue;
      if (READY.test(text) || (onPort?.test(text) && LISTENING.test(text))) return true;
    }
  }
  return false;
}
