import fs from 'node:fs';

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
 * Fetch the checked-out branch from its remote (`branch.<b>.remote`, else origin) over HTTP(S) with isomorphic-git and
 * fast-forward the checkout to it. A checkout with commits of its own (not a fast-forward), a dirty file the
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
  if (!/^https?:\/\//.test(url)) return { ...base, to: from, error: `the remote ${remote} is ${base.url}: only http(s) remotes are fetched (isomorphic-git)` };
  try {
    await git.fastForward({ fs, http, dir: root, ref: branch, remote, singleBranch: true });
    return { ...base, to: await head() };
  } catch (err) {
    return { ...base, to: await head(), error: `${(err as Error).message.split('\n')[0]}` };
  }
}
