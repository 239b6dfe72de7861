import { Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';

export default class DriftHistory extends BconCommand {
  static override summary = 'Past drift reports, newest first, with what changed between them.';
  static override examples = ['<%= config.bin %> drift history', '<%= config.bin %> drift history --limit 50 --json'];
  static override flags = {
    limit: Flags.integer({ description: 'How many reports to show.', default: 20, min: 1 }),
    repo: Flags.string({ description: 'Only reports of this repository (its root path).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DriftHistory);
    const { openStore, listDriftHistory } = await import('@bcon/store');
    const store = openStore();
    let rows;
    try {
      rows = listDriftHistory(store, { limit: flags.limit, ...(flags.repo ? { repo: flags.repo } : {}) });
    } finally {
      store.close();
    }
    const { driftChanges, renderTable } = await import('@bcon/reasoning');
    type Report = Parameters<typeof driftChanges>[1];
    const parsed = rows.map((r) => ({ ...r, parsed: r.status === 'ERROR' ? undefined : (JSON.parse(r.report) as Report) }));
    if (flags.json) {
      this.printJson({
        history: parsed.map((r) => ({
          at: new Date(r.at).toISOString(),
          engine: r.engine,
          repo: r.repo,
          source: r.source,
          status: r.status,
          differences: r.differences,
          ...(r.parsed ? { drift_report: r.parsed } : { error: r.report }),
        })),
      });
      return;
    }
    if (parsed.length === 0) {
      this.log('No drift report yet: run bcon drift (or bcon drift --watch).');
      return;
    }
    const lines: string[][] = [['TIME', 'STATUS', 'SOURCE', 'ITEMS', 'CHANGES SINCE THE REPORT BEFORE']];
    parsed.forEach((r, i) => {
      // the report before this one in the same scope (rows are newest first)
      const before = parsed.slice(i + 1).find((o) => o.engine === r.engine && o.repo === r.repo && o.parsed);
      let changes: string;
      if (r.parsed) {
        const { appeared, resolved } = driftChanges(before?.parsed, r.parsed);
        changes = [...appeared.map((a) => `+ ${a.summary}`), ...resolved.map((x) => `- ${x.summary}`)].slice(0, 3).join('; ');
        const more = appeared.length + resolved.length - 3;
        if (more > 0) changes += `; ${more} more`;
      } else changes = r.report.slice(0, 100);
      lines.push([new Date(r.at).toISOString().replace(/\.\d{3}Z$/, 'Z'), r.status, r.source, String(r.differences), changes]);
    });
    this.log(renderTable(lines));
  }
}
