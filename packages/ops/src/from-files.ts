import path from 'node:path';
import type { Action } from '@bcon/decision';
import type { FromFiles } from '@bcon/executor';
import type { ContainerFacts } from '@bcon/sensor';

/**
 * The committed compose files of a service with no container left, for a service.scale from 0: read at HEAD of the
 * proposal's repository, like a diagnosis reads them (the project as its siblings on the host were made). Undefined
 * when they cannot be read or do not declare the service: the executor then makes nothing.
 */
export async function fromFilesFor(repo: string | undefined, containers: readonly ContainerFacts[], action: Action): Promise<FromFiles | undefined> {
  if (action.type !== 'service.scale' || action.from !== 0 || !action.project || !repo) return undefined;
  const { readDesired } = await import('./diagnose.js');
  const notices: string[] = [];
  const read = await readDesired(repo, containers, action.project, notices);
  const project = read?.desired.projects.find((p) => p.name === action.project);
  const spec = project?.services[action.service];
  if (!read || !project || !spec) return undefined;
  return { project: project.name, spec, projectDir: path.join(read.root, project.dir), ...(read.desired.commit ? { commit: read.desired.commit } : {}) };
}
