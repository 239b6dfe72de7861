import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Reject extends BconCommand {
  static override summary = 'Reject a pending proposal (recorded in the audit log).';
  static override args = { id: Args.string({ description: 'The proposal id.', required: true, ignoreStdin: true }) };
  static override flags = { actor: Flags.string({ description: 'Who rejects (default: BCON_ACTOR, else user/<login>).' }), reason: Flags.string({ description: 'Why.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Reject);
    const { actorName, rejectProposal } = await import('@bcon/ops');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const r = await rejectProposal({ store, id: args.id, actor: actorName(flags.actor), channel: 'cli', ...(flags.reason ? { reason: flags.reason } : {}) });
      if (flags.json) this.printJson(r);
      else this.log(`Rejected ${r.id}.`);
    } finally {
      store.close();
    }
  }
}
