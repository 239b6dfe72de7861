/** What `/bcon …` (or a mention) asks for. */
export type SlackRequest =
  | { kind: 'status' }
  | { kind: 'why'; service: string; complaint?: string }
  | { kind: 'drift' }
  | { kind: 'ask'; question: string }
  | { kind: 'proposals' }
  | { kind: 'help'; problem?: string };

export const USAGE = '`/bcon status` · `/bcon why SERVICE [what you see]` · `/bcon drift` · `/bcon ask QUESTION` · `/bcon proposals`';

/** A service or container name as compose and the engine allow it (no spaces, no markup). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Parse the text after `/bcon` (or after the bot's @mention): the first word is the verb, case-insensitive;
 * `diagnose` is `why`. Slack's markup around a word (`*api*`, `` `api` ``) is dropped; anything else that is not a
 * request is help with what was wrong, never a guess.
 */
export function parseRequest(text: string): SlackRequest {
  const clean = text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim();
  if (!clean) return { kind: 'help' };
  const [verbRaw, ...rest] = clean.split(/\s+/);
  const verb = (verbRaw ?? '').toLowerCase();
  const tail = clean.slice(clean.indexOf(verbRaw ?? '') + (verbRaw ?? '').length).trim();
  switch (verb) {
    case 'status':
      return { kind: 'status' };
    case 'drift':
      return { kind: 'drift' };
    case 'proposals':
      return { kind: 'proposals' };
    case 'help':
      return { kind: 'help' };
    case 'ask':
      return tail ? { kind: 'ask', question: tail } : { kind: 'help', problem: 'ask needs a question: `/bcon ask why did redis restart?`' };
    case 'why':
    case 'diagnose': {
      const service = (rest[0] ?? '').replace(/^[*_`~]+|[*_`~]+$/g, '');
      if (!service) return { kind: 'help', problem: 'why needs a service: `/bcon why api [what you see]`' };
      if (!NAME.test(service)) return { kind: 'help', problem: `"${service.slice(0, 64)}" is not a service or container name` };
      const complaint = tail.slice(tail.indexOf(rest[0] as string) + (rest[0] as string).length).trim();
      return complaint ? { kind: 'why', service, complaint } : { kind: 'why', service };
    }
    default:
      return { kind: 'help', problem: `unknown request "${verb.slice(0, 32)}"` };
  }
}
