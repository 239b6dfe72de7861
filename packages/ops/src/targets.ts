import type { Target } from './target.js';
import { OpsError } from './errors.js';

export const DEFAULT_ADDRESS = 'unix:///var/run/docker.sock';

/**
 * The engines a command may work on, resolved once: the one --host or DOCKER_HOST picked, and the hosts bcon.yaml
 * names (each with the environment that reaches it: its address and the key file bcon.yaml gives it). Nothing
 * here changes process.env.
 */
export interface TargetSelection {
  picked: Target | undefined;
  configured: Target[];
  /** the environment the command started with */
  env: NodeJS.ProcessEnv;
}

function hostEnv(env: NodeJS.ProcessEnv, address: string, key: string | undefined): NodeJS.ProcessEnv {
  return { ...env, DOCKER_HOST: address, ...(key ? { BCON_SSH_KEY: key } : {}) };
}

/** bcon.yaml hosts of the repository around `cwd`, as targets (none without a bcon.yaml). */
export async function configuredTargets(cwd: string, env: NodeJS.ProcessEnv): Promise<Target[]> {
  const { readRepositoryConfig } = await import('./repository-config.js');
  const found = await readRepositoryConfig(cwd);
  if (!found) return [];
  const { hostSettings } = await import('@bcon/sensor/desired');
  const settings = await hostSettings(found.config as Parameters<typeof hostSettings>[0], found.root);
  return Object.entries(settings.addresses).map(([name, address]) => ({ name, address, env: hostEnv(env, address, settings.keys[name]) }));
}

/**
 * Resolve `--host NAME|ADDRESS`, else DOCKER_HOST, else bcon.yaml's hosts, else the default socket. A name that
 * bcon.yaml does not have (and that is no address) is a clear error.
 */
export async function resolveTargets(options: { cwd: string; host?: string | undefined; env?: NodeJS.ProcessEnv }): Promise<TargetSelection> {
  const env = options.env ?? process.env;
  const configured = await configuredTargets(options.cwd, env);
  if (options.host) {
    const named = configured.find((t) => t.name === options.host);
    if (named) return { picked: named, configured, env };
    if (!/^(ssh|unix|tcp|npipe):\/\//.test(options.host)) {
      throw new OpsError(`no host named "${options.host}" in bcon.yaml (hosts: ${configured.map((t) => t.name).join(', ') || 'none'}); or give an address such as ssh://user@host`, 'unknown_host');
    }
    const same = configured.find((t) => t.address === options.host);
    return { picked: same ?? { address: options.host, env: { ...env, DOCKER_HOST: options.host } }, configured, env };
  }
  const fromEnv = env['DOCKER_HOST'];
  if (fromEnv && fromEnv.trim() !== '') {
    const same = configured.find((t) => t.address === fromEnv);
    return { picked: same ?? { address: fromEnv, env }, configured, env };
  }
  return { picked: undefined, configured, env };
}

/** Every engine the selection covers: the picked one, else bcon.yaml's hosts, else the default socket. */
export function selectedTargets(sel: TargetSelection): Target[] {
  if (sel.picked) return [sel.picked];
  if (sel.configured.length) return sel.configured;
  return [{ address: DEFAULT_ADDRESS, env: sel.env }];
}

/** Does the command speak for several hosts (bcon.yaml hosts, none picked)? Then its output is grouped by host. */
export function fansOut(sel: TargetSelection): boolean {
  return !sel.picked && sel.configured.length > 0;
}

/** For a command that works on one engine and names no service: the picked one, the only host, or a clear error. */
export function oneTarget(sel: TargetSelection, what: string): Target {
  const all = selectedTargets(sel);
  if (all.length > 1) throw new OpsError(`${what} works on one host: add --host NAME (hosts: ${all.map((t) => t.name).join(', ')})`, 'needs_host');
  return all[0] as Target;
}

/**
 * For a command about one service: the picked engine; with one bcon.yaml host, that one (the service may not run
 * yet); with several, the one that runs it (each asked at once; none or several is a clear error).
 */
export async function targetOfService(sel: TargetSelection, service: string): Promise<Target> {
  if (sel.picked || sel.configured.length <= 1) return selectedTargets(sel)[0] as Target;
  const { hostOfTarget } = await import('./locate-target.js');
  const found = await hostOfTarget(service, sel.configured);
  return found;
}
