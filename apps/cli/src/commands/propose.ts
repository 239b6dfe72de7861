import { Args, Flags } from '@oclif/core';
import { BconCommand } from '../lib/base-command.js';

export default class Propose extends BconCommand {
  static override summary = 'Turn a diagnosis into ranked options, each with its risk, guardrail tier and reasons.';
  static override description = `Runs bcon diagnose on the service, then maps its hypotheses to typed catalog actions (restart, start, stop, set a
memory or CPU limit, scale, recreate, set or unset an env var, roll back to the committed image, remove an
untracked container). Risk and tier are bcon's own rules (stateful service, nothing to verify with, last replica,
production, secrets), with bcon.yaml guardrails overrides. The proposal is stored with an id and an expiry:
approve one option with bcon approve ID --option N.`;
  static override examples = ['<%= config.bin %> propose worker "the nightly batch stopped"', '<%= config.bin %> propose api --json'];
  static override args = {
    service: Args.string({ description: 'A compose service or a container name.', required: true, ignoreStdin: true }),
    complaint: Args.string({ description: 'What you see, in your words.', required: false, ignoreStdin: true }),
  };
  static override flags = {
    repo: Flags.string({ description: 'The compose repository (default: the working directory).' }),
    since: Flags.string({ description: 'How far back the diagnosis reads.', default: '30m' }),
    ttl: Flags.string({ description: 'How long the proposal may be approved.', default: '1h' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Propose);
    const { parseInterval } = await import('@bcon/ops/duration');
    const { collectDiagnosis } = await import('@bcon/ops/diagnose');
    const repo = flags.repo ?? process.cwd();
    // with several bcon.yaml hosts and none picked: the host that runs the service
    const target = await this.targetOf(args.service);
    const diagnosis = await collectDiagnosis({ target: args.service, complaint: args.complaint, windowSeconds: Math.round(parseInterval(flags.since) / 1000), tail: 5000, maxLogBytes: 8 * 1024 * 1024, repo, env: target.env });
    const { storeProposal } = await import('@bcon/ops/propose');
    const { proposalJson, renderProposal } = await import('../lib/level2.js');
    // with a model configured, it may add options of the catalog (checked, scored and tiered by bcon)
    const proposal = await storeProposal(diagnosis, diagnosis.report.hypotheses, repo, target, parseInterval(flags.ttl), { model: true });
    if (flags.json) {
      this.printJson({ proposal: proposalJson(proposal) });
      return;
    }
    const top = diagnosis.report.hypotheses[0];
    if (top) this.log(`${top.summary} (${top.cause}, ${Math.round(top.confidence * 100)}%)\n`);
    this.log(renderProposal(proposal));
    if (proposal.options.length) this.log(`\nApprove one: bcon approve ${proposal.id} --option N`);
  }
}
