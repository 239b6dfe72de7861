import { Flags } from '@oclif/core';
import { BconCommand } from '../../lib/base-command.js';

export default class SwarmDrift extends BconCommand {
  static override summary = 'Compare a stack with its compose file in git: replicas, image, env, command, limits of each service spec.';
  static override description = `The stack named like the repository's compose project (or --stack) against the compose file at the ref (default
HEAD, or --worktree): each service's spec on the manager (what was asked: replicas, image, environment, command,
memory and CPU limits) against the file; a service of the file not deployed, and a service of the stack not in the
file, are drift too. Secret-named values are never shown. Same report as bcon drift. Exit 0 IN_SYNC, 1 DRIFTED.`;
  static override examples = ['<%= config.bin %> swarm drift', '<%= config.bin %> swarm drift --stack shop --json'];
  static override flags = {
    stack: Flags.string({ description: 'The stack (default: the compose project name).' }),
    repo: Flags.string({ description: 'The git repository holding the compose file (default: the working directory).' }),
    ref: Flags.string({ description: 'Branch, tag or commit to read the file from.', default: 'HEAD', exclusive: ['worktree'] }),
    worktree: Flags.boolean({ description: 'Compare the uncommitted working tree instead.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmDrift);
    this.repoDir = flags.repo;
    const target = await this.oneTarget('swarm drift');
    const { swarmDrift } = await import('@bcon/ops/swarm');
    const report = await swarmDrift({ target, repo: flags.repo ?? process.cwd(), ref: flags.ref, worktree: flags.worktree, ...(flags.stack ? { stack: flags.stack } : {}) });
    if (flags.json) this.printJson({ drift_report: report });
    else this.log((await import('@bcon/reasoning')).renderDriftText(report));
    process.exitCode = report.status === 'IN_SYNC' ? 0 : 1;
  }
}
