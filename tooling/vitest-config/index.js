// Shared vitest preset: unit tests sit next to the code they test (src/**/*.test.ts).
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function bconVitest(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
      // a time limit against a hang, not a measure (performance lives in `pnpm bench`): the first test of a file may
      // pay a package's cold import, which took over 15 s on a busy 2-core machine (the README pair beside CI)
      testTimeout: 60_000,
      ...overrides,
    },
  });
}
