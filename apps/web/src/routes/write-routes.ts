import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServeContext } from '../context.js';
import { hostName } from '../context.js';
import { diagnoseService, targetFor } from './read-routes.js';

const ProposeBody = z.object({ service: z.string().min(1).max(200), complaint: z.string().max(500).optional(), host: z.string().max(200).optional() });
const ApproveBody = z.object({
  option: z.number().int().min(1).optional(),
  /** a prohibited-tier option: two different approvers, each with the TOTP code of BCON_TOTP_SECRET_<NAME> */
  approvers: z.array(z.object({ actor: z.string().min(1).max(100), code: z.string().regex(/^\d{6}$/, 'a 6-digit code') })).max(2).optional(),
});
const RejectBody = z.object({ reason: z.string().max(500).optional() });
const IdParams = z.object({ id: z.string().regex(/^p-[a-z0-9]+$/i, 'a proposal id (p-…)') });

/**
 * The state-changing requests (each behind the session, its CSRF token and the Origin check): propose (stores a
 * proposal, as bcon propose), approve (the ops use-case bcon approve and the Slack bot call, channel `web`,
 * authority `person`; progress and the verified result are sent live to every open page) and reject.
 */
export function registerWriteRoutes(app: FastifyInstance, ctx: ServeContext, refreshBoard: () => void): void {
  app.post('/api/propose', async (req) => {
    const body = ProposeBody.parse(req.body);
    const target = await targetFor(ctx, body.service, body.host);
    const d = await diagnoseService(ctx, body.service, body.complaint, target);
    const { publicProposal, storeProposal } = await import('@bcon/ops');
    const proposal = await storeProposal(d, d.report.hypotheses, ctx.repo, target);
    return { host: hostName(target), proposal: await publicProposal(proposal) };
  });

  app.post('/api/proposals/:id/approve', async (req) => {
    const { id } = IdParams.parse(req.params);
    const body = ApproveBody.parse(req.body ?? {});
    const { approveProposal } = await import('@bcon/ops');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    ctx.hub.emit('approval', { id, phase: 'started', actor: ctx.actor, option: body.option ?? null });
    try {
      const { result, view } = await approveProposal({
        store,
        id,
        option: body.option,
        actor: ctx.actor,
        approvers: body.approvers ?? [],
        channel: 'web',
        selection: ctx.selection,
        exitOnSignal: false,
        onProgress: (line) => ctx.hub.emit('approval', { id, phase: 'progress', line }),
      });
      ctx.hub.emit('approval', { id, phase: 'done', ok: result.ok, result: view });
      return { ok: result.ok, result: view };
    } catch (err) {
      const e = err as Error & { code?: string };
      ctx.hub.emit('approval', { id, phase: 'refused', code: e.code ?? 'internal', message: e.message });
      throw err;
    } finally {
      store.close();
      refreshBoard();
    }
  });

  app.post('/api/proposals/:id/reject', async (req) => {
    const { id } = IdParams.parse(req.params);
    const body = RejectBody.parse(req.body ?? {});
    const { rejectProposal } = await import('@bcon/ops');
    const { openStore } = await import('@bcon/store');
    const store = openStore();
    try {
      const r = await rejectProposal({ store, id, actor: ctx.actor, channel: 'web', ...(body.reason ? { reason: body.reason } : {}) });
      ctx.hub.emit('approval', { id, phase: 'rejected' });
      return r;
    } finally {
      store.close();
    }
  });
}
