import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Lock extends BconCommand {
  static override summary = 'The per-host lock: who may act on this host now (status, acquire, release).';
  static override description = `Two operators must not act on the same host at once. The lock lives on the engine itself (a container named
bcon-lock that is created and never started, whose labels hold the holder, the time and a message), so it works the
same locally and over SSH with nothing installed. bcon approve takes it around an execution and refuses when someone
else holds it.`;
  static override examples = ['<%= config.bin %> lock status --host web1', '<%= config.bin %> lock acquire --message "migrating the db"', '<%= config.bin %> lock release'];
  static override args = { action: Args.string({ description: 'status | acquire | release', options: ['status', 'acquire', 'release'], default: 'status', ignoreStdin: true }) };
  static override flags = {
    message: Flags.string({ description: 'Why you take it (acquire).', default: '' }),
    actor: Flags.string({ description: 'Who you are (default: BCON_ACTOR, else user/<login>).' }),
    force: Flags.boolean({ description: 'Release a lock someone else holds (recorded in the audit log).', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Lock);
    const { acquireLock, dockerFromEnv, readLock, releaseLock } = await import('@bcon/executor');
    const { actorName, audit, openLevel2Store } = await import('../lib/level2.js');
    // with bcon.yaml hosts and none picked: status reads every host's lock at once; acquire and release take one
    const hosts = args.action === 'status' && !process.env['DOCKER_HOST'] ? await this.configuredHosts() : {};
    if (Object.keys(hosts).length) {
      const { acrossHosts } = await import('../lib/across-hosts.js');
      const results = (await acrossHosts(hosts, async (name, address) => (await readLock(dockerFromEnv(this.hostEnv(name, address)))) ?? null)).map((r) =>
        'value' in r ? { name: r.name, address: r.address, lock: r.value } : r,
      );
      if (flags.json) this.printJson({ hosts: results });
      else {
        for (const r of results) {
          const l = 'lock' in r ? r.lock : undefined;
          this.log('error' in r && r.error ? `${r.name}: could not read the lock: ${r.error.message}` : l ? `${r.name} is locked by ${l.holder} since ${l.since}${l.message ? `: ${l.message}` : ''}` : `${r.name} is not locked`);
        }
      }
      if (results.some((r) => 'error' in r)) process.exitCode = 2;
      return;
    }
    if (args.action !== 'status') await this.oneHost(`bcon lock ${args.action}`);
    const docker = dockerFromEnv();
    const actor = actorName(flags.actor);
    const address = process.env['DOCKER_HOST'] || 'unix:///var/run/docker.sock';
    const where = this.hostName ?? address;
    if (args.action === 'status') {
      const lock = await readLock(docker);
      if (flags.json) this.printJson({ host: address, ...(this.hostName ? { name: this.hostName } : {}), lock: lock ?? null });
      else this.log(lock ? `${where} is locked by ${lock.holder} since ${lock.since}${lock.message ? `: ${lock.message}` : ''}` : `${where} is not locked`);
      return;
    }
    const store = await openLevel2Store();
    try {
      if (args.action === 'acquire') {
        const r = await acquireLock(docker, actor, flags.message);
        if (!r.ok) throw new InputError(`${where} is locked by ${r.lock.holder} since ${r.lock.since}${r.lock.message ? ` (${r.lock.message})` : ''}: ask them, or wait`, 'locked', 1);
        await audit(store, { actor, action: 'lock.acquire', target: where, approval: 'none', result: 'success', context: { reason: flags.message } });
        if (flags.json) this.printJson({ host: address, ...(this.hostName ? { name: this.hostName } : {}), lock: r.lock });
        else this.log(`Locked ${where} for ${actor}.`);
        return;
      }
      const r = await releaseLock(docker, actor, flags.force);
      if (!r.ok) throw new InputError(`${where} is locked by ${r.lock.holder} since ${r.lock.since}, not by ${actor}: only they may release it (or --force)`, 'locked', 1);
      if (r.released) await audit(store, { actor, action: r.released.holder === actor ? 'lock.release' : 'lock.force_release', target: where, approval: 'none', result: 'success', context: { reason: `held by ${r.released.holder} since ${r.released.since}` } });
      if (flags.json) this.printJson({ host: address, ...(this.hostName ? { name: this.hostName } : {}), released: r.released ?? null });
      else this.log(r.released ? `Released the lock on ${where}.` : `${where} was not locked.`);
    } finally {
      store.close();
    }
  }
}
