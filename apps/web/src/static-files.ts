import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The built client (Vite, in dist/client): index.html for the page's routes, files under /assets/ (behind the session like everything else). */
export function registerStaticFiles(app: FastifyInstance, clientDir: string): void {
  const root = path.resolve(clientDir);
  const send = async (file: string, reply: FastifyReply) => {
    const full = path.resolve(root, file);
    if (full !== root && !full.startsWith(`${root}${path.sep}`)) return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
    try {
      const body = await readFile(full);
      return reply.type(TYPES[path.extname(full)] ?? 'application/octet-stream').send(body);
    } catch {
      if (file === 'index.html') return reply.code(500).type('text/plain').send(`the web client is not built (${path.join(root, 'index.html')} is missing): pnpm --filter @bcon/web build`);
      return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
    }
  };
  app.get('/assets/*', async (req, reply) => send(path.join('assets', (req.params as { '*': string })['*']), reply));
  app.get('/', async (_req, reply) => send('index.html', reply));
}

/** What a browser without a session gets: a page that says how to get in, and no data. */
export const NEEDS_TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bcon — needs the token</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#f6f7f9;color:#1d2330;display:grid;place-items:center;height:100vh;margin:0}
main{background:#fff;border:1px solid #dde1e7;border-radius:10px;padding:28px 34px;max-width:460px}h1{font-size:18px;margin:0 0 8px}code{background:#eef1f5;padding:1px 5px;border-radius:4px}</style></head>
<body><main id="needs-token"><h1>This page needs the token</h1>
<p>Open the URL that <code>bcon serve</code> printed (it carries a one-time token). A token works once: to open another browser, restart <code>bcon serve</code>.</p>
<p lang="ko">이 페이지는 <code>bcon serve</code>가 출력한 URL(일회용 토큰 포함)로 열어야 합니다.</p></main></body></html>`;
