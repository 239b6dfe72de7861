import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** OpenSSH's name for a host in known_hosts: `host`, or `[host]:port` when the port is not 22. */
export const knownHostsName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

/** SHA256:… as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function knownHostsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['BCON_SSH_KNOWN_HOSTS'] || path.join(homedir(), '.ssh', 'known_hosts');
}

function nameMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern.split(',').some((p) => p === name);
}

export type HostKeyVerdict = { ok: true } | { ok: false; kind: 'unknown' | 'changed'; message: string };

/**
 * Check a server's host key against known_hosts (plain or hashed names): accepted when an entry for this host holds
 * exactly this key; refused as unknown when no entry names the host; refused loudly as changed when entries name
 * the host but none holds this key.
 */
export function verifyHostKey(host: string, port: number, key: Buffer, file = knownHostsPath()): HostKeyVerdict {
  const name = knownHostsName(host, port);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* no file: every host is unknown */
  }
  const blob = key.toString('base64');
  let named = false;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    const [hosts, , keyB64] = parts[0]?.startsWith('@') ? parts.slice(1) : parts;
    if (!hosts || !keyB64 || !nameMatches(hosts, name)) continue;
    named = true;
    if (keyB64 === blob) return { ok: true };
  }
  const fp = fingerprint(key);
  if (named) {
    return {
      ok: false,
      kind: 'changed',
      message: `THE HOST KEY OF ${name} HAS CHANGED (now ${fp}). Someone may be intercepting the connection, or the host was reinstalled. bcon refuses to connect. If the change is expected, remove the old entry (ssh-keygen -R '${name}' -f ${file}) and accept the new key.`,
    };
  }
  return {
    ok: false,
    kind: 'unknown',
    message: `the host key of ${name} is not in ${file} (${fp}). Check the fingerprint with the host's owner, then accept it: ssh-keyscan ${port === 22 ? '' : `-p ${port} `}${host} >> ${file}`,
  };
}
