import type { Target } from '@bcon/ops';
import { Args, Flags } from '@oclif/core';
import type { Proposal } from '@bcon/decision';
import type { AiSection } from '@bcon/reasoning/ai';
import { BconCommand } from '../lib/base-command.js';
import { InputError } from '../lib/input-error.js';

export default class Diagnose extends BconCommand {
  static override aliases = ['why'];
  static override summary = 'What is wrong with a service, why, and what to do: symptoms, likely causes with evidence, suggested actions.';
  static override description = `Reads the service and everything it depends on (compose depends_on, network_mode, and env values that name
another service): state, exit codes, OOM kills, restarts, health probes, limits, CPU and memory, engine events,
log windows, drift from the committed compose files, and the stored baseline. Deterministic analyzers turn that into
hypotheses ranked by confidence, each citing its evidence; a dependency is blamed when the trouble lies there
(through a chain: web ← api ← db). With no target, every service that is not OK is checked. Read-only; no network
and no API key needed.`;
  static override examples = [
    '<%= config.bin %> diagnose api "responses are slow"',
    '<%= config.bin %> why web',
    '<%= config.bin %> diagnose',
    '<%= config.bin %> diagnose worker --json',
    '<%= config.bin %> diagnose api "재시작이 반복돼요" --lang ko',
  ];
  static override args = {
    target: Args.string({ description: 'A compose service or a container name (default: every service that is not OK).', required: false, ignoreStdin: true }),
    complaint: Args.string({ description: 'What you see, in your words ("slow", "keeps restarting", "500 errors"): it steers which symptoms matter.', required: false, ignoreStdin: true }),
  };
  static override flags = {
    since: Flags.string({ description: 'How far back events and logs are read (e.g. 10m, 1h).', default: '30m' }),
    tail: Flags.integer({ description: 'Most log lines read per container (the newest).', default: 5000, min: 1 }),
    'max-log-bytes': Flags.integer({ description: 'Most bytes of log read per container; the rest is skipped and the output says so.', default: 8 * 1024 * 1024, min: 1024 }),
    repo: Flags.string({ description: 'The compose repository (for declared dependencies and drift); default: the working directory.' }),
    lang: Flags.string({ description: 'Language of the text view.', options: ['en', 'ko'], default: 'en' }),
    propose: Flags.boolean({ description: 'Also turn the hypotheses into a stored proposal (as bcon propose): ranked options with risk, tier and reasons.', default: false }),
    ai: Flags.boolean({ description: 'Let the configured model re-rank and explain (it may cite only evidence ids that exist; secrets are redacted first).', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Diagnose);
    const { parseInterval } = await import('@bcon/ops/duration');
    const { collectDiagnosis } = await import('@bcon/ops/diagnose');
    const windowSeconds = Math.max(1, Math.round(parseInterval(flags.since) / 1000));
    const read = (t: Target) => collectDiagnosis({ target: args.target, complaint: args.complaint, windowSeconds, tail: flags.tail, maxLogBytes: flags['max-log-bytes'], repo: flags.repo ?? process.cwd(), env: t.env });
    const { list, fanOut } = await this.targets();
    // bcon.yaml names hosts and none was picked: every host at the same time, grouped by host (a host where the
    // target does not run is skipped; an unreachable host is reported in its place). --ai and --propose are about
    // one host: the one running the target.
    if (fanOut && !flags.ai && !flags.propose) {
      const { acrossTargets } = await import('@bcon/ops/across-targets');
      const results = (await acrossTargets(list, read)).map((r) => ('value' in r ? { name: r.name, address: r.address, diagnosis: r.value } : r));
      const found = results.filter((r) => !('error' in r && r.error?.code === 'unknown_service'));
      if (args.target && !found.length) throw new InputError(`no service or container named "${args.target}" on any host (${list.map((t) => t.name).join(', ')})`, 'unknown_service');
      if (flags.json) this.printJson({ hosts: found.map((r) => ('diagnosis' in r && r.diagnosis ? { name: r.name, address: r.address, report: r.diagnosis.report } : r)) });
      else {
        const { renderDiagnosisText } = await import('@bcon/ops/diagnose');
        for (const r of found) {
          this.log(`== ${r.name} (${r.address}) ==`);
          this.log('diagnosis' in r && r.diagnosis ? renderDiagnosisText(r.diagnosis, flags.lang as 'en' | 'ko') : `unreachable: ${'error' in r ? r.error?.message : ''}`);
          this.log('');
        }
      }
      if (found.some((r) => 'error' in r)) process.exitCode = 2;
      return;
    }
    if (fanOut && !args.target) throw new InputError(`--${flags.ai ? 'ai' : 'propose'} without a target reads one host: add --host NAME (hosts: ${list.map((t) => t.name).join(', ')}), or name a service`, 'needs_host');
    const target = args.target ? await this.targetOf(args.target) : (list[0] as Target);
    const diagnosis = await read(target);
    let report: typeof diagnosis.report & { ai?: AiSection } = diagnosis.report;
    if (flags.ai) {
      const { AI_OFF_NOTICE, openAi } = await import('@bcon/ops/ai-session');
      // troubleshooting a service that is down may use the model even when the budget is spent
      const target = diagnosis.signals.services.find((s) => s.name === diagnosis.report.target);
      const critical = target !== undefined && !target.containers.some((c) => c.state === 'running');
      const session = await openAi(flags.repo ?? process.cwd(), { critical });
      if (!session) report = { ...report, notices: [...report.notices, AI_OFF_NOTICE] };
      else {
        if (session.budgetNotice) report = { ...report, notices: [...report.notices, session.budgetNotice] };
        try {
          const { explainDiagnosis } = await import('@bcon/reasoning/ai');
          const explained = await explainDiagnosis(session.gateway, diagnosis);
          report = { ...explained, notices: report.notices };
        } catch (err) {
          const e = err as Error & { code?: string };
          if (!e.code?.startsWith('ai_')) throw err;
          report = { ...report, notices: [...report.notices, `AI unavailable (${e.message}); the deterministic result is shown`] };
        } finally {
          session.close();
        }
      }
      diagnosis.report = report;
    }
    let proposal: Proposal | undefined;
    if (flags.propose) {
      if (!report.target) throw new InputError('--propose needs a target service: bcon diagnose SERVICE --propose', 'no_target');
      const { storeProposal } = await import('@bcon/ops/propose');
      proposal = await storeProposal(diagnosis, report.hypotheses, flags.repo ?? process.cwd(), target);
    }
    if (flags.json) {
      this.printJson(proposal ? { ...report, proposal: (await import('../lib/level2.js')).proposalJson(proposal) } : report);
      return;
    }
    const { renderDiagnosisText } = await import('@bcon/ops/diagnose');
    this.log(renderDiagnosisText(diagnosis, flags.lang as 'en' | 'ko'));
    if (proposal) {
      const { renderProposal } = await import('../lib/level2.js');
      this.log(`\n${renderProposal(proposal)}`);
      if (proposal.options.length) this.log(`\nApprove one: bcon approve ${proposal.id} --option N`);
    }
  }
}
