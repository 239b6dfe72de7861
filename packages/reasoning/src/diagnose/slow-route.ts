// One route slow beside a service's other requests (`POST /login` at 4 s, everything else at 30 ms): the service's
// median hides it, a person who logs in feels it.
import { quantile } from './log-digest.js';

export interface SlowRoute {
  route: string;
  /** the route's median, ms */
  now: number;
  p95: number;
  samples: number;
  /** the median of every other request, ms */
  others: number;
  otherSamples: number;
}

/** The least a route's median must be, and how many times the other requests' median, to be slow beside them. */
export const SLOW_ROUTE_MS = 1000;
export const SLOW_ROUTE_RATIO = 10;

/** Paths whose requests stay open by design: websockets, event streams, long polls, media streams, downloads. */
const LONG_LIVED = /\/(?:ws|wss|websockets?|socket\.io|sockjs|streams?|streaming|events|sse|poll|long-?poll|live|subscribe|subscriptions|watch|download|downloads)(?:\/|$)/i;

/**
 * The route whose requests are slow beside the service's other requests: at least 3 of them with a median of 1 s or
 * more and 10× the median of at least 5 others. Where several are, the one whose path holds a word of `words` (what a
 * person said: "login is slow"), else the slowest. Undefined when no route is.
 */
export function slowRoute(byRoute: ReadonlyMap<string, readonly number[]>, words: readonly string[] = []): SlowRoute | undefined {
  const found: SlowRoute[] = [];
  const named = (route: string) => words.some((w) => route.toLowerCase().split(/[^a-z0-9]+/).includes(w));
  for (const [route, xs] of byRoute) {
    if (xs.length < 3) continue;
    // a connection held open by design (a websocket, a stream, a long poll, a download) is long, not slow, unless
    // the person names it
    if (LONG_LIVED.test(route) && !named(route)) continue;
    const now = quantile(xs, 0.5) as number;
    if (now < SLOW_ROUTE_MS) continue;
    const rest = [...byRoute].filter(([r]) => r !== route).flatMap(([, v]) => v);
    if (rest.length < 5) continue;
    const others = quantile(rest, 0.5) as number;
    if (now < others * SLOW_ROUTE_RATIO) continue;
    found.push({ route, now, p95: quantile(xs, 0.95) as number, samples: xs.length, others, otherSamples: rest.length });
  }
  return found.sort((a, b) => Number(named(b.route)) - Number(named(a.route)) || b.now - a.now)[0];
}
