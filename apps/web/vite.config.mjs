// The browser client of bcon serve: Preact, built by Vite into dist/client (served by the Fastify server behind the session).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(here, 'client'),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: path.join(here, 'dist', 'client'), emptyOutDir: true, sourcemap: false, target: 'es2022', chunkSizeWarningLimit: 200 },
});
