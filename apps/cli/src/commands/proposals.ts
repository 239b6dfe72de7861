import type { Proposal } from '@bcon/decision';
import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Proposals extends BconCommand {
  static override summary = 'List stored proposals (pending by default).';
  static override flags = { all: Flags.boolean({ description: 'Also approved, rejected and expired ones.', default: false }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Proposals);
    const { listProposals, openStore } = await import('@bcon/store');
    const { renderProposal } = await import('../lib/level2.js');
    const { publicProposal } = await import('@bcon/ops/propose');
    const store = openStore();
    try {
      const now = Date.now();
      const list = listProposals(store, flags.all ? undefined : 'pending').map((p) => ({ ...p, status: p.status === 'pending' && p.expiresAt < now ? 'expired' : p.status }));
      if (flags.json) {
        this.printJson({ proposals: await Promise.all(list.map(async (p) => ({ ...(await publicProposal(p.body as Proposal)), status: p.status }))) });
        return;
      }
      if (!list.length) this.log('No proposals.');
      for (const p of list) this.log(`${renderProposal(p.body as Parameters<typeof renderProposal>[0])}\n  status: ${p.status}\n`);
    } finally {
      store.close();
    }
  }
}
