import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Action, IntentOperation, ServiceNow } from '@bcon/decision';
import type { ContainerFacts } from '@bcon/sensor';
import { EngineClient, collectContainers, endpointFromEnv } from '@bcon/sensor';

export class IntentInputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface IntentPlan {
  root: string;
  /** the compose file, relative to the repository root */
  file: string;
  before: string;
  after: string;
  operations: IntentOperation[];
  project: string;
}

/** Read the compose file and what it declares now, parse the intent, and compute the edited text. Changes nothing. */
export async function planIntent(text: string, options: { repo: string; file?: string | undefined }): Promise<IntentPlan> {
  const { DEFAULT_COMPOSE_FILES, findRepositoryRoot, loadComposeProject, worktreeSource } = await import('@bcon/sensor/desired');
  let root: string;
  try {
    root = await findRepositoryRoot(options.repo);
  } catch {
    throw new IntentInputError(`no git repository at ${options.repo}: bcon intent edits and commits the compose file of a repository (--repo PATH)`, 'no_repository');
  }
  const abs = options.file ? path.resolve(options.file) : DEFAULT_COMPOSE_FILES.map((f) => path.join(path.resolve(options.repo), f)).find((f) => existsSync(f));
  if (!abs || !existsSync(abs)) throw new IntentInputError(`no compose file found in ${options.repo} (${DEFAULT_COMPOSE_FILES.join(', ')}): name it with --file`, 'no_compose_file');
  const file = path.relative(root, abs);
  const before = readFileSync(abs, 'utf8');
  let project;
  try {
    project = await loadComposeProject(worktreeSource(root), { dir: path.dirname(file) || '.', files: [path.basename(file)] });
  } catch (err) {
    throw new IntentInputError(`${file} cannot be read as a compose file (${(err as Error).message}); it was not changed`, 'compose_invalid');
  }
  const now: Record<string, ServiceNow> = Object.fromEntries(
    Object.entries(project.services).map(([name, s]) => [
      name,
      {
        replicas: s.replicas,
        memoryBytes: s.memoryBytes,
        memoryReservationBytes: s.memoryReservationBytes,
        cpus: s.nanoCpus ? s.nanoCpus / 1e9 : undefined,
        image: s.image,
        environment: s.environment,
        restart: s.restart?.name,
        dependsOn: s.dependsOn,
        published: s.ports.flatMap((p) => (p.published ? [Number(p.published)] : [])),
      },
    ]),
  );
  const { editCompose, parseIntent } = await import('@bcon/decision');
  const operations = parseIntent(text, now);
  return { root, file, before, after: editCompose(before, operations), operations, project: project.name };
}

/** The engine actions that converge the changed services on what the file now says (the rest needs `compose up`). */
export async function convergeActions(plan: IntentPlan): Promise<{ steps: Array<() => Promise<Action[]>>; manual: string[]; close(): void }> {
  const client = new EngineClient(endpointFromEnv());
  const read = async (service: string): Promise<ContainerFacts[]> => {
    const all = await collectContainers(client, { concurrency: 16 });
    const dir = path.join(plan.root, path.dirname(plan.file));
    return all
      .filter((c) => c.compose?.service === service && !c.compose.oneoff && (c.compose.workingDir === dir || c.compose.project === plan.project))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  };
  const steps: Array<() => Promise<Action[]>> = [];
  const manual: string[] = [];
  for (const op of plan.operations) {
    const s = op.service;
    switch (op.op) {
      case 'set_replicas':
        steps.push(async () => {
          const cs = await read(s);
          return cs.length === op.value || !cs.length ? [] : [{ type: 'service.scale', service: s, from: cs.length, to: op.value }];
        });
        break;
      case 'set_memory_limit':
        steps.push(async () => {
          const cs = await read(s);
          return cs.length ? [{ type: 'service.set_memory', service: s, containers: cs.map((c) => c.name), memoryBytes: op.bytes, previousBytes: cs[0]?.limits.memoryBytes ?? null }] : [];
        });
        break;
      case 'set_cpu_limit':
        steps.push(async () => {
          const cs = await read(s);
          return cs.length ? [{ type: 'service.set_cpus', service: s, containers: cs.map((c) => c.name), cpus: op.cpus, previousCpus: cs[0]?.limits.nanoCpus ? cs[0].limits.nanoCpus / 1e9 : null }] : [];
        });
        break;
      case 'set_env':
        steps.push(async () => (await read(s)).map((c) => ({ type: 'service.set_env', service: s, container: c.name, name: op.name, value: op.value })));
        break;
      case 'unset_env':
        steps.push(async () => (await read(s)).map((c) => ({ type: 'service.unset_env', service: s, container: c.name, name: op.name })));
        break;
      case 'set_image':
        steps.push(async () => (await read(s)).map((c) => ({ type: 'service.rollback_image', service: s, container: c.name, image: op.image, currentImage: c.image })));
        break;
      default:
        manual.push(`${op.op} on ${s}: run docker compose up -d ${s} to apply it`);
    }
  }
  return { steps, manual: [...new Set(manual)], close: () => client.close() };
}
