// A compose stack fronted by the test nginx (bcon-test/nginx:1) with a small HTTP app (bcon-test/app:TAG), both on the
// host network bound to 127.0.0.1 (each app replica on its own port, given in PORT), in a real git repository; and a
// bounded request loop through the proxy that counts failed requests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeProject } from './docker.js';
import { fixtureRepo } from './git-repo.js';

export interface DeployStack {
  project: string;
  dir: string;
  proxyPort: number;
  appPort: number;
  /** rewrite compose.yaml (e.g. replicas) and commit it */
  rewrite(over: Partial<StackOptions>): void;
  remove(): void;
}

export interface StackOptions {
  replicas: number;
  updateConfig: Record<string, unknown>;
  rollbackConfig?: Record<string, unknown>;
  env: Record<string, string>;
  labels: Record<string, string>;
  bconYaml?: string;
}

function composeText(project: string, proxyPort: number, appPort: number, o: StackOptions): string {
  const yaml = (v: unknown) => JSON.stringify(v);
  const lines = [
    'services:',
    '  proxy:',
    '    image: bcon-test/nginx:1',
    '    network_mode: host',
    '    stop_signal: SIGQUIT',
    '    environment:',
    `      LISTEN: "127.0.0.1:${proxyPort}"`,
    `      FIRST_UPSTREAM: "127.0.0.1:${appPort}"`,
    '      UPSTREAM_NAME: web',
    '  web:',
    '    image: bcon-test/app:1',
    '    network_mode: host',
    '    environment:',
    `      PORT: "${appPort}"`,
    ...Object.entries(o.env).map(([k, v]) => `      ${k}: ${yaml(v)}`),
    '    labels:',
    '      bcon.proxy: proxy',
    `      bcon.proxy.port: "${appPort}"`,
    '      bcon.proxy.port-env: PORT',
    ...Object.entries(o.labels).map(([k, v]) => `      ${k}: ${yaml(v)}`),
    '    healthcheck:',
    '      test: ["CMD", "/health.sh"]',
    '      interval: 1s',
    // a probe is a fork of sh + nc + grep: on a loaded machine (the suite's load, two CPU-bound loops beside it) one
    // can take seconds, and two slow probes in a row made a healthy-but-erroring replica "unhealthy" during the
    // monitor (probe health instead of analysis); the unhealthy image's probe still fails at once
    '      timeout: 5s',
    '      retries: 3',
    '    deploy:',
    `      replicas: ${o.replicas}`,
    `      update_config: ${yaml(o.updateConfig)}`,
    ...(o.rollbackConfig ? [`      rollback_config: ${yaml(o.rollbackConfig)}`] : []),
    '',
  ];
  void project;
  return lines.join('\n');
}

/** Bring a stack up with docker-compose v1 (one replica of web), committed in a repository named after the project. */
export function deployStack(project: string, base: number, options: Partial<StackOptions> = {}): DeployStack {
  let o: StackOptions = { replicas: 1, updateConfig: { parallelism: 1, order: 'start-first', monitor: '3s' }, env: {}, labels: {}, ...options };
  const proxyPort = base;
  const appPort = base + 1;
  const seed = mkdtempSync(path.join(tmpdir(), 'bcon-deploy-fixture-'));
  writeFileSync(path.join(seed, 'compose.yaml'), composeText(project, proxyPort, appPort, { ...o, replicas: 1 }));
  if (o.bconYaml) writeFileSync(path.join(seed, 'bcon.yaml'), o.bconYaml);
  const repo = fixtureRepo(seed, project);
  rmSync(seed, { recursive: true, force: true });
  removeProject(project);
  execFileSync('docker-compose', ['-p', project, 'up', '-d'], { cwd: repo.dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  const stack: DeployStack = {
    project,
    dir: repo.dir,
    proxyPort,
    appPort,
    rewrite(over) {
      o = { ...o, ...over };
      writeFileSync(path.join(repo.dir, 'compose.yaml'), composeText(project, proxyPort, appPort, o));
      repo.commit('change the stack');
    },
    remove() {
      removeProject(project);
      rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    },
  };
  if (o.replicas !== 1) stack.rewrite({ replicas: o.replicas });
  return stack;
}

/** Whether nothing listens on 127.0.0.1:port now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A base port whose next `span` ports are free on 127.0.0.1 (the stacks use the host's network: another test run on
 * this machine — another engine — may hold ports too).
 */
export async function freePorts(span: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    // below the kernel's ephemeral range (32768–60999 by default): a port picked there may be taken later by the
    // local end of an outgoing connection (the request loop's, nginx's to its upstreams) while a replica wants it
    const base = 21000 + Math.floor(Math.random() * ((32000 - 21000 - span) / 10)) * 10;
    const checks = await Promise.all(Array.from({ length: span }, (_, k) => portFree(base + k)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${span} free ports in a row on 127.0.0.1`);
}

/** One GET through the proxy: the status and body, or 0 when the connection failed. */
export function get(port: number, timeoutMs = 5000): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim(), ms: performance.now() - started }));
      res.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - started }));
  });
}

export interface LoopResult {
  requests: number;
  failed: number;
  /** bodies seen, by count ("version 1" …) */
  bodies: Record<string, number>;
}

/**
 * Requests through the proxy every `everyMs` until stop() (at most `maxRequests`, so a test never floods anything):
 * a request fails when it gets no answer or a status other than 200.
 */
export function requestLoop(port: number, options: { everyMs?: number; maxRequests?: number; concurrency?: number } = {}): { stop(): Promise<LoopResult> } {
  const { everyMs = 50, maxRequests = 4000, concurrency = 2 } = options;
  const result: LoopResult = { requests: 0, failed: 0, bodies: {} };
  let running = true;
  const one = async () => {
    while (running && result.requests < maxRequests) {
      const r = await get(port);
      result.requests++;
      if (r.status !== 200) result.failed++;
      else result.bodies[r.body] = (result.bodies[r.body] ?? 0) + 1;
      await new Promise((res) => setTimeout(res, everyMs));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, one));
  return {
    async stop() {
      running = false;
      await done;
      return result;
    },
  };
}
