import { describe, expect, it } from 'vitest';
import { SensorError } from '../../engine/errors.js';
import { InterpolationError, interpolateString, interpolateTree } from './interpolate.js';
import type { VarLookup, Where } from './interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', FALLBACK: 'fallback', lower_case: 'lc', TAG: '1.2' };
const lookup: VarLookup = (name) => env[name];
const where: Where = { file: 'compose.yaml', path: 'services.api.image' };
const interp = (value: string, vars: VarLookup = lookup) => interpolateString(value, vars, where);

function errorOf(fn: () => unknown): InterpolationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InterpolationError);
    return err as InterpolationError;
  }
  throw new Error('expected an InterpolationError');
}

describe('interpolateString: direct substitution', () => {
  it('replaces $VAR and ${VAR} inside text', () => {
    expect(interp('$SET')).toBe('value');
    expect(interp('${SET}')).toBe('value');
    expect(interp('img:${TAG}-$SET/x')).toBe('img:1.2-value/x');
    expect(interp('$lower_case ${lower_case}')).toBe('lc lc');
  });
  it('takes the longest name after a bare $', () => {
    expect(interp('$SETX')).toBe('');
    expect(interp('$SET-x')).toBe('value-x');
    expect(interp('$SET.x')).toBe('value.x');
  });
  it('gives an empty string for an unset variable without a default', () => {
    expect(interp('a${NOPE}b$NOPE')).toBe('ab');
  });
  it('leaves strings without $ untouched', () => {
    expect(interp('plain {text} }')).toBe('plain {text} }');
  });
});

describe('interpolateString: defaults', () => {
  it('${VAR:-default} uses the default when unset or empty', () => {
    expect(interp('${SET:-d}')).toBe('value');
    expect(interp('${EMPTY:-d}')).toBe('d');
    expect(interp('${NOPE:-d}')).toBe('d');
    expect(interp('${NOPE:-}')).toBe('');
  });
  it('${VAR-default} uses the default only when unset', () => {
    expect(interp('${SET-d}')).toBe('value');
    expect(interp('${EMPTY-d}')).toBe('');
    expect(interp('${NOPE-d}')).toBe('d');
  });
  it('keeps everything up to the closing brace as the default, spaces and colons included', () => {
    expect(interp('${NOPE:-a b:c-d?e+f}')).toBe('a b:c-d?e+f');
    expect(interp('${NOPE:-http://x:80/p}')).toBe('http://x:80/p');
  });
  it('nests: defaults may themselves interpolate', () => {
    expect(interp('${NOPE:-${FALLBACK}}')).toBe('fallback');
    expect(interp('${NOPE:-$FALLBACK}')).toBe('fallback');
    expect(interp('${NOPE:-${ALSO_NOPE:-x}}')).toBe('x');
    expect(interp('${NOPE:-${ALSO_NOPE:-${SET}}}')).toBe('value');
    expect(interp('${NOPE:-pre-${SET}-post}')).toBe('pre-value-post');
    expect(interp('${NOPE:-${EMPTY-x}}')).toBe('');
  });
  it('continues after the matching closing brace', () => {
    expect(interp('${NOPE:-${SET}}/${TAG}:${NOPE-z}!')).toBe('value/1.2:z!');
    expect(interp('${NOPE:-a}}')).toBe('a}');
  });
  it('only evaluates the default when it is used', () => {
    expect(interp('${SET:-${NOPE:?never evaluated}}')).toBe('value');
  });
  it('accepts braces inside a default, as compose does', () => {
    expect(interp('${NOPE:-{"a":1}}')).toBe('{"a":1}');
    expect(interp('${SET:-{"a":1}}')).toBe('value');
  });
});

describe('interpolateString: alternative values', () => {
  it('${VAR:+replacement} replaces only set, non-empty values', () => {
    expect(interp('${SET:+r}')).toBe('r');
    expect(interp('${EMPTY:+r}')).toBe('');
    expect(interp('${NOPE:+r}')).toBe('');
  });
  it('${VAR+replacement} replaces any set value', () => {
    expect(interp('${SET+r}')).toBe('r');
    expect(interp('${EMPTY+r}')).toBe('r');
    expect(interp('${NOPE+r}')).toBe('');
  });
  it('interpolates the replacement', () => {
    expect(interp('--tag=${SET:+${TAG}}')).toBe('--tag=1.2');
  });
});

describe('interpolateString: required values', () => {
  it('passes the value through when present', () => {
    expect(interp('${SET:?must be set}')).toBe('value');
    expect(interp('${SET?must be set}')).toBe('value');
    expect(interp('${EMPTY?must be set}')).toBe('');
  });
  it('${VAR:?err} fails when unset or empty, naming file, path and variable', () => {
    for (const name of ['NOPE', 'EMPTY']) {
      const err = errorOf(() => interp(`\${${name}:?set it in .env}`));
      expect(err.message).toBe(`compose.yaml: services.api.image: required variable ${name} is missing a value: set it in .env`);
      expect(err.variable).toBe(name);
      expect(err.file).toBe('compose.yaml');
      expect(err.path).toBe('services.api.image');
    }
  });
  it('${VAR?err} fails only when unset', () => {
    const err = errorOf(() => interp('${DB_PASSWORD?the database password}'));
    expect(err.message).toBe(
      'compose.yaml: services.api.image: required variable DB_PASSWORD is missing a value: the database password',
    );
  });
  it('ends after "missing a value" when the error text is empty', () => {
    expect(errorOf(() => interp('${DB_PASSWORD:?}')).message).toBe(
      'compose.yaml: services.api.image: required variable DB_PASSWORD is missing a value',
    );
    expect(errorOf(() => interp('${DB_PASSWORD?}')).message).toBe(
      'compose.yaml: services.api.image: required variable DB_PASSWORD is missing a value',
    );
  });
  it('interpolates the error text', () => {
    expect(errorOf(() => interp('${DB_PASSWORD:?needed by $SET}')).message).toMatch(/missing a value: needed by value$/);
  });
  it('reports a required variable nested in a default that is used', () => {
    const err = errorOf(() => interp('${NOPE:-${INNER:?inner needed}}'));
    expect(err.variable).toBe('INNER');
    expect(err.message).toBe('compose.yaml: services.api.image: required variable INNER is missing a value: inner needed');
  });
});

describe('interpolateString: dollars', () => {
  it('$$ is a literal $ and stops interpolation', () => {
    expect(interp('$$')).toBe('$');
    expect(interp('$$SET')).toBe('$SET');
    expect(interp('$${SET}')).toBe('${SET}');
    expect(interp('$$$SET')).toBe('$value');
    expect(interp('cost: $$5')).toBe('cost: $5');
    expect(interp('${NOPE:-$$x}')).toBe('$x');
  });
  it('keeps a $ that is not followed by a name, { or $', () => {
    expect(interp('price$')).toBe('price$');
    expect(interp('$1 $- $ $.x $@')).toBe('$1 $- $ $.x $@');
    expect(interp('a$')).toBe('a$');
  });
});

describe('interpolateString: invalid syntax', () => {
  const cases: Array<[string, RegExp, string | undefined]> = [
    ['${', /"\$\{" at the end of the value/, undefined],
    ['x ${', /"\$\{" at the end of the value/, undefined],
    ['${}', /does not start with a variable name/, undefined],
    ['${1abc}', /"\$\{1abc\}" does not start with a variable name/, undefined],
    ['${ SET}', /does not start with a variable name/, undefined],
    ['${SET', /"\$\{SET" has no closing "\}"/, 'SET'],
    ['${SET B}', /unexpected " " after "\$\{SET"/, 'SET'],
    ['${SET:x}', /unexpected ":" after "\$\{SET"/, 'SET'],
    ['${SET/a/b}', /unexpected "\/" after "\$\{SET"/, 'SET'],
    ['${NOPE:-abc', /"\$\{NOPE:-" has no closing "\}" on the same line/, 'NOPE'],
    ['${NOPE:-a\nb}', /"\$\{NOPE:-" has no closing "\}" on the same line/, 'NOPE'],
    ['${NOPE:-${1x}}', /does not start with a variable name/, undefined],
  ];
  for (const [value, problem, variable] of cases) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      const err = errorOf(() => interp(value));
      expect(err.message.startsWith('compose.yaml: services.api.image: invalid interpolation in ')).toBe(true);
      expect(err.message).toMatch(problem);
      expect(err.message).toContain('write "$$" for a literal "$"');
      expect(err.variable).toBe(variable);
    });
  }
  it('quotes the whole value in the message', () => {
    expect(errorOf(() => interp('pass${word')).message).toContain('invalid interpolation in "pass${word"');
  });
  it('does not complain about broken syntax after $$', () => {
    expect(interp('$${')).toBe('${');
  });
});

describe('InterpolationError', () => {
  it('is a SensorError with code compose_interpolation and exit code 2', () => {
    const err = errorOf(() => interp('${X:?}'));
    expect(err).toBeInstanceOf(SensorError);
    expect(err.code).toBe('compose_interpolation');
    expect(err.exitCode).toBe(2);
    expect(err.name).toBe('InterpolationError');
  });
  it('says "(top level)" when the path is empty', () => {
    expect(errorOf(() => interpolateString('${X:?}', lookup, { file: 'f.yaml', path: '' })).message).toBe(
      'f.yaml: (top level): required variable X is missing a value',
    );
  });
});

describe('interpolateTree', () => {
  it('interpolates every string value, not keys, and keeps other scalars', () => {
    const tree = {
      services: {
        $SET: { image: 'app:${TAG}', ports: ['${PORT:-80}:80', 8080], replicas: 2, privileged: false, x: null },
      },
      'x-${SET}': ['$SET', ['nested $SET']],
    };
    expect(interpolateTree(tree, lookup, 'compose.yaml')).toEqual({
      services: { $SET: { image: 'app:1.2', ports: ['80:80', 8080], replicas: 2, privileged: false, x: null } },
      'x-${SET}': ['value', ['nested value']],
    });
  });
  it('returns a new tree and leaves the input alone', () => {
    const tree = { a: ['$SET'], b: { c: '$SET' } };
    const out = interpolateTree(tree, lookup, 'f.yaml') as typeof tree;
    expect(out).not.toBe(tree);
    expect(out.a).not.toBe(tree.a);
    expect(tree).toEqual({ a: ['$SET'], b: { c: '$SET' } });
  });
  it('handles a bare scalar or string at the root', () => {
    expect(interpolateTree('$SET', lookup, 'f.yaml')).toBe('value');
    expect(interpolateTree(3, lookup, 'f.yaml')).toBe(3);
    expect(interpolateTree(undefined, lookup, 'f.yaml')).toBeUndefined();
  });
  it('names the dotted path, array indexes as numbers', () => {
    const tree = { services: { api: { ports: ['80:80', '${HOST_PORT:?set HOST_PORT in the environment or in .env}'] } } };
    const err = errorOf(() => interpolateTree(tree, lookup, 'compose.yaml'));
    expect(err.path).toBe('services.api.ports.1');
    expect(err.file).toBe('compose.yaml');
    expect(err.variable).toBe('HOST_PORT');
    expect(err.message).toBe(
      'compose.yaml: services.api.ports.1: required variable HOST_PORT is missing a value: set HOST_PORT in the environment or in .env',
    );
  });
  it('prefixes paths with basePath', () => {
    const err = errorOf(() => interpolateTree({ environment: { DB_URL: '${DB' } }, lookup, 'c.yaml', 'services.api'));
    expect(err.path).toBe('services.api.environment.DB_URL');
    expect(err.message.startsWith('c.yaml: services.api.environment.DB_URL: invalid interpolation')).toBe(true);
  });
  it('keeps a "__proto__" key as a plain key', () => {
    const tree = JSON.parse('{"__proto__": {"a": "$SET"}}') as unknown;
    const out = interpolateTree(tree, lookup, 'f.yaml') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(out['__proto__']).toEqual({ a: 'value' });
  });
});
