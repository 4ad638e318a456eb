import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites start real servers; each file gets its own ports (port 0) so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
