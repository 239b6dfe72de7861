import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Drift extends BconCommand {
  static override summary = 'Does the engine run what the repository says? Field-level differences, for people and for CI.';
  static override description = `Reads the compose files (and .env, env_file, bcon.yaml) from a git ref without touching the working tree,
and compares every service with the containers the engine runs: replicas, status, image (and what its tag points to now),
command, entrypoint, environment, ports, volumes, memory and cpu limits, restart policy, healthcheck, labels.
Containers of no project in the repository are reported as untracked; containers whose service is gone, as orphans.
Exit code: 0 in sync, 1 drifted, 2 could not check.`;
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --repo ~/stacks --ref origin/main --format yaml',
    '<%= config.bin %> drift --worktree --json',
  ];
  static override flags = {
    repo: Flags.string({ description: 'The git repository holding the compose files (default: the one containing the current directory).' }),
    ref: Flags.string({ description: 'Branch, tag or commit to read the desired state from.', default: 'HEAD', exclusive: ['worktree'] }),
    worktree: Flags.boolean({ description: 'Compare the uncommitted working tree instead of a git ref.', default: false }),
    format: Flags.string({ description: 'Output format (--json is the same as --format json).', options: ['text', 'yaml', 'json'], default: 'text' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Drift);
    const { collectDrift } = await import('../lib/collect-drift.js');
    const report = await collectDrift({ repo: flags.repo ?? process.cwd(), ref: flags.ref, worktree: flags.worktree });
    const format = flags.json ? 'json' : flags.format;
    if (format === 'json') this.printJson({ drift_report: report });
    else if (format === 'yaml') {
      const { renderDriftYaml } = await import('@bcon/reasoning');
      process.stdout.write(renderDriftYaml(report));
    } else {
      const { renderDriftText } = await import('@bcon/reasoning');
      this.log(renderDriftText(report));
    }
    process.exitCode = report.status === 'IN_SYNC' ? 0 : 1;
  }
}
