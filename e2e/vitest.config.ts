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
    // One retry: these tests drive several Chromium pages drawing WebGL in software on two
    // cores, and a rare timing miss there says more about the machine than the feature. A test
    // that fails twice fails; one that passes on its retry is named in the summary of
    // `npm test` ("passed on retry") so it stays visible.
    retry: 1,
    pool: 'forks',
  },
});
