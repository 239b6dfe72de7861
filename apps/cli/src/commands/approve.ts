import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Approve extends BconCommand {
  static override summary = 'Approve one option of a proposal: it runs through the executor, is verified, and is audited.';
  static override description = `Refused when the proposal expired or was decided, when its target changed since it was made (re-propose), and —
for a prohibited-tier option — without two different approvers, each with a TOTP code for the secret in
BCON_TOTP_SECRET_<NAME> (--approver NAME:CODE twice). In a terminal, the option can be picked interactively;
elsewhere pass --option N and --yes. The execution is journaled before it starts; exit 0 when it succeeded and was
verified, 1 when it failed or was undone.`;
  static override examples = ['<%= config.bin %> approve p-1a2b3c4d --option 1 --yes', '<%= config.bin %> approve p-1a2b3c4d --option 3 --approver alice:123456 --approver bob:654321 --yes'];
  static override args = { id: Args.string({ description: 'The proposal id.', required: true, ignoreStdin: true }) };
  static override flags = {
    option: Flags.integer({ description: 'The option to run.', min: 1 }),
    yes: Flags.boolean({ description: 'Do not ask for confirmation.', default: false }),
    actor: Flags.string({ description: 'Who approves (default: BCON_ACTOR, else user/<login>).' }),
    approver: Flags.string({ description: 'NAME:CODE, for prohibited-tier options (two different approvers).', multiple: true }),
    timeout: Flags.integer({ description: 'Seconds to wait for the result to be running and healthy.', default: 30, min: 1 }),
  };

  private async ask(question: string): Promise<string> {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Approve);
    const { actorName, audit, currentFingerprint, hostLabel, openLevel2Store, renderProposal } = await import('../lib/level2.js');
    const store = await openLevel2Store();
    const { getProposal, journalFinish, journalStart, setProposalStatus, unfinishedExecutions } = await import('@bcon/store');
    const { actionOf, checkApproval } = await import('@bcon/decision');
    try {
      // a crash in an earlier run is reported before anything else runs
      for (const u of unfinishedExecutions(store)) {
        this.warn(`execution #${u.id} (${u.action} on ${u.target}, proposal ${u.proposalId}) started at ${new Date(u.startedAt).toISOString()} and never finished: check ${u.target}`);
        journalFinish(store, u.id, 'failed', 'interrupted: found unfinished by a later run');
        await audit(store, { actor: 'bcon', action: `${u.action}.interrupted`, target: u.target, approval: 'none', result: 'unknown', context: { proposal: u.proposalId, reason: 'the execution never finished (bcon was interrupted)' } });
      }
      const stored = getProposal(store, args.id);
      if (!stored) throw new InputError(`no proposal ${args.id}: see bcon proposals`, 'unknown_proposal');
      const proposal = stored.body as Parameters<typeof renderProposal>[0];
      // the approval runs on the engine the proposal was made on, and nowhere else
      const host = hostLabel(proposal.host);
      if (proposal.host) {
        const pointed = process.env['DOCKER_HOST'];
        if (!pointed) {
          await this.configuredHosts(); // the key file bcon.yaml gives that host, if any
          this.useHost(proposal.host.name, proposal.host.address);
        } else if (pointed !== proposal.host.address) {
          await audit(store, { actor: actorName(flags.actor), action: 'approval.refused', target: proposal.target, approval: 'none', result: 'wrong_host', context: { proposal: proposal.id, host, reason: `pointed at ${this.hostName ?? pointed}` } });
          throw new InputError(`proposal ${proposal.id} was made on ${host} (${proposal.host.address}), but this command points at ${this.hostName ?? pointed}: drop --host/DOCKER_HOST to approve it there, or propose again on this host`, 'wrong_host');
        }
      }
      let option = flags.option;
      const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.json;
      if (option === undefined) {
        if (!tty) throw new InputError('name the option to run: --option N (see bcon proposals)', 'no_option');
        this.log(renderProposal(proposal));
        const answer = await this.ask(`Which one? [1-${proposal.options.length}, q to quit] `);
        if (!/^\d+$/.test(answer)) throw new InputError('nothing approved', 'cancelled', 1);
        option = Number(answer);
      }
      const actor = actorName(flags.actor);
      const approvers = (flags.approver ?? []).map((a) => {
        const [name, code] = a.split(':');
        return { actor: name ?? '', ...(code ? { code } : {}) };
      });
      const check = checkApproval({
        proposal,
        status: stored.status,
        option,
        approvers: approvers.length ? approvers : [{ actor }],
        now: Date.now(),
        currentFingerprint: await currentFingerprint(proposal),
        totpSecret: (name) => process.env[`BCON_TOTP_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`],
      });
      if (!check.ok) {
        await audit(store, { actor, action: 'approval.refused', target: proposal.target, approval: 'none', result: check.code, context: { proposal: proposal.id, host, option, reason: check.message, proposed_by: 'bcon' } });
        throw new InputError(check.message, check.code);
      }
      if (!flags.yes) {
        if (!tty) throw new InputError(`option ${option} (${check.option.summary}) needs confirmation: add --yes`, 'needs_confirmation');
        const ok = await this.ask(`Run "${check.option.summary}" (risk ${check.option.risk}, tier ${check.option.tier})? [y/N] `);
        if (!/^y(es)?$/i.test(ok)) throw new InputError('nothing approved', 'cancelled', 1);
      }
      const approvedBy = check.approval === 'two-person' ? approvers.map((a) => a.actor).join('+') : actor;
      const { acquireLock, dockerFromEnv, executeAction, releaseLock } = await import('@bcon/executor');
      const docker = dockerFromEnv();
      // the host's lock: someone else holding it refuses the action; otherwise it is held for the execution
      const lock = await acquireLock(docker, approvedBy, `bcon approve ${proposal.id} option ${option}`);
      if (!lock.ok) {
        await audit(store, { actor, action: 'approval.refused', target: proposal.target, approval: 'none', result: 'locked', context: { proposal: proposal.id, host, option, reason: `locked by ${lock.lock.holder} since ${lock.lock.since}` } });
        throw new InputError(`the host is locked by ${lock.lock.holder} since ${lock.lock.since}${lock.lock.message ? ` (${lock.lock.message})` : ''}: nothing was done; ask them, or wait (bcon lock status)`, 'locked');
      }
      if (!setProposalStatus(store, proposal.id, 'approved')) {
        await releaseLock(docker, approvedBy).catch(() => undefined);
        throw new InputError(`proposal ${proposal.id} was decided meanwhile`, 'not_pending');
      }
      await audit(store, { actor: approvedBy, action: 'proposal.approve', target: proposal.target, approval: check.approval, result: `option ${option}`, context: { proposal: proposal.id, host, option, action: check.option.action, reason: check.option.reasons[0] ?? '', proposed_by: 'bcon' } });

      const action = actionOf(check.option);
      const heldBefore = lock.lock.since !== undefined && lock.lock.holder === approvedBy && Date.parse(lock.lock.since) < Date.now() - 1000;
      const journal = journalStart(store, { proposalId: proposal.id, action: action.type, target: proposal.target, startedAt: Date.now() });
      if (!flags.json) this.log(`Running${host ? ` on ${host}` : ''}: ${check.option.summary} …`);
      let result;
      try {
        result = await executeAction(docker, action, { verifyTimeoutMs: flags.timeout * 1000 });
      } finally {
        // a lock the approver took by hand stays theirs; one taken for this execution is given back
        if (!heldBefore) await releaseLock(docker, approvedBy).catch(() => undefined);
      }
      journalFinish(store, journal, result.status, result.state);
      await audit(store, {
        actor: approvedBy,
        action: action.type,
        target: proposal.target,
        approval: check.approval,
        result: result.status === 'succeeded' ? 'success' : result.status,
        context: { proposal: proposal.id, host, option, reason: check.option.reasons[0] ?? '', proposed_by: 'bcon', state: result.state, steps: result.steps },
      });
      if (flags.json) this.printJson({ proposal: proposal.id, ...(proposal.host ? { host: proposal.host } : {}), option, action: action.type, params: check.option.params, approval: check.approval, ...result });
      else {
        for (const s of result.steps) this.log(`  - ${s}`);
        this.log(result.status === 'succeeded' ? `Done. ${result.state}` : `${result.status === 'rolled_back' ? 'Undone' : 'Failed'}. ${result.state}`);
      }
      process.exitCode = result.status === 'succeeded' ? 0 : 1;
    } finally {
      store.close();
    }
  }
}
