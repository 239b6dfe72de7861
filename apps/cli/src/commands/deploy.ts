import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Deploy extends BconCommand {
  static override summary = 'Deploy a new image of a compose service: rolling, canary or blue-green, health-gated, rolled back on failure.';
  static override description = `Replaces the service's replicas by ones on the new image (default: the image its compose file names) with the
strategy of --strategy, else its bcon.deploy.strategy label, else rolling. Settings come from the service's
deploy.update_config (rollback_config for a rollback) and bcon.yaml recovery:. A service labelled bcon.proxy=SERVICE is
switched in that nginx (docs/deploy.md). Each new replica must pass its health gate; every failure names the replica,
the probe and its output. A staging deploy (notify tier) runs with --yes; a production one (explicit) becomes a
proposal for bcon approve. Exit 0 succeeded, 1 rolled back, paused or waiting for approval, 2 could not start.`;
  static override examples = [
    '<%= config.bin %> deploy web --image registry.example/web:2.4.1 --yes',
    '<%= config.bin %> deploy web --strategy canary --yes --json',
    '<%= config.bin %> deploy api --strategy blue-green --host web1',
  ];
  static override args = { service: Args.string({ description: 'The compose service.', required: true }) };
  static override flags = {
    image: Flags.string({ description: 'The image to deploy (default: the one the compose file names).' }),
    strategy: Flags.string({ description: 'rolling, canary or blue-green.', options: ['rolling', 'canary', 'blue-green'] }),
    repo: Flags.string({ description: 'The compose repository (default: the working directory).' }),
    file: Flags.string({ description: 'The compose file (default: compose.yaml or its older names in the repository).' }),
    yes: Flags.boolean({ description: 'Run it without asking (up to the notify tier).', default: false }),
    actor: Flags.string({ description: 'Who deploys (default: BCON_ACTOR, else user/<login>).' }),
  };

  protected rollback = false;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(this.constructor as typeof Deploy);
    await this.deploy(args.service, { ...flags, rollback: this.rollback });
  }

  protected async deploy(service: string, flags: { image?: string | undefined; strategy?: string | undefined; repo?: string | undefined; file?: string | undefined; yes: boolean; actor?: string | undefined; json?: boolean; rollback: boolean }): Promise<void> {
    const json = this.jsonMode();
    const target = await this.targetOf(service);
    // a swarm service: swarm rolls it out with its own update_config, bcon proposes, guards, watches and audits
    const { isSwarmService } = await import('@bcon/ops/swarm');
    if (await isSwarmService(target, service)) {
      if (flags.strategy) throw new InputError(`${service} is a swarm service: swarm rolls it out with the service's own update_config (docs/swarm.md); --strategy is for compose services`, 'bad_strategy');
      const { runSwarmChange } = await import('../lib/swarm-change.js');
      const view = await runSwarmChange(target, { kind: flags.rollback ? 'rollback' : 'deploy', service, image: flags.image, repo: flags.repo ?? this.repoDir ?? process.cwd() }, { log: (l) => this.log(l), json, actor: flags.actor, yes: flags.yes });
      if (json) this.printJson({ deploy: view });
      for (const f of (view.failures ?? []) as Array<{ replica: string; error: string | null; exitCode: number | null; output: string }>) {
        if (json) break;
        this.log(`  ${f.replica} failed: ${f.error ?? `exit code ${f.exitCode}`}`);
        if (f.output) this.log(`    output: ${f.output.split('\n').slice(-5).join('\n            ')}`);
      }
      process.exitCode = view.result === 'succeeded' ? 0 : 1;
      return;
    }
    const { actorName, currentGuardrails, deployProposal, deployView, interruptedExecutions, planDeploy, runDeployProposal } = await import('@bcon/ops');
    const started = Date.now();
    const plan = await planDeploy({ target, repo: flags.repo ?? this.repoDir ?? process.cwd(), file: flags.file, service, image: flags.image, strategy: flags.strategy as 'rolling' | 'canary' | 'blue-green' | undefined, rollback: flags.rollback });
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      for (const u of await interruptedExecutions(store)) this.warn(`${u.summary}: see bcon journal, then bcon journal resolve ${u.id} --finish or --undo`);
      const guardrails = await currentGuardrails(plan.root);
      const proposal = await deployProposal({ store, plan, target, guardrails });
      const option = proposal.options[0];
      if (!json) {
        this.log(`${flags.rollback ? 'Rollback' : 'Deploy'} ${proposal.id}: ${option?.summary}`);
        this.log(`  risk ${option?.risk}, tier ${option?.tier}: ${option?.reasons.join('; ')}`);
      }
      if (option && option.tier !== 'autonomous' && option.tier !== 'notify') {
        const view = deployView(proposal, started);
        if (json) this.printJson({ deploy: view });
        else this.log(`This deploy is ${option.tier}-tier: nothing was changed. To run it: ${view.approve}`);
        process.exitCode = 1;
        return;
      }
      if (!flags.yes) {
        const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !json;
        if (!tty) throw new InputError(`add --yes to run the deploy (proposal ${proposal.id} stays pending until it expires)`, 'needs_confirmation');
        const { createInterface } = await import('node:readline/promises');
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = (await rl.question('Deploy? [y/N] ')).trim();
        rl.close();
        if (!/^y(es)?$/i.test(answer)) {
          this.log(`Nothing changed (proposal ${proposal.id} stays pending until it expires).`);
          return;
        }
      }
      const view = await runDeployProposal({ store, proposal, target, actor: actorName(flags.actor), guardrails, onProgress: (line) => (json ? process.stderr.write(`${line}\n`) : this.log(line)) });
      if (json) this.printJson({ deploy: view });
      else {
        this.log(view.result === 'succeeded' ? `Deployed ${view.to} in ${(view.durationMs / 1000).toFixed(1)} s.` : view.result === 'rolled_back' ? `Rolled back: ${view.from} serves again.` : `Paused: mixed versions serve; deploy again or bcon rollback ${service}.`);
        for (const f of (view.failures ?? []) as Array<{ replica: string; probe: string; reason: string; exitCode?: number; output?: string }>) {
          this.log(`  ${f.replica} failed its ${f.probe} probe: ${f.reason}${f.exitCode !== undefined ? ` (exit code ${f.exitCode})` : ''}`);
          if (f.output) this.log(`    output: ${f.output.split('\n').slice(-5).join('\n            ')}`);
        }
      }
      process.exitCode = view.result === 'succeeded' ? 0 : 1;
    } finally {
      store.close();
    }
  }
}
