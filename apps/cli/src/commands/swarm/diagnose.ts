import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';

export default class SwarmDiagnose extends BconCommand {
  static override summary = "Why a swarm service is not running as asked: its tasks' errors and exit codes, its update state, its logs.";
  static override description = `Reads the service's tasks (swarm's own states and errors: rejected, no suitable node, non-zero exit), its update
state (paused, rolled back) and its recent logs (the service logs endpoint), and ranks causes with the evidence they
stand on. Deterministic, read-only, offline.`;
  static override examples = ['<%= config.bin %> swarm diagnose web', '<%= config.bin %> swarm diagnose shop_web --json'];
  static override args = { service: Args.string({ description: 'The service: its full name (shop_web) or its name in the stack (web).', required: true }) };
  static override flags = { stack: Flags.string({ description: 'The stack, when several have a service of that name.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmDiagnose);
    const target = await this.oneTarget('swarm diagnose');
    const { swarmDiagnose } = await import('@bcon/ops/swarm');
    const d = await swarmDiagnose({ target, service: args.service, ...(flags.stack ? { stack: flags.stack } : {}) });
    if (flags.json) this.printJson(d);
    else this.log((await import('@bcon/reasoning')).renderSwarmDiagnosisText(d));
  }
}
