import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Ask extends BconCommand {
  static override summary = 'Ask a question about the containers; a model answers by calling read-only tools.';
  static override description = `Needs a model (BCON_LLM_BASE_URL and BCON_LLM_MODEL, or llm: in bcon.yaml). The model may only call read-only
tools (status, inspect, logs, stats, events — all through @bcon/sensor, which cannot write); a call to anything else,
or with arguments that fail the tool's schema, is refused and reported. Everything sent is redacted first. The loop is
bounded in steps, tokens and time.`;
  static override examples = ['<%= config.bin %> ask "why did redis restart last night?"', '<%= config.bin %> ask "which service uses the most memory?" --json'];
  static override args = { question: Args.string({ description: 'The question, in your words.', required: true, ignoreStdin: true }) };
  static override flags = {
    'max-steps': Flags.integer({ description: 'Most tool-calling rounds.', default: 8, min: 1, max: 30 }),
    timeout: Flags.integer({ description: 'Seconds the whole loop may take.', default: 120, min: 5 }),
    repo: Flags.string({ description: 'Where bcon.yaml is looked for (default: the working directory).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Ask);
    // its tools read one engine: with several bcon.yaml hosts, --host says which
    const target = await this.oneTarget('bcon ask');
    const { openAi } = await import('@bcon/ops/ai-session');
    const session = await openAi(flags.repo ?? process.cwd());
    if (!session) {
      throw new InputError('bcon ask needs a model: set BCON_LLM_BASE_URL and BCON_LLM_MODEL (and BCON_LLM_API_KEY for a hosted one), or llm: in bcon.yaml. bcon diagnose works without one.', 'ai_off');
    }
    const { askClient, askTools } = await import('@bcon/ops/ask-tools');
    const { askLoop, DEFAULT_ASK_LIMITS } = await import('@bcon/reasoning/ai');
    const client = askClient(target.env);
    try {
      const { tools, prime } = askTools(client, session.gateway.redactor);
      await prime();
      const result = await askLoop(session.gateway, args.question, tools, { ...DEFAULT_ASK_LIMITS, maxSteps: flags['max-steps'], timeoutMs: flags.timeout * 1000 });
      if (flags.json) {
        this.printJson({ ...result, model: session.settings.model });
        return;
      }
      this.log(result.answer || '(the model gave no answer)');
      this.log('');
      const used = result.steps.filter((s) => s.outcome === 'ok').map((s) => s.tool);
      this.log(`read: ${used.length ? used.join(', ') : 'nothing'} · model ${session.settings.model} · ${result.promptTokens + result.completionTokens} tokens`);
      for (const r of result.refused) this.log(`refused: the model asked for ${r.tool} — ${r.reason}`);
      if (result.stopped) this.log(`note: ${result.stopped}`);
    } finally {
      client.close();
      session.close();
    }
  }
}
