/**
 * One engine a command works on: its bcon.yaml name (if any), its address, and the environment that reaches it
 * (DOCKER_HOST and the key file bcon.yaml gives it). One host is a list of one; nothing changes process.env to
 * choose a host.
 */
export interface Target {
  name?: string | undefined;
  address: string;
  env: NodeJS.ProcessEnv;
}

/** How a target is named in messages and the audit log: its bcon.yaml name, else its address. */
export function targetLabel(t: { name?: string | undefined; address: string }): string {
  return t.name ?? t.address;
}

/** The engine the environment points at (DOCKER_HOST, else the default socket). */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env, name?: string): Target {
  const address = env['DOCKER_HOST'] || 'unix:///var/run/docker.sock';
  return { ...(name ? { name } : {}), address, env };
}
