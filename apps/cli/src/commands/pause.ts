import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Pause extends BconCommand {
  static override summary = 'Stop every reconciler from acting on the hosts (a kill switch, kept on each engine).';
  static override description = `Every bcon.yaml host (or the one --host names) is paused: each reconciler that reads it refuses every action there
at once, whichever control host it runs on, until bcon resume. Audited.`;
  static override examples = ['<%= config.bin %> pause --reason "db migration"', '<%= config.bin %> pause --host web1'];
  static override flags = {
    reason: Flags.string({ description: 'Why (shown in every refusal and the audit log).', default: '' }),
    actor: Flags.string({ description: 'Who you are (default: BCON_ACTOR, else user/<login>).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Pause);
    const { actorName } = await import('@bcon/ops');
    const { pauseHosts } = await import('@bcon/ops/reconcile');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const { list } = await this.targets();
      const paused = await pauseHosts(store, list, actorName(flags.actor), flags.reason);
      if (flags.json) this.printJson({ paused });
      else for (const p of paused) this.log(`Paused ${p.host} (by ${p.by} at ${p.at}${p.reason ? `: ${p.reason}` : ''}).`);
    } finally {
      store.close();
    }
  }
}
