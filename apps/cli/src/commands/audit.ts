import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Audit extends BconCommand {
  static override summary = 'The audit log (append-only, hash-chained); --verify checks the chain.';
  static override description = `Every proposal, approval, rejection, execution and result, in order. --verify recomputes the hash chain and exits
0 when it is intact, 1 when an entry was edited, deleted or reordered (naming the first bad entry).`;
  static override flags = {
    since: Flags.string({ description: 'Entries from this time on (ISO 8601, or a period such as 24h).' }),
    verify: Flags.boolean({ description: 'Check the chain: exit 0 intact, 1 tampered.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Audit);
    const { listAudit, verifyAudit } = await import('@bcon/store');
    const { openLevel2Store } = await import('../lib/level2.js');
    const store = await openLevel2Store();
    try {
      if (flags.verify) {
        const v = verifyAudit(store);
        if (flags.json) this.printJson(v);
        else this.log(v.ok ? `audit log intact: ${v.entries} entries` : `audit log TAMPERED at entry ${v.firstBad?.seq}: ${v.firstBad?.problem}`);
        process.exitCode = v.ok ? 0 : 1;
        return;
      }
      let since: string | undefined;
      if (flags.since) {
        const { parseInterval } = await import('../lib/interval.js');
        since = /^\d{4}-/.test(flags.since) ? flags.since : new Date(Date.now() - parseInterval(flags.since)).toISOString();
      }
      const rows = listAudit(store, since);
      if (flags.json) {
        this.printJson({ audit_log: rows.map(({ seq, timestamp, actor, action, target, approval, result, context, hash }) => ({ seq, timestamp, actor, action, target, approval, result, context, hash })) });
        return;
      }
      if (!rows.length) this.log('The audit log is empty.');
      for (const r of rows) this.log(`${String(r.seq).padStart(4)}  ${r.timestamp}  ${r.actor.padEnd(14)} ${r.action.padEnd(26)} ${(typeof r.context['host'] === 'string' ? `${r.target}@${r.context['host']}` : r.target).padEnd(16)} ${r.approval.padEnd(10)} ${r.result}`);
    } finally {
      store.close();
    }
  }
}
