// Shared vitest preset: unit tests sit next to the code they test (src/**/*.test.ts).
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function bconVitest(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 15_000,
      ...overrides,
    },
  });
}
