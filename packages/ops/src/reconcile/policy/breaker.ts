// The circuit breaker for flapping: the same action on the same service N times within a window means the automatic
// fix is not fixing; the breaker opens and stays open (proposals only) until a person resets it.
import { z } from 'zod';
import { formatDuration, instant } from './duration.js';

export interface BreakerOptions {
  /** repetitions of one action on one scope that open the breaker */
  threshold: number;
  windowMs: number;
}

export const BREAKER_DEFAULTS: BreakerOptions = { threshold: 3, windowMs: 30 * 60_000 };

const EventSchema = z.object({ at: z.number(), scope: z.string(), action: z.string() });

const OpenSchema = z.object({
  openedAt: z.number(),
  action: z.string(),
  /** the repetitions that opened it, and when the first of them was */
  count: z.number().int(),
  firstAt: z.number(),
});
export type BreakerOpen = z.infer<typeof OpenSchema>;

/** What is stored between passes (plain JSON). */
export const BreakerStateSchema = z.object({
  version: z.literal(1),
  recent: z.array(EventSchema),
  open: z.record(z.string(), OpenSchema),
});
export type BreakerState = z.infer<typeof BreakerStateSchema>;

export class CircuitBreaker {
  private readonly state: BreakerState;
  readonly options: BreakerOptions;

  constructor(state?: BreakerState, options: Partial<BreakerOptions> = {}) {
    this.state = state ? structuredClone(state) : { version: 1, recent: [], open: {} };
    this.options = { ...BREAKER_DEFAULTS, ...options };
  }

  static fromJSON(json: unknown, options?: Partial<BreakerOptions>): CircuitBreaker {
    return new CircuitBreaker(BreakerStateSchema.parse(json), options);
  }

  isOpen(scope: string): boolean {
    return scope in this.state.open;
  }

  /** Why the breaker of `scope` is open, or undefined when it is closed. */
  opened(scope: string): BreakerOpen | undefined {
    return this.state.open[scope];
  }

  /** Every open breaker, for `bcon reconciler status`. */
  openScopes(): Array<BreakerOpen & { scope: string }> {
    return Object.entries(this.state.open).map(([scope, o]) => ({ scope, ...o }));
  }

  /**
   * `action` ran on `scope` at `now`. Returns the opening when this repetition opened the breaker (the caller sends
   * the proposal and the notification), else undefined.
   */
  record(scope: string, action: string, now: number): BreakerOpen | undefined {
    const from = now - this.options.windowMs;
    this.state.recent = this.state.recent.filter((e) => e.at > from);
    this.state.recent.push({ at: now, scope, action });
    if (this.isOpen(scope)) return undefined;
    const same = this.state.recent.filter((e) => e.scope === scope && e.action === action);
    if (same.length < this.options.threshold) return undefined;
    const opening = { openedAt: now, action, count: same.length, firstAt: Math.min(...same.map((e) => e.at)) };
    this.state.open[scope] = opening;
    return opening;
  }

  /** A person closes the breaker of `scope`; its history starts over. Returns whether it was open. */
  reset(scope: string): boolean {
    const was = this.isOpen(scope);
    delete this.state.open[scope];
    this.state.recent = this.state.recent.filter((e) => e.scope !== scope);
    return was;
  }

  /** `breaker open for shop/api since …: container.restart 3× within 30m; a person must reset it`. */
  describe(scope: string): string | undefined {
    const o = this.opened(scope);
    if (!o) return undefined;
    const within = formatDuration(this.options.windowMs);
    return `breaker open for ${scope} since ${instant(o.openedAt)}: ${o.action} ${o.count}× within ${within} (flapping); a person must reset it`;
  }

  toJSON(): BreakerState {
    return structuredClone(this.state);
  }
}
