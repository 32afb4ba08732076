import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs the TypeScript sources directly (no build: pure code, in-process
 * servers on ephemeral ports); `integration` starts real processes — the compiled lab, CLIs,
 * the load worker, external tools — so it compiles `dist/` once before its first test.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/build.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
