import { Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';

export default class SwarmStatus extends BconCommand {
  static override summary = "A swarm's stacks and services: desired vs running tasks, the last task error, the update state.";
  static override description = `Reads a swarm manager (DOCKER_HOST or --host) without changing anything: its nodes, and per stack each service's
replicas asked and running, its image, a verdict (ok / degraded / down) and why — the newest failed or rejected task
with swarm's own error, an update paused or rolled back. Exit 0 all ok, 1 something degraded or down, 2 not a manager.`;
  static override examples = ['<%= config.bin %> swarm status', '<%= config.bin %> swarm status --stack shop --json'];
  static override flags = { stack: Flags.string({ description: 'Only this stack.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmStatus);
    const target = await this.oneTarget('swarm status');
    const { swarmStatus } = await import('@bcon/ops/swarm');
    const report = await swarmStatus(target, flags.stack ? { stack: flags.stack } : {});
    if (flags.json) this.printJson({ swarm: report });
    else this.log((await import('@bcon/reasoning')).renderSwarmStatusText(report));
    process.exitCode = report.summary.degraded || report.summary.down ? 1 : 0;
  }
}
