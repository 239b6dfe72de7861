import type { NotifyTarget } from './policy/config.js';

export interface Notification {
  event: 'before' | 'after' | 'proposed';
  host: string;
  service: string;
  action: string;
  tier: string;
  reasons: string[];
  commit: string | null;
  result?: string;
}

/** One line for people (Slack incoming-webhook compatible `text`), with the structured notification beside it. */
export function notificationText(n: Notification): string {
  const what = n.event === 'before' ? 'about to run' : n.event === 'after' ? 'ran' : 'proposes';
  return `bcon reconciler ${what} on ${n.host}: ${n.action} (${n.service}, tier ${n.tier})${n.result ? ` — ${n.result}` : ''}${n.reasons[0] ? `; ${n.reasons[0]}` : ''}`;
}

/**
 * Send a notification to every webhook of bcon.yaml `notify:` (JSON POST, 5 s time-out). A webhook that fails is
 * reported on stderr and never stops the pass. `slack:` targets are the Slack bot's (not sent from here).
 */
export async function notifyAll(targets: readonly NotifyTarget[], n: Notification): Promise<void> {
  const hooks = targets.flatMap((t) => (t.kind === 'webhook' ? [t.url] : []));
  await Promise.all(
    hooks.map(async (url) => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: notificationText(n), bcon: n }), signal: AbortSignal.timeout(5000) });
        if (!res.ok) process.stderr.write(`bcon: note: the webhook ${new URL(url).host} answered ${res.status}\n`);
      } catch (err) {
        process.stderr.write(`bcon: note: the webhook ${new URL(url).host} could not be reached (${(err as Error).message})\n`);
      }
    }),
  );
}
