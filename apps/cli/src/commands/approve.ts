import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Approve extends BconCommand {
  static override summary = 'Approve one option of a proposal: it runs through the executor, is verified, and is audited.';
  static override description = `Refused when the proposal expired or was decided, when its target changed since it was made (re-propose), and —
for a prohibited-tier option — without two different approvers, each with a TOTP code for the secret in
BCON_TOTP_SECRET_<NAME> (--approver NAME:CODE twice). In a terminal, the option can be picked interactively;
elsewhere pass --option N and --yes. The execution is journaled before it starts; exit 0 when it succeeded and was
verified, 1 when it failed or was undone.`;
  static override examples = ['<%= config.bin %> approve p-1a2b3c4d --option 1 --yes', '<%= config.bin %> approve p-1a2b3c4d --option 3 --approver alice:123456 --approver bob:654321 --yes'];
  static override args = { id: Args.string({ description: 'The proposal id.', required: true, ignoreStdin: true }) };
  static override flags = {
    option: Flags.integer({ description: 'The option to run.', min: 1 }),
    yes: Flags.boolean({ description: 'Do not ask for confirmation.', default: false }),
    actor: Flags.string({ description: 'Who approves (default: BCON_ACTOR, else user/<login>).' }),
    approver: Flags.string({ description: 'NAME:CODE, for prohibited-tier options (two different approvers).', multiple: true }),
    timeout: Flags.integer({ description: 'Seconds to wait for the result to be running and healthy.', default: 30, min: 1 }),
  };

  private async ask(question: string): Promise<string> {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Approve);
    const { openStore } = await import('@bcon/store');
    const { actorName, approveProposal, interruptedExecutions, loadProposal, targetLabel } = await import('@bcon/ops');
    const store = openStore();
    try {
      // a crash in an earlier run is reported before anything else runs (a run still going is not a crash)
      for (const u of await interruptedExecutions(store)) this.warn(`${u.summary}: see bcon journal, then bcon journal resolve ${u.id} --finish or --undo`);
      const { proposal } = await loadProposal(store, args.id);
      const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.json;
      let option = flags.option;
      if (!proposal.intent && option === undefined) {
        if (!tty) throw new InputError('name the option to run: --option N (see bcon proposals)', 'no_option');
        const { renderProposal } = await import('../lib/level2.js');
        this.log(renderProposal(proposal));
        const answer = await this.ask(`Which one? [1-${proposal.options.length}, q to quit] `);
        if (!/^\d+$/.test(answer)) throw new InputError('nothing approved', 'cancelled', 1);
        option = Number(answer);
      }
      const actor = actorName(flags.actor);
      const approvers = (flags.approver ?? []).map((a) => {
        const at = a.lastIndexOf(':');
        return at > 0 ? { actor: a.slice(0, at), code: a.slice(at + 1) } : { actor: a };
      });
      if (!flags.yes) {
        const chosen = proposal.options.filter((o) => (proposal.intent ? true : o.n === option));
        const what = proposal.intent ? `the intent "${proposal.target}" (${chosen.length} engine actions, and a commit of ${proposal.intent.file})` : `"${chosen[0]?.summary ?? `option ${option}`}" (risk ${chosen[0]?.risk}, tier ${chosen[0]?.tier})`;
        if (!tty) throw new InputError(`${what} needs confirmation: add --yes`, 'needs_confirmation');
        const ok = await this.ask(`Run ${what}? [y/N] `);
        if (!/^y(es)?$/i.test(ok)) throw new InputError('nothing approved', 'cancelled', 1);
      }
      // the approval runs on the engine the proposal was made on (--host/DOCKER_HOST elsewhere is refused by ops)
      const { result, view } = await approveProposal({
        store,
        id: args.id,
        option,
        actor,
        approvers,
        channel: 'cli',
        selection: await this.selection(),
        verifyTimeoutMs: flags.timeout * 1000,
        onProgress: (line) => {
          if (!flags.json) this.log(line);
        },
      });
      const host = proposal.host ? targetLabel(proposal.host) : undefined;
      if (flags.json) this.printJson(view);
      else {
        if (result.prepared?.['commit']) this.log(`Committed ${String(result.prepared['commit']).slice(0, 7)} (${String(result.prepared['file'])})${host ? `; converging on ${host}` : ''}.`);
        for (const r of result.results) {
          for (const s of r.steps) this.log(`  - ${s}`);
          this.log(r.status === 'succeeded' ? `Done. ${r.state}` : `${r.status === 'rolled_back' ? 'Undone' : 'Failed'}. ${r.state}`);
        }
      }
      process.exitCode = result.ok ? 0 : 1;
    } finally {
      store.close();
    }
  }
}
