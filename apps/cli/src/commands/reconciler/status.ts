import { BconCommand } from '../../lib/base-command.js';

export default class ReconcilerStatus extends BconCommand {
  static override summary = 'The reconciler: its last pass and decisions, the budget left, open breakers, paused hosts.';

  async run(): Promise<void> {
    const { flags } = await this.parse(ReconcilerStatus);
    const { readReconcilerState } = await import('@bcon/ops/reconcile');
    const state = readReconcilerState();
    const breakers = Object.keys((state.policy as { breaker?: { open?: Record<string, unknown> } } | undefined)?.breaker?.open ?? {});
    const last = state.lastPass as { startedAt?: string; commit?: string | null; hosts?: Array<{ name: string; status: string }>; decisions?: Array<{ mode: string; host: string; service: string; action: string; result: string }> } | undefined;
    const out = { lastPass: last ?? null, openBreakers: breakers, failedApplies: state.failed, pendingProposals: state.proposals, reported: state.reported ?? {} };
    if (flags.json) {
      this.printJson(out);
      return;
    }
    if (!last) this.log('The reconciler has not run a pass yet (bcon reconcile --once, or bcon-reconciler).');
    else {
      this.log(`Last pass ${last.startedAt}${last.commit ? ` on ${last.commit.slice(0, 12)}` : ''}: ${(last.hosts ?? []).map((h) => `${h.name} ${h.status}`).join(', ')}`);
      for (const d of last.decisions ?? []) this.log(`  ${d.mode.padEnd(9)} ${d.host} ${d.service}: ${d.action} — ${d.result}`);
    }
    this.log(breakers.length ? `Open breakers (a person resets them): ${breakers.join(', ')}` : 'No open breaker.');
  }
}
