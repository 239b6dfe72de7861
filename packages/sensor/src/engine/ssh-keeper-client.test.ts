import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keeperIdleSeconds, keeperSocketPath } from './ssh-keeper-client.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bcon-keeper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const target = { host: 'db1', port: 2222, user: 'deploy' };

describe('the SSH connection keeper, seen from a command', () => {
  it('is off unless BCON_SSH_PERSIST gives seconds', () => {
    expect(keeperIdleSeconds({})).toBe(0);
    expect(keeperIdleSeconds({ BCON_SSH_PERSIST: '' })).toBe(0);
    expect(keeperIdleSeconds({ BCON_SSH_PERSIST: '0' })).toBe(0);
    expect(keeperIdleSeconds({ BCON_SSH_PERSIST: 'soon' })).toBe(0);
    expect(keeperIdleSeconds({ BCON_SSH_PERSIST: '60' })).toBe(60);
    expect(keeperIdleSeconds({ BCON_SSH_PERSIST: '999999' })).toBe(86_400);
  });

  it('lives in BCON_HOME/ssh, under a name that changes with the host, the key and the known_hosts content', () => {
    const known = path.join(dir, 'known_hosts');
    const key = path.join(dir, 'id');
    writeFileSync(known, '[db1]:2222 ssh-ed25519 AAAA\n');
    writeFileSync(key, 'k');
    const env = { BCON_HOME: path.join(dir, 'home'), BCON_SSH_KNOWN_HOSTS: known, BCON_SSH_KEY: key };
    const first = keeperSocketPath(target, env);
    expect(first).toMatch(new RegExp(`^${path.join(dir, 'home', 'ssh')}/[0-9a-f]{16}\\.sock$`));
    expect(keeperSocketPath(target, env)).toBe(first);
    expect(keeperSocketPath({ ...target, port: 22 }, env)).not.toBe(first);
    writeFileSync(known, '[db1]:2222 ssh-ed25519 BBBB\n'); // the host key was edited: check again
    expect(keeperSocketPath(target, env)).not.toBe(first);
    expect(keeperSocketPath(target, { ...env, SSH_AUTH_SOCK: '/run/agent.sock' })).not.toBe(keeperSocketPath(target, env));
  });

  it('changes its name when the key file\'s mode changes: a keeper started with a 0600 key does not serve it once 0644', () => {
    const key = path.join(dir, 'id_mode');
    writeFileSync(key, 'k');
    chmodSync(key, 0o600);
    const env = { BCON_HOME: path.join(dir, 'home'), BCON_SSH_KNOWN_HOSTS: path.join(dir, 'none'), BCON_SSH_KEY: key };
    const tight = keeperSocketPath(target, env);
    chmodSync(key, 0o644);
    expect(keeperSocketPath(target, env)).not.toBe(tight);
  });

  it('is not used when its socket path would be too long for a unix socket', () => {
    expect(keeperSocketPath(target, { BCON_HOME: path.join(dir, 'x'.repeat(120)) })).toBeUndefined();
  });
});
