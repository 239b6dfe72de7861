import { describe, expect, it } from 'vitest';
import { isSshRemote } from './pull.js';

describe('isSshRemote', () => {
  it('knows the ssh forms git accepts', () => {
    for (const u of ['ssh://git@github.com/acme/stack.git', 'ssh://deploy@10.0.0.5:2222/srv/stack.git', 'git+ssh://git@host/x.git', 'git@github.com:acme/stack.git', 'deploy@build-1.internal:repos/stack']) expect(isSshRemote(u), u).toBe(true);
  });
  it('and not the others', () => {
    for (const u of ['https://github.com/acme/stack.git', 'http://127.0.0.1:8080/stack.git', '/srv/git/stack.git', 'file:///srv/git/stack.git', 'C:/repos/x', 'git://host/x.git']) expect(isSshRemote(u), u).toBe(false);
  });
});
