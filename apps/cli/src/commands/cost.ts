import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Cost extends BconCommand {
  static override summary = 'What the model calls cost: today, this week, this month, and by task type.';
  static override description = `Adds up the usage ledger in BCON_HOME/bcon.db: every call through bcon's gateway with its prompt and completion
tokens (as the server counted them) × the model's price (defaults for common hosted models, llm.prices in bcon.yaml,
0 for local models). Cache hits are counted and cost nothing. Periods are in UTC (the week starts on Monday).`;
  static override examples = ['<%= config.bin %> cost', '<%= config.bin %> cost --json'];
  static override flags = {
    now: Flags.string({ description: 'Report as of this time (ISO 8601); default now.', hidden: true }),
    repo: Flags.string({ description: 'Where bcon.yaml (budgets:) is looked for (default: the working directory).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Cost);
    const { buildCostReport, renderCostText } = await import('@bcon/ops/cost');
    const now = flags.now ? Date.parse(flags.now) : Date.now();
    if (Number.isNaN(now)) throw new InputError(`--now: not a time: ${flags.now}`, 'bad_input');
    const { repositoryConfig } = await import('@bcon/ops/ai-session');
    const budgets = (await repositoryConfig(flags.repo ?? process.cwd()))?.budgets as { daily_usd?: number; monthly_usd?: number } | undefined;
    const report = await buildCostReport(now, budgets);
    if (flags.json) this.printJson(report);
    else this.log(renderCostText(report));
  }
}
