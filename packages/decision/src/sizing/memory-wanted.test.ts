import { describe, expect, it } from 'vitest';
import { configuredHeapBytes, memoryWanted } from './memory-wanted.js';

const MiB = 1024 * 1024;
const facts = (memoryBytes: number | undefined, config: { cmd?: string[]; entrypoint?: string[]; env?: string[] }) => ({
  limits: { memoryBytes, memoryReservationBytes: undefined, nanoCpus: undefined },
  config: { cmd: config.cmd ?? null, entrypoint: config.entrypoint ?? null, env: config.env ?? [], healthcheck: undefined },
});

describe('memoryWanted', () => {
  it('doubles the limit, rounded up to 64 MiB, or proposes 512 MiB when there is none', () => {
    expect(memoryWanted(facts(48 * MiB, {})).bytes).toBe(128 * MiB);
    expect(memoryWanted(facts(256 * MiB, {})).bytes).toBe(512 * MiB);
    expect(memoryWanted(facts(undefined, {})).bytes).toBe(512 * MiB);
  });

  it('never proposes less than a configured heap and half again: a JVM -Xmx in an environment value, Node in the command', () => {
    const jvm = memoryWanted(facts(48 * MiB, { env: ['OPENSEARCH_JAVA_OPTS=-Xms256m -Xmx256m -XX:+AlwaysPreTouch', 'PATH=/bin'] }));
    expect(jvm).toEqual({ bytes: 384 * MiB, heapBytes: 256 * MiB, byHeap: true });
    const node = memoryWanted(facts(64 * MiB, { cmd: ['node', '--max-old-space-size=1024', 'server.js'] }));
    expect(node).toEqual({ bytes: 1536 * MiB, heapBytes: 1024 * MiB, byHeap: true });
    expect(configuredHeapBytes(facts(undefined, { entrypoint: ['java', '-Xmx2g', '-jar', 'app.jar'] }))).toBe(2048 * MiB);
    // a heap the doubled limit holds anyway changes nothing
    expect(memoryWanted(facts(1024 * MiB, { env: ['JAVA_OPTS=-Xmx256m'] }))).toEqual({ bytes: 2048 * MiB, heapBytes: 256 * MiB, byHeap: false });
  });

  it('reads a number only where a flag stands on its own, not inside another word or value', () => {
    expect(configuredHeapBytes(facts(undefined, { env: ['NOTE=use-Xmx512m-later', 'TOKEN=abc-Xmx9'] }))).toBeUndefined();
    expect(configuredHeapBytes(facts(undefined, { cmd: ['sh', '-c', 'echo --max-old-space-size=x'] }))).toBeUndefined();
    expect(configuredHeapBytes(facts(undefined, { env: ['OPTS=x--max-old-space-size=512'] }))).toBeUndefined();
    expect(configuredHeapBytes(facts(undefined, { env: ['NODE_OPTIONS=--max_old_space_size=768'] }))).toBe(768 * MiB);
    // a number past 1 TiB is no setting to follow
    expect(configuredHeapBytes(facts(undefined, { env: ['JAVA_OPTS=-Xmx9999999g'] }))).toBeUndefined();
  });
});
