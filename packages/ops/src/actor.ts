import { hostname, userInfo } from 'node:os';
import type { LockOwner } from '@bcon/sensor';

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

/** This process, as the owner of a lock or a journal entry. */
export function thisProcess(startedAt = Date.now()): LockOwner {
  return { host: hostname(), pid: process.pid, startedAt };
}
