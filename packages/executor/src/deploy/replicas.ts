import { isDeepStrictEqual } from 'node:util';
import type Docker from 'dockerode';
import type { DeployProxy } from '@bcon/decision';
import { cloneSpec, replicaName } from '../docker/clone.js';

type Inspect = Docker.ContainerInspectInfo;

/** A replica of the service being deployed, and where the proxy reaches it. */
export interface Replica {
  name: string;
  /** compose's container number */
  number: number;
  image: string;
  /** host:port the proxy sends its requests to (when a proxy fronts the service) */
  address?: string;
}

/** Labels bcon puts on the replicas a deploy made. */
export const DEPLOY_LABEL = 'bcon.deploy.id';
export const PREVIOUS_IMAGE_LABEL = 'bcon.deploy.previous-image';

/** The replicas of one compose project's service (not one-off containers), by container number. */
export async function listReplicas(docker: Docker, project: string, service: string): Promise<Docker.ContainerInfo[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`] } });
  return list
    .filter((c) => c.Labels['com.docker.compose.oneoff'] !== 'True')
    .sort((a, b) => Number(a.Labels['com.docker.compose.container-number'] ?? 0) - Number(b.Labels['com.docker.compose.container-number'] ?? 0));
}

const envName = (e: string) => e.split('=', 1)[0] as string;

/** Where the proxy reaches a container: host networking → 127.0.0.1 and its port variable; else its address on its first network. */
export function addressOf(info: Inspect, proxy: DeployProxy): string | undefined {
  if (info.HostConfig.NetworkMode === 'host') {
    const port = proxy.portEnv ? (info.Config.Env ?? []).find((e) => envName(e) === proxy.portEnv)?.slice(proxy.portEnv.length + 1) : String(proxy.port);
    return port && /^\d+$/.test(port) ? `127.0.0.1:${port}` : undefined;
  }
  const net = Object.values(info.NetworkSettings.Networks ?? {})[0];
  return net?.IPAddress ? `${net.IPAddress}:${proxy.port}` : undefined;
}

/**
 * The create body of a replica like `from` but on another image: what compose would create from the same service
 * definition. The env, command, entrypoint, healthcheck and labels the OLD image supplied are not carried over (the
 * new image's own apply), only what the service itself set.
 */
export function specForImage(from: Inspect, oldImage: Docker.ImageInspectInfo | undefined, image: string, change: { env?: Record<string, string>; labels?: Record<string, string> } = {}): Docker.ContainerCreateOptions {
  const imageEnv = new Set(oldImage?.Config?.Env ?? []);
  const userEnv = (from.Config.Env ?? []).filter((e) => !imageEnv.has(e));
  const env = [...userEnv.filter((e) => !(envName(e) in (change.env ?? {}))), ...Object.entries(change.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  const imageLabels = oldImage?.Config?.Labels ?? {};
  const labels = Object.fromEntries(Object.entries(from.Config.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v));
  const spec = cloneSpec(from, { image, env: () => env }) as Docker.ContainerCreateOptions & Record<string, unknown>;
  spec.Labels = { ...labels, ...change.labels };
  const same = (a: unknown, b: unknown) => a !== undefined && a !== null && isDeepStrictEqual(a, b);
  if (same(from.Config.Cmd, oldImage?.Config?.Cmd)) delete spec['Cmd'];
  if (same(from.Config.Entrypoint, oldImage?.Config?.Entrypoint)) delete spec['Entrypoint'];
  if (same(from.Config.Healthcheck, (oldImage?.Config as { Healthcheck?: unknown } | undefined)?.Healthcheck)) delete spec['Healthcheck'];
  if (same(from.Config.WorkingDir, oldImage?.Config?.WorkingDir)) delete spec['WorkingDir'];
  if (same(from.Config.User, oldImage?.Config?.User)) delete spec['User'];
  if (same(from.Config.ExposedPorts, oldImage?.Config?.ExposedPorts)) delete spec['ExposedPorts'];
  delete spec['Hostname'];
  delete spec['Image'];
  spec.Image = image;
  return spec;
}

/**
 * Create and start one new replica of `template`'s service on `image`, numbered `n`; with a host-network proxy, on
 * its own port (the lowest from the proxy's port up that no container of the service uses).
 */
export async function startReplica(
  docker: Docker,
  args: { template: Inspect; oldImage: Docker.ImageInspectInfo | undefined; image: string; project: string; service: string; n: number; proxy?: DeployProxy; usedPorts: Set<number>; deployId: string; previousImage: string },
): Promise<Replica> {
  const { template, proxy } = args;
  const env: Record<string, string> = {};
  if (proxy?.portEnv && template.HostConfig.NetworkMode === 'host') {
    let port = proxy.port;
    while (args.usedPorts.has(port)) port++;
    args.usedPorts.add(port);
    env[proxy.portEnv] = String(port);
  }
  const name = replicaName(template.Name.replace(/^\//, ''), args.project, args.service, args.n);
  const spec = specForImage(template, args.oldImage, args.image, { env, labels: { 'com.docker.compose.container-number': String(args.n), [DEPLOY_LABEL]: args.deployId, [PREVIOUS_IMAGE_LABEL]: args.previousImage } });
  const c = await docker.createContainer({ ...spec, name });
  await c.start();
  const info = await c.inspect();
  const address = proxy ? addressOf(info, proxy) : undefined;
  return { name, number: args.n, image: args.image, ...(address ? { address } : {}) };
}

/** Ports the service's containers use (host networking: their port variable). */
export async function usedPorts(docker: Docker, names: readonly string[], proxy: DeployProxy | undefined): Promise<Set<number>> {
  const used = new Set<number>();
  if (!proxy?.portEnv) return used;
  for (const n of names) {
    const info = await docker.getContainer(n).inspect();
    const v = (info.Config.Env ?? []).find((e) => envName(e) === proxy.portEnv)?.slice(proxy.portEnv.length + 1);
    if (v && /^\d+$/.test(v)) used.add(Number(v));
  }
  return used;
}
