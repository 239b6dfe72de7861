import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';

export default class SwarmLogs extends BconCommand {
  static override summary = "A swarm service's log lines, every task's, through the service logs endpoint.";
  static override examples = ['<%= config.bin %> swarm logs web --tail 50', '<%= config.bin %> swarm logs shop_web --since 10m --json'];
  static override args = { service: Args.string({ description: 'The service: its full name or its name in the stack.', required: true }) };
  static override flags = {
    stack: Flags.string({ description: 'The stack, when several have a service of that name.' }),
    tail: Flags.integer({ description: 'The last N lines of each task.', default: 200, min: 1 }),
    since: Flags.string({ description: 'Only lines of this last period (e.g. 10m, 1h).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmLogs);
    const target = await this.oneTarget('swarm logs');
    const { parseInterval } = await import('@bcon/ops/duration');
    const { swarmLogs } = await import('@bcon/ops/swarm');
    const r = await swarmLogs({ target, service: args.service, tail: flags.tail, ...(flags.stack ? { stack: flags.stack } : {}), ...(flags.since ? { sinceSeconds: Math.ceil(parseInterval(flags.since) / 1000) } : {}) });
    if (flags.json) {
      this.printJson({ service: r.service, lines: r.lines, ...(r.truncated ? { truncated: r.truncated } : {}) });
      return;
    }
    const { printable } = await import('@bcon/reasoning');
    for (const l of r.lines) this.log(`${l.timestamp ?? ''} ${printable(l.text)}`.trim());
    if (r.truncated) this.log(`note: ${r.truncated}`);
  }
}
