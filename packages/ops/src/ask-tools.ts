import { z } from 'zod';
import { isSecretName } from '@bcon/reasoning/redact';
import type { AskTool, Redactor } from '@bcon/reasoning/ai';
import { EngineClient, collectContainers, collectEvents, collectLogWindow, collectStats, endpointFromEnv, keyValueList } from '@bcon/sensor';
import type { ContainerFacts } from '@bcon/sensor';

function summary(c: ContainerFacts) {
  return {
    name: c.name,
    project: c.compose?.project ?? null,
    service: c.compose?.service ?? null,
    image: c.image,
    state: c.state,
    health: c.health.status,
    restarts: c.restartCount,
    exitCode: c.state === 'running' ? null : c.exitCode,
    oomKilled: c.oomKilled,
    startedAt: c.startedAt ?? null,
    finishedAt: c.finishedAt ?? null,
  };
}

/**
 * The tools `bcon ask` gives the model: each maps to a read function of @bcon/sensor (which cannot write). The
 * redactor (the gateway's) is seeded with every container as soon as they are read — env values of secret names,
 * URL passwords in any value, secrets in commands, entrypoints, healthchecks, labels and probe output — so those
 * values are masked wherever they show up in any tool result. Env values of secret names are never returned (their
 * placeholder is), and commands and healthcheck tests come back with their secret arguments masked; everything
 * else still passes the redactor in the ask loop.
 */
export function askTools(client: EngineClient, redactor: Redactor): { tools: AskTool[]; prime: () => Promise<void> } {
  let cache: Promise<ContainerFacts[]> | undefined;
  const load = async () => {
    const all = await collectContainers(client, { concurrency: 16 });
    for (const c of all) redactor.seedContainer(c);
    return all;
  };
  const containers = () =>
    (cache ??= load().catch((err: unknown) => {
      cache = undefined; // read again at the next call
      throw err;
    }));
  const match = async (target: string) => {
    const all = await containers();
    const hits = all.filter((c) => c.name === target || c.compose?.service === target);
    if (!hits.length) throw new Error(`no service or container named "${target}"; known: ${[...new Set(all.map((c) => c.compose?.service ?? c.name))].join(', ')}`);
    return hits;
  };
  const tool = <A>(t: AskTool<A>): AskTool => t as unknown as AskTool;
  // read the containers before the model is asked anything, so the redactor knows every container's secrets
  // (an engine that cannot be read now is reported by the tools, when the model calls them)
  const prime = async () => {
    await containers().catch(() => undefined);
  };
  const tools = [
    tool({
      name: 'status',
      description: 'Every container: project, service, state, health, restart count, exit code, OOM kill.',
      parameters: z.object({}).strict(),
      run: async () => (await containers()).map(summary),
    }),
    tool({
      name: 'inspect',
      description: 'One service or container in detail: state, limits, restart policy, healthcheck and its last probes, command, env names, ports, mounts.',
      parameters: z.object({ target: z.string().min(1).max(200) }).strict(),
      run: async ({ target }: { target: string }) =>
        (await match(target)).map((c) => ({
          ...summary(c),
          error: c.error ?? null,
          restartPolicy: c.restartPolicy,
          limits: c.limits,
          healthcheck: c.config.healthcheck ? { ...c.config.healthcheck, test: c.config.healthcheck.test ? redactor.redactArgv(c.config.healthcheck.test) : undefined } : null,
          lastProbes: c.health.log.slice(-3).map((p) => ({ ...p, output: redactor.redact(p.output) })),
          command: redactor.redactArgv([...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]),
          env: Object.fromEntries(Object.entries(keyValueList(c.config.env)).map(([k, v]) => [k, v && isSecretName(k) ? redactor.placeholder(v, k) : v === null ? null : redactor.redact(v)])),
          ports: c.portBindings,
          mounts: c.mounts.map((m) => ({ type: m.type, target: m.target, readOnly: m.readOnly })),
        })),
    }),
    tool({
      name: 'logs',
      description: 'Log lines of a service or container (newest last), optionally only lines containing a text, from the last period.',
      parameters: z
        .object({
          target: z.string().min(1).max(200),
          since_minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
          contains: z.string().max(200).optional(),
          tail: z.number().int().min(1).max(500).optional(),
        })
        .strict(),
      run: async ({ target, since_minutes, contains, tail }: { target: string; since_minutes?: number; contains?: string; tail?: number }) => {
        const out: string[] = [];
        for (const c of await match(target)) {
          const w = await collectLogWindow(client, c, { tail: 5000, ...(since_minutes ? { sinceSeconds: since_minutes * 60 } : {}), maxBytes: 4 * 1024 * 1024, maxLineLength: 2000 });
          for (const l of w.lines) if (!contains || l.text.toLowerCase().includes(contains.toLowerCase())) out.push(`${l.timestamp ?? ''} ${c.name} ${l.text}`);
        }
        return out.sort().slice(-(tail ?? 100));
      },
    }),
    tool({
      name: 'stats',
      description: 'CPU % and memory against the limit, and CPU throttling, of the running containers of a service (or all).',
      parameters: z.object({ target: z.string().min(1).max(200).optional() }).strict(),
      run: async ({ target }: { target?: string }) => {
        const list = (target ? await match(target) : await containers()).filter((c) => c.state === 'running');
        const stats = await collectStats(client, list.map((c) => ({ id: c.id, pid: c.pid })));
        return list.map((c) => {
          const s = stats.get(c.id);
          return { name: c.name, cpuPercent: s?.cpu.percent ?? null, memoryBytes: s?.memory.usageBytes ?? null, memoryLimitBytes: c.limits.memoryBytes ?? null, throttledPeriods: s?.cpu.throttledPeriods ?? null, periods: s?.cpu.periods ?? null };
        });
      },
    }),
    tool({
      name: 'events',
      description: 'Engine events about containers (start, die with exit code, oom, kill, stop, restart, health_status) in the last period.',
      parameters: z.object({ since_minutes: z.number().int().min(1).max(7 * 24 * 60).default(60), target: z.string().max(200).optional() }).strict(),
      run: async ({ since_minutes, target }: { since_minutes: number; target?: string }) => {
        const events = await collectEvents(client, { windowSeconds: since_minutes * 60 });
        return events
          .filter((e) => !target || e.containerName === target || e.attributes['com.docker.compose.service'] === target)
          .slice(-200)
          .map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, container: e.containerName ?? e.containerId.slice(0, 12), exitCode: e.exitCode ?? null }));
      },
    }),
  ];
  return { tools, prime };
}

export function askClient(env: NodeJS.ProcessEnv = process.env): EngineClient {
  return new EngineClient(endpointFromEnv(env), { env });
}
