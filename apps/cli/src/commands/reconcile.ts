import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Reconcile extends BconCommand {
  static override summary = 'One reconciler pass: converge every host on the committed desired state, within the guardrails.';
  static override description = `Reads the desired state at HEAD and every bcon.yaml host at once, diagnoses what is not as committed (stopped,
missing replicas, changed limits, re-tagged images, crash loops, OOM kills, unhealthy containers), and decides per
service by the guardrail tiers and bcon.yaml reconcile: (self_heal, budget, deny windows), the pause switch, the
circuit breaker and the restart backoff: executed (autonomous), notified (executed, with a webhook before and
after), proposed (waits for bcon approve) or refused; a service that is wrong but that no action bcon may take
answers is reported (told once per commit, nothing run). Every decision is audited with its reasons, the evidence and
the commit. --dry-run decides the same and executes nothing. The loop is bcon-reconciler; see docs/reconciler.md.`;
  static override examples = ['<%= config.bin %> reconcile --once --dry-run', '<%= config.bin %> reconcile --once --json'];
  static override flags = {
    once: Flags.boolean({ description: 'Run one pass and exit (the loop is bcon-reconciler).', default: false }),
    'dry-run': Flags.boolean({ description: 'Decide and show, execute nothing.', default: false }),
    repo: Flags.string({ description: 'The desired-state repository (default: the working directory).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Reconcile);
    if (!flags.once) throw new InputError('bcon reconcile runs one pass with --once; the loop is bcon-reconciler (docs/reconciler.md)', 'needs_once');
    const { reconcileOnce } = await import('@bcon/ops/reconcile');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      // the hosts of the desired-state repository's bcon.yaml
      if (flags.repo) this.repoDir = flags.repo;
      const { list } = await this.targets();
      const pass = await reconcileOnce({ repo: flags.repo ?? process.cwd(), targets: list, store, dryRun: flags['dry-run'] });
      if (flags.json) {
        this.printJson({ pass });
        return;
      }
      this.log(`Pass at ${pass.startedAt}${pass.commit ? ` on commit ${pass.commit.slice(0, 12)}` : ''}${pass.dryRun ? ' (dry run)' : ''}: ${pass.hosts.map((h) => `${h.name} ${h.status}`).join(', ')} (${pass.durationMs} ms)`);
      if (!pass.decisions.length) this.log('Nothing to do.');
      for (const d of pass.decisions) {
        // a report is no action: its cause, and what a person would do
        this.log(`  ${d.mode.padEnd(9)} ${d.host} ${d.service}: ${d.mode === 'reported' ? d.cause : `${d.action} (tier ${d.tier})`} — ${d.result}`);
        for (const r of d.reasons.slice(d.mode === 'reported' ? 1 : 0, d.mode === 'reported' ? 4 : 3)) this.log(`      - ${r}`);
      }
    } finally {
      store.close();
    }
  }
}
