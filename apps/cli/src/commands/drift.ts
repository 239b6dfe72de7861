import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Drift extends BconCommand {
  static override summary = 'Does the engine run what the repository says? Field-level differences, for people and for CI.';
  static override description = `Reads the compose files (and .env, env_file, bcon.yaml) from a git ref without touching the working tree,
and compares every service with the containers the engine runs: replicas, status, image (and what its tag points to now),
command, entrypoint, environment, ports, volumes, memory and cpu limits, restart policy, healthcheck, labels.
Containers of no project in the repository are reported as untracked; containers whose service is gone, as orphans.
Every report is kept in the drift history (bcon drift history).
Exit code: 0 in sync, 1 drifted, 2 could not check.`;
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --repo ~/stacks --ref origin/main --format yaml',
    '<%= config.bin %> drift --worktree --json',
    '<%= config.bin %> drift --watch --interval 1m',
  ];
  static override flags = {
    repo: Flags.string({ description: 'The git repository holding the compose files (default: the one containing the current directory).' }),
    ref: Flags.string({ description: 'Branch, tag or commit to read the desired state from (also ref~N, ref^).', default: 'HEAD', exclusive: ['worktree'] }),
    worktree: Flags.boolean({ description: 'Compare the uncommitted working tree instead of a git ref.', default: false }),
    format: Flags.string({ description: 'Output format (--json is the same as --format json).', options: ['text', 'yaml', 'json'], default: 'text' }),
    watch: Flags.boolean({ description: 'Check again and again; print only what changed (new drift, resolved drift).', default: false }),
    interval: Flags.string({ description: 'Time between checks with --watch (e.g. 30s, 5m, 1h).', default: '5m', dependsOn: ['watch'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Drift);
    const format = (flags.json ? 'json' : flags.format) as 'text' | 'yaml' | 'json';
    const options = { repo: flags.repo ?? process.cwd(), ref: flags.ref, worktree: flags.worktree };
    if (flags.watch) {
      const { parseInterval } = await import('../lib/interval.js');
      const { watchDrift } = await import('../lib/watch-drift.js');
      await watchDrift(options, { intervalMs: parseInterval(flags.interval), json: format === 'json' });
      return;
    }
    // load the store while the engine answers: it is needed only once the report is made
    const storeLoading = import('@bcon/store').catch(() => undefined);
    const { collectDrift } = await import('../lib/collect-drift.js');
    const { rememberDrift } = await import('../lib/drift-store.js');
    const { createLogger } = await import('../lib/log.js');
    const run = await collectDrift(options);
    await storeLoading;
    await rememberDrift(run, { report: run.report }, await createLogger());
    const { report } = run;
    if (format === 'json') this.printJson({ drift_report: report });
    else if (format === 'yaml') {
      const { renderDriftYaml } = await import('@bcon/reasoning');
      process.stdout.write(await renderDriftYaml(report));
    } else {
      const { renderDriftText } = await import('@bcon/reasoning');
      this.log(renderDriftText(report));
    }
    process.exitCode = report.status === 'IN_SYNC' ? 0 : 1;
  }
}
