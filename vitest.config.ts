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
    // Two files at a time. Vitest's default is one fewer than the cores, which on a 2-core
    // machine is one: the files then ran one after another, and much of their time is spent
    // waiting (servers' timers such as the 30 s presence expiry, sockets, WebRTC handshakes),
    // not computing, so a second file fits beside it.
    maxWorkers: 2,
  },
});
