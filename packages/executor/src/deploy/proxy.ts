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

/** Print the kernel's TCP socket tables with the shell alone (the proxy image has no cat). */
const READ_TCP_TABLES = 'for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && while IFS= read -r l; do printf "%s\n" "$l"; done < "$f"; done; true';

/** The local ports of every TCP socket in /proc/net/tcp{,6} text (header lines and unreadable rows skipped). */
export function localPortsOf(table: string): Set<number> {
  const ports = new Set<number>();
  for (const line of table.split('\n')) {
    const m = /^\s*\d+:\s+[0-9A-Fa-f]+:([0-9A-Fa-f]{4})\s/.exec(line);
    if (m) ports.add(parseInt(m[1] as string, 16));
  }
  return ports;
}

/**
 * The TCP ports in use on the engine's host, read through a proxy container on the host network (its /proc/net/tcp
 * is the host's): a new replica on host networking must not take a port another process holds (listening, or the
 * local end of a connection). Empty when the proxy is not on the host network or cannot be read.
 */
export async function hostPortsInUse(docker: Docker, project: string, proxy: DeployProxy): Promise<Set<number>> {
  try {
    const [name] = await proxyContainers(docker, project, proxy);
    if (!name) return new Set();
    const info = await docker.getContainer(name).inspect();
    if (info.HostConfig.NetworkMode !== 'host') return new Set();
    const r = await execIn(docker, name, ['/bin/sh', '-c', READ_TCP_TABLES], { outputBytes: 8 * 1024 * 1024 });
    return r.exitCode === 0 ? localPortsOf(r.output) : new Set();
  } catch {
    return new Set();
  }
}

/**
 * The shell that reloads nginx and waits until the reload took effect. `nginx -s reload` only sends SIGHUP to the
 * master and returns at once: the master then parses the configuration, starts new workers, waits ~100 ms and only
 * then tells the old workers to stop accepting. Until it has, the old workers keep taking new connections and send
 * them to the OLD upstream list — on a busy machine for seconds — so a replica removed right after the reload still
 * gets requests (502 when it was the only server), and a reload the master refused is never noticed. So: the worker
 * PIDs (processes titled `nginx: worker process`, not `… is shutting down`) before the signal; after it, wait until
 * every worker alive is a new one. Exit 3 when that does not happen within the limit.
 */
export const RELOAD_AND_WAIT = [
  'workers() { for p in /proc/[0-9]*; do c=$(tr "\\000" " " 2>/dev/null < "$p/cmdline") || continue; case "$c" in *"is shutting down"*) ;; "nginx: worker process"*) echo "${p#/proc/}" ;; esac; done; }',
  'before=$(workers | tr "\\n" " ")',
  'nginx -s reload || exit $?',
  'i=0',
  'while [ "$i" -lt "$BCON_RELOAD_POLLS" ]; do',
  '  now=$(workers | tr "\\n" " "); ok=1',
  '  [ -n "$now" ] || ok=0',
  '  for p in $before; do case " $now " in *" $p "*) ok=0 ;; esac; done',
  '  if [ "$ok" = 1 ]; then echo "workers ${before:-none}-> $now after $i polls"; exit 0; fi',
  '  sleep 0.1; i=$((i + 1))',
  'done',
  'echo "after $i polls the old workers (${before}) still run and no new one took over: the master did not apply the reload (its log says why)"; exit 3',
].join('\n');

/** How long to wait for a reload to take effect, in polls of 0.1 s (plus the time each poll takes). */
const RELOAD_POLLS = 300;

/**
 * Point the proxy at `servers`: write `<configDir>/<service>.conf` in each proxy container (through exec, the text in
 * the exec's environment; written to a temporary file and renamed, so nginx never reads half a file), check the whole
 * configuration (`nginx -t`), reload (`nginx -s reload`: old workers finish their requests) and wait until the reload
 * took effect (only new workers accept connections; RELOAD_AND_WAIT): when this returns, no new request reaches a
 * server that is not in `servers`. A failed check puts the previous file back and throws with nginx's own output; a
 * reload that does not take effect throws.
 */
export async function switchUpstream(docker: Docker, project: string, proxy: DeployProxy, service: string, servers: readonly Upstream[]): Promise<string> {
  if (!servers.length) throw new ProxyError(`refusing to leave ${service} with no upstream server`);
  const file = `${proxy.configDir}/${service}.conf`;
  const text = upstreamConfig(service, servers);
  const took: string[] = [];
  for (const name of await proxyContainers(docker, project, proxy)) {
    const write = await execIn(docker, name, ['/bin/sh', '-c', 'mkdir -p "$(dirname "$BCON_FILE")" && { [ ! -f "$BCON_FILE" ] || cp "$BCON_FILE" "$BCON_FILE.bcon-prev"; } && printf "%s" "$BCON_TEXT" > "$BCON_FILE.bcon-new" && mv "$BCON_FILE.bcon-new" "$BCON_FILE"'], { env: { BCON_FILE: file, BCON_TEXT: text } });
    if (write.exitCode !== 0) throw new ProxyError(`could not write ${file} in ${name} (exit code ${write.exitCode}): ${write.output}`);
    const test = await execIn(docker, name, ['nginx', '-t']);
    if (test.exitCode !== 0) {
      await execIn(docker, name, ['/bin/sh', '-c', '[ ! -f "$BCON_FILE.bcon-prev" ] || mv "$BCON_FILE.bcon-prev" "$BCON_FILE"'], { env: { BCON_FILE: file } });
      throw new ProxyError(`nginx -t refused the new upstream in ${name} (exit code ${test.exitCode}): ${test.output}; the previous file is back`);
    }
    const started = Date.now();
    const reload = await execIn(docker, name, ['/bin/sh', '-c', RELOAD_AND_WAIT], { env: { BCON_RELOAD_POLLS: String(RELOAD_POLLS) }, timeoutMs: 120_000 });
    if (reload.exitCode !== 0) throw new ProxyError(`nginx -s reload ${reload.exitCode === 3 ? 'did not take effect' : 'failed'} in ${name} (exit code ${reload.exitCode}): ${reload.output.trim()}`);
    const polls = /after (\d+) polls/.exec(reload.output)?.[1];
    took.push(`${Date.now() - started} ms${polls ? ` (${polls} polls of 0.1 s)` : ''}`);
  }
  return `proxy ${proxy.service} → ${servers.map((s) => `${s.replica}${s.weight && s.weight !== 1 ? ` (weight ${s.weight})` : ''}`).join(', ')} (reload in effect after ${took.join(', ')})`;
}
