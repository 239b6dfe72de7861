import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Target } from '@bcon/ops';
import type { BoardKeeper } from '../board.js';
import type { ServeContext } from '../context.js';
import { hostName } from '../context.js';

const ServiceQuery = z.object({ service: z.string().min(1).max(200), complaint: z.string().max(500).optional(), host: z.string().max(200).optional() });

/** The engine a view about one service reads: the named host, else the one that runs it. */
export async function targetFor(ctx: ServeContext, service: string, host?: string): Promise<Target> {
  if (host) {
    const t = ctx.targets.find((x) => hostName(x) === host);
    if (!t) {
      const { OpsError } = await import('@bcon/ops/errors');
      throw new OpsError(`no host named "${host}" (hosts: ${ctx.targets.map(hostName).join(', ')})`, 'unknown_host');
    }
    return t;
  }
  const { targetOfService } = await import('@bcon/ops/targets');
  return targetOfService(ctx.selection, service);
}

/** One diagnosis as the page shows it, its log lines learned by the redactor first. */
export async function diagnoseService(ctx: ServeContext, service: string | undefined, complaint: string | undefined, target: Target) {
  const { collectDiagnosis } = await import('@bcon/ops/diagnose');
  const diagnosis = await collectDiagnosis({ target: service, complaint, windowSeconds: ctx.windowSeconds, tail: 5000, maxLogBytes: 8 * 1024 * 1024, repo: ctx.repo, env: target.env });
  // the containers as this diagnosis read them (one created since the last seeding too), then their log windows
  for (const s of diagnosis.signals.services) ctx.redactor.seedContainers(s.containers);
  for (const s of diagnosis.signals.services) for (const lines of Object.values(s.logs)) ctx.redactor.learn(lines.map((l) => l.text).join('\n'));
  return diagnosis;
}

/** GET views: each one ops use-case, the same the CLI command calls; every answer is redacted on its way out. */
export function registerReadRoutes(app: FastifyInstance, ctx: ServeContext, board: BoardKeeper): void {
  app.get('/api/board', async () => board.current());

  app.get('/api/diagnose', async (req) => {
    const q = ServiceQuery.parse(req.query);
    const target = await targetFor(ctx, q.service, q.host);
    const d = await diagnoseService(ctx, q.service, q.complaint, target);
    return { host: hostName(target), report: d.report };
  });

  app.get('/api/drift', async () => {
    const { collectDrift, readDesired } = await import('@bcon/ops/drift');
    const desired = readDesired({ repo: ctx.repo, ref: 'HEAD', worktree: false });
    desired.catch(() => undefined);
    const hosts = await Promise.all(
      ctx.targets.map(async (t) => {
        try {
          const run = await collectDrift({ repo: ctx.repo, ref: 'HEAD', worktree: false, env: t.env, ...(t.name ? { host: t.name } : {}) }, desired);
          return { name: hostName(t), report: run.report };
        } catch (err) {
          const e = err as Error & { code?: string };
          return { name: hostName(t), error: { code: e.code ?? 'internal', message: e.message } };
        }
      }),
    );
    return { hosts };
  });

  app.get('/api/logs', async (req) => {
    const q = ServiceQuery.parse(req.query);
    const target = await targetFor(ctx, q.service, q.host);
    const { readLogLines } = await import('@bcon/ops/logs');
    const input = await readLogLines({ target: q.service, since: '1h', maxLines: 50_000, env: target.env });
    // the service's containers may be newer than the last seeding
    await ctx.redactor.seed(true);
    ctx.redactor.learn(input.lines.join('\n'));
    const { mineTemplates } = await import('@bcon/reasoning');
    const report = mineTemplates(input.lines);
    return { host: hostName(target), source: input.source, lines: report.lines, truncated: input.truncated ?? null, templates: report.templates.slice(0, 100).map(({ lines: _lines, ...t }) => t) };
  });

  app.get('/api/cost', async () => {
    const { buildCostReport } = await import('@bcon/ops/cost');
    return buildCostReport(Date.now());
  });

  app.get('/api/audit', async () => {
    const { listAudit, openStore, verifyAudit } = await import('@bcon/store');
    const store = openStore();
    try {
      const rows = listAudit(store);
      return { verify: verifyAudit(store), entries: rows.slice(-200).reverse().map(({ seq, timestamp, actor, action, target, approval, result, context }) => ({ seq, timestamp, actor, action, target, approval, result, context })) };
    } finally {
      store.close();
    }
  });

  app.get('/api/reconciler', async () => {
    const { existsSync } = await import('node:fs');
    const { readReconcilerState, reconcilerStatePath } = await import('@bcon/ops/reconcile');
    if (!existsSync(reconcilerStatePath())) return { present: false };
    const state = readReconcilerState();
    return { present: true, lastPass: state.lastPass ?? null, failed: state.failed, policy: state.policy ?? null };
  });

  app.get('/api/proposals', async () => {
    const { listProposals, openStore } = await import('@bcon/store');
    const { publicProposal } = await import('@bcon/ops');
    const store = openStore();
    try {
      const now = Date.now();
      const list = listProposals(store).slice(-50).reverse();
      return { proposals: await Promise.all(list.map(async (p) => ({ ...(await publicProposal(p.body as Parameters<typeof publicProposal>[0])), status: p.status === 'pending' && p.expiresAt < now ? 'expired' : p.status }))) };
    } finally {
      store.close();
    }
  });
}
