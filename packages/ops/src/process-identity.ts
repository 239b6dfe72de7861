import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ: 100 on every Linux architecture bcon runs on). */
const USER_HZ = 100;

let bootMs: number | undefined;
function bootTimeMs(): number | undefined {
  if (bootMs !== undefined) return bootMs;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    bootMs = btime ? Number(btime) * 1000 : undefined;
  } catch {
    bootMs = undefined;
  }
  return bootMs;
}

/**
 * When a process started (ms since epoch), from /proc/<pid>/stat field 22 and the boot time: fixed for the life of
 * the process, so a pid that was reused by another process shows a different start. Undefined where /proc is not.
 */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = bootTimeMs();
    if (!Number.isFinite(ticks) || boot === undefined) return undefined;
    return boot + Math.round((ticks * 1000) / USER_HZ);
  } catch {
    return undefined;
  }
}

export interface ProcessIdentity {
  host: string;
  pid: number;
  /** when the process started (ms since epoch): with the pid, it names one process for good */
  startedAt: number;
}

/** This process, as the owner of a lock or a journal entry. */
export function thisProcess(): ProcessIdentity {
  return { host: hostname(), pid: process.pid, startedAt: processStartMs(process.pid) ?? Date.now() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is the process that owns a journal entry (or a lock) still running? 'alive' or 'gone' on this machine (the pid
 * and its start time must both match: a reused pid is another process); 'unknown' for an owner on another machine.
 */
export function ownerState(owner: ProcessIdentity | null | undefined): 'alive' | 'gone' | 'unknown' {
  if (!owner) return 'gone';
  if (owner.host !== hostname()) return 'unknown';
  if (!pidAlive(owner.pid)) return 'gone';
  const started = processStartMs(owner.pid);
  // older entries recorded the time the execution started, not the process: that is after the process start
  return started === undefined || Math.abs(started - owner.startedAt) < 2000 || started <= owner.startedAt ? 'alive' : 'gone';
}
