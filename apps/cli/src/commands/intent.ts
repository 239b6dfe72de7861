import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Intent extends BconCommand {
  static override summary = 'Say what you want ("scale api to 3 and give it 1 GB"); review the compose edit; commit and apply it.';
  static override description = `The request becomes typed edit operations (never raw YAML): a deterministic parser in English and Korean, offline.
The compose file is edited keeping comments, order, quoting and anchors, and the diff is shown. Once approved
(a prompt in a terminal, --yes elsewhere) the change is committed to the repository and the changed services are
converged through the executor (scale, memory and CPU limits, env, image), verified and audited. --no-apply --json
prints the operations (or a coded error) and touches nothing.`;
  static override examples = [
    '<%= config.bin %> intent "scale api to 3 and give it 1 GB of memory"',
    '<%= config.bin %> intent "api 서버를 3개로 늘리고 메모리 1GB로 설정해줘" --yes',
    '<%= config.bin %> intent "set LOG_LEVEL=debug on worker" --file compose.yaml --no-apply --json',
  ];
  static override args = { text: Args.string({ description: 'What you want, in your words.', required: true, ignoreStdin: true }) };
  static override flags = {
    repo: Flags.string({ description: 'The compose repository (default: the working directory).' }),
    file: Flags.string({ description: 'The compose file (default: compose.yaml or its older names in the repository).' }),
    yes: Flags.boolean({ description: 'Apply without asking.', default: false }),
    'no-apply': Flags.boolean({ description: 'Only show the operations and the diff; change nothing.', default: false }),
    actor: Flags.string({ description: 'Who approves (default: BCON_ACTOR, else user/<login>).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Intent);
    const { planIntent } = await import('@bcon/ops');
    const { intentFromModel } = await import('@bcon/ops/intent-model');
    let plan;
    try {
      plan = await planIntent(args.text, { repo: flags.repo ?? process.cwd(), file: flags.file, model: intentFromModel });
    } catch (err) {
      const e = err as Error & { code?: string };
      if (flags.json && e.code && ['unknown_service', 'ambiguous', 'contradictory', 'no_change', 'out_of_scope', 'injection'].includes(e.code)) {
        this.printJson({ error: { code: e.code, message: e.message } });
        process.exitCode = 2;
        return;
      }
      throw err;
    }
    const { lineDiff } = await import('@bcon/decision');
    const diff = lineDiff(plan.before, plan.after, 2);
    if (flags['no-apply'] && flags.json) {
      this.printJson({ operations: plan.operations, ...(plan.by === 'model' ? { by: 'model' } : {}) });
      return;
    }
    if (!flags.json) {
      if (plan.by === 'model') this.log('(the model turned this request into the operations below; the parser could not)');
      this.log(plan.file);
      let last = 0;
      for (const d of diff) {
        if (last && d.kind === ' ' && d.line > last + 1) this.log('  …');
        this.log(`${d.kind === ' ' ? ' ' : d.kind} ${d.text}`);
        if (d.kind !== '+') last = d.line;
      }
    }
    if (flags['no-apply']) return;
    // the change converges on the engine that runs the service: found before anything is committed
    const target = plan.operations[0] ? await this.targetOf(plan.operations[0].service) : await this.oneTarget('bcon intent');
    const { actorName, currentGuardrails, interruptedExecutions, intentProposal, publicIntent, runProposal } = await import('@bcon/ops');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      for (const u of await interruptedExecutions(store)) this.warn(`${u.summary}: see bcon journal, then bcon journal resolve ${u.id} --finish or --undo`);
      const actor = actorName(flags.actor);
      const guardrails = await currentGuardrails(plan.root);
      // an intent is a proposal like any other: risk and tier per action, and the tier of every operation
      const { proposal, minimumTier } = await intentProposal({ store, plan, text: args.text, target, guardrails });
      const { stricterTier } = await import('@bcon/decision');
      const tier = proposal.options.reduce((t, o) => stricterTier(t, o.tier), minimumTier);
      if (!flags.json) {
        this.log(`\nIntent ${proposal.id}: tier ${tier}`);
        for (const o of proposal.options) this.log(`  ${o.n}. ${o.summary}   risk: ${o.risk}   tier: ${o.tier}`);
      }
      const byConfirmation = tier === 'autonomous' || tier === 'notify';
      if (!byConfirmation) {
        // explicit needs a person's approval of the proposal; prohibited two approvers with codes: --yes is not that
        const how = tier === 'prohibited' ? `bcon approve ${proposal.id} --approver NAME:CODE --approver NAME:CODE --yes` : `bcon approve ${proposal.id} --yes`;
        if (flags.json) this.printJson({ proposal: proposal.id, tier, status: 'pending', operations: (await publicIntent(args.text, plan.operations)).operations, approve: how, options: proposal.options.map(({ n, action, risk, tier: t, reasons }) => ({ n, action, risk, tier: t, reasons })) });
        else this.log(`This change is ${tier}-tier: nothing was committed or applied. To apply it: ${how}`);
        process.exitCode = 1;
        return;
      }
      const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.json;
      if (!flags.yes) {
        if (!tty) throw new InputError(`add --yes to apply the change (proposal ${proposal.id}; or --no-apply to only show it)`, 'needs_confirmation');
        const { createInterface } = await import('node:readline/promises');
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = (await rl.question('Apply? [y/N] ')).trim();
        rl.close();
        if (!/^y(es)?$/i.test(answer)) {
          this.log(`Nothing changed (proposal ${proposal.id} stays pending until it expires).`);
          return;
        }
      }
      const result = await runProposal({ store, proposal, actor, authority: 'confirmed', channel: 'cli', target, guardrails });
      const commit = String(result.prepared?.['commit'] ?? '');
      const applied = result.results.map((r) => ({ action: r.action, status: r.status, state: r.state }));
      if (flags.json) this.printJson({ proposal: proposal.id, commit, file: plan.file, tier: result.tier, approval: result.approval, operations: (await publicIntent(args.text, plan.operations)).operations, applied, manual: proposal.notes });
      else {
        this.log(`\nCommitted ${commit.slice(0, 7)} (${plan.file}).`);
        for (const r of applied) this.log(`  ${r.status === 'succeeded' ? 'done' : r.status}: ${r.action} — ${r.state}`);
        for (const m of proposal.notes) this.log(`  to do: ${m}`);
        if (!result.ok) this.log('Some changes did not apply; the commit stays (the file is the truth): bcon drift shows what differs.');
      }
      process.exitCode = result.ok ? 0 : 1;
    } finally {
      store.close();
    }
  }
}
