import { describe, expect, it } from 'vitest';
import { SensorError } from '../../engine/errors.js';
import { DotenvError, parseDotenv } from './dotenv.js';
import { InterpolationError } from './interpolate.js';

const shell: Record<string, string> = { HOME: '/home/me', EMPTY: '', INHERITED: 'from-shell', SHARED: 'shell' };
const lookup = (name: string) => shell[name];
const parse = (text: string) => parseDotenv(text, '.env', lookup);

function errorOf(fn: () => unknown): DotenvError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DotenvError);
    return err as DotenvError;
  }
  throw new Error('expected a DotenvError');
}

describe('parseDotenv: lines and names', () => {
  it('reads KEY=VALUE lines, skipping blank and comment lines', () => {
    const text = ['# a comment', '', 'A=1', '   # indented comment', '\t', 'B=two words', '#C=3', ''].join('\n');
    expect(parse(text)).toEqual({ A: '1', B: 'two words' });
  });
  it('accepts an export prefix', () => {
    expect(parse('export A=1\nexport\tB=2\n  export   C="3"')).toEqual({ A: '1', B: '2', C: '3' });
  });
  it('treats "export" without following blanks as a name', () => {
    expect(parse('export=1\nexports=2')).toEqual({ export: '1', exports: '2' });
  });
  it('accepts the YAML-like KEY: VALUE form (compose-go does)', () => {
    expect(parse('A: 1\nB:2\nC : "x y"')).toEqual({ A: '1', B: '2', C: 'x y' });
  });
  it('splits at the first = or :, whichever comes first', () => {
    expect(parse('URL=http://h:80/p?a=b\nX:y=z')).toEqual({ URL: 'http://h:80/p?a=b', X: 'y=z' });
  });
  it('trims whitespace around the name and around an unquoted value', () => {
    expect(parse('  A  =   spaced value  \t\n\tB\t=\t2')).toEqual({ A: 'spaced value', B: '2' });
  });
  it('accepts letters, digits, "_", ".", "[" and "]" in names, including non-ASCII letters', () => {
    expect(parse('a.b_c[0]=1\n_X9=2\n9LIVES=3\nÉTÉ=4')).toEqual({ 'a.b_c[0]': '1', _X9: '2', '9LIVES': '3', ÉTÉ: '4' });
  });
  it('lets a later definition win', () => {
    expect(parse('A=1\nA=2')).toEqual({ A: '2' });
  });
  it('reads an empty value as the empty string', () => {
    expect(parse('A=\nB=""\nC=\'\'\nD=   \nE=')).toEqual({ A: '', B: '', C: '', D: '', E: '' });
  });
  it('handles CRLF line endings and a UTF-8 BOM', () => {
    expect(parse('\uFEFFA=1\r\nB="2"\r\n# c\r\nC=3 # c\r\n')).toEqual({ A: '1', B: '2', C: '3' });
  });
  it('keeps a "__proto__" name as a plain key', () => {
    const out = parse('__proto__=x');
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('parseDotenv: names without a value', () => {
  it('takes the value of a bare KEY from lookup', () => {
    expect(parse('INHERITED\nEMPTY\nA=1')).toEqual({ INHERITED: 'from-shell', EMPTY: '', A: '1' });
  });
  it('skips a bare KEY lookup does not know, or when there is no lookup', () => {
    expect(parse('UNKNOWN\nA=1\nexport OTHER')).toEqual({ A: '1' });
    expect(parseDotenv('INHERITED\nA=1', '.env')).toEqual({ A: '1' });
  });
  it('accepts a bare KEY on the last line without a line break', () => {
    expect(parse('A=1\nINHERITED')).toEqual({ A: '1', INHERITED: 'from-shell' });
  });
  it('does not read a bare KEY from earlier lines of the file', () => {
    expect(parse('A=1\nA')).toEqual({ A: '1' });
  });
});

describe('parseDotenv: unquoted values', () => {
  it('drops an inline comment that follows a space', () => {
    expect(parse('A=1 # the one\nB=x   #c\nC=a b #c # d')).toEqual({ A: '1', B: 'x', C: 'a b' });
  });
  it('keeps a # that is not preceded by a space', () => {
    expect(parse('A=a#b\nB=#fragment\nC=x\t#y')).toEqual({ A: 'a#b', B: '#fragment', C: 'x\t#y' });
  });
  it('keeps a # that directly follows "=", even after blanks (compose-go drops blanks before the value first)', () => {
    expect(parse('A= # not a comment')).toEqual({ A: '# not a comment' });
  });
  it('keeps quotes that do not start the value, and does not unescape', () => {
    expect(parse('A=it\'s\nB=say "hi"\nC=a\\nb')).toEqual({ A: "it's", B: 'say "hi"', C: 'a\\nb' });
  });
  it('interpolates $VAR, ${VAR} and defaults', () => {
    expect(parse('A=$HOME/x\nB=${HOME}\nC=${NOPE:-d}\nD=${EMPTY-e}\nE=${HOME:+yes}\nF=$$HOME')).toEqual({
      A: '/home/me/x',
      B: '/home/me',
      C: 'd',
      D: '',
      E: 'yes',
      F: '$HOME',
    });
  });
});

describe('parseDotenv: single-quoted values', () => {
  it('is literal: no interpolation and no escapes', () => {
    expect(parse("A='$HOME ${NOPE:?x} \\n \\t \\\\ \\$'")).toEqual({ A: '$HOME ${NOPE:?x} \\n \\t \\\\ \\$' });
  });
  it('keeps # and surrounding spaces', () => {
    expect(parse("A='  a # b  ' # comment")).toEqual({ A: '  a # b  ' });
  });
  it('unescapes only an escaped single quote, as compose-go does', () => {
    expect(parse("A='it\\'s'")).toEqual({ A: "it's" });
  });
  it('may span several lines', () => {
    expect(parse("A='line 1\nline 2'\nB=2")).toEqual({ A: 'line 1\nline 2', B: '2' });
  });
});

describe('parseDotenv: double-quoted values', () => {
  it('expands escapes', () => {
    expect(parse('A="a\\nb\\tc\\rd"')).toEqual({ A: 'a\nb\tc\rd' });
    expect(parse('A="say \\"hi\\""')).toEqual({ A: 'say "hi"' });
    expect(parse('A="back\\\\slash"')).toEqual({ A: 'back\\slash' });
    expect(parse('A="ends with \\\\"')).toEqual({ A: 'ends with \\' });
    expect(parse('A="\\a\\b\\f\\v"')).toEqual({ A: '\x07\b\f\v' });
    expect(parse('A="\\0101\\0102"')).toEqual({ A: 'AB' });
  });
  it('keeps unknown escapes as written', () => {
    expect(parse('A="\\x41 \\u0041 \\c \\q"')).toEqual({ A: '\\x41 \\u0041 \\c \\q' });
  });
  it('\\$ is a literal dollar', () => {
    expect(parse('A="\\$HOME costs \\$5"')).toEqual({ A: '$HOME costs $5' });
  });
  it('interpolates', () => {
    expect(parse('A="${HOME}/a b"\nB="$HOME"\nC="${NOPE:-x y}"')).toEqual({ A: '/home/me/a b', B: '/home/me', C: 'x y' });
  });
  it('keeps # and spaces, and drops a comment after the closing quote', () => {
    expect(parse('A="  a # b  "   # comment\nB=2')).toEqual({ A: '  a # b  ', B: '2' });
  });
  it('may span several lines', () => {
    expect(parse('KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1')).toEqual({
      KEY: '-----BEGIN-----\nabc\n-----END-----',
      NEXT: '1',
    });
  });
  it('reads what follows the closing quote on the same line as the next statement, as compose-go does', () => {
    expect(parse('A="x" B=y')).toEqual({ A: 'x', B: 'y' });
  });
});

describe('parseDotenv: interpolation sources', () => {
  it('resolves variables defined earlier in the file before asking lookup', () => {
    expect(parse('SHARED=file\nA=${SHARED}\nB="$SHARED"\nC=$HOME')).toEqual({ SHARED: 'file', A: 'file', B: 'file', C: '/home/me' });
  });
  it('uses lookup for variables not (yet) defined in the file', () => {
    expect(parse('A=$SHARED\nSHARED=file')).toEqual({ A: 'shell', SHARED: 'file' });
  });
  it('chains definitions', () => {
    expect(parse('HOST=db\nPORT=5432\nURL=postgres://${HOST}:${PORT:-1}/x')).toMatchObject({ URL: 'postgres://db:5432/x' });
  });
  it('works without lookup', () => {
    expect(parseDotenv('A=$HOME\nB=${HOME:-none}', '.env')).toEqual({ A: '', B: 'none' });
  });
});

describe('parseDotenv: errors', () => {
  it('rejects a name with an invalid character, naming file and line', () => {
    const err = errorOf(() => parseDotenv('A=1\n\nBAD-NAME=2', 'config/.env'));
    expect(err.message).toMatch(/^config\/\.env: line 3: unexpected character "-" in variable name "BAD-NAME=2"/);
    expect(err.file).toBe('config/.env');
    expect(err.line).toBe(3);
  });
  it('rejects a trailing comment after a bare name', () => {
    expect(errorOf(() => parse('A=1\nB # comment')).message).toMatch(/^\.env: line 2: unexpected character "#"/);
  });
  it('rejects names with spaces', () => {
    const err = errorOf(() => parse('MY KEY=1'));
    expect(err.message).toMatch(/^\.env: line 1: variable name "MY KEY" contains whitespace/);
    expect(errorOf(() => parse('A=1\nMY KEY')).line).toBe(2);
  });
  it('rejects a missing name', () => {
    expect(errorOf(() => parse('A=1\n=2')).message).toMatch(/^\.env: line 2: missing variable name before "="/);
    expect(errorOf(() => parse(': x')).message).toMatch(/^\.env: line 1: missing variable name before ":"/);
  });
  it('rejects an unterminated quote, naming the line it opens on', () => {
    const err = errorOf(() => parse('A=1\nB="never closed\nC=3\n'));
    expect(err.line).toBe(2);
    expect(err.message).toBe('.env: line 2: the value of B opens a double quote that is never closed: add the closing "');
    expect(errorOf(() => parse("A='x")).message).toMatch(/single quote that is never closed/);
    expect(errorOf(() => parse('A="x\\"')).line).toBe(1);
  });
  it('counts lines inside multi-line values', () => {
    expect(errorOf(() => parse('A="1\n2\n3"\nB=\'4\n5\'\nC D=1')).line).toBe(6);
  });
  it('turns a missing required variable into a DotenvError naming the line and key', () => {
    const err = errorOf(() => parse('A=1\nDB_URL=postgres://${DB_PASSWORD:?set DB_PASSWORD}@db'));
    expect(err.message).toBe('.env: line 2: DB_URL: required variable DB_PASSWORD is missing a value: set DB_PASSWORD');
    expect(err.line).toBe(2);
    expect(err.cause).toBeInstanceOf(InterpolationError);
    expect(errorOf(() => parse('X="${Y?}"')).message).toBe('.env: line 1: X: required variable Y is missing a value');
  });
  it('turns bad interpolation syntax into a DotenvError', () => {
    const err = errorOf(() => parse('\n\nA=${oops'));
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/^\.env: line 3: A: invalid interpolation in "\$\{oops"/);
  });
  it('does not interpolate single-quoted values, so no error there', () => {
    expect(parse("A='${oops'")).toEqual({ A: '${oops' });
  });
  it('is a SensorError with code compose_dotenv and exit code 2', () => {
    const err = errorOf(() => parse('A B=1'));
    expect(err).toBeInstanceOf(SensorError);
    expect(err.code).toBe('compose_dotenv');
    expect(err.exitCode).toBe(2);
    expect(err.name).toBe('DotenvError');
  });
});
