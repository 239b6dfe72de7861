import { userInfo } from 'node:os';

/** Who is acting: the flag, else BCON_ACTOR, else user/<login>. */
export function actorName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env['BCON_ACTOR']) return env['BCON_ACTOR'];
  try {
    return `user/${userInfo().username}`;
  } catch {
    return 'user/unknown';
  }
}

export { thisProcess } from './process-identity.js';
