import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApproversSchema, approverOf, readApprovers } from './approvers.js';

const dirs: string[] = [];
function repoWith(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bcon-slack-approvers-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, 'bcon.yaml'), yaml);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('approvers', () => {
  it('maps a Slack user id to its approver name, and nobody else', () => {
    const a = ApproversSchema.parse({ alice: { slack: 'U0123ABCD' }, bob: { slack: 'U0456EFGH' }, carol: {} });
    expect(approverOf(a, 'U0123ABCD')).toBe('alice');
    expect(approverOf(a, 'U0456EFGH')).toBe('bob');
    expect(approverOf(a, 'U9999')).toBeUndefined();
    expect(approverOf(a, '')).toBeUndefined();
  });
  it('reads bcon.yaml approvers:, none without the section', async () => {
    expect(await readApprovers(repoWith('approvers:\n  alice: { slack: U0123ABCD }\n'))).toEqual({ alice: { slack: 'U0123ABCD' } });
    expect(await readApprovers(repoWith('notify: []\n'))).toEqual({});
  });
  it('a bad entry, or one Slack user for two names, is a clear error', async () => {
    await expect(readApprovers(repoWith('approvers:\n  alice: { slack: alice }\n'))).rejects.toThrow(/approvers: alice.slack: expected a Slack user id/);
    await expect(readApprovers(repoWith('approvers:\n  alice: { slack: U0123ABCD }\n  al: { slack: U0123ABCD }\n'))).rejects.toThrow(/alice and al have the same Slack user U0123ABCD/);
  });
});
