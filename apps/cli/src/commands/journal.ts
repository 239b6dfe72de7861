import type { Target } from '@bcon/ops';
import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Journal extends BconCommand {
  static override summary = 'The execution journal: what ran, and executions a killed process left unfinished (finish or undo them).';
  static override description = `Every execution is journaled before it starts, with the process that runs it (host, pid, start). One whose
process is gone (killed, crashed, the machine rebooted) shows as interrupted, with what the engine shows now (for a
re-create: whether the previous container is kept aside, whether the new one was swapped in).
bcon journal resolve ID --finish brings it to what was approved; --undo puts back what was there before. Both run
under the host's lock and are audited.`;
  static override examples = ['<%= config.bin %> journal', '<%= config.bin %> journal resolve 12 --undo', '<%= config.bin %> journal resolve 12 --finish --json'];
  static override args = {
    action: Args.string({ description: 'list | resolve', options: ['list', 'resolve'], default: 'list', ignoreStdin: true }),
    id: Args.integer({ description: 'The execution (resolve).' }),
  };
  static override flags = {
    finish: Flags.boolean({ description: 'Bring an interrupted execution to what was approved.', exclusive: ['undo'] }),
    undo: Flags.boolean({ description: 'Put back what was there before an interrupted execution.', exclusive: ['finish'] }),
    actor: Flags.string({ description: 'Who you are (default: BCON_ACTOR, else user/<login>).' }),
    force: Flags.boolean({ description: 'Resolve an execution started on another machine, whose process bcon cannot see (you say it is gone).', default: false }),
    limit: Flags.integer({ description: 'How many of the latest executions to list.', default: 20, min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Journal);
    const ops = await import('@bcon/ops');
    const { listExecutions, openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const interrupted = await ops.interruptedExecutions(store);
      if (args.action === 'resolve') {
        if (args.id === undefined) throw new InputError('name the execution: bcon journal resolve ID --finish|--undo (bcon journal lists them)', 'no_execution');
        if (!flags.finish && !flags.undo) throw new InputError('say what to do: --finish (bring it to what was approved) or --undo (put back what was there)', 'no_mode');
        const row = interrupted.find((u) => u.id === args.id);
        const target = await this.entryTarget(row?.host ?? undefined);
        const r = await ops.resolveInterruptedExecution({ store, id: args.id, mode: flags.finish ? 'finish' : 'undo', actor: ops.actorName(flags.actor), target, force: flags.force });
        if (flags.json) this.printJson({ execution: r });
        else {
          for (const s of r.steps) this.log(`  - ${s}`);
          this.log(`${r.status === 'failed' ? 'Failed' : r.mode === 'undo' ? 'Undone' : 'Finished'}. ${r.state}`);
        }
        process.exitCode = r.status === 'failed' ? 1 : 0;
        return;
      }
      const described = await Promise.all(
        interrupted.map(async (u) => ({ ...u, now: await ops.describeInterrupted(u, await this.entryTarget(u.host ?? undefined)).catch((err: Error) => `could not read the engine: ${err.message}`) })),
      );
      const recent = listExecutions(store, flags.limit);
      if (flags.json) {
        this.printJson({ interrupted: await Promise.all(described.map(({ summary: _s, ...u }) => ops.publicExecution(u))), executions: await Promise.all(recent.map((e) => ops.publicExecution(e))) });
        return;
      }
      for (const u of described) this.log(`INTERRUPTED ${u.summary}\n  now: ${u.now}\n  bcon journal resolve ${u.id} --finish | --undo`);
      if (!recent.length) this.log('The journal is empty.');
      for (const e of recent) this.log(`${String(e.id).padStart(4)}  ${new Date(e.startedAt).toISOString()}  ${e.status.padEnd(12)} ${e.action.padEnd(24)} ${e.target}${e.host ? `@${e.host}` : ''}  ${e.proposalId}`);
    } finally {
      store.close();
    }
  }

  /** The engine a journal entry ran on: its bcon.yaml host when named there, else the one this command points at. */
  private async entryTarget(host: string | undefined): Promise<Target> {
    const { picked } = await this.selection();
    if (picked) return picked;
    if (host) {
      const known = await this.knownTarget(host);
      if (known) return known;
      if (/^(ssh|unix|tcp):\/\//.test(host)) return { address: host, env: { ...process.env, DOCKER_HOST: host } };
    }
    return this.oneTarget('bcon journal');
  }
}
