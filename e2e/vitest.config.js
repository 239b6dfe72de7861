import { defineConfig } from 'vitest/config';

// End-to-end tests share one private Docker engine (started by the global setup, stopped by its PID after).
export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.test.ts'],
    globalSetup: ['./harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
