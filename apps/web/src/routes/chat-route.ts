import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { BoardKeeper } from '../board.js';
import { parseChatQuestion } from '../chat-intent.js';
import type { ServeContext } from '../context.js';
import { hostName } from '../context.js';
import { diagnoseService, targetFor } from './read-routes.js';

const ChatBody = z.object({ question: z.string().trim().min(1).max(2000), lang: z.enum(['en', 'ko']).default('en') });

/** Open a server-sent event stream on a reply; each write is redacted. */
export function eventStream(reply: FastifyReply, ctx: ServeContext): { send: (event: string, data: unknown) => void; end: () => void } {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
  return {
    send: (event, data) => {
      if (!reply.raw.writableEnded) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(ctx.redactor.value(data))}\n\n`);
    },
    end: () => reply.raw.end(),
  };
}

const HELP = {
  en: 'Ask about status ("is everything ok?"), a service ("why is api slow?"), drift ("what drifted?") or logs ("logs of worker"). With a model configured (BCON_LLM_BASE_URL, BCON_LLM_MODEL), any question goes to the same ask loop as `bcon ask`.',
  ko: '상태("다 괜찮아?"), 서비스("api가 왜 느려?"), 드리프트("뭐가 달라졌어?"), 로그("worker 로그")에 대해 물어보세요. 모델을 설정하면(BCON_LLM_BASE_URL, BCON_LLM_MODEL) 모든 질문이 `bcon ask`와 같은 루프로 갑니다.',
};

/**
 * POST /api/chat answers as a stream of server-sent events: with a model, the `bcon ask` loop (the same read-only
 * tools and redaction; each tool the model reads is sent as it is called, then the answer); without one, the
 * question parsed offline to status, diagnose, drift or logs, answered by the deterministic use-case.
 */
export function registerChatRoute(app: FastifyInstance, ctx: ServeContext, board: BoardKeeper): void {
  app.post('/api/chat', async (req, reply) => {
    const { question, lang } = ChatBody.parse(req.body);
    await ctx.redactor.seed();
    const out = eventStream(reply, ctx);
    try {
      const { openAi } = await import('@bcon/ops/ai-session');
      const session = await openAi(ctx.repo);
      if (session) {
        out.send('mode', { mode: 'model', model: session.settings.model });
        const { askClient, askTools } = await import('@bcon/ops/ask-tools');
        const { askLoop, DEFAULT_ASK_LIMITS } = await import('@bcon/reasoning/ai');
        const { oneTarget } = await import('@bcon/ops/targets');
        const client = askClient(oneTarget(ctx.selection, 'chat').env);
        try {
          const { tools, prime } = askTools(client, session.gateway.redactor);
          await prime();
          const watched = tools.map((t) => ({
            ...t,
            run: async (args: unknown) => {
              out.send('step', { tool: t.name, args });
              return t.run(args as never);
            },
          }));
          const result = await askLoop(session.gateway, question, watched, DEFAULT_ASK_LIMITS);
          out.send('answer', { text: result.answer || '(the model gave no answer)', refused: result.refused, stopped: result.stopped ?? null, tokens: result.promptTokens + result.completionTokens });
        } finally {
          client.close();
          session.close();
        }
        return;
      }
      const current = await board.current();
      const services = [...new Set(current.hosts.flatMap((h) => (h.report ? [...h.report.projects.flatMap((p) => p.services), ...h.report.standalone].map((s) => s.name) : [])))];
      const intent = parseChatQuestion(question, services);
      out.send('mode', { mode: 'offline', intent });
      const r = await import('@bcon/reasoning');
      if (intent.kind === 'help') out.send('answer', { text: HELP[lang] });
      else if (intent.kind === 'status') {
        const fresh = await board.refresh();
        const text = fresh.hosts.map((h) => (h.report ? `${ctx.targets.length > 1 ? `== ${h.name} ==\n` : ''}${r.renderStatusText(h.report)}` : `${h.name}: ${h.error?.message ?? ''}`)).join('\n\n');
        out.send('answer', { text, view: 'board' });
      } else if (intent.kind === 'diagnose') {
        const target = intent.service ? await targetFor(ctx, intent.service) : ctx.targets[0];
        if (!target) throw new Error('no engine');
        const d = await diagnoseService(ctx, intent.service, intent.complaint, target);
        out.send('answer', { text: r.renderDiagnosisText(d, lang), view: intent.service ? `diagnose/${intent.service}` : 'board', host: hostName(target) });
      } else if (intent.kind === 'drift') {
        const { collectDrift } = await import('@bcon/ops/drift');
        const t = ctx.targets[0];
        if (!t) throw new Error('no engine');
        const run = await collectDrift({ repo: ctx.repo, ref: 'HEAD', worktree: false, env: t.env, ...(t.name ? { host: t.name } : {}) });
        out.send('answer', { text: r.renderDriftText(run.report), view: 'drift' });
      } else if (intent.kind === 'logs' && intent.service) {
        const target = await targetFor(ctx, intent.service);
        const { readLogLines } = await import('@bcon/ops/logs');
        const input = await readLogLines({ target: intent.service, since: '1h', maxLines: 50_000, env: target.env });
        await ctx.redactor.seed(true);
        ctx.redactor.learn(input.lines.join('\n'));
        const report = r.mineTemplates(input.lines);
        const text = [`${report.lines} lines, ${report.templates.length} templates`, ...report.templates.slice(0, 10).map((t) => `${String(t.count).padStart(6)}  ${t.level.padEnd(5)}  ${r.printable(t.template).slice(0, 160)}`)].join('\n');
        out.send('answer', { text, view: `logs/${intent.service}` });
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      out.send('failed', { code: e.code ?? 'internal', message: e.message });
    } finally {
      out.end();
    }
  });
}
