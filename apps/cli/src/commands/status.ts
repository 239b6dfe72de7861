import type { Target } from '@bcon/ops';
import { Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Status extends BconCommand {
  static override summary = 'Is everything OK? Containers by compose project and service, with a verdict per service.';
  static override description = `Reads the engine named by DOCKER_HOST (else the default socket) without changing anything:
state, health, uptime, restarts, exit code and OOM kill of stopped containers, CPU% and memory against the limit,
and one verdict per service (ok / degraded / down) with the reason. No configuration file needed.`;
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json', 'DOCKER_HOST=unix:///run/user/1000/docker.sock <%= config.bin %> status'];
  static override flags = {
    'no-stats': Flags.boolean({ description: 'Skip CPU and memory figures (faster on very large hosts).', default: false }),
    'stats-source': Flags.string({
      description: 'Where CPU and memory come from: cgroup files on the engine\'s own host, or the engine\'s stats endpoint (~1 s).',
      options: ['auto', 'cgroup', 'engine'],
      default: 'auto',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const { collectStatus } = await import('@bcon/ops/status');
    const { acrossTargets } = await import('@bcon/ops/across-targets');
    // one host is a list of one; with bcon.yaml hosts and none picked, every host at once, grouped by host
    const { list, fanOut } = await this.targets();
    const read = (t: Target) => collectStatus({ stats: !flags['no-stats'], statsSource: flags['stats-source'] as 'auto' | 'cgroup' | 'engine', env: t.env });
    if (!fanOut) {
      const report = await read(list[0] as Target);
      if (flags.json) this.printJson(report);
      else this.log((await import('@bcon/reasoning')).renderStatusText(report));
      return;
    }
    const results = (await acrossTargets(list, read)).map((r) => ('value' in r ? { name: r.name, address: r.address, report: r.value } : r));
    const { renderStatusText } = await import('@bcon/reasoning');
    if (flags.json) this.printJson({ hosts: results });
    else {
      // one line first: how each host is, before the detail
      this.log(
        `${results.length} hosts: ${results
          .map((r) => {
            if (!('report' in r) || !r.report) return `${r.name} unreachable`;
            const { ok, degraded, down } = r.report.summary;
            return `${r.name} ${[down ? `${down} down` : '', degraded ? `${degraded} degraded` : '', `${ok} ok`].filter(Boolean).join(', ')}`;
          })
          .join('; ')}\n`,
      );
      for (const r of results) {
        this.log(`== ${r.name} (${r.address}) ==`);
        this.log('report' in r && r.report ? renderStatusText(r.report) : `unreachable: ${'error' in r ? r.error?.message : ''}`);
        this.log('');
      }
    }
    if (results.some((r) => 'error' in r)) process.exitCode = 2;
  }
}
