import http from 'node:http';
import { parseReconcilerArgs } from './args.js';
import { reconcilerMetrics } from './metrics.js';

const sleep = (ms: number, stop: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    stop.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

/** How soon a pass follows one that asked for it (PassResult.followUp), at most the interval. */
const FOLLOW_UP_MS = 5_000;
/**
 * Passes asking for a follow-up in a row that get one; past them the interval applies until a pass does not ask (a
 * dependency whose healthcheck stays `starting` for minutes, a repair that runs every pass).
 */
const FOLLOW_UPS_IN_A_ROW = 12;

/**
 * The loop: resolve the hosts of bcon.yaml, run a pass, wait the interval (5 s after a pass whose repair ran or
 * waits seconds for a dependency: the convergence goes on without an interval's delay), again. A pass that fails (bcon.yaml
 * invalid, the store unavailable) is logged and the loop keeps going; /healthz then answers 503 until a pass
 * succeeds. SIGTERM/SIGINT: the current pass (and its action) finishes, then the process exits 0.
 */
export async function runReconciler(argv: string[]): Promise<void> {
  const args = parseReconcilerArgs(argv);
  const { reconcileOnce } = await import('@bcon/ops/reconcile');
  const { parsePolicyConfig } = await import('@bcon/ops/reconcile');
  const { readRepositoryConfig } = await import('@bcon/ops');
  const { resolveTargets, selectedTargets } = await import('@bcon/ops/targets');
  const { openStore } = await import('@bcon/store');
  const metrics = reconcilerMetrics();
  let lastOk = 0;
  let lastError: string | undefined;
  let intervalMs = args.intervalMs ?? 30_000;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (req.url === '/metrics') {
      void metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
      return;
    }
    if (req.url === '/healthz') {
      // healthy once a pass succeeded within three intervals (and while the first one runs)
      const fresh = lastOk === 0 ? !lastError : Date.now() - lastOk < 3 * intervalMs;
      res.writeHead(fresh ? 200 : 503, { 'content-type': 'text/plain' }).end(fresh ? 'ok\n' : `unhealthy: ${lastError ?? 'no pass succeeded recently'}\n`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.listen.port, args.listen.host, () => resolve());
  });
  const address = server.address();
  process.stderr.write(`bcon-reconciler: metrics and health on http://${args.listen.host}:${typeof address === 'object' && address ? address.port : args.listen.port} (/metrics, /healthz)\n`);
  const stop: { requested: boolean; wake?: () => void } = { requested: false };
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`bcon-reconciler: ${signal}: finishing the current pass, then stopping\n`);
    stop.requested = true;
    stop.wake?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let done = 0;
  // passes run soon after one that asked for it (a repair ran, or one waits seconds for a dependency), this many in a row
  let followUps = 0;
  try {
    while (!stop.requested) {
      const started = Date.now();
      let soon = false;
      try {
        const found = await readRepositoryConfig(args.repo);
        if (!args.intervalMs) intervalMs = parsePolicyConfig(found?.config ?? {}).reconcile.intervalMs;
        // a loop reads its SSH hosts every interval: the connection keepers (docs/hosts.md) spare each pass the
        // handshakes, unless BCON_SSH_PERSIST says otherwise (0: off)
        const env = process.env['BCON_SSH_PERSIST'] !== undefined ? process.env : { ...process.env, BCON_SSH_PERSIST: String(Math.max(60, Math.ceil((intervalMs * 3) / 1000))) };
        const targets = selectedTargets(await resolveTargets({ cwd: args.repo, env }));
        const store = openStore();
        try {
          const pass = await reconcileOnce({ repo: args.repo, targets, store, dryRun: args.dryRun, exitOnSignal: false });
          metrics.recordPass(pass);
          // (the cap counts the passes that asked in a row, the ones that waited the interval too)
          followUps = pass.followUp !== undefined ? followUps + 1 : 0;
          soon = followUps > 0 && followUps <= FOLLOW_UPS_IN_A_ROW;
          lastOk = Date.now();
          lastError = undefined;
          process.stdout.write(`${JSON.stringify({ pass: { ...pass, decisions: pass.decisions.map(({ id, host, service, action, tier, mode, result }) => ({ id, host, service, action, tier, mode, result })) } })}\n`);
        } finally {
          store.close();
        }
      } catch (err) {
        metrics.recordFailure();
        lastError = (err as Error).message;
        process.stderr.write(`bcon-reconciler: the pass failed: ${lastError}\n`);
      }
      done++;
      if (args.passes !== undefined && done >= args.passes) break;
      if (!stop.requested) await sleep(Math.max(0, (soon ? Math.min(intervalMs, FOLLOW_UP_MS) : intervalMs) - (Date.now() - started)), stop);
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
