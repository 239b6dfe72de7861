import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Resume extends BconCommand {
  static override summary = 'Let the reconcilers act again on the hosts bcon pause stopped.';
  static override flags = {
    actor: Flags.string({ description: 'Who you are (default: BCON_ACTOR, else user/<login>).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Resume);
    const { actorName } = await import('@bcon/ops');
    const { resumeHosts } = await import('@bcon/ops/reconcile');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const { list } = await this.targets();
      const resumed = await resumeHosts(store, list, actorName(flags.actor));
      if (flags.json) this.printJson({ resumed });
      else for (const r of resumed) this.log(r.was ? `Resumed ${r.host} (paused by ${r.was.by} at ${r.was.at}).` : `${r.host} was not paused.`);
    } finally {
      store.close();
    }
  }
}
