import { describe, expect, it } from 'vitest';
import { shellSplit } from './shlex.js';

describe('shellSplit', () => {
  it('splits on runs of blanks, tabs and newlines', () => {
    expect(shellSplit('npm run   start')).toEqual(['npm', 'run', 'start']);
    expect(shellSplit('  a\tb\n c  ')).toEqual(['a', 'b', 'c']);
  });
  it('returns no words for an empty or blank string', () => {
    expect(shellSplit('')).toEqual([]);
    expect(shellSplit('   \t ')).toEqual([]);
  });
  it('keeps a double-quoted string as one word', () => {
    expect(shellSplit('sh -c "echo hi"')).toEqual(['sh', '-c', 'echo hi']);
  });
  it('keeps a single-quoted string literally, backslashes and double quotes included', () => {
    expect(shellSplit(`sh -c 'echo "a\\b" $HOME'`)).toEqual(['sh', '-c', 'echo "a\\b" $HOME']);
  });
  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(shellSplit(`a"b c"d 'e f'g`)).toEqual(['ab cd', 'e fg']);
    expect(shellSplit(`--opt="x y"`)).toEqual(['--opt=x y']);
  });
  it('keeps an empty quoted string as an empty word', () => {
    expect(shellSplit(`echo "" ''`)).toEqual(['echo', '', '']);
  });
  it('does not expand variables or globs', () => {
    expect(shellSplit('echo $HOME *.txt ~')).toEqual(['echo', '$HOME', '*.txt', '~']);
  });
  it('outside quotes, a backslash escapes the next character (including a blank)', () => {
    expect(shellSplit('a\\ b c')).toEqual(['a b', 'c']);
    expect(shellSplit('say \\"hi\\"')).toEqual(['say', '"hi"']);
    expect(shellSplit("it\\'s")).toEqual(["it's"]);
  });
  it('inside double quotes, a backslash escapes only " \\ $ and ` (POSIX), and is kept before other characters', () => {
    expect(shellSplit('"a \\"b\\" \\\\ \\$x"')).toEqual(['a "b" \\ $x']);
    expect(shellSplit('"C:\\path\\n"')).toEqual(['C:\\path\\n']);
  });
  it('keeps a single quote inside double quotes and a double quote inside single quotes', () => {
    expect(shellSplit(`"it's" 'say "x"'`)).toEqual(["it's", 'say "x"']);
  });
  it('keeps a trailing lone backslash', () => {
    expect(shellSplit('a \\')).toEqual(['a', '\\']);
  });
});
