/**
 * bcon's per-host lock as the engine shows it: a container named LOCK_NAME, created and never started, whose labels
 * say who holds it, since when and why. The executor takes and gives it back; everything else only reads it.
 */
export const LOCK_NAME = 'bcon-lock';
export const LOCK_LABELS = { holder: 'bcon.lock.holder', since: 'bcon.lock.since', message: 'bcon.lock.message' } as const;

export interface HostLock {
  holder: string;
  since: string;
  message: string;
}

/** Is this bcon's lock container (not a service, not drift)? */
export function isLockContainer(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return Boolean(labels?.[LOCK_LABELS.holder]);
}

/** The lock a container's labels hold (`since` falls back to `created`); undefined for any other container. */
export function lockOfLabels(labels: Readonly<Record<string, string>> | null | undefined, created: string): HostLock | undefined {
  const holder = labels?.[LOCK_LABELS.holder];
  if (!holder) return undefined;
  return { holder, since: labels[LOCK_LABELS.since] ?? created, message: labels[LOCK_LABELS.message] ?? '' };
}
