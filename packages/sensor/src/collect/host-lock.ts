/**
 * bcon's per-host lock as the engine shows it: a container named LOCK_NAME, created and never started, whose labels
 * say who holds it, since when, why, which process (host, pid, start) and until when (the lease). The executor takes
 * and gives it back; everything else only reads it.
 */
export const LOCK_NAME = 'bcon-lock';
export const LOCK_LABELS = {
  holder: 'bcon.lock.holder',
  since: 'bcon.lock.since',
  message: 'bcon.lock.message',
  /** JSON { host, pid, startedAt } of the process that took it */
  owner: 'bcon.lock.owner',
  /** ISO time the lease runs out */
  expires: 'bcon.lock.expires',
} as const;

export interface LockOwner {
  /** the machine's hostname */
  host: string;
  pid: number;
  /** ms since epoch */
  startedAt: number;
}

export interface HostLock {
  holder: string;
  since: string;
  message: string;
  owner?: LockOwner;
  /** when the lease runs out (ISO); a lock without one (taken by an older bcon) never expires by itself */
  expiresAt?: string;
}

/** Is this one of bcon's marker containers — the lock, or the reconcilers' pause switch (not a service, not drift)? */
export function isLockContainer(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return Boolean(labels?.[LOCK_LABELS.holder] ?? labels?.['bcon.pause.by']);
}

function ownerOf(text: string | undefined): LockOwner | undefined {
  if (!text) return undefined;
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.host === 'string' && Number.isInteger(o.pid) && typeof o.startedAt === 'number' ? { host: o.host, pid: o.pid as number, startedAt: o.startedAt } : undefined;
  } catch {
    return undefined;
  }
}

/** The lock a container's labels hold (`since` falls back to `created`); undefined for any other container. */
export function lockOfLabels(labels: Readonly<Record<string, string>> | null | undefined, created: string): HostLock | undefined {
  const holder = labels?.[LOCK_LABELS.holder];
  if (!holder) return undefined;
  const owner = ownerOf(labels[LOCK_LABELS.owner]);
  const expires = labels[LOCK_LABELS.expires];
  return { holder, since: labels[LOCK_LABELS.since] ?? created, message: labels[LOCK_LABELS.message] ?? '', ...(owner ? { owner } : {}), ...(expires && !Number.isNaN(Date.parse(expires)) ? { expiresAt: expires } : {}) };
}

/** The labels that write a lock. */
export function lockLabels(lock: HostLock): Record<string, string> {
  return {
    [LOCK_LABELS.holder]: lock.holder,
    [LOCK_LABELS.since]: lock.since,
    [LOCK_LABELS.message]: lock.message,
    ...(lock.owner ? { [LOCK_LABELS.owner]: JSON.stringify(lock.owner) } : {}),
    ...(lock.expiresAt ? { [LOCK_LABELS.expires]: lock.expiresAt } : {}),
  };
}

/**
 * Why a lock is stale, or undefined while it is live: its lease ran out, or the process that took it on this very
 * machine is gone (a pid that is not alive, or alive but started after the lock: a reused pid). A lock held from
 * another machine is judged by its lease only.
 */
export function lockStaleness(lock: HostLock, now: number, here: { hostname: string; pidAlive: (pid: number) => boolean; pidStartedAt?: (pid: number) => number | undefined }): string | undefined {
  if (lock.expiresAt && Date.parse(lock.expiresAt) <= now) return `its lease ran out at ${lock.expiresAt}`;
  const o = lock.owner;
  if (o && o.host === here.hostname) {
    if (!here.pidAlive(o.pid)) return `the process that took it (pid ${o.pid} on ${o.host}) is gone`;
    const started = here.pidStartedAt?.(o.pid);
    if (started !== undefined && started > o.startedAt + 1000) return `the process that took it (pid ${o.pid} on ${o.host}) is gone (the pid was reused)`;
  }
  return undefined;
}
