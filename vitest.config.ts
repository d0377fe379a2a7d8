import { defineConfig } from 'vitest/config';

// Unit and server tests (Node). Browser tests live in e2e/ with their own config.
export default defineConfig({
  test: {
    include: [
      'app/**/*.test.ts',
      'server/**/*.test.ts',
      'testing/**/*.test.ts',
      'tools/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
  },
});
