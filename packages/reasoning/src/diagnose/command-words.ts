import type { ContainerFacts, LogLine } from '@bcon/sensor';
import { SecretBook } from '../redact/book.js';
import { argvSecrets, findSecrets } from '../redact/rules.js';

/** A value that is an address (a URL, host:port, an IP): a failure that quotes one is about what is there, not the command. */
const ADDRESS = /^(?:[a-z][\w+.-]*:\/\/|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$|\[[\da-f:]+\](?::\d{1,5})?$|[\w.-]+:\d{1,5}$)/i;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', 'env', 'exec', 'tini', 'dumb-init', 'gosu', 'su-exec']);
/** How many of the last lines of a run that died are read. */
const LAST_LINES = 30;
/** A line that says something was refused or not found (not a traceback's frame, not a line that only mentions a word). */
const REFUSING = /\b(?:fail(?:ed|s|ure)?|cannot|can't|could ?not|couldn't|unable|invalid|unknown|unrecogni[sz]ed|not found|no such|no module|missing|illegal|not (?:a |an )?(?:valid|recogni[sz]ed|allowed|defined)|error|usage)\b/i;
const FRAME = /^\s*(?:File "|at [\w$.<]|#\d+ )/;

/** The container's argv: entrypoint then cmd, as the engine runs it. */
const argvOf = (c: ContainerFacts): string[] => [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])];

/** What the container's argv and env hold as secrets (a flag's password, a `${TOKEN}` compose put in the command). */
const secretsOf = (c: ContainerFacts) => [...argvSecrets(argvOf(c)), ...c.config.env.flatMap((e) => findSecrets(e))];

/** A book that masks what the container's argv and env hold as secrets. */
export function commandSecrets(c: ContainerFacts): SecretBook {
  const book = new SecretBook();
  for (const s of secretsOf(c)) book.add(s.value, s.label);
  return book;
}

/**
 * The words of a container's own command (entrypoint and cmd, as the engine runs it) that a program could refuse: an
 * argument, a flag, a flag's value, the parts of `module:attribute`. Not a shell script's text (an argument with
 * spaces or lines), not a path (what a file's absence says is missing_config's), not an address, a number, a shell,
 * nor a value the command or the environment holds as a secret.
 */
export function commandWords(c: ContainerFacts): Set<string> {
  const argv = argvOf(c);
  const secret = new Set(secretsOf(c).map((s) => s.value));
  const words = new Set<string>();
  for (const arg of argv) {
    if (arg.length > 200 || /\s/.test(arg) || SHELLS.has(arg) || secret.has(arg)) continue;
    const flag = /^(--?[\w][\w.-]*)(?:=(.*))?$/.exec(arg);
    const values = flag ? [flag[1] as string, ...(flag[2] ? [flag[2]] : [])] : [arg];
    for (const v of values) {
      if (ADDRESS.test(v) || /^-?\d+(?:\.\d+)?$/.test(v) || v.includes('/') || secret.has(v)) continue;
      for (const w of new Set([v, ...v.split(/[:=,]/)])) if (w.length >= 3 && !/^-?\d+$/.test(w) && !secret.has(w)) words.add(w);
    }

  }
  return words;
}

/** Go's flag package refusing a flag: it quotes it back with one dash, whatever was written. */
const GO_FLAG = /\bflag provided but not defined: -|\binvalid value "[^"\n]{0,200}" for flag -|\bflag needs an argument: -/;

/**
 * A line of the last run of a container that died by itself that says something was refused or not found and names a
 * word of its command: quoted (`Failed to find attribute 'aplication' in 'shop.wsgi'`, `No module named 'shop.wsgi'`)
 * or, for a flag, as written (`unknown flag: --concurency`). The program refused what it was told to run. The line
 * comes back with the command's secrets masked.
 */
export function refusedCommandLine(c: ContainerFacts, lines: readonly LogLine[]): { text: string; word: string } | undefined {
  const words = commandWords(c);
  if (!words.size) return undefined;
  for (const line of lines.slice(-LAST_LINES).reverse()) {
    if (FRAME.test(line.text) || !REFUSING.test(line.text)) continue;
    for (const m of line.text.matchAll(/'([^'\n]{3,200})'|"([^"\n]{3,200})"|`([^`\n]{3,200})`|(?<![\w-])(--?[A-Za-z][\w.-]{1,60})(?![\w-])/g)) {
      const word = m[1] ?? m[2] ?? m[3] ?? m[4];
      // (`-migration-dir` in Go's words for `--migration-dir` as written)
      const written = word !== undefined && m[4] !== undefined && GO_FLAG.test(line.text) && /^-[^-]/.test(word) ? `-${word}` : undefined;
      if (word !== undefined && (words.has(word) || (written !== undefined && words.has(written)))) return { text: commandSecrets(c).mask(line.text.slice(0, 300), () => '***'), word: written !== undefined && words.has(written) ? written : word };
    }
  }
  return undefined;
}
