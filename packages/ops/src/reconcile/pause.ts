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
