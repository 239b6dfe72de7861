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
    const { collectStatus } = await import('../lib/collect-status.js');
    // bcon.yaml names hosts and none was picked: every host, at the same time, grouped by host
    const hosts = !flags.host && !process.env['DOCKER_HOST'] ? await this.configuredHosts() : {};
    if (Object.keys(hosts).length) {
      const { acrossHosts } = await import('../lib/across-hosts.js');
      const results = (
        await acrossHosts(hosts, (name, address) => collectStatus({ stats: !flags['no-stats'], statsSource: flags['stats-source'] as 'auto' | 'cgroup' | 'engine', env: this.hostEnv(name, address) }))
      ).map((r) => ('value' in r ? { name: r.name, address: r.address, report: r.value } : r));
      if (flags.json) this.printJson({ hosts: results });
      else {
        const { renderStatusText } = await import('@bcon/reasoning');
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
      return;
    }
    const report = await collectStatus({
      stats: !flags['no-stats'],
      statsSource: flags['stats-source'] as 'auto' | 'cgroup' | 'engine',
    });
    if (flags.json) {
      this.printJson(report);
      return;
    }
    const { renderStatusText } = await import('@bcon/reasoning');
    this.log(renderStatusText(report));
  }
}
