import { lineLevel } from './log-level.js';
import type { ServiceSignals } from './signals.js';

/** A server saying it accepts connections: MySQL `ready for connections`, Redis `Ready to accept connections`, postgres `database system is ready to accept connections`. */
const READY = /\bready (?:to accept|for) connections\b/i;
/** …or where it listens: postgres `listening on IPv4 address "0.0.0.0", port 5432`, `started TCP listener on 127.0.0.1:5672`. */
const LISTENING = /\b(?:listening|listener|ready|accepting connections|started server|server started|bound)\b/i;
/** The ports a line names: `port: 3306`, `port 5432`, `:5672` — not a time's minutes or seconds (`10:00:05.123`). */
const PORTS = /(?:\bport:?\s*|:)(\d{2,5})(?!\d)(?![:.]\d)/gi;
/** The ports a piece of a line names (PORTS). */
const portsIn = (text: string): number[] => [...text.matchAll(PORTS)].map((m) => Number(m[1]));
/** `port: 0`: a server that listens on no TCP port (MySQL's and MariaDB's entrypoint run a setup server that way first). */
const PORT_ZERO = /\bport:?\s*0(?!\d)/i;

/**
 * Whether the service that owns an address, and listens on `port` there (the caller checks that), said it was
 * ready after `at` (the last refusal at that address), and has not died since: one of its lines written after it
 * says it accepts connections — on that port when the line names a port (MySQL's X Plugin
 * `ready for connections … port: 33060` is not its 3306), or naming none (Redis's `Ready to accept connections`).
 * Refusals before it were its start (a database replaying its log after an unclean stop), not a wrong address.
 */
export function readyAfter(dep: ServiceSignals, at: number, port: number): boolean {
  return readyLineAfter(dep, at, port) !== undefined;
}

/** The line readyAfter reads as the owner's readiness (its newest such line), with its container; undefined when none. */
export function readyLineAfter(dep: ServiceSignals, at: number, port: number): { container: string; text: string } | undefined {
  const live = dep.containers.filter((c) => c.state === 'running');
  if (!live.length) return undefined;
  // (a start is no readiness: a crash-looping owner starts after every refusal; it must say it accepts, and not die since)
  const died = dep.events.filter((e) => e.action === 'die').map((e) => e.at);
  for (const [container, lines] of Object.entries(dep.logs)) {
    // the newest lines first: a ready line is near the end of a start
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i] as (typeof lines)[number];
      const when = l.timestamp ? Date.parse(l.timestamp) : NaN;
      if (!(when > at)) break;
      const text = l.text.length > 1024 ? l.text.slice(0, 1024) : l.text;
      const ready = READY.exec(text);
      const listening = LISTENING.exec(text);
      if (!ready && !listening) continue;
      // (the ports after the words: a stamp's seconds before them are no port — MariaDB's `09:24:57 0 [Note] mariadbd:
      // ready for connections.`)
      const after = text.slice(Math.min(ready?.index ?? Infinity, listening?.index ?? Infinity));
      const named = portsIn(after);
      // (ready on no port: the entrypoint's setup server, networking off — not the server clients reach)
      if (PORT_ZERO.test(after)) named.push(0);
      if (named.length ? !named.includes(port) : !ready) continue;
      if (lineLevel(text) !== 'error' && !died.some((d) => d >= when)) return { container, text: text.slice(0, 300) };
    }
  }
  return undefined;
}

/** A server's own word of where it listens: postgres `listening on IPv4 address "127.0.0.1", port 5432`, `Listening on :8080`, `bound to 0.0.0.0:6379`, `ready to accept connections … port: 3306`. */
const LISTENS = /\b(?:listening|listen on|listener|bound to|accepting connections|ready (?:to accept|for) connections)\b/i;
/** …not a client's (`connecting to db:5432`, `listening for jobs from redis:6379`). */
const CLIENT = /\b(?:connect(?:ed|ing)?|dial(?:ing)?|upstream|from|backend)\b/i;

/**
 * The ports a running service's current run says it listens on (its lines since its container last started, not
 * an error's): where it serves, beside what its definition says. Empty when it says none.
 */
export function saidListening(service: Pick<ServiceSignals, 'containers' | 'logs'>): number[] {
  const ports = new Set<number>();
  for (const c of service.containers) {
    if (c.state !== 'running') continue;
    const since = c.startedAt ? Date.parse(c.startedAt) : NaN;
    for (const l of service.logs[c.name] ?? []) {
      // (a line of an earlier run may name a port its configuration no longer gives)
      if (Number.isFinite(since) && l.timestamp && Date.parse(l.timestamp) < since - 1000) continue;
      const text = l.text.length > 1024 ? l.text.slice(0, 1024) : l.text;
      const said = LISTENS.exec(text);
      if (!said || CLIENT.test(text) || lineLevel(text) === 'error') continue;
      // (the ports after the words: a stamp's `05:59:21` before them is a time)
      for (const p of portsIn(text.slice(said.index))) ports.add(p);
    }
  }
  return [...ports];
}
