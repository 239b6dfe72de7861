import { createHash } from 'node:crypto';
import { docker } from './docker.js';

/** A service replica created the way `docker compose up` creates it: its name and its compose labels. */
export interface ComposeContainer {
  project: string;
  service: string;
  number?: number;
  image: string;
  command?: string[];
  /** `none` (default), `host`, or `container:<name>`; never a bridge. */
  network?: string;
  restart?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  memory?: string;
  cpus?: string;
  health?: { cmd: string; interval?: string; retries?: number; startPeriod?: string };
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** v2 names replicas `proj-svc-1`; v1 (docker-compose) named them `proj_svc_1`. */
  composeVersion?: '2.24.0' | '1.29.2';
  oneoff?: boolean;
}

/** compose's config-hash: SHA-256 over the service's definition (here: the parts this fixture sets). */
export function configHash(c: ComposeContainer): string {
  const { number: _n, composeVersion: _v, ...definition } = c;
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

export function containerName(c: ComposeContainer): string {
  const n = c.number ?? 1;
  return c.composeVersion === '1.29.2' ? `${c.project}_${c.service}_${n}` : `${c.project}-${c.service}-${n}`;
}

/** `docker run -d` a replica with compose's labels; returns its name. */
export function runComposeContainer(c: ComposeContainer): string {
  const name = containerName(c);
  const args = ['run', '-d', '--name', name, '--network', c.network ?? 'none'];
  const labels: Record<string, string> = {
    'com.docker.compose.project': c.project,
    'com.docker.compose.service': c.service,
    'com.docker.compose.container-number': String(c.number ?? 1),
    'com.docker.compose.oneoff': c.oneoff ? 'True' : 'False',
    'com.docker.compose.config-hash': configHash(c),
    'com.docker.compose.version': c.composeVersion ?? '2.24.0',
    'com.docker.compose.project.working_dir': `/srv/${c.project}`,
    'com.docker.compose.project.config_files': `/srv/${c.project}/compose.yaml`,
    ...c.labels,
  };
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  if (c.restart) args.push('--restart', c.restart);
  if (c.memory) args.push('--memory', c.memory, '--memory-swap', c.memory);
  if (c.cpus) args.push('--cpus', c.cpus);
  for (const [k, v] of Object.entries(c.env ?? {})) args.push('--env', `${k}=${v}`);
  if (c.health) {
    args.push('--health-cmd', c.health.cmd, '--health-interval', c.health.interval ?? '1s', '--health-retries', String(c.health.retries ?? 2));
    args.push('--health-timeout', '2s');
    if (c.health.startPeriod) args.push('--health-start-period', c.health.startPeriod);
  }
  args.push(c.image, ...(c.command ?? []));
  docker(args);
  return name;
}

export function inspect(name: string, format: string): string {
  return docker(['inspect', '-f', format, name]);
}
