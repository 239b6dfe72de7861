import type { HostLock } from '@bcon/sensor';
import type { Store } from '@bcon/store';
import { audit } from '../audit.js';
import type { Target } from '../target.js';
import { targetLabel } from '../target.js';

/** `bcon pause`: the reconcilers' kill switch on each target (on the engine: every reconciler honours it at once). */
export async function pauseHosts(store: Store, targets: readonly Target[], by: string, reason: string): Promise<Array<{ host: string; by: string; at: string; reason: string }>> {
  const { dockerFromEnv, setPause } = await import('@bcon/executor');
  const out = [];
  for (const t of targets) {
    const p = await setPause(dockerFromEnv(t.env), { by, at: new Date().toISOString(), reason });
    audit(store, { actor: by, action: 'reconcile.pause', target: targetLabel(t), approval: 'none', result: 'success', context: { reason } });
    out.push({ host: targetLabel(t), ...p });
  }
  return out;
}

export async function resumeHosts(store: Store, targets: readonly Target[], by: string): Promise<Array<{ host: string; was: { by: string; at: string; reason: string } | null }>> {
  const { clearPause, dockerFromEnv } = await import('@bcon/executor');
  const out = [];
  for (const t of targets) {
    const was = await clearPause(dockerFromEnv(t.env));
    if (was) audit(store, { actor: by, action: 'reconcile.resume', target: targetLabel(t), approval: 'none', result: 'success', context: { paused_by: was.by, paused_at: was.at } });
    out.push({ host: targetLabel(t), was: was ?? null });
  }
  return out;
}

/** The labels `setPause` (@bcon/executor, pause.ts) writes on the pause marker. */
const PAUSE_LABELS = { by: 'bcon.pause.by', at: 'bcon.pause.at', reason: 'bcon.pause.reason' } as const;

export interface HostMarkers {
  pause: { by: string; at: string; reason: string } | undefined;
  lock: HostLock | undefined;
}

/**
 * The pause marker and the lock of one host, read as a pass needs them: two inspects through the sensor's read-only
 * client, over SSH through the host's connection keeper when there is one (BCON_SSH_PERSIST). The write path's
 * dockerode client costs an SSH handshake and a `docker system dial-stdio` on the node per call (about 1 s each on
 * a loaded machine, per host, every pass). Throws when the engine cannot be reached.
 */
export async function readHostMarkers(target: Target): Promise<HostMarkers> {
  const { EngineClient, LOCK_NAME, endpointFromEnv, lockOfLabels } = await import('@bcon/sensor');
  const { PAUSE_NAME } = await import('@bcon/executor');
  const client = new EngineClient(endpointFromEnv(target.env), { env: target.env });
  try {
    await client.connect();
    const [p, l] = await Promise.all([client.inspectContainer(PAUSE_NAME), client.inspectContainer(LOCK_NAME)]);
    const labels = p?.Config?.Labels ?? {};
    const pause = p ? { by: labels[PAUSE_LABELS.by] ?? 'unknown', at: labels[PAUSE_LABELS.at] ?? p.Created, reason: labels[PAUSE_LABELS.reason] ?? '' } : undefined;
    // the container under the lock's name is the lock, whatever its labels say (as readLock reads it)
    const lock = l ? (lockOfLabels(l.Config?.Labels, l.Created) ?? { holder: 'unknown', since: l.Created, message: '' }) : undefined;
    return { pause, lock };
  } finally {
    client.close();
  }
}
