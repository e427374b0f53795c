import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Tests that start real daemons and hubs need more than the 5 s default on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup/ink-output.ts'],
    // Daemons started by tests work hub-less unless a test asks for a hub (the product default is a local hub,
    // which test/e2e/sync-zero-setup.test.ts covers); children inherit it through the environment.
    env: { FACTORDESK_NO_LOCAL_HUB: '1' },
  },
});
