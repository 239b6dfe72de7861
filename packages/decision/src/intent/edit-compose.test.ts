import { describe, expect, it } from 'vitest';
import { editCompose, lineDiff } from './edit-compose.js';

const COMPOSE = `# shop stack — owned by the platform team
x-common: &common
  restart: unless-stopped   # keep it up
  logging:
    driver: json-file

services:
  api:
    <<: *common
    image: "registry.local/shop/api:1.4"   # pinned
    environment:
      LOG_LEVEL: info
      DB_HOST: db
    ports:
      - "8080:8080"
    deploy:
      replicas: 1        # one is enough for now
      resources:
        limits:
          memory: 512M

  # the database keeps its data in a named volume
  db:
    image: postgres:16
    mem_limit: 1g
    environment:
      - POSTGRES_DB=shop
`;

describe('compose edits', () => {
  it('changes only the edited lines: comments, order, quoting and anchors stay byte for byte', () => {
    const out = editCompose(COMPOSE, [
      { op: 'set_replicas', service: 'api', value: 3 },
      { op: 'set_memory_limit', service: 'api', bytes: 1024 ** 3 },
      { op: 'set_env', service: 'db', name: 'POSTGRES_USER', value: 'shop' },
      { op: 'set_memory_limit', service: 'db', bytes: 2 * 1024 ** 3 },
    ]);
    const diff = lineDiff(COMPOSE, out, 0);
    expect(diff.filter((d) => d.kind === '-').map((d) => d.text)).toEqual(['      replicas: 1        # one is enough for now', '          memory: 512M', '    mem_limit: 1g']);
    expect(diff.filter((d) => d.kind === '+').map((d) => d.text)).toEqual(['      replicas: 3        # one is enough for now', '          memory: 1G', '    mem_limit: 2G', '      - POSTGRES_USER=shop']);
  });

  it('a memory limit raised above memswap_limit raises it too (no swap stays no swap); one above it is left alone', () => {
    const text = 'services:\n  search:\n    mem_limit: 48m\n    memswap_limit: 48m\n  worker:\n    mem_limit: 64m\n    memswap_limit: 1g\n';
    const out = editCompose(text, [
      { op: 'set_memory_limit', service: 'search', bytes: 384 * 1024 ** 2 },
      { op: 'set_memory_limit', service: 'worker', bytes: 128 * 1024 ** 2 },
    ]);
    expect(out).toBe('services:\n  search:\n    mem_limit: 384M\n    memswap_limit: 384M\n  worker:\n    mem_limit: 128M\n    memswap_limit: 1g\n');
  });

  it('a memswap_limit it cannot read (a variable) stops the edit: the file is not changed', () => {
    expect(() => editCompose('services:\n  search:\n    mem_limit: 48m\n    memswap_limit: ${SWAP}\n', [{ op: 'set_memory_limit', service: 'search', bytes: 384 * 1024 ** 2 }])).toThrow(/memswap_limit of search .*cannot be read/);
    expect(editCompose('services:\n  search:\n    mem_limit: 48m\n    memswap_limit: "50331648"\n', [{ op: 'set_memory_limit', service: 'search', bytes: 384 * 1024 ** 2 }])).toMatch(/memswap_limit: "?384M"?\n/);
  });

  it('a CPU limit stated as a CFS quota is replaced by the new count (the engine refuses both)', () => {
    const text = 'services:\n  transcoder:\n    cpu_quota: 50000\n    cpu_period: 100000\n  api:\n    cpus: 0.5\n';
    const out = editCompose(text, [
      { op: 'set_cpu_limit', service: 'transcoder', cpus: 1 },
      { op: 'set_cpu_limit', service: 'api', cpus: 1 },
    ]);
    expect(out).toBe('services:\n  transcoder:\n    deploy:\n      resources:\n        limits:\n          cpus: "1"\n  api:\n    cpus: 1\n');
  });

  it('never rewrites a file that does not parse', () => {
    expect(() => editCompose('services:\n  api: [unclosed\n', [{ op: 'set_replicas', service: 'api', value: 2 }])).toThrow(/does not parse/);
  });
});
