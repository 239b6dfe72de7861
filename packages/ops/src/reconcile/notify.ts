import type { NotifyTarget } from './policy/config.js';

export interface Notification {
  event: 'before' | 'after' | 'proposed' | 'reported';
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
  if (n.event === 'reported') return `bcon reconciler: ${n.service} on ${n.host} needs a person (no action bcon may take answers it): ${n.action}${n.result ? ` — ${n.result}` : ''}`;
  const what = n.event === 'before' ? 'about to run' : n.event === 'after' ? 'ran' : 'proposes';
  return `bcon reconciler ${what} on ${n.host}: ${n.action} (${n.service}, tier ${n.tier})${n.result ? ` — ${n.result}` : ''}${n.reasons[0] ? `; ${n.reasons[0]}` : ''}`;
}

let slackTokenNoted = false;

/**
 * Post to a Slack channel as the bot (`bcon slack`'s SLACK_BOT_TOKEN, and SLACK_API_URL for a Slack-compatible
 * endpoint): chat.postMessage, the text redacted as the CLI redacts. Without a token, said once on stderr.
 */
async function postToSlack(channel: string, n: Notification, env: NodeJS.ProcessEnv): Promise<void> {
  const token = env['SLACK_BOT_TOKEN'];
  if (!token) {
    if (!slackTokenNoted) process.stderr.write(`bcon: note: notify: slack: ${channel} is skipped: SLACK_BOT_TOKEN is not set for this process\n`);
    slackTokenNoted = true;
    return;
  }
  const base = env['SLACK_API_URL'] || 'https://slack.com/api/';
  const url = new URL('chat.postMessage', base.endsWith('/') ? base : `${base}/`);
  try {
    const { redactText } = await import('@bcon/reasoning/redact');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: JSON.stringify({ channel, text: redactText(notificationText(n)), unfurl_links: false }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!res.ok || !body.ok) process.stderr.write(`bcon: note: Slack did not take the notification for ${channel} (${res.status}${body.error ? ` ${body.error}` : ''})\n`);
  } catch (err) {
    process.stderr.write(`bcon: note: Slack (${url.host}) could not be reached for ${channel} (${(err as Error).message})\n`);
  }
}

/**
 * Send a notification to every target of bcon.yaml `notify:`: each webhook (JSON POST, 5 s time-out), and each
 * `slack:` channel through the bot's token (chat.postMessage). A target that fails is reported on stderr and never
 * stops the pass. True when every webhook took it (a Slack post's failure is noted on stderr, not counted).
 */
export async function notifyAll(targets: readonly NotifyTarget[], n: Notification, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const hooks = targets.flatMap((t) => (t.kind === 'webhook' ? [t.url] : []));
  const channels = targets.flatMap((t) => (t.kind === 'slack' ? [t.channel] : []));
  const sent = await Promise.all([
    ...channels.map(async (c) => {
      await postToSlack(c, n, env);
      return true;
    }),
    ...hooks.map(async (url) => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: notificationText(n), bcon: n }), signal: AbortSignal.timeout(5000) });
        if (!res.ok) process.stderr.write(`bcon: note: the webhook ${new URL(url).host} answered ${res.status}\n`);
        return res.ok;
      } catch (err) {
        process.stderr.write(`bcon: note: the webhook ${new URL(url).host} could not be reached (${(err as Error).message})\n`);
        return false;
      }
    }),
  ]);
  return sent.every(Boolean);
}
