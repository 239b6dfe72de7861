import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Logs extends BconCommand {
  static override summary = 'Group log lines into templates, count them, and mark errors and warnings.';
  static override description = `Reads the logs of a compose service (all its replicas) or of a container, or a file (--file PATH, or - for
standard input), and clusters the lines into templates: variable parts (timestamps, addresses, ids, numbers) become <*>.
Templates are listed most frequent first, each with its level (error / warn / info), the line numbers it grouped,
and its trend against the earlier half of the input: new (absent there) or spiking (3× as many lines now).`;
  static override examples = ['<%= config.bin %> logs api --since 1h', '<%= config.bin %> logs --file /var/log/nginx/error.log', 'journalctl -u docker | <%= config.bin %> logs --file - --json'];
  // ignoreStdin: oclif would otherwise read piped input as the argument; here stdin is the log (--file -)
  static override args = { target: Args.string({ description: 'A compose service or a container name.', required: false, ignoreStdin: true }) };
  static override flags = {
    file: Flags.string({ description: 'Read this file instead of a container (- for standard input).', exclusive: ['since', 'tail'] }),
    since: Flags.string({ description: 'Only lines of this last period (e.g. 10m, 1h, 24h).' }),
    tail: Flags.integer({ description: 'Only the last N lines of each container (default 10000).', min: 1 }),
    'max-lines': Flags.integer({ description: 'Read at most this many lines (the rest is skipped and the output says so).', default: 2_000_000, min: 1 }),
    top: Flags.integer({ description: 'Templates to show in the text view.', default: 30, min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const { readLogLines } = await import('@bcon/ops/logs');
    // with several bcon.yaml hosts and none picked: the host that runs the service
    const target = args.target && !flags.file ? await this.targetOf(args.target) : undefined;
    const input = await readLogLines({
      target: args.target,
      file: flags.file,
      ...(flags.since ? { since: flags.since } : {}),
      ...(flags.tail ? { tail: flags.tail } : {}),
      maxLines: flags['max-lines'],
      ...(target ? { env: target.env } : {}),
    });
    const { mineTemplates, printable, renderTable } = await import('@bcon/reasoning');
    const report = { ...mineTemplates(input.lines), ...(input.truncated ? { truncated: input.truncated } : {}) };
    if (flags.json) {
      this.printJson(report);
      return;
    }
    this.log(`${report.lines} lines from ${input.source}, ${report.templates.length} templates (${report.linesPerSecond.toLocaleString('en')} lines/s)`);
    if (input.truncated) this.log(`note: ${input.truncated}`);
    const rows = [['COUNT', 'LEVEL', 'TREND', 'TEMPLATE']];
    for (const t of report.templates.slice(0, flags.top)) rows.push([String(t.count), t.level, t.trend ?? '-', printable(t.template).slice(0, 160)]);
    this.log('');
    this.log(renderTable(rows));
    if (report.templates.length > flags.top) this.log(`… ${report.templates.length - flags.top} more (--top N, or --json for all)`);
  }
}
