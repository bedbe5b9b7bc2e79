import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // CI has 2 cores; property tests are CPU-bound, so more workers only add contention.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
