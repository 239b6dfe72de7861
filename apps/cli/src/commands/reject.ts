import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Reject extends BconCommand {
  static override summary = 'Reject a pending proposal (recorded in the audit log).';
  static override args = { id: Args.string({ description: 'The proposal id.', required: true, ignoreStdin: true }) };
  static override flags = { actor: Flags.string({ description: 'Who rejects (default: BCON_ACTOR, else user/<login>).' }), reason: Flags.string({ description: 'Why.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Reject);
    const { getProposal, setProposalStatus } = await import('@bcon/store');
    const { actorName, audit } = await import('@bcon/ops');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const p = getProposal(store, args.id);
      if (!p) throw new InputError(`no proposal ${args.id}: see bcon proposals`, 'unknown_proposal');
      if (!setProposalStatus(store, args.id, 'rejected')) throw new InputError(`proposal ${args.id} is ${p.status}, not pending`, 'not_pending');
      audit(store, { actor: actorName(flags.actor), action: 'proposal.reject', target: p.target, approval: 'explicit', result: 'rejected', context: { proposal: p.id, reason: flags.reason ?? '', proposed_by: 'bcon' } });
      if (flags.json) this.printJson({ id: p.id, status: 'rejected' });
      else this.log(`Rejected ${p.id}.`);
    } finally {
      store.close();
    }
  }
}
