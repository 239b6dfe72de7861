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

/** One pattern of a known_hosts line: a name, or a glob with `*` and `?` (as OpenSSH's match_pattern). */
function globMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^$(){}|[\]\\]/, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`).test(name);
}

/**
 * Does the host field of a known_hosts line name this host? A hashed name (`|1|salt|hash`), or comma-separated
 * patterns where a negated one (`!pattern`) that matches rules the line out.
 */
function nameMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const patterns = field.split(',');
  if (patterns.some((p) => p.startsWith('!') && globMatches(p.slice(1), name))) return false;
  return patterns.some((p) => !p.startsWith('!') && globMatches(p, name));
}

export type HostKeyVerdict = { ok: true } | { ok: false; kind: 'unknown' | 'changed' | 'revoked'; message: string };

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
  const fp = fingerprint(key);
  let named = false;
  let accepted = false;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    const marker = parts[0]?.startsWith('@') ? parts[0] : undefined;
    const [hosts, , keyB64] = marker ? parts.slice(1) : parts;
    if (!hosts || !keyB64) continue;
    // a revoked key is refused for every host, whatever else the file says
    if (marker === '@revoked') {
      if (keyB64 === blob) {
        return { ok: false, kind: 'revoked', message: `the host key of ${name} (${fp}) is marked @revoked in ${file}: bcon refuses to connect. Ask the host's owner for its new key.` };
      }
      continue;
    }
    // certificate authorities sign host certificates; bcon checks plain host keys only
    if (marker || !nameMatches(hosts, name)) continue;
    named = true;
    if (keyB64 === blob) accepted = true;
  }
  if (accepted) return { ok: true };
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
