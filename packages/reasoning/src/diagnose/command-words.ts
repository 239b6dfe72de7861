import type { ContainerFacts } from '@bcon/sensor';
import type { LogLine } from '@bcon/sensor';

/** A value that is an address (a URL, host:port, an IP): a failure that quotes one is about what is there, not the command. */
const ADDRESS = /^(?:[a-z][\w+.-]*:\/\/|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$|\[[\da-f:]+\](?::\d{1,5})?$|[\w.-]+:\d{1,5}$)/i;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', 'env', 'exec', 'tini', 'dumb-init', 'gosu', 'su-exec']);
/** How many of the last lines of a run that died are read. */
const LAST_LINES = 30;

/**
 * The words of a container's own command (entrypoint and cmd, as the engine runs it) that a program could refuse: an
 * argument, a flag, a flag's value, the parts of `module:attribute`. Not a shell script's text (an argument with
 * spaces or lines), not an address, a number or a shell.
 */
export function commandWords(c: ContainerFacts): Set<string> {
  const words = new Set<string>();
  for (const arg of [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])]) {
    if (arg.length > 200 || /\s/.test(arg) || SHELLS.has(arg)) continue;
    const flag = /^(--?[\w][\w.-]*)(?:=(.*))?$/.exec(arg);
    const values = flag ? [flag[1] as string, ...(flag[2] ? [flag[2]] : [])] : [arg];
    for (const v of values) {
      if (ADDRESS.test(v) || /^-?\d+(?:\.\d+)?$/.test(v)) continue;
      for (const w of new Set([v, ...v.split(/[:=,]/)])) if (w.length >= 3 && !/^-?\d+$/.test(w)) words.add(w);
    }
  }
  return words;
}

/**
 * A line of the last run of a container that died by itself (a non-zero exit it was not asked for) that names a
 * word of its command: quoted (`Failed to find attribute 'aplication' in 'shop.wsgi'`, `No module named 'shop.wsgi'`)
 * or, for a flag, as written (`unknown flag: --concurency`). The program refused what it was told to run.
 */
export function refusedCommandLine(c: ContainerFacts, lines: readonly LogLine[]): { line: LogLine; word: string } | undefined {
  const words = commandWords(c);
  if (!words.size) return undefined;
  for (const line of lines.slice(-LAST_LINES).reverse()) {
    for (const m of line.text.matchAll(/'([^'\n]{3,200})'|"([^"\n]{3,200})"|`([^`\n]{3,200})`|(?<![\w-])(--?[A-Za-z][\w.-]{1,60})(?![\w-])/g)) {
      const word = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (word !== undefined && words.has(word)) return { line, word };
    }
  }
  return undefined;
}
