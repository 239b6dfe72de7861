import type { Target } from '@bcon/ops';
import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Drift extends BconCommand {
  static override summary = 'Does the engine run what the repository says? Field-level differences, for people and for CI.';
  static override description = `Reads the compose files (and .env, env_file, bcon.yaml) from a git ref without touching the working tree,
and compares every service with the containers the engine runs: replicas, status, image (and what its tag points to now),
command, entrypoint, environment, ports, volumes, memory and cpu limits, restart policy, healthcheck, labels.
Containers of no project in the repository are reported as untracked; containers whose service is gone, as orphans.
With hosts in bcon.yaml and no --host, every host is checked at the same time, each against the projects
bcon.yaml places on it (projects[].host; a project without host: runs on every host), grouped by host; a host
that cannot be reached is reported in its place (with --watch, each host in its own loop, lines marked [host]).
Every report is kept in the drift history (bcon drift history).
Exit code: 0 in sync, 1 drifted, 2 could not check.`;
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --repo ~/stacks --ref origin/main --format yaml',
    '<%= config.bin %> drift --worktree --json',
    '<%= config.bin %> drift --watch --interval 1m',
    '<%= config.bin %> drift --host web1',
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
    // one host is a list of one; with bcon.yaml hosts and none picked, every host at once, grouped by host
    const { list, fanOut } = await this.targets();
    const on = (t: Target) => ({ ...options, ...(t.name ? { host: t.name } : {}), env: t.env });
    if (flags.watch) {
      const { parseInterval } = await import('@bcon/ops/duration');
      const { watchDrift } = await import('@bcon/ops/watch-drift');
      const intervalMs = parseInterval(flags.interval);
      if (!fanOut) return watchDrift(on(list[0] as Target), { intervalMs, json: format === 'json' });
      // every host in its own loop, at the same time; lines say which host
      if (format !== 'json') process.stderr.write(`watching drift on ${list.map((t) => t.name).join(', ')} every ${Math.round(intervalMs / 1000)} s; Ctrl-C to stop\n`);
      await Promise.all(list.map((t) => watchDrift(on(t), { intervalMs, json: format === 'json', label: t.name ?? t.address })));
      return;
    }
    if (fanOut) return this.acrossHosts(list, options, format);
    const target = list[0] as Target;
    // load the store while the engine answers: it is needed only once the report is made
    const storeLoading = import('@bcon/store').catch(() => undefined);
    const { collectDrift } = await import('@bcon/ops/drift');
    const { rememberDrift } = await import('@bcon/ops/drift-history');
    const { createLogger } = await import('@bcon/ops/log');
    const run = await collectDrift(on(target));
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

  /** Every bcon.yaml host at once: the desired state is read once; each engine is compared with its projects. */
  private async acrossHosts(targets: Target[], options: { repo: string; ref: string; worktree: boolean }, format: 'text' | 'yaml' | 'json'): Promise<void> {
    const storeLoading = import('@bcon/store').catch(() => undefined);
    const { collectDrift, readDesired } = await import('@bcon/ops/drift');
    const { rememberDrift } = await import('@bcon/ops/drift-history');
    const { createLogger } = await import('@bcon/ops/log');
    const log = await createLogger();
    const desired = readDesired(options);
    // a bad desired state is one error for the command, not one per host
    await desired;
    const { acrossTargets } = await import('@bcon/ops/across-targets');
    const results = (await acrossTargets(targets, (t) => collectDrift({ ...options, ...(t.name ? { host: t.name } : {}), env: t.env }, desired))).map((r) =>
      'value' in r ? { name: r.name, address: r.address, run: r.value } : r,
    );
    await storeLoading;
    for (const r of results) if ('run' in r && r.run) await rememberDrift(r.run, { report: r.run.report }, log);
    if (format === 'json') {
      this.printJson({ hosts: results.map((r) => ('run' in r && r.run ? { name: r.name, address: r.address, drift_report: r.run.report } : r)) });
    } else {
      const { renderDriftText, renderDriftYaml } = await import('@bcon/reasoning');
      for (const r of results) {
        if (format === 'yaml') {
          process.stdout.write(`# ${r.name} (${r.address})\n`);
          process.stdout.write('run' in r && r.run ? await renderDriftYaml(r.run.report) : `error: ${JSON.stringify('error' in r ? r.error?.message : '')}\n`);
          continue;
        }
        this.log(`== ${r.name} (${r.address}) ==`);
        this.log('run' in r && r.run ? renderDriftText(r.run.report) : `could not check: ${'error' in r ? r.error?.message : ''}`);
        this.log('');
      }
    }
    process.exitCode = results.some((r) => 'error' in r) ? 2 : results.some((r) => 'run' in r && r.run?.report.status !== 'IN_SYNC') ? 1 : 0;
  }
}
