import { defineConfig } from 'vitest/config'

// Unit tests sit beside the code; integration tests (real PostgreSQL) under tests/integration.
// globalSetup starts one PostgreSQL (embedded, or TEST_DATABASE_URL) and migrates a template
// database; each test file clones it (tests/support/db.ts).
export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'db/**/*.test.ts', 'documents/**/*.test.ts', 'jobs/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
