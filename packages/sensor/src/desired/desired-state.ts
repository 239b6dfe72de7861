import path from 'node:path';
import type { BconConfig } from './bcon-config.js';
import { BCON_CONFIG_FILE } from './config-file.js';
import type { ProjectOptions } from './compose/load.js';
import { loadComposeProject } from './compose/load.js';
import type { ComposeProject } from './compose/service-spec.js';
import type { DesiredSource } from './source.js';
import { readDesiredText } from './yaml-file.js';

export interface DesiredState {
  /** where it was read: `HEAD@3f2a9c1`, `worktree` */
  source: string;
  commit: string | undefined;
  projects: ComposeProject[];
  /** bcon.yaml hosts (name → engine address), when it names any */
  hosts?: Record<string, string>;
  /** where bcon.yaml places each project (project name → host names); a project not listed runs on every host */
  placement?: Record<string, string[]>;
}

/**
 * The projects the repository declares: those listed in bcon.yaml, else the compose file at the root
 * (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml, with its override file).
 */
export async function loadDesiredState(source: DesiredSource, options: { env?: NodeJS.ProcessEnv } = {}): Promise<DesiredState> {
  const config = await readConfig(source);
  const specs: ProjectOptions[] = config?.projects?.length
    ? config.projects.map((p) => ({
        dir: p.path,
        ...(p.files ? { files: p.files } : {}),
        ...(p.name ? { name: p.name } : {}),
        ...(p.profiles ? { profiles: p.profiles } : {}),
      }))
    : [{ dir: '.' }];
  const projects: ComposeProject[] = [];
  const placement: Record<string, string[]> = {};
  for (const [i, spec] of specs.entries()) {
    const project = await loadComposeProject(source, { ...spec, ...(options.env ? { env: options.env } : {}) });
    projects.push(project);
    const placed = config?.projects?.[i]?.host;
    if (placed !== undefined) placement[project.name] = [...(placement[project.name] ?? []), ...([] as string[]).concat(placed)];
  }
  return {
    source: source.label,
    commit: source.commit,
    projects,
    ...(await hostsOf(config)),
    ...(Object.keys(placement).length ? { placement } : {}),
  };
}

/** bcon.yaml at the ref, validated; undefined when there is none (zod is loaded only when there is one). */
async function readConfig(source: DesiredSource): Promise<BconConfig | undefined> {
  const text = await readDesiredText(source, BCON_CONFIG_FILE);
  return text === undefined ? undefined : (await import('./bcon-config.js')).parseBconConfig(text);
}

/** bcon.yaml's hosts as the desired state carries them: name → address, and no key when it names none. */
async function hostsOf(config: BconConfig | undefined): Promise<Pick<DesiredState, 'hosts'>> {
  return config?.hosts && Object.keys(config.hosts).length ? { hosts: (await import('./bcon-config.js')).hostAddresses(config) } : {};
}

/**
 * bcon.yaml's hosts, and the hosts it places one project on — the project at `dir` in the repository, run under
 * `name` — read from bcon.yaml alone: no compose file is parsed (a diagnosis of one project reads only its own).
 * An entry of `projects:` is this project when the name it gives is `name`, or — giving none — its path is `dir`.
 */
export async function readProjectPlacement(source: DesiredSource, project: { dir: string; name: string }): Promise<Pick<DesiredState, 'hosts' | 'placement'>> {
  const config = await readConfig(source);
  if (config === undefined) return {};
  const { projectHosts } = await import('./bcon-config.js');
  const { normalizeProjectName } = await import('./compose/load.js');
  // `./`, `shop/` and `shop` are one directory
  const norm = (d: string) => path.posix.normalize(d || '.').replace(/(.)\/+$/, '$1');
  const dir = norm(project.dir);
  const hosts: string[] = [];
  for (const p of config.projects ?? []) {
    // an entry that names its project is that project, wherever compose ran it from (its files may be in a
    // subdirectory); one that does not is the project at its path
    if (p.name !== undefined ? normalizeProjectName(p.name) !== project.name : norm(p.path) !== dir) continue;
    hosts.push(...(projectHosts(p) ?? []));
  }
  return {
    ...(await hostsOf(config)),
    ...(hosts.length ? { placement: { [project.name]: [...new Set(hosts)] } } : {}),
  };
}
