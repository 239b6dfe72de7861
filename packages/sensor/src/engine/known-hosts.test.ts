import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, verifyHostKey } from './known-hosts.js';

// real keys and real known_hosts lines, made by OpenSSH's ssh-keygen
const dir = mkdtempSync(path.join(tmpdir(), 'bcon-known-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function newKey(name: string): { line: string; blob: Buffer; file: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const [type, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/) as [string, string];
  return { line: `${type} ${b64}`, blob: Buffer.from(b64, 'base64'), file };
}
const web = newKey('web');
const other = newKey('other');
const known = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('host keys against known_hosts', () => {
  it('accepts a plain entry, [host]:port for another port, and a name among several', () => {
    expect(verifyHostKey('web1', 22, web.blob, known('plain', `web1 ${web.line}\n`))).toEqual({ ok: true });
    expect(verifyHostKey('10.0.0.5', 2222, web.blob, known('port', `[10.0.0.5]:2222 ${web.line}\n`))).toEqual({ ok: true });
    expect(verifyHostKey('10.0.0.5', 22, web.blob, known('port', `[10.0.0.5]:2222 ${web.line}\n`))).toMatchObject({ ok: false, kind: 'unknown' });
    expect(verifyHostKey('web1', 22, web.blob, known('list', `db1,web1,10.0.0.5 ${web.line}\n`))).toEqual({ ok: true });
  });

  it('accepts a name hashed by ssh-keygen -H, and refuses another key for it as changed', () => {
    const file = known('hashed', `web1 ${web.line}\n[web1]:2222 ${web.line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('web1'); // really hashed
    expect(verifyHostKey('web1', 22, web.blob, file)).toEqual({ ok: true });
    expect(verifyHostKey('web1', 2222, web.blob, file)).toEqual({ ok: true });
    const changed = verifyHostKey('web1', 22, other.blob, file);
    expect(changed).toMatchObject({ ok: false, kind: 'changed' });
    expect(changed.ok === false && changed.message).toContain(`THE HOST KEY OF web1 HAS CHANGED (now ${fingerprint(other.blob)})`);
  });

  it('matches wildcards, and a negated pattern rules the line out', () => {
    const file = known('glob', `*.example.com,!bad.example.com ${web.line}\nweb? ${other.line}\n`);
    expect(verifyHostKey('api.example.com', 22, web.blob, file)).toEqual({ ok: true });
    expect(verifyHostKey('bad.example.com', 22, web.blob, file)).toMatchObject({ ok: false, kind: 'unknown' });
    expect(verifyHostKey('web7', 22, other.blob, file)).toEqual({ ok: true });
    expect(verifyHostKey('web10', 22, other.blob, file)).toMatchObject({ ok: false, kind: 'unknown' });
    // dots are literal: example.com does not match exampleXcom
    expect(verifyHostKey('api.exampleXcom', 22, web.blob, file)).toMatchObject({ ok: false, kind: 'unknown' });
  });

  it('refuses a key marked @revoked even where another line accepts it; ignores @cert-authority lines', () => {
    const file = known('revoked', `web1 ${web.line}\n@revoked * ${web.line}\n@cert-authority *.example.com ${other.line}\n`);
    const v = verifyHostKey('web1', 22, web.blob, file);
    expect(v).toMatchObject({ ok: false, kind: 'revoked' });
    expect(v.ok === false && v.message).toMatch(/is marked @revoked in .*: bcon refuses to connect/);
    expect(verifyHostKey('api.example.com', 22, other.blob, file)).toMatchObject({ ok: false, kind: 'unknown' });
  });

  it('says how to accept an unknown key, with its fingerprint as ssh-keygen -l prints it', () => {
    const v = verifyHostKey('db1', 2222, web.blob, path.join(dir, 'absent'));
    const printed = execFileSync('ssh-keygen', ['-l', '-f', `${web.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(v.ok === false && v.message).toBe(`the host key of [db1]:2222 is not in ${path.join(dir, 'absent')} (${printed}). Check the fingerprint with the host's owner, then accept it: ssh-keyscan -p 2222 db1 >> ${path.join(dir, 'absent')}`);
  });
});
