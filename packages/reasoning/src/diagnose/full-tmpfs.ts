import type { ContainerFacts, TmpfsUsage } from '@bcon/sensor';
import type { ServiceSignals } from './signals.js';

/** A tmpfs with less room than this left cannot take a session file, a compiled view, an upload's first chunk… */
const FULL_ROOM_BYTES = 64 * 1024;
/** …nor with less than this share of its size left. */
const FULL_ROOM_SHARE = 0.01;

/** Whether a tmpfs is full: less than 64 KiB or 1 % of its size left. */
export function isFullTmpfs(u: TmpfsUsage): boolean {
  return u.availableBytes <= Math.max(FULL_ROOM_BYTES, u.sizeBytes * FULL_ROOM_SHARE);
}

/**
 * The full tmpfs mounts of a service's own containers (as read by statfs inside them): a restart gives each an
 * empty one — what a tmpfs holds is lost at every start by design.
 */
export function fullTmpfsOf(service: Pick<ServiceSignals, 'containers' | 'tmpfs'>): Array<{ container: ContainerFacts; usage: TmpfsUsage }> {
  return service.containers.flatMap((container) => (service.tmpfs?.[container.id] ?? []).filter(isFullTmpfs).map((usage) => ({ container, usage })));
}
