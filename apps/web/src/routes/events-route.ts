import type { FastifyInstance } from 'fastify';
import type { BoardKeeper } from '../board.js';
import type { ServeContext } from '../context.js';
import { eventStream } from './chat-route.js';

/** GET /api/events: the live stream every open page keeps — board refreshes and approvals as they happen. */
export function registerEventsRoute(app: FastifyInstance, ctx: ServeContext, board: BoardKeeper): void {
  app.get('/api/events', async (_req, reply) => {
    await ctx.redactor.seed();
    const out = eventStream(reply, ctx);
    // in order; a refresh may have brought new containers: their secrets are learned before anything of theirs is sent
    let queue = Promise.resolve();
    const unsubscribe = ctx.hub.subscribe((e) => {
      queue = queue.then(() => ctx.redactor.seed()).then(() => out.send(e.event, e.data), () => undefined);
    });
    const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    ping.unref();
    reply.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    out.send('board', await board.current());
  });
}
