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
    // Files run one at a time here: Vitest's default is one fewer worker than the cores, one on a
    // 2-core machine. Two workers cut the suite from 423 s to 274 s on such a machine, but the
    // WebRTC-in-Node tests (node-datachannel) then failed now and then (webrtc-peer LOAD5,
    // y-webrtc-internals TRN37), so that waits until those files can run apart from the rest.
  },
});
