import type { Target } from '@bcon/ops';
import type { SwarmChange } from '@bcon/ops/swarm';
import { InputError } from './input-error.js';

/** What a change of a swarm service printed as JSON holds (`bcon swarm scale`, `bcon deploy`/`rollback` on a swarm service). */
export interface SwarmChangeView {
  service: string;
  action: string;
  from: string | number;
  to: string | number;
  strategy: 'swarm';
  result: 'succeeded' | 'rolled_back' | 'paused' | 'failed' | 'refused' | 'proposed';
  proposal: string;
  tier: string;
  steps: string[];
  state?: string;
  failures?: unknown[];
  durationMs: number;
  /** proposed: how to approve it */
  approve?: string;
}

interface Printer {
  log: (line: string) => void;
  json: boolean;
  actor?: string | undefined;
  yes: boolean;
}

/**
 * A change of a swarm service through the one write path: planned from the service as it is now (its spec version),
 * stored as a proposal with bcon's risk and tier, run with --yes up to the notify tier (explicit: bcon approve), and
 * verified by the executor from swarm's own task and update states. Returns the view; sets nothing on the process.
 */
export async function runSwarmChange(target: Target, change: SwarmChange, out: Printer): Promise<SwarmChangeView> {
  const started = Date.now();
  const { actorName, currentGuardrails, interruptedExecutions } = await import('@bcon/ops');
  const { planSwarmChange, runSwarmProposal, swarmProposal } = await import('@bcon/ops/swarm');
  const { action } = await planSwarmChange(target, change);
  const { openStore } = await import('@bcon/store');
  const store = openStore();
  try {
    for (const u of await interruptedExecutions(store)) out.log(`warning: ${u.summary}: see bcon journal, then bcon journal resolve ${u.id} --finish or --undo`);
    const guardrails = await currentGuardrails(change.repo ?? process.cwd());
    const proposal = await swarmProposal({ store, target, action, guardrails });
    const option = proposal.options[0];
    const from = action.type === 'swarm.scale' ? action.from : action.currentImage;
    const to = action.type === 'swarm.scale' ? action.to : action.image;
    const base = { service: action.service, action: action.type, from, to, strategy: 'swarm' as const, proposal: proposal.id, tier: option?.tier ?? 'unknown' };
    if (!out.json) {
      out.log(`${proposal.id}: ${option?.summary}`);
      out.log(`  risk ${option?.risk}, tier ${option?.tier}: ${option?.reasons.join('; ')}`);
    }
    if (option && option.tier !== 'autonomous' && option.tier !== 'notify') {
      const approve = option.tier === 'prohibited' ? `bcon approve ${proposal.id} --option 1 --approver NAME:CODE --approver NAME:CODE --yes` : `bcon approve ${proposal.id} --option 1 --yes`;
      if (!out.json) out.log(`This is ${option.tier}-tier: nothing was changed. To run it: ${approve}`);
      return { ...base, result: 'proposed', steps: [], durationMs: Date.now() - started, approve };
    }
    if (!out.yes) {
      const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !out.json;
      if (!tty) throw new InputError(`add --yes to run it (proposal ${proposal.id} stays pending until it expires; bcon approve ${proposal.id} --yes runs it too)`, 'needs_confirmation');
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await rl.question('Run it? [y/N] ')).trim();
      rl.close();
      if (!/^y(es)?$/i.test(answer)) {
        out.log(`Nothing changed (proposal ${proposal.id} stays pending until it expires).`);
        return { ...base, result: 'proposed', steps: [], durationMs: Date.now() - started };
      }
    }
    const result = await runSwarmProposal({ store, proposal, target, actor: actorName(out.actor), guardrails, onProgress: (line) => (out.json ? process.stderr.write(`${line}\n`) : out.log(line)) });
    const r = result.results[0];
    const detail = (r?.detail ?? {}) as { result?: SwarmChangeView['result']; failures?: unknown[] };
    const view: SwarmChangeView = {
      ...base,
      result: detail.result ?? (r?.status === 'succeeded' ? 'succeeded' : r?.status === 'rolled_back' ? 'rolled_back' : 'failed'),
      steps: r?.steps ?? [],
      ...(r?.state ? { state: r.state } : {}),
      ...(detail.failures?.length ? { failures: detail.failures } : {}),
      durationMs: Date.now() - started,
    };
    if (!out.json) out.log(`${view.result === 'succeeded' ? 'Done' : view.result === 'rolled_back' ? 'Rolled back' : view.result === 'paused' ? 'Paused' : 'Not done'}: ${view.state ?? ''}`);
    return view;
  } finally {
    store.close();
  }
}
