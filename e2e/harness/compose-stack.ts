import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { removeProject } from './docker.js';
import { filesRepo, type GitRepo } from './git-repo.js';

/**
 * A compose `command:` (flow YAML) for a database stand-in: busybox httpd serving `ok` at
 * http://127.0.0.1:PORT/ping (network_mode: host), after saying where it listens.
 */
export const pingServerCommand = (port: number): string =>
  `["sh", "-c", "mkdir -p /srv && echo ok > /srv/ping && echo 'ready to accept connections on 127.0.0.1:${port}' && exec httpd -f -p 127.0.0.1:${port} -h /srv"]`;

/**
 * A compose `command:` block (block YAML, indented for a service) for a client of 127.0.0.1:PORT that checks it every
 * 0.5 s, logs `ok` while it answers, and at the first refusal logs the two lines given (the refusal, then why it
 * exits) and exits 1 — a service that dies when its database goes away.
 */
export const exitsWhenRefusedCommand = (port: number, lines: { ok: string; refused: string; exiting: string }): string => `    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do
          if nc -w 1 127.0.0.1 ${port} </dev/null >/dev/null 2>&1; then echo "${lines.ok}"
          else
            echo "${lines.refused}"
            echo "${lines.exiting}"
            exit 1
          fi
          sleep 0.5
        done`;

/** A bcon.yaml that lets the reconciler repair drift by itself. */
export const SELF_HEAL = 'reconcile:\n  self_heal: true\n';

/** A compose project for a reconciler test: its files in a git repository, a BCON_HOME beside it, and its clean-up. */
export interface ComposeStack {
  /** the repository's working tree, named after the project as a user's checkout is */
  dir: string;
  repo: GitRepo;
  /** the temporary directory that holds the repository and `home` (removed by cleanup) */
  work: string;
  /** BCON_HOME for the test's bcon commands */
  home: string;
  /** remove the project's containers and the temporary directory */
  cleanup(): void;
}

/** `docker-compose -p PROJECT up -d [SERVICE…]` in `dir`, on the test engine. */
export function composeUp(project: string, dir: string, services: string[] = []): void {
  execFileSync('docker-compose', ['-p', project, 'up', '-d', ...services], { cwd: dir, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Commit `files` in a fresh repository named `project`, remove what an earlier run of that project left on the test
 * engine, and — unless `up: false` — bring the project up from the repository.
 */
export function upStack(project: string, files: Record<string, string>, message: string, options: { up?: boolean } = {}): ComposeStack {
  const repo = filesRepo(project, files, message);
  const work = path.dirname(repo.dir);
  const cleanup = () => {
    removeProject(project);
    rmSync(work, { recursive: true, force: true });
  };
  removeProject(project);
  try {
    if (options.up !== false) composeUp(project, repo.dir);
  } catch (err) {
    // the caller never gets a stack to clean up: what the failed up made goes now
    cleanup();
    throw err;
  }
  return { dir: repo.dir, repo, work, home: path.join(work, 'home'), cleanup };
}
