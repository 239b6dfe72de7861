import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

/** What fetching the desired state from the repository's remote did before a pass. */
export interface PullResult {
  remote: string;
  url: string;
  branch: string;
  /** the commit before and after (the same when the remote had nothing new) */
  from: string | null;
  to: string | null;
  /** why the local checkout was not moved: the pass then runs on the local commit */
  error?: string;
}

/**
 * Fetch the checked-out branch from its remote (`branch.<b>.remote`, else origin) — HTTP(S) with isomorphic-git, SSH
 * (`ssh://…`, `git@host:path`) with the system's git, which isomorphic-git cannot speak — and fast-forward the checkout
 * to it. A checkout with commits of its own (not a fast-forward), a dirty file the
 * update would overwrite, or a remote that cannot be reached leaves it as it is and says why: the pass then decides on
 * the local commit, which every decision names. The reconciler's repository should be a clone of its own.
 */
export async function pullDesiredState(root: string): Promise<PullResult> {
  const git = await import('isomorphic-git');
  const http = (await import('isomorphic-git/http/node')).default;
  const branch = (await git.currentBranch({ fs, dir: root, fullname: false })) ?? 'HEAD';
  const remote = ((await git.getConfig({ fs, dir: root, path: `branch.${branch}.remote` })) as string | undefined) ?? 'origin';
  const url = ((await git.getConfig({ fs, dir: root, path: `remote.${remote}.url` })) as string | undefined) ?? '';
  const head = async () => git.resolveRef({ fs, dir: root, ref: 'HEAD' }).catch(() => null);
  const from = await head();
  const base = { remote, url: url.replace(/\/\/[^/@]*@/, '//…@'), branch, from };
  if (!url) return { ...base, to: from, error: `no remote ${remote} configured (git remote add ${remote} URL)` };
  if (!/^https?:\/\//.test(url)) {
    if (!isSshRemote(url)) return { ...base, to: from, error: `the remote ${remote} is ${base.url}: only http(s) and ssh remotes are fetched` };
    const error = await fetchOverSsh(root, remote, branch);
    return { ...base, to: await head(), ...(error ? { error } : {}) };
  }
  try {
    await git.fastForward({ fs, http, dir: root, ref: branch, remote, singleBranch: true });
    return { ...base, to: await head() };
  } catch (err) {
    return { ...base, to: await head(), error: `${(err as Error).message.split('\n')[0]}` };
  }
}

/** `ssh://…`, `git+ssh://…` or scp-like `user@host:path` (what `git remote -v` shows for a GitHub/GitLab SSH clone). */
export function isSshRemote(url: string): boolean {
  return /^(git\+)?ssh:\/\//.test(url) || /^[\w.-]+@[\w.-]+:(?!\/\/)/.test(url);
}

/**
 * `git fetch REMOTE BRANCH` then `git merge --ff-only FETCH_HEAD` with the system's git: never a prompt (ssh in batch
 * mode unless GIT_SSH_COMMAND, GIT_SSH or core.sshCommand says otherwise; no terminal prompt), bounded in time. A merge that is not a
 * fast-forward, or would overwrite a local change, is refused by git before it touches the checkout. The error, or
 * undefined.
 */
async function fetchOverSsh(root: string, remote: string, branch: string): Promise<string | undefined> {
  const run = promisify(execFile);
  const base: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  // the user's own ssh command (GIT_SSH_COMMAND, GIT_SSH, the repository's core.sshCommand: a deploy key) wins;
  // without one, ssh in batch mode — a key it cannot use fails at once instead of asking for a passphrase
  const configured = await run('git', ['-C', root, 'config', '--get', 'core.sshCommand'], { env: base }).then(
    (r) => r.stdout.trim() !== '',
    () => false,
  );
  const env = base['GIT_SSH_COMMAND'] || base['GIT_SSH'] || configured ? base : { ...base, GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o ConnectTimeout=10' };
  const git = (args: string[]) => run('git', ['-C', root, ...args], { env, timeout: 60_000, maxBuffer: 1024 * 1024 });
  try {
    await git(['fetch', '--quiet', '--end-of-options', remote, `refs/heads/${branch}`]);
  } catch (err) {
    return `git fetch ${remote} ${branch} failed: ${gitMessage(err)}`;
  }
  try {
    await git(['merge', '--ff-only', '--quiet', 'FETCH_HEAD']);
    return undefined;
  } catch (err) {
    return `not a fast-forward of the local checkout, or a local change would be overwritten: ${gitMessage(err)}`;
  }
}

function gitMessage(err: unknown): string {
  const e = err as { code?: string; killed?: boolean; stderr?: string; message: string };
  if (e.code === 'ENOENT') return 'git is not installed (an ssh remote is fetched with the system git)';
  if (e.killed) return 'timed out after 60 s';
  // git's own lines (ssh's refusal, `fatal: …`), without its closing advice ("Please make sure you have the correct
  // access rights / and the repository exists.")
  const lines = (e.stderr?.trim() || e.message).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^(Please make sure you have the correct access rights|and the repository exists\.)/.test(l));
  return lines.slice(0, 3).join(' ');
}
