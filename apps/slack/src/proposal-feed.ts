// New proposals (from bcon propose, diagnose --propose, intent, or the reconciler) posted on their own to the
// bcon.yaml `notify: [{ slack: "#ops" }]` channels, with their Approve/Reject buttons.
import type { Proposal } from '@bcon/decision';
import { proposalMessage } from './blocks.js';
import type { SlackOut } from './slack-out.js';

/** The Slack channels of bcon.yaml `notify:` (parsed as the reconciler parses it); none without a bcon.yaml. */
export async function notifyChannels(repo: string): Promise<string[]> {
  const { readRepositoryConfig } = await import('@bcon/ops/repository-config');
  const found = await readRepositoryConfig(repo);
  if (!found) return [];
  const { parsePolicyConfig } = await import('@bcon/ops/reconcile');
  return parsePolicyConfig(found.config).notify.flatMap((t) => (t.kind === 'slack' ? [t.channel] : []));
}

export interface ProposalFeedOptions {
  repo: string;
  out: SlackOut;
  /** proposals made before this are not posted on their own (/bcon proposals posts them) */
  since: number;
  intervalMs: number;
  pending: () => Promise<Proposal[]>;
  onError: (err: unknown) => void;
}

/** Looks for new pending proposals every interval and posts each once to every notify channel. */
export class ProposalFeed {
  private readonly posted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly o: ProposalFeedOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One look: new proposals posted (a channel that fails is reported and tried again at the next look). */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const channels = await notifyChannels(this.o.repo);
      if (!channels.length) return;
      const fresh = (await this.o.pending()).filter((p) => !this.posted.has(p.id) && Date.parse(p.createdAt) >= this.o.since);
      if (!fresh.length) return;
      const { publicProposal } = await import('@bcon/ops');
      for (const p of fresh) {
        const message = proposalMessage(p, await publicProposal(p));
        for (const c of channels) await this.o.out.post(c, message);
        this.posted.add(p.id);
      }
    } catch (err) {
      this.o.onError(err);
    } finally {
      this.busy = false;
    }
  }
}
