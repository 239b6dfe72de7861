import { Flags } from '@oclif/core';
import type { AuditVerdict } from '@bcon/store';
import { BconCommand } from '../lib/base-command.js';

/** The verdict for people: the first line says intact or TAMPERED; what the anchor covers follows. */
function verdictText(v: AuditVerdict): string {
  const lines: string[] = [];
  if (v.ok) lines.push(`audit log intact: ${v.entries} entries`);
  if (v.firstBad) lines.push(`audit log TAMPERED at entry ${v.firstBad.seq}: ${v.firstBad.problem}`);
  if (v.missing) {
    const n = v.missing.count;
    lines.push(`audit log TAMPERED: the newest ${n === 1 ? 'entry is' : `${n} entries are`} missing (the anchor records entry ${v.missing.anchorHead} as the newest; the log ends at ${v.missing.lastSeq ? `entry ${v.missing.lastSeq}` : 'nothing'})`);
  }
  if (v.anchorProblem) lines.push(`audit log TAMPERED: ${v.anchorProblem}`);
  if (v.anchor) {
    lines.push(
      v.unanchored > 0
        ? `  entries 1 to ${v.anchor.since - 1} were written before the anchor existed and are checked by their sha256 chain only; entries from ${v.anchor.since} on are covered by the anchor ${v.anchor.file}`
        : `  every entry is covered by the anchor ${v.anchor.file}`,
    );
  } else if (v.ok && v.entries > 0) {
    lines.push(`  no anchor yet: these ${v.entries} entries were written before the anchor existed and are checked by their sha256 chain only; the anchor covers the log from the next entry on`);
  }
  return lines.join('\n');
}

export default class Audit extends BconCommand {
  static override summary = 'The audit log (append-only, hash-chained, anchored outside the database); --verify checks it.';
  static override description = `Every proposal, approval, rejection, execution and result, in order. --verify recomputes the hash chain, checks
each entry's HMAC against the anchor kept beside the database (BCON_HOME/bcon.db.anchor) and the log's end against the
anchor's record of the newest entry. Exit 0 when it is intact; 1 when an entry was edited, deleted or reordered (naming
the first bad entry), the chain was rewritten, the newest entries are missing, or the anchor is missing or edited.`;
  static override flags = {
    since: Flags.string({ description: 'Entries from this time on (ISO 8601, or a period such as 24h).' }),
    verify: Flags.boolean({ description: 'Check the chain: exit 0 intact, 1 tampered.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Audit);
    const { listAudit, verifyAudit } = await import('@bcon/store');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      if (flags.verify) {
        const v = verifyAudit(store);
        if (flags.json) this.printJson(v);
        else this.log(verdictText(v));
        process.exitCode = v.ok ? 0 : 1;
        return;
      }
      let since: string | undefined;
      if (flags.since) {
        const { parseInterval } = await import('@bcon/ops/duration');
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
