import yaml from 'js-yaml';
import { DesiredStateError } from './errors.js';
import type { DesiredSource } from './source.js';
import { fileTooLarge } from './source.js';

/**
 * Limits on what bcon reads from the desired state (compose files, their .env and env_file files, bcon.yaml), so
 * that a file crafted or committed by mistake is refused with a clear error at once, in bounded time and memory,
 * instead of exhausting the machine (docs/engine.md, "Limits of the desired state"):
 *
 * - a file larger than MAX_DESIRED_FILE_BYTES is refused before it is read (or inflated from git);
 * - YAML aliases may add at most MAX_ALIAS_NODES values to a document beyond those written in it (a "billion laughs"
 *   of a few hundred bytes expands to 10^9; js-yaml shares an alias's node instead of copying it, so parsing is
 *   cheap, but everything after it — interpolation, validation, merging — walks and copies the expansion); an alias
 *   inside the node it refers to (a cycle) is refused too;
 * - loading one compose project (interpolation, extends, include, merging the files) may make at most
 *   MAX_PROJECT_NODES values.
 */
export const MAX_DESIRED_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_ALIAS_NODES = 100_000;
export const MAX_PROJECT_NODES = 1_000_000;

/** Which file kind an error is about: its codes are `compose_…` or `config_…`. */
export type YamlKind = 'compose' | 'config';

/**
 * The text of a desired-state file, refused when larger than MAX_DESIRED_FILE_BYTES (DesiredStateError
 * `desired_file_too_large`); undefined when absent.
 */
export async function readDesiredText(source: DesiredSource, file: string): Promise<string | undefined> {
  const text = await source.readFile(file, { maxBytes: MAX_DESIRED_FILE_BYTES });
  // a source that does not honour maxBytes: checked here, before anything parses it
  if (text !== undefined && text.length * 3 > MAX_DESIRED_FILE_BYTES) {
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_DESIRED_FILE_BYTES) throw fileTooLarge(file, bytes, MAX_DESIRED_FILE_BYTES, source.label);
  }
  return text;
}

/**
 * Read and parse a YAML file of the desired state: the size limit, then the parse, then the alias limit.
 * Undefined when the file is absent; `{ doc: undefined }` when it is empty.
 */
export async function readYamlFile(source: DesiredSource, file: string, kind: YamlKind): Promise<{ doc: unknown } | undefined> {
  const text = await readDesiredText(source, file);
  return text === undefined ? undefined : { doc: parseYamlText(text, file, kind, source.label) };
}

/**
 * Parse YAML text of the file `file`: invalid YAML is a DesiredStateError `<kind>_yaml` naming `file:line:col`;
 * text over the size limit, aliases that expand past MAX_ALIAS_NODES and alias cycles are `<kind>_too_large`.
 */
export function parseYamlText(text: string, file: string, kind: YamlKind, where = 'this repository'): unknown {
  if (text.length > MAX_DESIRED_FILE_BYTES || (text.length * 3 > MAX_DESIRED_FILE_BYTES && Buffer.byteLength(text) > MAX_DESIRED_FILE_BYTES)) {
    throw fileTooLarge(file, Buffer.byteLength(text), MAX_DESIRED_FILE_BYTES, where);
  }
  let doc: unknown;
  try {
    // js-yaml: the file is only read here (no round trip), and it parses ~4x faster than `yaml`; it bounds nesting
    // (maxDepth 100) and merge keys (maxTotalMergeKeys 10 000) itself; aliases are checked below
    doc = yaml.load(text, { filename: file });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const mark = err.mark;
      throw new DesiredStateError(`${file}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}: invalid YAML: ${err.reason}`, `${kind}_yaml`, file, undefined, { cause: err });
    }
    throw err;
  }
  checkAliases(doc, file, kind);
  return doc;
}

/** Thrown inside the size walk when a node contains itself. */
class AliasCycle extends Error {}

/**
 * The number of values in a tree once every shared node (a YAML alias) is copied out, computed without copying:
 * each distinct object is measured once (memoised by identity). Saturates at `cap` (then the caller refuses).
 * Throws AliasCycle when an object contains itself.
 */
export function expandedSize(tree: unknown, cap: number): { expanded: number; written: number } {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let written = 0;
  const measure = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) throw new AliasCycle();
    open.add(node);
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    written += 1 + children.length;
    let size = 1;
    for (const child of children) {
      size += measure(child);
      if (size > cap) size = cap + 1;
    }
    open.delete(node);
    sizes.set(node, size);
    return size;
  };
  const expanded = measure(tree);
  return { expanded, written: Math.max(written, 1) };
}

/** Refuse a document whose aliases expand past MAX_ALIAS_NODES values, or refer to a node that contains them. */
function checkAliases(doc: unknown, file: string, kind: YamlKind): void {
  let size: { expanded: number; written: number };
  try {
    size = expandedSize(doc, MAX_PROJECT_NODES + MAX_ALIAS_NODES);
  } catch (err) {
    if (!(err instanceof AliasCycle)) throw err;
    throw new DesiredStateError(
      `${file}: a YAML alias (*name) refers to a node that contains it, which would never end: bcon refuses it; refer to an anchor defined before and outside the alias`,
      `${kind}_too_large`,
      file,
    );
  }
  if (size.expanded - size.written > MAX_ALIAS_NODES) {
    throw new DesiredStateError(
      `${file}: its YAML aliases (*name) expand to more than ${MAX_ALIAS_NODES.toLocaleString('en')} values beyond the ${size.written.toLocaleString('en')} ` +
        'written (anchors nested in anchors: an "alias bomb" like billion laughs): bcon refuses it; use fewer or smaller anchors (&name)',
      `${kind}_too_large`,
      file,
    );
  }
}

/**
 * A count of the values made while loading one compose project (interpolated copies, extends, merges), refused
 * past `limit` with a DesiredStateError `compose_too_large` naming the file being loaded.
 */
export class NodeBudget {
  private used = 0;
  constructor(readonly limit = MAX_PROJECT_NODES) {}

  /** Count `n` more values made while loading `file`. */
  take(n: number, file: string): void {
    this.used += n;
    if (this.used > this.limit) {
      throw new DesiredStateError(
        `${file}: loading it makes more than ${this.limit.toLocaleString('en')} values (interpolated, extended and merged; YAML aliases, ` +
          'extends chains or include multiply them): bcon stops here; a compose project that large is not one people write',
        'compose_too_large',
        file,
      );
    }
  }

  get count(): number {
    return this.used;
  }
}
