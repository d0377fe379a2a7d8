import { defineConfig } from 'vitest/config';

// Browser tests: real server processes, real Chromium. One file at a time: the
// machine has two cores and each test drives several browser contexts.
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/harness/global-setup.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
