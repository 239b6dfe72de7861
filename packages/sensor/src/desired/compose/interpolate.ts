import { SensorError } from '../../engine/errors.js';
import type { NodeBudget } from '../yaml-file.js';

/**
 * Variable interpolation of Compose files, as the Compose Specification ("Interpolation") describes it and as
 * compose-go (docker compose v2) implements it:
 *
 * - `$VAR` and `${VAR}`: the value, or an empty string when unset (compose warns);
 * - `${VAR:-default}` (unset or empty) and `${VAR-default}` (unset only);
 * - `${VAR:?err}` (error when unset or empty) and `${VAR?err}` (error when unset);
 * - `${VAR:+replacement}` (set and non-empty) and `${VAR+replacement}` (set);
 * - `$$` is a literal `$`;
 * - defaults, replacements and error texts are themselves interpolated, only when used (`${A:-${B:-x}}`);
 * - a `$` followed by anything other than a name, `{` or `$` is kept as it is;
 * - `${` must be followed by a valid name and either `}` or an operator whose text ends with a `}` on the same line.
 */

/** Where a string sits: the file and the dotted path inside it (e.g. `services.api.environment.DB_URL`). */
export interface Where {
  file: string;
  path: string;
}

/** Interpolation failed: bad `${...}` syntax or a required variable without a value. */
export class InterpolationError extends SensorError {
  constructor(
    message: string,
    readonly file: string,
    readonly path: string,
    readonly variable: string | undefined,
  ) {
    super(message, 'compose_interpolation');
  }
}

/** Resolves a variable name to its value; `undefined` means unset (as opposed to set to ""). */
export type VarLookup = (name: string) => string | undefined;

/** A problem found while interpolating, before we know where the string came from. */
class TemplateProblem {
  constructor(
    readonly detail: string,
    readonly variable: string | undefined,
  ) {}
}

const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const HINT = 'write "$$" for a literal "$"';

function nameAt(text: string, index: number): string | undefined {
  NAME.lastIndex = index;
  return NAME.exec(text)?.[0];
}

function invalid(value: string, detail: string, variable?: string): TemplateProblem {
  return new TemplateProblem(`invalid interpolation in ${JSON.stringify(value)}: ${detail}; ${HINT}`, variable);
}

/**
 * compose-go's brace matcher, kept quirk for quirk: counts every `{` (skipping the character right after it) and
 * returns the index of the `}` that brings the count back to zero, or -1.
 */
function firstBalancedClose(s: string): number {
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (s[i] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

function applyOperator(name: string, op: Operator, arg: string, lookup: VarLookup): string {
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value : substitute(arg, lookup);
    case '-':
      return set ? value : substitute(arg, lookup);
    case ':+':
      return nonEmpty ? substitute(arg, lookup) : (value ?? '');
    case '+':
      return set ? substitute(arg, lookup) : '';
    case ':?':
    case '?': {
      if (op === ':?' ? nonEmpty : set) return value ?? '';
      const reason = substitute(arg, lookup);
      const detail = `required variable ${name} is missing a value` + (reason === '' ? '' : `: ${reason}`);
      throw new TemplateProblem(detail, name);
    }
  }
}

/** Interpolate `${...}` starting at `start` (the `$`); returns the value and the index just past the closing `}`. */
function braced(text: string, start: number, lookup: VarLookup): { value: string; end: number } {
  const name = nameAt(text, start + 2);
  if (name === undefined) {
    const after = text.slice(start + 2).split('\n', 1)[0] ?? '';
    return fail(
      after === ''
        ? '"${" at the end of the value has no variable name and no closing "}"'
        : `"\${${after.slice(0, 20)}" does not start with a variable name (a letter or "_", then letters, digits or "_")`,
    );
  }
  let p = start + 2 + name.length;
  if (text[p] === '}') return { value: lookup(name) ?? '', end: p + 1 };

  let op: Operator;
  const c = text[p];
  const c2 = text[p + 1];
  if (c === ':' && (c2 === '-' || c2 === '?' || c2 === '+')) {
    op = `:${c2}`;
    p += 2;
  } else if (c === '-' || c === '?' || c === '+') {
    op = c;
    p += 1;
  } else if (c === undefined || c === '\n') {
    return fail(`"\${${name}" has no closing "}"`);
  } else {
    return fail(
      `unexpected ${JSON.stringify(c)} after "\${${name}": expected "}" or one of ":-", "-", ":?", "?", ":+", "+"`,
    );
  }

  // compose matches the operand with `(.*)}`: greedy up to the last `}` on the same line.
  const newline = text.indexOf('\n', p);
  const lineEnd = newline === -1 ? text.length : newline;
  const lastBrace = text.lastIndexOf('}', lineEnd - 1);
  if (lastBrace < p) return fail(`"\${${name}${op}" has no closing "}" on the same line`);
  const close = firstBalancedClose(text.slice(start, lastBrace + 1));
  const end = close === -1 ? lastBrace : start + close;
  return { value: applyOperator(name, op, text.slice(p, end), lookup), end: end + 1 };

  function fail(detail: string): never {
    throw invalid(text, detail, name);
  }
}

/** The interpolation engine; throws TemplateProblem. */
function substitute(text: string, lookup: VarLookup): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const { value, end } = braced(text, dollar, lookup);
      out += value;
      i = end;
    } else {
      const name = nameAt(text, dollar + 1);
      if (name === undefined) {
        out += '$';
        i = dollar + 1;
      } else {
        out += lookup(name) ?? '';
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

function prefix(where: Where): string {
  return `${where.file}: ${where.path === '' ? '(top level)' : where.path}: `;
}

/** Interpolate one string. */
export function interpolateString(value: string, lookup: VarLookup, where: Where): string {
  if (!value.includes('$')) return value;
  try {
    return substitute(value, lookup);
  } catch (err) {
    if (err instanceof TemplateProblem) {
      throw new InterpolationError(prefix(where) + err.detail, where.file, where.path, err.variable);
    }
    throw err;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Walk a parsed YAML tree (objects, arrays, scalars) and interpolate every string value (not keys), returning a
 * new tree. Paths are dotted, array indexes as numbers: `services.api.ports.0`.
 *
 * The new tree is a copy: a node the YAML shares through an alias is copied at every place it appears. `budget`
 * counts every value made, and stops the walk (DesiredStateError `compose_too_large`) once past its limit.
 */
export function interpolateTree(tree: unknown, lookup: VarLookup, file: string, basePath = '', budget?: NodeBudget): unknown {
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
  const walk = (node: unknown, path: string): unknown => {
    budget?.take(1, file);
    if (typeof node === 'string') return interpolateString(node, lookup, { file, path });
    if (Array.isArray(node)) return node.map((item: unknown, i) => walk(item, join(path, String(i))));
    if (isPlainObject(node)) {
      // Object.fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, join(path, key))]));
    }
    return node;
  };
  return walk(tree, basePath);
}
