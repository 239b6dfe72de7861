import type { LockView } from '@bcon/ops';
import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Lock extends BconCommand {
  static override summary = 'The per-host lock: who may act on this host now (status, acquire, release, break).';
  static override description = `Two operators must not act on the same host at once. The lock lives on the engine itself (a container named
bcon-lock that is created and never started, whose labels hold the holder, the time, a message, the process that
took it and a lease), so it works the same locally and over SSH with nothing installed. bcon approve takes it around
an execution and refuses when someone else holds it. A lock whose lease ran out, or whose process is gone, shows as
stale and can be broken with a reason (audited): bcon lock break --reason TEXT.`;
  static override examples = ['<%= config.bin %> lock status --host web1', '<%= config.bin %> lock acquire --message "migrating the db" --lease 2h', '<%= config.bin %> lock release', '<%= config.bin %> lock break --reason "approve was killed"'];
  static override args = { action: Args.string({ description: 'status | acquire | release | break', options: ['status', 'acquire', 'release', 'break'], default: 'status', ignoreStdin: true }) };
  static override flags = {
    message: Flags.string({ description: 'Why you take it (acquire).', default: '' }),
    actor: Flags.string({ description: 'Who you are (default: BCON_ACTOR, else user/<login>).' }),
    force: Flags.boolean({ description: 'Release (or break) a live lock someone else holds (recorded in the audit log).', default: false }),
    lease: Flags.string({ description: 'How long a lock taken by hand lasts unless released (acquire), e.g. 30m, 2h.', default: '1h' }),
    reason: Flags.string({ description: 'Why the lock is broken (break; goes into the audit log).' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Lock);
    const ops = await import('@bcon/ops');
    // with bcon.yaml hosts and none picked: status reads every host's lock at once; the others take one
    const { list, fanOut } = await this.targets();
    if (args.action === 'status' && fanOut) {
      const { acrossTargets } = await import('@bcon/ops/across-targets');
      const results = (await acrossTargets(list, (t) => ops.lockStatus(t))).map((r) => ('value' in r ? { name: r.name, address: r.address, ...r.value } : r));
      if (flags.json) this.printJson({ hosts: results });
      else for (const r of results) this.log('error' in r && r.error ? `${r.name}: could not read the lock: ${r.error.message}` : this.describe(r.name, 'lock' in r ? r : { lock: null }));
      if (results.some((r) => 'error' in r)) process.exitCode = 2;
      return;
    }
    const target = await this.oneTarget(`bcon lock ${args.action}`);
    const where = ops.targetLabel(target);
    const actor = ops.actorName(flags.actor);
    const id = { host: target.address, ...(target.name ? { name: target.name } : {}) };
    if (args.action === 'status') {
      const view = await ops.lockStatus(target);
      if (flags.json) this.printJson({ ...id, ...view });
      else this.log(this.describe(where, view));
      return;
    }
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      if (args.action === 'acquire') {
        const { parseInterval } = await import('@bcon/ops/duration');
        const lock = await ops.acquireHostLock(store, target, actor, flags.message, parseInterval(flags.lease));
        if (flags.json) this.printJson({ ...id, lock });
        else this.log(`Locked ${where} for ${actor} until ${lock.expiresAt} (bcon lock release gives it back).`);
        return;
      }
      if (args.action === 'break') {
        const r = await ops.breakHostLock(store, target, actor, flags.reason ?? '', flags.force);
        if (flags.json) this.printJson({ ...id, broken: r.broken, ...(r.stale ? { stale: r.stale } : {}) });
        else this.log(`Broke the lock ${r.broken.holder} held on ${where} since ${r.broken.since}${r.stale ? ` (stale: ${r.stale})` : ' (it was live: forced)'}.`);
        return;
      }
      const released = await ops.releaseHostLock(store, target, actor, flags.force);
      if (flags.json) this.printJson({ ...id, released: released ?? null });
      else this.log(released ? `Released the lock on ${where}.` : `${where} was not locked.`);
    } finally {
      store.close();
    }
  }

  private describe(where: string, v: LockView): string {
    const l = v.lock;
    if (!l) return `${where} is not locked`;
    return `${where} is locked by ${l.holder} since ${l.since}${l.message ? `: ${l.message}` : ''}${v.stale ? ` — STALE (${v.stale}): bcon lock break --reason TEXT` : l.expiresAt ? ` (lease until ${l.expiresAt})` : ''}`;
  }
}
