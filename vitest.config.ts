import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests share one PostgreSQL server; each file uses its own schema, so files may run in parallel.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // Files that test PostgreSQL alone (two instances, LISTEN/NOTIFY) hold no suite without TEST_DATABASE_URL; the
    // README's `npm test` on a machine without PostgreSQL runs the rest instead of failing on them.
    passWithNoTests: true,
  },
});
