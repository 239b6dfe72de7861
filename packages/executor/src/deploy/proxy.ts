import type Docker from 'dockerode';
import type { DeployProxy } from '@bcon/decision';
import { execIn } from '../docker/exec.js';

/** One upstream server line: where a replica answers, and its share of the traffic. */
export interface Upstream {
  replica: string;
  address: string;
  weight?: number;
}

/** The name of the nginx upstream block bcon writes for a service (the site config proxies to it). */
export const upstreamName = (service: string) => `bcon_${service.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** The upstream file's text: one server per replica; nginx retries the next one on a refused connection. */
export function upstreamConfig(service: string, servers: readonly Upstream[]): string {
  const lines = [`# written by bcon deploy; do not edit (the next deploy rewrites it)`, `upstream ${upstreamName(service)} {`];
  for (const s of servers) lines.push(`    server ${s.address}${s.weight && s.weight !== 1 ? ` weight=${s.weight}` : ''}; # ${s.replica}`);
  lines.push('}', '');
  return lines.join('\n');
}

export class ProxyError extends Error {}

/**
 * The proxy container of a compose project's proxy service: the running one (a proxy with several replicas gets the
 * same file in each).
 */
export async function proxyContainers(docker: Docker, project: string, proxy: DeployProxy): Promise<string[]> {
  const list = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${proxy.service}`], status: ['running'] } });
  if (!list.length) throw new ProxyError(`the proxy service ${proxy.service} (label bcon.proxy) has no running container in project ${project}`);
  return list.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

/**
 * Point the proxy at `servers`: write `<configDir>/<service>.conf` in each proxy container (through exec, the text in
 * the exec's environment; written to a temporary file and renamed, so nginx never reads half a file), check the whole
 * configuration (`nginx -t`), and reload (`nginx -s reload`: old workers finish their requests). A failed check puts
 * the previous file back and throws with nginx's own output.
 */
export async function switchUpstream(docker: Docker, project: string, proxy: DeployProxy, service: string, servers: readonly Upstream[]): Promise<string> {
  if (!servers.length) throw new ProxyError(`refusing to leave ${service} with no upstream server`);
  const file = `${proxy.configDir}/${service}.conf`;
  const text = upstreamConfig(service, servers);
  for (const name of await proxyContainers(docker, project, proxy)) {
    const write = await execIn(docker, name, ['/bin/sh', '-c', 'mkdir -p "$(dirname "$BCON_FILE")" && { [ ! -f "$BCON_FILE" ] || cp "$BCON_FILE" "$BCON_FILE.bcon-prev"; } && printf "%s" "$BCON_TEXT" > "$BCON_FILE.bcon-new" && mv "$BCON_FILE.bcon-new" "$BCON_FILE"'], { env: { BCON_FILE: file, BCON_TEXT: text } });
    if (write.exitCode !== 0) throw new ProxyError(`could not write ${file} in ${name} (exit code ${write.exitCode}): ${write.output}`);
    const test = await execIn(docker, name, ['nginx', '-t']);
    if (test.exitCode !== 0) {
      await execIn(docker, name, ['/bin/sh', '-c', '[ ! -f "$BCON_FILE.bcon-prev" ] || mv "$BCON_FILE.bcon-prev" "$BCON_FILE"'], { env: { BCON_FILE: file } });
      throw new ProxyError(`nginx -t refused the new upstream in ${name} (exit code ${test.exitCode}): ${test.output}; the previous file is back`);
    }
    const reload = await execIn(docker, name, ['nginx', '-s', 'reload']);
    if (reload.exitCode !== 0) throw new ProxyError(`nginx -s reload failed in ${name} (exit code ${reload.exitCode}): ${reload.output}`);
  }
  return `proxy ${proxy.service} → ${servers.map((s) => `${s.replica}${s.weight && s.weight !== 1 ? ` (weight ${s.weight})` : ''}`).join(', ')}`;
}
