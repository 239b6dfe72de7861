import type Docker from 'dockerode';
import { type ServiceSpec, whyNotRenderable } from '@bcon/sensor/desired';

/** A service's container made from the committed compose files, when none is left to clone (removed by hand). */
export interface FromFiles {
  /** the compose project (what the com.docker.compose.project label holds) */
  project: string;
  spec: ServiceSpec;
  /** the commit the files were read at (a label on the container, for people) */
  commit?: string;
  /** the project directory the files were read in (absolute, on this machine) */
  projectDir?: string;
}

const seconds = (ns: number | undefined) => (ns === undefined ? undefined : Math.round(ns / 1e9));

/**
 * The create body of replica `number` of a compose service, as compose itself makes it from the committed files:
 * image, command, entrypoint, environment, ports, mounts, limits, restart policy, healthcheck, labels (the compose
 * labels taken from a running sibling of the same project, so compose and bcon's drift see it as theirs), network.
 * Refused (an Error, nothing created) for what it cannot render exactly (whyNotRenderable), and for files it would
 * mount from the repository when the project was not brought up from this checkout (projectDir).
 */
export async function createFromSpec(docker: Docker, from: FromFiles, number: number): Promise<{ name: string; body: Docker.ContainerCreateOptions }> {
  const { spec, project } = from;
  const refused = whyNotRenderable(spec);
  if (refused) throw new Error(`${spec.name} cannot be made from the compose files here: ${refused}; nothing was changed (docker compose up -d ${spec.name})`);
  // the project must be up on this engine: its compose labels and network are taken from a sibling
  const siblings = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
  const sibling = siblings.find((c) => c.Labels['com.docker.compose.oneoff'] !== 'True' && c.State === 'running');
  if (!sibling) throw new Error(`no other container of project ${project} runs on this engine: it is not up here; nothing was changed (docker compose up -d)`);
  // a bind of a path in the repository names it in this checkout: right only where compose ran from it (one outside
  // the repository written relative or under ~ is not rendered at all: whyNotRenderable)
  const relative = spec.volumes.filter((m) => m.type === 'bind' && m.source !== undefined && m.repoPath !== undefined);
  const ranFrom = sibling.Labels['com.docker.compose.project.working_dir'];
  if (relative.length && (!from.projectDir || ranFrom !== from.projectDir)) throw new Error(`${spec.name} binds ${relative[0]?.repoPath} from the repository, and project ${project} was brought up from ${ranFrom ?? 'another directory'}, not this checkout; nothing was changed (docker compose up -d ${spec.name} there)`);
  const v1 = (sibling.Names[0] ?? '').replace(/^\//, '').startsWith(`${project}_`);
  const name = spec.containerName ?? (v1 ? `${project}_${spec.name}_${number}` : `${project}-${spec.name}-${number}`);
  const copied = ['com.docker.compose.version', 'com.docker.compose.project.working_dir', 'com.docker.compose.project.config_files', 'com.docker.compose.project.environment_file'];
  const labels: Record<string, string> = {
    ...spec.labels,
    ...Object.fromEntries(copied.flatMap((k) => (sibling.Labels[k] !== undefined ? [[k, sibling.Labels[k] as string]] : []))),
    'com.docker.compose.project': project,
    'com.docker.compose.service': spec.name,
    'com.docker.compose.container-number': String(number),
    'com.docker.compose.oneoff': 'False',
    ...(from.commit ? { 'bcon.created-from-commit': from.commit.slice(0, 12) } : {}),
  };
  // the network: the one the files name (none, host, another container's), else the project's default network,
  // which must exist (compose made it with the siblings)
  let networkMode = spec.networkMode;
  let networking: Docker.ContainerCreateOptions['NetworkingConfig'];
  if (networkMode?.startsWith('service:')) {
    const other = networkMode.slice('service:'.length);
    const peer = siblings.find((c) => c.Labels['com.docker.compose.service'] === other && c.State === 'running');
    if (!peer) throw new Error(`${spec.name} shares the network of ${other}, which has no running container; nothing was changed`);
    networkMode = `container:${(peer.Names[0] ?? '').replace(/^\//, '')}`;
  } else if (networkMode === undefined) {
    const network = `${project}_default`;
    const found = await docker.listNetworks({ filters: { name: [network] } });
    if (!found.some((n) => n.Name === network)) throw new Error(`the project's network ${network} does not exist on this engine; nothing was changed (docker compose up -d ${spec.name})`);
    networkMode = network;
    networking = { EndpointsConfig: { [network]: { Aliases: [spec.name] } } };
  } else if (!/^(none|host|bridge)$|^container:/.test(networkMode)) {
    throw new Error(`${spec.name}'s network_mode ${networkMode} is not one bcon renders; nothing was changed`);
  }
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const e of spec.expose ?? []) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  for (const p of spec.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostIp: p.hostIp, HostPort: p.published }];
  }
  const binds: string[] = [];
  // an anonymous volume, as compose v1 asks for one
  const anonymous: Record<string, object> = {};
  for (const m of spec.volumes) {
    if (m.source === undefined) anonymous[m.target] = {};
    else binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ':rw'}`);
  }
  const hc = spec.healthcheck;
  const body: Docker.ContainerCreateOptions = {
    name,
    Image: spec.image,
    Labels: labels,
    Env: Object.entries(spec.environment).map(([k, v]) => `${k}=${v ?? ''}`),
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    ...(spec.workingDir !== undefined ? { WorkingDir: spec.workingDir } : {}),
    ...(spec.hostname !== undefined ? { Hostname: spec.hostname } : {}),
    ...(spec.stopSignal !== undefined ? { StopSignal: spec.stopSignal } : {}),
    ...(spec.stopGraceNs !== undefined ? { StopTimeout: seconds(spec.stopGraceNs) } : {}),
    ...(spec.tty !== undefined ? { Tty: spec.tty } : {}),
    ...(spec.stdinOpen !== undefined ? { OpenStdin: spec.stdinOpen } : {}),
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    ...(Object.keys(anonymous).length ? { Volumes: anonymous } : {}),
    ...(hc === 'disabled'
      ? { Healthcheck: { Test: ['NONE'] } }
      : hc
        ? { Healthcheck: { ...(hc.test ? { Test: hc.test } : {}), ...(hc.intervalNs !== undefined ? { Interval: hc.intervalNs } : {}), ...(hc.timeoutNs !== undefined ? { Timeout: hc.timeoutNs } : {}), ...(hc.startPeriodNs !== undefined ? { StartPeriod: hc.startPeriodNs } : {}), ...(hc.retries !== undefined ? { Retries: hc.retries } : {}) } }
        : {}),
    HostConfig: {
      NetworkMode: networkMode,
      ...(binds.length ? { Binds: binds } : {}),
      ...(Object.keys(bindings).length ? { PortBindings: bindings } : {}),
      ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
      ...(spec.memoryReservationBytes !== undefined ? { MemoryReservation: spec.memoryReservationBytes } : {}),
      ...(spec.nanoCpus !== undefined ? { NanoCpus: spec.nanoCpus } : {}),
      ...(spec.restart ? { RestartPolicy: { Name: spec.restart.name, MaximumRetryCount: spec.restart.maximumRetryCount } } : {}),
      ...(spec.init !== undefined ? { Init: spec.init } : {}),
      ...(spec.ulimits?.length ? { Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) } : {}),
      ...(spec.extraHosts?.length ? { ExtraHosts: spec.extraHosts } : {}),
      ...(spec.capAdd?.length ? { CapAdd: spec.capAdd } : {}),
      ...(spec.capDrop?.length ? { CapDrop: spec.capDrop } : {}),
      ...(spec.readOnly !== undefined ? { ReadonlyRootfs: spec.readOnly } : {}),
      ...(spec.shmSizeBytes !== undefined ? { ShmSize: spec.shmSizeBytes } : {}),
      ...(spec.sysctls && Object.keys(spec.sysctls).length ? { Sysctls: spec.sysctls } : {}),
      ...(spec.tmpfs?.length ? { Tmpfs: Object.fromEntries(spec.tmpfs.map((t) => [t.split(':')[0] as string, t.split(':').slice(1).join(':')])) } : {}),
    },
    ...(networking ? { NetworkingConfig: networking } : {}),
  };
  // a named volume compose makes is looked up, never made here: a missing one means data bcon cannot see
  for (const m of spec.volumes.filter((v) => v.type === 'volume' && v.source !== undefined)) {
    const exists = await docker
      .getVolume(m.source as string)
      .inspect()
      .then(() => true)
      .catch(() => false);
    if (!exists) throw new Error(`the volume ${m.source} of ${spec.name} does not exist on this engine; nothing was changed (docker compose up -d ${spec.name})`);
  }
  return { name, body };
}
