import * as fs from 'node:fs';
import git from 'isomorphic-git';

/** The author of a commit: git config user.name / user.email of the repository, else bcon. */
export async function commitAuthor(root: string): Promise<{ name: string; email: string }> {
  const name = (await git.getConfig({ fs, dir: root, path: 'user.name' }).catch(() => undefined)) as string | undefined;
  const email = (await git.getConfig({ fs, dir: root, path: 'user.email' }).catch(() => undefined)) as string | undefined;
  return { name: name || 'bcon', email: email || 'bcon@localhost' };
}

/** Write a file of the desired-state repository and commit it (isomorphic-git: no git binary needed). */
export async function commitFile(root: string, relPath: string, text: string, message: string, author?: { name: string; email: string }): Promise<string> {
  fs.writeFileSync(`${root}/${relPath}`, text);
  await git.add({ fs, dir: root, filepath: relPath });
  return git.commit({ fs, dir: root, message, author: author ?? (await commitAuthor(root)) });
}

/** Files whose staged content differs from HEAD (what a commit would include besides bcon's own file). */
export async function stagedFiles(root: string): Promise<string[]> {
  const matrix = await git.statusMatrix({ fs, dir: root });
  // [file, head, workdir, stage]: stage differs from head when something was staged (added, changed or deleted)
  return matrix.filter(([, head, , stage]) => (head === 1 ? stage !== 1 : stage !== 0)).map(([file]) => file);
}
