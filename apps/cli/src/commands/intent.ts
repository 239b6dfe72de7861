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
    const { planIntent } = await import('../lib/intent.js');
    let plan;
    try {
      plan = await planIntent(args.text, { repo: flags.repo ?? process.cwd(), file: flags.file });
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
    const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.json;
    if (!flags.yes) {
      if (!tty) throw new InputError('add --yes to apply the change (or --no-apply to only show it)', 'needs_confirmation');
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await rl.question('Apply? [y/N] ')).trim();
      rl.close();
      if (!/^y(es)?$/i.test(answer)) {
        this.log('Nothing changed.');
        return;
      }
    }
    // the change converges on the engine that runs the service: found before anything is committed
    if (!process.env['DOCKER_HOST'] && plan.operations[0]) await this.useHostOf(plan.operations[0].service);
    const { randomBytes } = await import('node:crypto');
    const id = `i-${randomBytes(4).toString('hex')}`;
    const { commitFile, dockerFromEnv, executeAction } = await import('@bcon/executor');
    const commit = await commitFile(plan.root, plan.file, plan.after, `bcon intent: ${args.text}\n\nproposal: ${id}\noperations: ${JSON.stringify(plan.operations)}\n`);
    const { actorName, audit, openLevel2Store } = await import('../lib/level2.js');
    const actor = actorName(flags.actor);
    const store = await openLevel2Store();
    const results: Array<{ action: string; status: string; state: string }> = [];
    try {
      await audit(store, { actor, action: 'intent.commit', target: plan.operations.map((o) => o.service).filter((v, i, a) => a.indexOf(v) === i).join(','), approval: 'explicit', result: 'success', context: { proposal: id, reason: args.text, proposed_by: 'bcon', commit, operations: plan.operations } });
      const { convergeActions } = await import('../lib/intent.js');
      const converge = await convergeActions(plan);
      const docker = dockerFromEnv();
      try {
        for (const step of converge.steps) {
          for (const action of await step()) {
            const r = await executeAction(docker, action);
            results.push({ action: action.type, status: r.status, state: r.state });
            await audit(store, { actor, action: action.type, target: 'service' in action ? action.service : action.container, approval: 'explicit', result: r.status === 'succeeded' ? 'success' : r.status, context: { proposal: id, reason: args.text, proposed_by: 'bcon', state: r.state } });
          }
        }
      } finally {
        converge.close();
      }
      const failed = results.filter((r) => r.status !== 'succeeded');
      if (flags.json) this.printJson({ proposal: id, commit, file: plan.file, operations: plan.operations, applied: results, manual: converge.manual });
      else {
        this.log(`\nCommitted ${commit.slice(0, 7)} (${plan.file}).`);
        for (const r of results) this.log(`  ${r.status === 'succeeded' ? 'done' : r.status}: ${r.action} — ${r.state}`);
        for (const m of converge.manual) this.log(`  to do: ${m}`);
        if (failed.length) this.log('Some changes did not apply; the commit stays (the file is the truth): bcon drift shows what differs.');
      }
      process.exitCode = failed.length ? 1 : 0;
    } finally {
      store.close();
    }
  }
}
