import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { IntentOperation } from './operations.js';
import { IntentError } from './operations.js';
import { formatMemory, parseMemory } from './units.js';

export class ComposeEditError extends Error {
  readonly code = 'compose_invalid';
  readonly exitCode = 2;
}

type Path = Array<string | number>;

function serviceMap(doc: Document, service: string): YAMLMap {
  const node = doc.getIn(['services', service]);
  if (!isMap(node)) throw new IntentError('unknown_service', `no service named "${service}" in the file`);
  return node as YAMLMap;
}

const has = (m: YAMLMap, key: string) => m.has(key);

function setList(doc: Document, path: Path, edit: (items: string[]) => string[]): void {
  const node = doc.getIn(path);
  const items = isSeq(node) ? (node as YAMLSeq).items.map((i) => String(isScalar(i) ? (i as Scalar).value : i)) : [];
  const next = edit(items);
  if (isSeq(node)) {
    const seq = node as YAMLSeq;
    // keep the nodes (and their comments) of items that stay; add or drop the rest
    seq.items = next.map((v) => seq.items.find((i) => isScalar(i) && String((i as Scalar).value) === v) ?? doc.createNode(v));
  } else doc.setIn(path, doc.createNode(next));
}

/** Apply typed operations to a compose file's text with the yaml Document API: comments, order, quoting and anchors stay. */
export function editCompose(text: string, ops: readonly IntentOperation[]): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) throw new ComposeEditError(`the compose file does not parse (${doc.errors[0]?.message.split('\n')[0]}); it was not changed`);
  for (const op of ops) {
    const svc = serviceMap(doc, op.service);
    const at = (...p: Path): Path => ['services', op.service, ...p];
    switch (op.op) {
      case 'set_replicas':
        if (has(svc, 'scale')) doc.setIn(at('scale'), op.value);
        else doc.setIn(at('deploy', 'replicas'), op.value);
        break;
      case 'set_memory_limit': {
        doc.setIn(has(svc, 'mem_limit') ? at('mem_limit') : at('deploy', 'resources', 'limits', 'memory'), formatMemory(op.bytes));
        // memory and swap together below the new limit (no swap when they were equal): compose refuses a memswap_limit
        // under mem_limit, so it is raised with it
        if (has(svc, 'memswap_limit')) {
          const swap = doc.getIn(at('memswap_limit'));
          const swapBytes = typeof swap === 'number' ? swap : typeof swap === 'string' ? (/^\s*-?\d+\s*$/.test(swap) ? Number(swap) : parseMemory(swap)) : undefined;
          if (swapBytes === undefined) throw new ComposeEditError(`memswap_limit of ${op.service} (${String(swap)}) cannot be read, so it cannot be kept above the new memory limit; the file was not changed`);
          if (swapBytes > 0 && swapBytes < op.bytes) doc.setIn(at('memswap_limit'), formatMemory(op.bytes));
        }
        break;
      }
      case 'set_memory_reservation':
        doc.setIn(has(svc, 'mem_reservation') ? at('mem_reservation') : at('deploy', 'resources', 'reservations', 'memory'), formatMemory(op.bytes));
        break;
      case 'set_cpu_limit':
        doc.setIn(has(svc, 'cpus') ? at('cpus') : at('deploy', 'resources', 'limits', 'cpus'), has(svc, 'cpus') ? op.cpus : String(op.cpus));
        // a limit stated as a CFS quota is the one replaced: the engine refuses a quota beside a CPU count
        if (has(svc, 'cpu_quota')) doc.deleteIn(at('cpu_quota'));
        if (has(svc, 'cpu_period')) doc.deleteIn(at('cpu_period'));
        break;
      case 'set_env': {
        const env = doc.getIn(at('environment'));
        if (isSeq(env)) setList(doc, at('environment'), (items) => [...items.filter((i) => i.split('=')[0] !== op.name), `${op.name}=${op.value}`]);
        else doc.setIn(at('environment', op.name), op.value);
        break;
      }
      case 'unset_env': {
        const env = doc.getIn(at('environment'));
        if (isSeq(env)) setList(doc, at('environment'), (items) => items.filter((i) => i.split('=')[0] !== op.name));
        else if (isMap(env)) doc.deleteIn(at('environment', op.name));
        break;
      }
      case 'set_image':
        doc.setIn(at('image'), op.image);
        break;
      case 'set_restart':
        doc.setIn(at('restart'), op.policy);
        break;
      case 'add_port':
        setList(doc, at('ports'), (items) => [...items, `${op.published}:${op.target}${op.protocol ? `/${op.protocol}` : ''}`]);
        break;
      case 'remove_port':
        setList(doc, at('ports'), (items) => items.filter((i) => !new RegExp(`(^|:)${op.published}:`).test(i) && i !== String(op.published)));
        break;
      case 'set_healthcheck':
        for (const k of ['interval', 'timeout', 'retries', 'test'] as const) if (op[k] !== undefined) doc.setIn(at('healthcheck', k), op[k]);
        break;
      case 'add_dependency': {
        const deps = doc.getIn(at('depends_on'));
        if (isMap(deps)) doc.setIn(at('depends_on', op.depends_on), doc.createNode({ condition: 'service_started' }));
        else setList(doc, at('depends_on'), (items) => (items.includes(op.depends_on) ? items : [...items, op.depends_on]));
        break;
      }
      case 'remove_dependency': {
        const deps = doc.getIn(at('depends_on'));
        if (isMap(deps)) doc.deleteIn(at('depends_on', op.depends_on));
        else setList(doc, at('depends_on'), (items) => items.filter((i) => i !== op.depends_on));
        break;
      }
    }
  }
  // the file's own sequence indentation ("- x" under its key, or indented)
  const indentSeq = !/^(\s*)[\w-]+:\s*\n\1- /m.test(text);
  return keepFormatting(text, doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq, flowCollectionPadding: false }));
}

const KEY_LINE = /^(\s*(?:- )?[^:#\n]+:\s*)([^#\n]*?)(\s*#.*)?$/;
const normal = (line: string) => line.replace(/\s+#/, ' #').replace(/([[{])\s+/g, '$1').replace(/\s+([\]}])/g, '$1').replace(/,\s+/g, ', ').trimEnd();

/**
 * The yaml library re-spaces what it prints (the gap before a trailing comment, for one). Every line the edit did
 * not change is taken from the original, byte for byte; an edited `key: value  # comment` line keeps its original
 * spacing and comment with only the value replaced.
 */
function keepFormatting(before: string, after: string): string {
  const a = before.split('\n');
  const diff = lineDiff(before, after, Number.MAX_SAFE_INTEGER);
  const out: string[] = [];
  let hunk: DiffLine[] = [];
  const flush = () => {
    const removed = hunk.filter((d) => d.kind === '-').map((d) => d.text);
    for (const d of hunk.filter((x) => x.kind === '+')) {
      const same = removed.findIndex((r) => normal(r) === normal(d.text));
      if (same >= 0) {
        out.push(removed[same] as string);
        removed.splice(same, 1);
        continue;
      }
      const nm = KEY_LINE.exec(d.text);
      const match = nm ? removed.findIndex((r) => KEY_LINE.exec(r)?.[1]?.trimEnd() === nm[1]?.trimEnd()) : -1;
      if (nm && match >= 0) {
        const om = KEY_LINE.exec(removed[match] as string) as RegExpExecArray;
        const value = nm[2] ?? '';
        const oldValue = om[2] ?? '';
        const comment = om[3] ? om[3].replace(/^\s*/, (sp) => ' '.repeat(Math.max(1, sp.length + oldValue.length - value.length))) : '';
        out.push(`${om[1] ?? ''}${value}${comment}`);
        removed.splice(match, 1);
        continue;
      }
      out.push(d.text);
    }
    hunk = [];
  };
  for (const d of diff) {
    if (d.kind === ' ') {
      flush();
      out.push(a[d.line - 1] as string);
    } else hunk.push(d);
  }
  flush();
  return out.join('\n');
}

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
  /** 1-based line in the old (for ' ' and '-') or new file (for '+') */
  line: number;
}

/** A line diff (LCS) of two texts, with `context` unchanged lines around each change. */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) (lcs[i] as number[])[j] = a[i] === b[j] ? ((lcs[i + 1] as number[])[j + 1] as number) + 1 : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const all: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      all.push({ kind: ' ', text: a[i++] as string, line: i });
      j++;
    }
    else if (j < m && (i >= n || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))) all.push({ kind: '+', text: b[j++] as string, line: j });
    else all.push({ kind: '-', text: a[i++] as string, line: i });
  }
  const keep = new Set<number>();
  all.forEach((d, k) => {
    if (d.kind !== ' ') for (let c = Math.max(0, k - context); c <= Math.min(all.length - 1, k + context); c++) keep.add(c);
  });
  return all.filter((_, k) => keep.has(k));
}

