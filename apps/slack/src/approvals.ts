// Approve and Reject from Slack: who clicked is mapped to a bcon approver (bcon.yaml approvers:), the click is bound
// to the proposal as it was shown, one click runs at a time per proposal, and the approval itself is @bcon/ops
// approveProposal (executeApproved under the lock, with channel `slack`). Every refusal is audited.
import type { Proposal } from '@bcon/decision';
import type { Store } from '@bcon/store';
import { approverOf, readApprovers } from './approvers.js';
import { decidedMessage, noteMessage } from './blocks.js';
import type { SlackOut } from './slack-out.js';
import type { ButtonValue } from './shown-fingerprint.js';
import { readButtonValue, shownFingerprint } from './shown-fingerprint.js';
import { totpModal } from './totp-modal.js';

export interface ApprovalContext {
  repo: string;
  env: NodeJS.ProcessEnv;
  /** `--host`: approvals run there only (a proposal made elsewhere is refused as wrong_host) */
  engineHost?: string | undefined;
  out: SlackOut;
  /** seconds an execution waits for its result to be running and healthy */
  verifyTimeoutMs?: number;
}

/** Where the clicked proposal message is: its channel and ts (to update it and answer in its thread). */
export interface MessageRef {
  channel: string;
  ts: string;
}

export interface Click {
  slackUser: string;
  value: string | undefined;
  message: MessageRef | undefined;
  triggerId: string | undefined;
}

/** A code a first approver gave for a prohibited option, waiting for a second, different approver. */
interface GivenCode {
  approver: string;
  code: string;
  at: number;
}

/** Codes are 30 s TOTP steps: one given longer ago than this cannot still be valid when the second arrives. */
const CODE_LIFETIME_MS = 90_000;

export class Approvals {
  /** proposals being approved right now (a double click, a second approver's click): the second is told, not run */
  private readonly running = new Map<string, string>();
  private readonly codes = new Map<string, GivenCode[]>();

  constructor(private readonly ctx: ApprovalContext) {}

  private async withStore<T>(f: (s: Store) => Promise<T> | T): Promise<T> {
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      return await f(store);
    } finally {
      store.close();
    }
  }

  /** Record a refusal in the audit log and tell only the person who clicked. */
  private async refuse(click: { slackUser: string; message: MessageRef | undefined }, actor: string, target: string, code: string, message: string, context: Record<string, unknown> = {}): Promise<void> {
    const { audit } = await import('@bcon/ops');
    await this.withStore((s) => audit(s, { actor, action: 'approval.refused', target, approval: 'none', result: code, context: { channel: 'slack', slack_user: click.slackUser, reason: message, ...context } }));
    if (click.message) await this.ctx.out.ephemeral(click.message.channel, click.slackUser, noteMessage(`Refused: ${message}`));
  }

  /**
   * What every click checks first: a well-formed button, a mapped approver, a stored proposal that still hashes as
   * it was shown. Undefined when refused (already audited and told).
   */
  private async admit(click: Click): Promise<{ value: ButtonValue; approver: string; proposal: Proposal } | undefined> {
    const value = readButtonValue(click.value);
    if (!value) {
      await this.refuse(click, `slack/${click.slackUser}`, 'unknown', 'bad_button', 'this button does not name a proposal as bcon posts it');
      return undefined;
    }
    const approver = approverOf(await readApprovers(this.ctx.repo), click.slackUser);
    if (!approver) {
      await this.refuse(click, `slack/${click.slackUser}`, value.p, 'unknown_approver', `you are not a bcon approver (Slack user ${click.slackUser} is not in bcon.yaml approvers:); nothing was done`, { proposal: value.p });
      return undefined;
    }
    const { OpsError, loadProposal } = await import('@bcon/ops');
    let stored: Awaited<ReturnType<typeof loadProposal>>;
    try {
      stored = await this.withStore((s) => loadProposal(s, value.p));
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      await this.refuse(click, approver, value.p, err.code, `${err.message}; nothing was done`, { proposal: value.p });
      return undefined;
    }
    const { proposal } = stored;
    if (shownFingerprint(proposal) !== value.h) {
      await this.refuse(click, approver, proposal.target, 'stale', `proposal ${proposal.id} is not what this message showed (it changed since it was posted); nothing was done: /bcon proposals posts it as it is now`, { proposal: proposal.id });
      return undefined;
    }
    return { value, approver, proposal };
  }

  async reject(click: Click): Promise<void> {
    const a = await this.admit(click);
    if (!a) return;
    const { OpsError, rejectProposal } = await import('@bcon/ops');
    try {
      await this.withStore((store) => rejectProposal({ store, id: a.proposal.id, actor: a.approver, channel: 'slack', reason: `rejected in Slack by ${click.slackUser}` }));
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      return this.refuse(click, a.approver, a.proposal.target, err.code, err.message, { proposal: a.proposal.id });
    }
    if (click.message) await this.ctx.out.update(click.message.channel, click.message.ts, decidedMessage(a.proposal, `rejected by ${a.approver}`));
  }

  async approve(click: Click): Promise<void> {
    const a = await this.admit(click);
    if (!a) return;
    const option = a.proposal.options.find((o) => o.n === a.value.n);
    if (option?.tier === 'prohibited' || (a.proposal.intent && a.proposal.minimumTier === 'prohibited')) {
      if (!click.triggerId) return this.refuse(click, a.approver, a.proposal.target, 'needs_two_approvers', 'a prohibited-tier option needs a one-time code from each of two approvers, and Slack gave no way to ask for one', { proposal: a.proposal.id });
      await this.ctx.out.openView(click.triggerId, totpModal(a.proposal, a.value, click.message));
      return;
    }
    await this.run(click, a.approver, a.proposal, a.value.n, []);
  }

  /** A code from the modal: kept until a second, different approver gives one; then the option runs with both. */
  async code(slackUser: string, metadata: string, code: string): Promise<void> {
    let meta: { v: string; c?: string; t?: string };
    try {
      meta = JSON.parse(metadata) as typeof meta;
    } catch {
      return;
    }
    const message = meta.c && meta.t ? { channel: meta.c, ts: meta.t } : undefined;
    const click: Click = { slackUser, value: meta.v, message, triggerId: undefined };
    const a = await this.admit(click);
    if (!a) return;
    const key = `${a.proposal.id}#${a.value.n}`;
    const now = Date.now();
    const given = (this.codes.get(key) ?? []).filter((g) => now - g.at < CODE_LIFETIME_MS && g.approver !== a.approver);
    given.push({ approver: a.approver, code, at: now });
    this.codes.set(key, given);
    if (given.length < 2) {
      if (message) await this.ctx.out.post(message.channel, noteMessage(`${a.approver} approved option ${a.value.n} with a code; a second, different approver must approve it within a minute.`), message.ts);
      return;
    }
    this.codes.delete(key);
    const pair = given.slice(-2);
    await this.run(click, a.approver, a.proposal, a.value.n, pair.map((g) => ({ actor: g.approver, code: g.code })));
  }

  /** Run the approval once: a click while the same proposal runs is told so; the rest is executeApproved's. */
  private async run(click: Click, approver: string, proposal: Proposal, n: number, approvers: Array<{ actor: string; code: string }>): Promise<void> {
    const by = this.running.get(proposal.id);
    if (by) {
      if (click.message) await this.ctx.out.ephemeral(click.message.channel, click.slackUser, noteMessage(`proposal ${proposal.id} is being approved by ${by} now; nothing more was done`));
      return;
    }
    this.running.set(proposal.id, approver);
    const msg = click.message;
    try {
      if (msg) await this.ctx.out.post(msg.channel, noteMessage(`${approvers.length ? approvers.map((x) => x.actor).join(' and ') : approver} approved ${proposal.intent ? 'the intent' : `option ${n}`} of ${proposal.id}: checking it again and running it on the engine…`), msg.ts);
      const { approveProposal, OpsError, resolveTargets } = await import('@bcon/ops');
      try {
        const selection = await resolveTargets({ cwd: this.ctx.repo, env: this.ctx.env, host: this.ctx.engineHost });
        const done = await this.withStore((store) =>
          approveProposal({ store, id: proposal.id, option: proposal.intent ? undefined : n, actor: approver, approvers, channel: 'slack', selection, exitOnSignal: false, ...(this.ctx.verifyTimeoutMs ? { verifyTimeoutMs: this.ctx.verifyTimeoutMs } : {}) }),
        );
        const lines = done.result.results.flatMap((r) => [...r.steps, `${r.status}: ${r.state}`]);
        const outcome = `${done.result.ok ? 'done' : 'failed'} — option ${proposal.intent ? 'all' : n} approved by ${done.result.approvedBy} (${done.result.approval}, tier ${done.result.tier})`;
        if (msg) await this.ctx.out.update(msg.channel, msg.ts, decidedMessage(proposal, outcome, lines));
      } catch (err) {
        if (!(err instanceof OpsError)) throw err;
        // refused by the write path (already audited there): say why; a decided, expired or changed proposal loses its buttons
        if (msg) {
          await this.ctx.out.ephemeral(msg.channel, click.slackUser, noteMessage(`Refused: ${err.message}`));
          await this.ctx.out.post(msg.channel, noteMessage(`not run (${err.code}): ${err.message}`), msg.ts);
          if (['not_pending', 'expired', 'stale'].includes(err.code)) await this.ctx.out.update(msg.channel, msg.ts, decidedMessage(proposal, `not run: ${err.message}`));
        }
      }
    } finally {
      this.running.delete(proposal.id);
    }
  }
}
