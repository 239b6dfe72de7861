// The read-only answers: the same @bcon/ops use-cases as bcon status / diagnose / drift / proposals / ask, rendered
// as Block Kit. Nothing here writes to an engine.
import type { Proposal } from '@bcon/decision';
import type { Target, TargetSelection } from '@bcon/ops';
import type { SlackMessage } from './blocks.js';
import { diagnosisMessage, driftMessage, noteMessage, statusMessage } from './blocks.js';

export interface AnswerContext {
  repo: string;
  env: NodeJS.ProcessEnv;
  webUrl?: string | undefined;
  /** `--host`: the one engine to answer about */
  engineHost?: string | undefined;
}

async function selection(ctx: AnswerContext): Promise<TargetSelection> {
  const { resolveTargets } = await import('@bcon/ops');
  return resolveTargets({ cwd: ctx.repo, env: ctx.env, host: ctx.engineHost });
}

async function everyHost<T>(ctx: AnswerContext, read: (t: Target) => Promise<T>): Promise<Array<{ name: string | undefined; value?: T; error?: string }>> {
  const { fansOut, selectedTargets } = await import('@bcon/ops');
  const sel = await selection(ctx);
  const list = selectedTargets(sel);
  if (!fansOut(sel)) return [{ name: undefined, value: await read(list[0] as Target) }];
  const { acrossTargets } = await import('@bcon/ops/across-targets');
  return (await acrossTargets(list, read)).map((r) => ('value' in r ? { name: r.name, value: r.value } : { name: r.name, error: r.error.message }));
}

/** `bcon status` on every host this bot covers. */
export async function answerStatus(ctx: AnswerContext): Promise<SlackMessage> {
  const { collectStatus } = await import('@bcon/ops/status');
  const hosts = await everyHost(ctx, (t) => collectStatus({ stats: true, statsSource: 'auto', env: t.env }));
  return statusMessage(hosts.map((h) => ({ name: h.name, ...(h.value ? { report: h.value } : {}), ...(h.error ? { error: h.error } : {}) })), ctx.webUrl);
}

/** `bcon why SERVICE [complaint]` on the engine that runs it (last 30 minutes of events and logs, as the CLI). */
export async function answerWhy(ctx: AnswerContext, service: string, complaint: string | undefined): Promise<SlackMessage> {
  const { targetOfService } = await import('@bcon/ops');
  const { collectDiagnosis } = await import('@bcon/ops/diagnose');
  const target = await targetOfService(await selection(ctx), service);
  const d = await collectDiagnosis({ target: service, complaint, windowSeconds: 1800, tail: 5000, maxLogBytes: 8 * 1024 * 1024, repo: ctx.repo, env: target.env });
  return diagnosisMessage(d.report, ctx.webUrl);
}

/** `bcon drift` against the repository's HEAD, on one engine (several: each host's own projects). */
export async function answerDrift(ctx: AnswerContext): Promise<SlackMessage[]> {
  const { collectDrift } = await import('@bcon/ops/drift');
  const hosts = await everyHost(ctx, (t) => collectDrift({ repo: ctx.repo, ref: 'HEAD', worktree: false, env: t.env, ...(t.name ? { host: t.name } : {}) }));
  return hosts.map((h) => {
    if (!h.value) return noteMessage(`${h.name ?? 'engine'}: drift could not be checked: ${h.error ?? 'no answer'}`);
    const m = driftMessage(h.value.report, ctx.webUrl);
    return h.name ? { ...m, text: `${h.name}: ${m.text}` } : m;
  });
}

/** The pending proposals that have not expired, as the store holds them (newest first). */
export async function pendingProposals(): Promise<Proposal[]> {
  const { listProposals, openStore } = await import('@bcon/store');
  const { parseProposal } = await import('@bcon/decision');
  const store = openStore();
  try {
    const now = Date.now();
    return listProposals(store, 'pending')
      .filter((p) => p.expiresAt >= now)
      .map((p) => parseProposal(p.body));
  } finally {
    store.close();
  }
}

/** `bcon ask QUESTION`: the same bounded, read-only, redacted loop; without a model, says so. */
export async function answerAsk(ctx: AnswerContext, question: string): Promise<SlackMessage> {
  const { openAi } = await import('@bcon/ops/ai-session');
  const session = await openAi(ctx.repo);
  if (!session) {
    return noteMessage('ask needs a model, and none is configured: set BCON_LLM_BASE_URL and BCON_LLM_MODEL (and BCON_LLM_API_KEY for a hosted one) where bcon slack runs, or llm: in bcon.yaml. Without one, `/bcon why SERVICE` and `/bcon status` answer offline.');
  }
  const { oneTarget } = await import('@bcon/ops');
  const target = oneTarget(await selection(ctx), 'bcon ask');
  const { askClient, askTools } = await import('@bcon/ops/ask-tools');
  const { askLoop, DEFAULT_ASK_LIMITS } = await import('@bcon/reasoning/ai');
  const client = askClient(target.env);
  try {
    const { tools, prime } = askTools(client, session.gateway.redactor);
    await prime();
    const result = await askLoop(session.gateway, question, tools, DEFAULT_ASK_LIMITS);
    const used = result.steps.filter((s) => s.outcome === 'ok').map((s) => s.tool);
    const lines = [result.answer || '(the model gave no answer)', '', `read: ${used.length ? used.join(', ') : 'nothing'} · model ${session.settings.model}`];
    for (const r of result.refused) lines.push(`refused: the model asked for ${r.tool} — ${r.reason}`);
    if (result.stopped) lines.push(`note: ${result.stopped}`);
    return noteMessage(lines.join('\n'));
  } finally {
    client.close();
    session.close();
  }
}
