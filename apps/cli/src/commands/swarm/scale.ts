import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';
import { InputError } from '../../lib/input-error.js';

export default class SwarmScale extends BconCommand {
  static override summary = 'Scale a swarm service through the write path: proposal, tier, lock, audit, verified from its tasks.';
  static override description = `A scale of a replicated swarm service is a catalog action (swarm.scale) like a compose scale: risk-scored and
tiered by bcon's rules (up within limits autonomous, down notify, to 0 explicit, production explicit), run with
--yes up to the notify tier (else bcon approve), audited, and verified when swarm runs that many tasks. The update
names the spec version the proposal saw: swarm refuses it if the service changed meanwhile.`;
  static override examples = ['<%= config.bin %> swarm scale web 3 --yes', '<%= config.bin %> swarm scale shop_worker 1 --json --yes'];
  static override args = {
    service: Args.string({ description: 'The service: its full name or its name in the stack.', required: true }),
    replicas: Args.string({ description: 'How many replicas.', required: true }),
  };
  static override flags = {
    stack: Flags.string({ description: 'The stack, when several have a service of that name.' }),
    yes: Flags.boolean({ description: 'Run it without asking (up to the notify tier).', default: false }),
    actor: Flags.string({ description: 'Who runs it (default: BCON_ACTOR, else user/<login>).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmScale);
    if (!/^\d{1,4}$/.test(args.replicas)) throw new InputError(`the replica count must be a whole number (got ${JSON.stringify(args.replicas)})`, 'bad_replicas');
    const target = await this.oneTarget('swarm scale');
    const { runSwarmChange } = await import('../../lib/swarm-change.js');
    const view = await runSwarmChange(target, { kind: 'scale', service: args.service, stack: flags.stack, replicas: Number(args.replicas) }, { log: (l) => this.log(l), json: flags.json, actor: flags.actor, yes: flags.yes });
    if (flags.json) this.printJson({ scale: view });
    process.exitCode = view.result === 'succeeded' ? 0 : view.result === 'proposed' ? 1 : 1;
  }
}
