import path from 'node:path';
import type { DesiredSource } from '../source.js';
import { DesiredStateError } from '../errors.js';
import { parseDotenv } from './dotenv.js';
import { interpolateTree } from './interpolate.js';
import { mergeCompose, mergeValues } from './merge.js';
import { normalizeService } from './normalize.js';
import type { ComposeProject, ServiceSpec } from './service-spec.js';
import { validateCompose } from './validate.js';
import { MAX_PROJECT_NODES, NodeBudget, expandedSize, readDesiredText, readYamlFile } from '../yaml-file.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

export interface ProjectOptions {
  /** project directory relative to the repository root (default '.') */
  dir?: string;
  /** compose files relative to the project directory; default: compose.yaml (or its older names) plus its override */
  files?: string[];
  /** project name; default: `name:` in the file, COMPOSE_PROJECT_NAME, else the directory's name */
  name?: string;
  /** active profiles; default COMPOSE_PROFILES */
  profiles?: string[];
  /** the shell environment (default process.env); it wins over .env, as in compose */
  env?: NodeJS.ProcessEnv;
}

/** compose's project name rule: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

const join = (...parts: string[]) => path.posix.normalize(path.posix.join(...parts));

async function readYaml(ctx: LoadContext, file: string): Promise<Obj> {
  // each file once per project (extends: file: may name the same file for many services)
  let doc = ctx.docs.get(file);
  if (!doc) {
    doc = (async () => {
      // the size and alias limits of yaml-file.ts: a huge file or an alias bomb is refused before it is walked
      const read = await readYamlFile(ctx.source, file, 'compose');
      if (read === undefined) throw new DesiredStateError(`${file}: not found at ${ctx.source.label}`, 'compose_missing_file', file);
      const parsed = read.doc;
      if (parsed === null || parsed === undefined) return {};
      if (!isObj(parsed)) throw new DesiredStateError(`${file}: (top level): expected a mapping of compose keys (services, volumes, …)`, 'compose_invalid', file);
      return parsed;
    })();
    ctx.docs.set(file, doc);
  }
  return doc;
}

interface LoadContext {
  source: DesiredSource;
  lookup: (name: string) => string | undefined;
  seen: Set<string>;
  /** parsed files of this project, by path */
  docs: Map<string, Promise<Obj>>;
  /** the values made while loading this project (interpolation, extends, merges) */
  budget: NodeBudget;
}

/** How deep `extends` may chain (compose has no limit; a longer chain is not one people write). */
const MAX_EXTENDS_DEPTH = 64;

/** Read one compose file: YAML, interpolation, schema validation, `extends` and `include` resolved. */
async function loadFile(file: string, ctx: LoadContext): Promise<Obj> {
  if (ctx.seen.has(file)) throw new DesiredStateError(`${file}: included or extended in a cycle`, 'compose_invalid', file);
  ctx.seen.add(file);
  const raw = await readYaml(ctx, file);
  const doc = interpolateTree(raw, ctx.lookup, file, '', ctx.budget) as Obj;
  validateCompose(doc, file);
  const dir = path.posix.dirname(file);
  const services = isObj(doc['services']) ? { ...doc['services'] } : {};
  const volumes = isObj(doc['volumes']) ? { ...doc['volumes'] } : {};

  // include: other compose projects whose services (and volumes) join this one, their paths relative to their own file
  if (Array.isArray(doc['include'])) {
    for (const [i, entry] of doc['include'].entries()) {
      const paths = typeof entry === 'string' ? [entry] : isObj(entry) ? ([] as unknown[]).concat(entry['path']).map(String) : [];
      for (const p of paths) {
        const includedFile = join(dir, p);
        const included = await loadFile(includedFile, { ...ctx, seen: new Set(ctx.seen) });
        const incServices = isObj(included['services']) ? included['services'] : {};
        for (const [name, svc] of Object.entries(incServices)) {
          if (name in services) {
            throw new DesiredStateError(`${file}: include.${i}: service "${name}" is defined both here and in ${includedFile}`, 'compose_invalid', file, `include.${i}`);
          }
          services[name] = isObj(svc) ? rebase(svc, path.posix.dirname(includedFile), dir) : svc;
        }
        for (const [name, vol] of Object.entries(isObj(included['volumes']) ? included['volumes'] : {})) if (!(name in volumes)) volumes[name] = vol;
      }
    }
  }

  // extends: a service based on another (same file or another one)
  const resolving = new Set<string>();
  // a service of this file resolved once (a chain written from its end would otherwise be resolved again per link)
  const resolved = new Map<string, Obj>();
  const otherDocs = new Map<string, Obj>();
  const charge = (entries: number) => ctx.budget.take(entries, file);
  const resolve = async (name: string, svcs: Obj, svcFile: string): Promise<Obj> => {
    const svc = svcs[name];
    if (!isObj(svc)) throw new DesiredStateError(`${svcFile}: services.${name}: not defined (needed by extends)`, 'compose_invalid', svcFile, `services.${name}`);
    const ext = svc['extends'];
    if (ext === undefined) return svc;
    const key = `${svcFile}#${name}`;
    const done = resolved.get(key);
    if (done) return done;
    if (resolving.has(key)) throw new DesiredStateError(`${svcFile}: services.${name}.extends: cycle`, 'compose_invalid', svcFile);
    if (resolving.size >= MAX_EXTENDS_DEPTH) {
      throw new DesiredStateError(`${svcFile}: services.${name}.extends: a chain of more than ${MAX_EXTENDS_DEPTH} extends: bcon stops here`, 'compose_too_large', svcFile, `services.${name}.extends`);
    }
    resolving.add(key);
    const base = typeof ext === 'string' ? { service: ext } : (ext as Obj);
    let baseSvc: Obj;
    if (typeof base['file'] === 'string') {
      const other = join(path.posix.dirname(svcFile), base['file']);
      let otherDoc = otherDocs.get(other);
      if (!otherDoc) {
        otherDoc = interpolateTree(await readYaml(ctx, other), ctx.lookup, other, '', ctx.budget) as Obj;
        otherDocs.set(other, otherDoc);
      }
      baseSvc = await resolve(String(base['service']), isObj(otherDoc['services']) ? otherDoc['services'] : {}, other);
      baseSvc = rebase(baseSvc, path.posix.dirname(other), path.posix.dirname(svcFile));
    } else {
      baseSvc = await resolve(String(base['service']), svcs, svcFile);
    }
    const { extends: _e, ...own } = svc;
    resolving.delete(key);
    const merged = mergeValues('', baseSvc, own, charge) as Obj;
    resolved.set(key, merged);
    return merged;
  };
  for (const name of Object.keys(services)) services[name] = await resolve(name, services, file);
  return { ...doc, services, ...(Object.keys(volumes).length ? { volumes } : {}) };
}

/** Relative paths of a service taken from another directory (extends.file) stay relative to where they were written. */
function rebase(svc: Obj, fromDir: string, toDir: string): Obj {
  if (fromDir === toDir) return svc;
  const fix = (p: string) => (p.startsWith('.') ? `./${path.posix.relative(toDir, join(fromDir, p)) || '.'}` : p);
  const out: Obj = { ...svc };
  if (Array.isArray(svc['volumes'])) {
    out['volumes'] = svc['volumes'].map((v) => {
      if (typeof v === 'string') {
        const [src, ...rest] = v.split(':');
        return rest.length ? [fix(src ?? ''), ...rest].join(':') : v;
      }
      return isObj(v) && typeof v['source'] === 'string' ? { ...v, source: fix(v['source']) } : v;
    });
  }
  if (svc['env_file'] !== undefined) {
    // env_file entries are always paths, usually written bare (`app.env`): rebase every relative one
    const fixPath = (p: string) => (path.posix.isAbsolute(p) ? p : fix(p.startsWith('.') ? p : `./${p}`));
    out['env_file'] = ([] as unknown[]).concat(svc['env_file']).map((e) => (typeof e === 'string' ? fixPath(e) : isObj(e) ? { ...e, path: fixPath(String(e['path'])) } : e));
  }
  return out;
}

/** Load a compose project from the desired state, as `docker compose config` would see it. */
export async function loadComposeProject(source: DesiredSource, options: ProjectOptions = {}): Promise<ComposeProject> {
  const dir = path.posix.normalize(options.dir ?? '.');
  const shell = options.env ?? process.env;
  const dotenvText = await readDesiredText(source, join(dir, '.env'));
  const dotenv = dotenvText === undefined ? {} : parseDotenv(dotenvText, join(dir, '.env'), (n) => shell[n]);
  const lookup = (n: string) => shell[n] ?? dotenv[n];

  let files: string[];
  if (options.files?.length) files = options.files.map((f) => join(dir, f));
  else {
    const main = await firstExisting(source, DEFAULT_COMPOSE_FILES.map((f) => join(dir, f)));
    if (!main) {
      throw new DesiredStateError(
        `no compose file in ${dir === '.' ? 'the repository root' : dir} at ${source.label} (looked for ${DEFAULT_COMPOSE_FILES.join(', ')}): add one, or list projects in bcon.yaml`,
        'compose_missing_file',
      );
    }
    const override = await firstExisting(source, OVERRIDE_FILES.map((f) => join(dir, f)));
    files = override ? [main, override] : [main];
  }

  let merged: Obj = {};
  const docs = new Map<string, Promise<Obj>>();
  const budget = new NodeBudget();
  for (const file of files) {
    const doc = await loadFile(file, { source, lookup, seen: new Set(), docs, budget });
    merged = mergeCompose(merged, doc, (entries) => budget.take(entries, file));
  }
  // what the rest reads (validation is done; normalising, drift): the merged project with every shared node
  // (extends, include) counted where it appears, without copying it
  if (expandedSize(merged, MAX_PROJECT_NODES).expanded > MAX_PROJECT_NODES) budget.take(MAX_PROJECT_NODES + 1, files.join('+'));

  const projectDirAbs = path.resolve(source.root, dir);
  // compose's order: -p (here: bcon.yaml), COMPOSE_PROJECT_NAME, `name:` in the file, the directory's name
  const rawName = options.name ?? lookup('COMPOSE_PROJECT_NAME') ?? (typeof merged['name'] === 'string' ? merged['name'] : undefined) ?? path.basename(projectDirAbs);
  const name = normalizeProjectName(rawName);
  if (!name) throw new DesiredStateError(`project name "${rawName}" is empty once normalised: set name: in ${files[0]} or in bcon.yaml`, 'compose_invalid', files[0]);

  const profiles = options.profiles ?? (lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const volumes = isObj(merged['volumes']) ? merged['volumes'] : {};
  const services: Record<string, ServiceSpec> = {};
  const disabled: string[] = [];
  for (const [svcName, svc] of Object.entries(isObj(merged['services']) ? merged['services'] : {})) {
    if (!isObj(svc)) continue;
    const svcProfiles = Array.isArray(svc['profiles']) ? svc['profiles'].map(String) : [];
    if (svcProfiles.length > 0 && !svcProfiles.some((p) => profiles.includes(p) || profiles.includes('*'))) {
      disabled.push(svcName);
      continue;
    }
    const missingEnvFiles: string[] = [];
    const envFromFiles = await readEnvFiles(source, svc['env_file'], dir, files[0] ?? dir, svcName, lookup, missingEnvFiles);
    // what the files alone do not fix: a variable interpolated from the shell (compose's at `up`, not bcon's), an
    // optional env file that is not committed
    const outside = [...(await rawVariables(docs, svcName))].filter((v) => dotenv[v] === undefined || shell[v] !== undefined);
    services[svcName] = normalizeService(svcName, svc, {
      notFromFiles: [...outside.map((v) => `\${${v}} (from the shell)`), ...missingEnvFiles.map((f) => `env_file ${f} (optional, not committed)`)],
      project: name,
      projectDirAbs,
      repoRootAbs: source.root,
      file: files.join('+'),
      volumes,
      envFromFiles,
    });
  }
  for (const [svcName, spec] of Object.entries(services)) {
    const from = await plainReferences(docs, svcName);
    if (Object.keys(from).length) spec.environmentFrom = from;
  }
  markAwaitedJobs(services, isObj(merged['services']) ? merged['services'] : {});
  return { name, dir, files, services, disabled, activeProfiles: profiles };
}

/** Mark the services others wait for with `condition: service_completed_successfully` (one-off jobs). */
function markAwaitedJobs(services: Record<string, ServiceSpec>, raw: Record<string, unknown>): void {
  for (const [waiter, svc] of Object.entries(raw)) {
    if (!(waiter in services) || !isObj(svc) || !isObj(svc['depends_on'])) continue;
    for (const [dep, how] of Object.entries(svc['depends_on'])) {
      const job = services[dep];
      if (!job || !isObj(how) || how['condition'] !== 'service_completed_successfully') continue;
      job.completionAwaitedBy = [...(job.completionAwaitedBy ?? []), waiter];
    }
  }
}

/**
 * The settings of a service's `environment` whose whole value, as written, is one variable with no default (`KEY:
 * ${VAR}`, `KEY=$VAR`): what compose fills from the shell or `.env` at `up`, and leaves blank, with a warning, when
 * the variable is not set. A later file's own value for the key replaces it.
 */
async function plainReferences(docs: Map<string, Promise<Obj>>, service: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const raw of await Promise.all([...docs.values()])) {
    const svc = isObj(raw['services']) ? raw['services'][service] : undefined;
    if (!isObj(svc)) continue;
    const env = svc['environment'];
    const pairs: Array<[string, unknown]> = isObj(env)
      ? Object.entries(env)
      : Array.isArray(env)
        ? env.filter((e): e is string => typeof e === 'string').map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null]))
        : [];
    for (const [key, value] of pairs) {
      const m = typeof value === 'string' ? /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value) : null;
      if (m) out[key] = (m[1] ?? m[2]) as string;
      else delete out[key];
    }
  }
  return out;
}

/**
 * The variables a service's definition interpolates (`${X}`, `${X:-d}`, `$X`; not `$$`), as written in the project's
 * files before interpolation: in its own entries and in the services it extends by name.
 */
async function rawVariables(docs: Map<string, Promise<Obj>>, service: string): Promise<Set<string>> {
  const out = new Set<string>();
  const names = new Set([service]);
  const raws = await Promise.all([...docs.values()]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const raw of raws) {
      const services = isObj(raw['services']) ? raw['services'] : {};
      for (const name of [...names]) {
        const svc = services[name];
        if (!isObj(svc)) continue;
        const text = JSON.stringify(svc).replace(/\$\$/g, '');
        for (const m of text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) out.add((m[1] ?? m[2]) as string);
        const ext = svc['extends'];
        const base = typeof ext === 'string' ? ext : isObj(ext) && typeof ext['service'] === 'string' ? ext['service'] : undefined;
        if (base && !names.has(base)) {
          names.add(base);
          grew = true;
        }
      }
    }
  }
  return out;
}

async function firstExisting(source: DesiredSource, candidates: string[]): Promise<string | undefined> {
  for (const c of candidates) if ((await readDesiredText(source, c)) !== undefined) return c;
  return undefined;
}

async function readEnvFiles(
  source: DesiredSource,
  value: unknown,
  dir: string,
  file: string,
  service: string,
  lookup: (n: string) => string | undefined,
  missing?: string[],
): Promise<Record<string, string>> {
  if (value === undefined) return {};
  const entries = ([] as unknown[]).concat(value).map((e) => (typeof e === 'string' ? { path: e, required: true } : (e as { path: string; required?: boolean })));
  let env: Record<string, string> = {};
  for (const entry of entries) {
    const p = join(dir, entry.path);
    const text = await readDesiredText(source, p);
    if (text === undefined) {
      if (entry.required === false) {
        missing?.push(p);
        continue;
      }
      throw new DesiredStateError(`${file}: services.${service}.env_file: ${p} not found at ${source.label}`, 'compose_missing_file', file, `services.${service}.env_file`);
    }
    env = { ...env, ...parseDotenv(text, p, lookup) };
  }
  return env;
}
