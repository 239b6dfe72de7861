import { execFileSync, spawnSync } from 'node:child_process';

/** The docker CLI against the test engine (the harness may write; bcon's sensor may not). */
export function docker(args: string[], options: { input?: string; allowFail?: boolean } = {}): string {
  const res = spawnSync('docker', args, { env: process.env, input: options.input, encoding: 'utf8' });
  if (res.status !== 0 && !options.allowFail) {
    throw new Error(`docker ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  }
  return (res.stdout ?? '').trim();
}

export function dockerHost(): string {
  const host = process.env['DOCKER_HOST'];
  if (!host) throw new Error('DOCKER_HOST is not set: the e2e global setup should have started the test engine');
  return host;
}

export function socketPath(): string {
  const host = dockerHost();
  if (!host.startsWith('unix://')) throw new Error(`this test needs a unix-socket engine, not ${host}`);
  return host.slice('unix://'.length);
}

/** Remove every container of a compose project (and any container whose name is given). */
export function removeProject(project: string, extraNames: string[] = []): void {
  const ids = docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { allowFail: true })
    .split('\n')
    .filter(Boolean);
  const all = [...ids, ...extraNames];
  if (all.length > 0) docker(['rm', '-f', ...all], { allowFail: true });
}

/**
 * How much longer a wait may take than on a quiet machine: incidents take their real time to happen, and with
 * CPU-bound work beside the suite (the busy-machine run) more of it. Only a failing wait is slower for it.
 */
const PATIENCE = Number(process.env['BCON_E2E_PATIENCE'] ?? 3);

export function waitFor(predicate: () => boolean, timeoutMs: number, what: string): void {
  const limit = timeoutMs * PATIENCE;
  const deadline = Date.now() + limit;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${limit} ms waiting for ${what}`);
    execFileSync('sleep', ['0.2']);
  }
}
