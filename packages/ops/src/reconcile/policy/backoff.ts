// Restart backoff per container, as Kubernetes does it (ANCHORS.md): 10 s after the first restart, doubling, capped
// at 5 min, forgotten once the container has been healthy for 10 min. autoheal's restart loops are what this prevents.
import { z } from 'zod';
import { formatDuration, instant } from './duration.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** healthy this long in a row: the next restart starts again at `initialMs` */
  resetAfterMs: number;
}

export const BACKOFF_DEFAULTS: BackoffOptions = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

const ContainerBackoffSchema = z.object({
  /** restarts since the last reset */
  restarts: z.number().int().min(1),
  lastRestartAt: z.number(),
  /** first of the uninterrupted healthy observations since the last restart */
  healthySince: z.number().optional(),
});

/** What is stored between passes (plain JSON), keyed by container (name or id, the loop's choice). */
export const BackoffStateSchema = z.object({
  version: z.literal(1),
  containers: z.record(z.string(), ContainerBackoffSchema),
});
export type BackoffState = z.infer<typeof BackoffStateSchema>;

/** When a container's next restart may happen, for reasons and `bcon reconciler status`. */
export interface BackoffWait {
  restarts: number;
  delayMs: number;
  until: number;
}

export class RestartBackoff {
  private readonly state: BackoffState;
  readonly options: BackoffOptions;

  constructor(state?: BackoffState, options: Partial<BackoffOptions> = {}) {
    this.state = state ? structuredClone(state) : { version: 1, containers: {} };
    this.options = { ...BACKOFF_DEFAULTS, ...options };
  }

  /** Validate stored JSON (throws a ZodError on a corrupt file: the caller decides whether to start afresh). */
  static fromJSON(json: unknown, options?: Partial<BackoffOptions>): RestartBackoff {
    return new RestartBackoff(BackoffStateSchema.parse(json), options);
  }

  /** The delay after the `restarts`-th restart: 10 s, 20 s, 40 s … capped. */
  delayAfter(restarts: number): number {
    if (restarts <= 0) return 0;
    return Math.min(this.options.maxMs, this.options.initialMs * 2 ** (restarts - 1));
  }

  /** The wait in force for `key` at `now`, or undefined when a restart may happen now. */
  wait(key: string, now: number): BackoffWait | undefined {
    const entry = this.current(key, now);
    if (!entry) return undefined;
    const delayMs = this.delayAfter(entry.restarts);
    const until = entry.lastRestartAt + delayMs;
    return now < until ? { restarts: entry.restarts, delayMs, until } : undefined;
  }

  /** Whether `key` may be restarted at `now`. */
  may(key: string, now: number): boolean {
    return this.wait(key, now) === undefined;
  }

  /** A restart of `key` happened at `now`; returns the wait it starts. */
  record(key: string, now: number): BackoffWait {
    const restarts = (this.current(key, now)?.restarts ?? 0) + 1;
    this.state.containers[key] = { restarts, lastRestartAt: now };
    const delayMs = this.delayAfter(restarts);
    return { restarts, delayMs, until: now + delayMs };
  }

  /** `key` was seen healthy at `now`; after `resetAfterMs` of that in a row its backoff is forgotten. */
  healthy(key: string, now: number): void {
    const entry = this.state.containers[key];
    if (!entry) return;
    entry.healthySince ??= now;
    if (now - entry.healthySince >= this.options.resetAfterMs) delete this.state.containers[key];
  }

  /** `key` was seen unhealthy (or stopped) at `now`: its healthy streak starts over. */
  unhealthy(key: string, _now: number): void {
    const entry = this.state.containers[key];
    if (entry) delete entry.healthySince;
  }

  /** `key` is gone (removed, replaced): drop what is known of it. */
  forget(key: string): void {
    delete this.state.containers[key];
  }

  /** A human line for a wait: `backoff until 2026-01-02T18:00:40Z (restart 3, delay 40s)`. */
  static describe(w: BackoffWait): string {
    return `backoff until ${instant(w.until)} (restart ${w.restarts}, delay ${formatDuration(w.delayMs)})`;
  }

  toJSON(): BackoffState {
    return structuredClone(this.state);
  }

  /** The entry for `key`, unless its healthy streak already reached the reset. */
  private current(key: string, now: number): BackoffState['containers'][string] | undefined {
    const entry = this.state.containers[key];
    if (!entry) return undefined;
    if (entry.healthySince !== undefined && now - entry.healthySince >= this.options.resetAfterMs) return undefined;
    return entry;
  }
}
